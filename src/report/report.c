/* Reports from the ledger: sums per department or device, and what their paper weighs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "xmalloc.h"

/* Per (device, department) while reading: the counters seen and how to read them. */
struct acc {
	struct gf_report *r;
	struct dev {
		char device[GF_SHORT], department[GF_SHORT];
		uint64_t v[6];		/* total, mono, colour, duplex, sheets, (unused) */
		unsigned have;
		int has_split, total_in_sheets;
	} *d;
	size_t n, cap;
};

enum { R_TOTAL, R_MONO, R_COLOUR, R_DUPLEX, R_SHEETS };

static struct dev *
dev_of(struct acc *a, const struct gf_ledger_sum *s)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->d[i].device, s->device) == 0 &&
		    strcmp(a->d[i].department, s->department) == 0)
			return &a->d[i];
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->d = xreallocarray(a->d, a->cap, sizeof(*a->d));
	}
	memset(&a->d[a->n], 0, sizeof(a->d[0]));
	memcpy(a->d[a->n].device, s->device, sizeof(s->device));
	memcpy(a->d[a->n].department, s->department, sizeof(s->department));
	a->d[a->n].has_split = s->has_split;
	a->d[a->n].total_in_sheets = strcmp(s->total_unit, "sheets") == 0;
	return &a->d[a->n++];
}

static void
on_sum(void *arg, const struct gf_ledger_sum *s)
{
	static const char *const names[] = { "total", "mono", "colour", "duplex", "sheets" };
	struct dev *d = dev_of(arg, s);
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s->counter, names[i]) == 0) {
			d->v[i] += s->pages;
			d->have |= 1u << i;
		}
}

/*
 * Sheets of paper: the device's own sheet counter; else its total when it
 * counts sheets; else impressions minus half the two-sided ones (a duplex
 * sheet carries two); else one sheet per impression, an upper bound.
 */
static uint64_t
paper_of(const struct dev *d)
{
	if (d->have & 1u << R_SHEETS)
		return d->v[R_SHEETS];
	if (d->total_in_sheets)
		return d->v[R_TOTAL];
	if ((d->have & 1u << R_DUPLEX) && d->v[R_DUPLEX] / 2 <= d->v[R_TOTAL])
		return d->v[R_TOTAL] - d->v[R_DUPLEX] / 2;
	return d->v[R_TOTAL];
}

static struct gf_report_row *
row_of(struct gf_report *r, const char *key, const char *dept)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].key, key) == 0 && strcmp(r->rows[i].department, dept) == 0)
			return &r->rows[i];
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->rows = xreallocarray(r->rows, r->cap, sizeof(*r->rows));
	}
	memset(&r->rows[r->n], 0, sizeof(r->rows[0]));
	snprintf(r->rows[r->n].key, sizeof(r->rows[0].key), "%s", key);
	snprintf(r->rows[r->n].department, sizeof(r->rows[0].department), "%s", dept);
	return &r->rows[r->n++];
}

/*
 * Folds one device into its row. Per device, a figure it does not count is
 * unknown (null). Its pages split as quotas split them (meter_split): what
 * mono and colour do not explain is mono, so department mono + colour = total.
 */
static void
fold(struct gf_report *r, const struct dev *d)
{
	struct gf_report_row *w = row_of(r, r->by_device ? d->device : d->department,
	    d->department);
	int split = d->has_split || (d->have & (1u << R_MONO | 1u << R_COLOUR));
	uint64_t m, c;

	if (d->have & 1u << R_TOTAL) {
		w->total += d->v[R_TOTAL];
		w->has_total = 1;
	}
	if (split || !r->by_device) {
		meter_split(d->v[R_TOTAL], d->v[R_MONO], d->v[R_COLOUR], &m, &c);
		w->mono += m;
		w->colour += c;
		w->has_mono = w->has_colour = 1;
	}
	if (d->have & 1u << R_DUPLEX) {
		w->duplex += d->v[R_DUPLEX];
		w->has_duplex = 1;
	}
	if (d->have & 1u << R_SHEETS) {
		w->sheets += d->v[R_SHEETS];
		w->has_sheets = 1;
	}
	w->paper_sheets += paper_of(d);
}

int
report_build(struct gf_store *s, const char *first, const char *last, int by_device,
    struct gf_report *r)
{
	struct acc a;
	size_t i;

