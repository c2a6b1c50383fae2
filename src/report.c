/* Reports from the ledger: sums per department or device, and what their paper weighs. */
#include "config.h"

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
 * unknown (null). Per department, a device without any colour split counts
 * its total as mono, as quotas do, so department mono + colour = total.
 */
static void
fold(struct gf_report *r, const struct dev *d)
{
	struct gf_report_row *w = row_of(r, r->by_device ? d->device : d->department,
	    d->department);
	int split = d->has_split || (d->have & (1u << R_MONO | 1u << R_COLOUR));

	if (d->have & 1u << R_TOTAL) {
		w->total += d->v[R_TOTAL];
		w->has_total = 1;
	}
	if (split || !r->by_device) {
		w->mono += split ? d->v[R_MONO] : d->v[R_TOTAL];
		w->colour += split ? d->v[R_COLOUR] : 0;
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