	memset(r, 0, sizeof(*r));
	memset(&a, 0, sizeof(a));
	r->by_device = by_device;
	a.r = r;
	if (store_ledger_sums(s, first, last, on_sum, &a) != 0) {
		free(a.d);
		return -1;
	}
	for (i = 0; i < a.n; i++)
		fold(r, &a.d[i]);
	free(a.d);
	return 0;
}

void
report_free(struct gf_report *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

void
report_env(const struct gf_report_row *row, const struct gf_factors *f, struct gf_env *e)
{
	double sheets = (double)row->paper_sheets;

	e->paper_kg = sheets * f->sheet_g / 1000;
	e->co2e_kg = sheets * f->sheet_co2e_g / 1000;
	e->energy_kwh = sheets * f->sheet_wh / 1000;
	e->trees = sheets / f->sheets_per_tree;
}

/* ---- the yearly report ---- */

#define MAX_REPAIRED	4096	/* distinct devices repaired in a year, as counted */

static const char *const type_names[GF_NTYPES] = { "desktop", "laptop", "server", "printer" };

const char *
report_type_name(int type)
{
	return type >= 0 && type < GF_NTYPES ? type_names[type] : "?";
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Quota periods of the year begun by NOW, and those that crossed 100 %. */
static int
sustain_quota(struct gf_store *s, struct gf_sustain_dept *sd, int year, time_t now)
{
	const struct gf_quota *q = &sd->d->quota;
	char key[32];
	int step = q->period == GF_PERIOD_MONTH ? 1 : q->period == GF_PERIOD_QUARTER ? 3 : 12;
	int m, top, k;
	uint64_t mono, colour;
	struct gf_span sp;

	if (!q->enabled)
		return 0;
	for (m = 1; m <= 12; m += step) {
		if (q->period == GF_PERIOD_MONTH)
			snprintf(key, sizeof(key), "%04d-%02d", year, m);
		else if (q->period == GF_PERIOD_QUARTER)
			snprintf(key, sizeof(key), "%04d-Q%d", year, (m - 1) / 3 + 1);
		else
			snprintf(key, sizeof(key), "%04d", year);
		if (quota_span_parse(q->period, key, &sp) != 0 || sp.start > now)
			break;
		/* A period without a page on record (before greenfleet) says nothing. */
		if (store_dept_span(s, sd->d->id, sp.first, sp.last, &mono, &colour) != 0)
			return -1;
		if (mono + colour == 0)
			continue;
		sd->periods++;
		if ((top = store_quota_last_fired(s, sd->d->id, sp.key)) < 0)
			return -1;
		for (k = 0; k < q->nthresholds; k++)
			if (q->thresholds[k] >= 100 && top >= q->thresholds[k]) {
				sd->breached++;
				break;
			}
	}
	return 0;
}

/* Pages per department and on pooled printers. */
static int
sustain_pages(struct gf_store *s, const struct gf_conf *conf, const char *first,
    const char *last, struct gf_sustain *o)
{
	struct gf_report byd, bydev;
	size_t i, k;

	if (report_build(s, first, last, 0, &byd) != 0)
		return -1;
	if (report_build(s, first, last, 1, &bydev) != 0) {
		report_free(&byd);
		return -1;
	}
	for (i = 0; i < o->ndepts; i++)
		for (k = 0; k < byd.n; k++)
			if (strcmp(byd.rows[k].key, o->depts[i].d->id) == 0)
				o->depts[i].pages = byd.rows[k];
	for (k = 0; k < bydev.n; k++)
		for (i = 0; i < conf->ndevices; i++)
			if (strcmp(conf->devices[i].id, bydev.rows[k].key) == 0 &&
			    conf->devices[i].kind == GF_KIND_PRINTER) {
				o->printer_pages += bydev.rows[k].total;
				if (conf->devices[i].pooled)
					o->pooled_pages += bydev.rows[k].total;
			}
	report_free(&byd);
	report_free(&bydev);
	return 0;
}

/* Ages per type of the devices in service, and the lifespans of those retired. */
static int
sustain_ages(struct gf_store *s, const struct gf_conf *conf, int year, time_t now,
    struct gf_sustain *o)
{
	double *ages[GF_NTYPES], span = 0, y;
	struct gf_device_health dh;
	const struct gf_device *d;
	struct gf_age age;
	char y0[8];
	size_t i;
	int t, n, rc = 0;

	snprintf(y0, sizeof(y0), "%04d", year);
	for (t = 0; t < GF_NTYPES; t++)
		ages[t] = xcalloc(conf->ndevices + 1, sizeof(double));
	for (i = 0; i < conf->ndevices && rc == 0; i++) {
		d = &conf->devices[i];
		if (d->kind == GF_KIND_PRINTER && !d->retired[0]) {
			o->printers++;
			o->pooled_printers += d->pooled;
		}
		if ((rc = advice_device_health(s, d->id, now, &dh)) != 0)
			break;
		advice_age(d, dh.mfg_date, dh.sw_oldest, dh.first_seen, &age);
		if (!d->retired[0]) {
			if ((y = advice_years(age.date, now)) >= 0)
				ages[d->hw_type][o->nage[d->hw_type]++] = y;
			continue;
		}
		o->retired++;
		o->retired_this_year += strncmp(d->retired, y0, 4) == 0;
		/* Lifespan: from the age evidence to the day it was retired. */
		if (age.date[0] && (y = advice_years(age.date, now) - advice_years(d->retired, now)) >= 0) {
			span += y;
			o->lifespans++;
		}
	}
	for (t = 0; t < GF_NTYPES && rc == 0; t++) {
		if ((n = o->nage[t]) == 0)
			continue;
		qsort(ages[t], n, sizeof(double), dcmp);
		for (i = 0; i < (size_t)n; i++)
			o->age_mean[t] += ages[t][i] / n;
		o->age_median[t] = n % 2 ? ages[t][n / 2] : (ages[t][n / 2 - 1] + ages[t][n / 2]) / 2;
		o->age_oldest[t] = ages[t][n - 1];
	}
	o->lifespan_mean = o->lifespans ? span / o->lifespans : 0;
	for (t = 0; t < GF_NTYPES; t++)
		free(ages[t]);
	return rc;
}

/* The repair log of the year: units upgraded rather than replaced, and the carbon saved. */
struct repairs {
	const struct gf_conf *conf;
	char year[8];
	struct gf_sustain *o;
	char (*seen)[GF_SHORT];
	size_t nseen;
};

static void
on_repair(void *arg, const char *device, const char *day, const char *part, const char *text)
{
	struct repairs *r = arg;
	const struct gf_factors *f = &r->conf->factors;
	const struct gf_device *d = NULL;
	double embodied;
	size_t i;

	(void)text;
	if (strncmp(day, r->year, 4) != 0)
		return;
	for (i = 0; i < r->conf->ndevices; i++)
		if (strcmp(r->conf->devices[i].id, device) == 0)
			d = &r->conf->devices[i];
	r->o->repairs++;
	for (i = 0; i < r->nseen && strcmp(r->seen[i], device) != 0; i++)
		;
	if (i == r->nseen && r->nseen < MAX_REPAIRED) {
		snprintf(r->seen[r->nseen++], GF_SHORT, "%s", device);
		r->o->upgraded_units++;
	}
	if (d == NULL || d->kind != GF_KIND_WORKSTATION)
		return;
	embodied = d->hw_type == GF_HW_LAPTOP ? f->laptop_kg : d->hw_type == GF_HW_SERVER ?
	    f->server_kg : f->desktop_kg;
	r->o->repairs_avoided_kg += embodied - (strcmp(part, "ram") == 0 ? f->ram_kg : f->disk_kg);
}

int
report_sustain(struct gf_store *s, const struct gf_conf *conf, int year, time_t now,
    struct gf_sustain *o)
{
	char first[16], last[16];
	struct repairs rp;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->year = year;
	snprintf(first, sizeof(first), "%04d-01-01", year % 10000);
	snprintf(last, sizeof(last), "%04d-12-31", year % 10000);
	o->ndepts = conf->ndepts;
	o->depts = xcalloc(conf->ndepts + 1, sizeof(*o->depts));
	for (i = 0; i < conf->ndepts; i++) {
		o->depts[i].d = &conf->depts[i];
		if (sustain_quota(s, &o->depts[i], year, now) != 0)
			return -1;
	}
	if (sustain_pages(s, conf, first, last, o) != 0 || sustain_ages(s, conf, year, now, o) != 0)
		return -1;
	memset(&rp, 0, sizeof(rp));
	rp.conf = conf;
	rp.o = o;
	snprintf(rp.year, sizeof(rp.year), "%04d", year % 10000);
	rp.seen = xcalloc(MAX_REPAIRED, GF_SHORT);
	i = store_repairs(s, NULL, on_repair, &rp) != 0;
	free(rp.seen);
	return i ? -1 : 0;
}

void
report_sustain_free(struct gf_sustain *o)
{
	free(o->depts);
	memset(o, 0, sizeof(*o));
}
