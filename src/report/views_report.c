/* Views of the ledger: pages over a range of days, the yearly responsible-IT figures, the factors. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "graph.h"
#include "report.h"
#include "views.h"

static const struct gf_col report_cols[] = {
	{ "department", GF_COL_STR }, { "device", GF_COL_STR }, { "impressions", GF_COL_NUM },
	{ "mono", GF_COL_NUM }, { "colour", GF_COL_NUM }, { "duplex", GF_COL_NUM },
	{ "sheets", GF_COL_NUM }, { "colour_share", GF_COL_NUM }, { "duplex_share", GF_COL_NUM },
	{ "quota_pct", GF_COL_NUM }, { "paper_kg", GF_COL_NUM }, { "co2e_kg", GF_COL_NUM },
	{ "energy_kwh", GF_COL_NUM }, { "trees", GF_COL_NUM }, { "department_name", GF_COL_STR },
	{ "factor_set", GF_COL_STR },
};

static const char *
fmt_u64(char *b, uint64_t v, int known)
{
	if (!known)
		return NULL;
	snprintf(b, 32, "%llu", (unsigned long long)v);
	return b;
}

static const char *
fmt_share(char *b, uint64_t part, uint64_t whole, int known)
{
	if (!known || whole == 0)
		return NULL;
	snprintf(b, 32, "%.1f", (double)part * 100 / (double)whole);
	return b;
}

/* The display name of department ID, or NULL when it is no longer configured. */
static const char *
dept_name(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndepts; i++)
		if (strcmp(conf->depts[i].id, id) == 0)
			return conf->depts[i].name;
	return NULL;
}

/* One row of the report: W's pages, shares, quota use Q (-1: none) and paper figures. */
static void
report_row(struct gf_rows *out, const struct gf_conf *conf, const struct gf_report_row *w,
    int by_device, int q)
{
	const char *c[16];
	char b[12][32];
	struct gf_env e;

	report_env(w, &conf->factors, &e);
	c[0] = w->department;
	c[1] = by_device ? w->key : NULL;
	c[2] = fmt_u64(b[0], w->total, w->has_total);
	c[3] = fmt_u64(b[1], w->mono, w->has_mono);
	c[4] = fmt_u64(b[2], w->colour, w->has_colour);
	c[5] = fmt_u64(b[3], w->duplex, w->has_duplex);
	c[6] = fmt_u64(b[4], w->sheets, w->has_sheets);
	c[7] = fmt_share(b[5], w->colour, w->mono + w->colour, w->has_colour);
	c[8] = fmt_share(b[6], w->duplex, w->total, w->has_duplex && w->has_total);
	c[9] = q >= 0 ? (snprintf(b[7], 32, "%d", q), b[7]) : NULL;
	snprintf(b[8], 32, "%.3f", e.paper_kg);
	snprintf(b[9], 32, "%.3f", e.co2e_kg);
	snprintf(b[10], 32, "%.3f", e.energy_kwh);
	snprintf(b[11], 32, "%.4f", e.trees);
	c[10] = b[8];
	c[11] = b[9];
	c[12] = b[10];
	c[13] = b[11];
	c[14] = dept_name(conf, w->department);
	c[15] = conf->factors.name;
	rows_add(out, c);
}

int
view_report(struct gf_store *s, const struct gf_conf *conf, const char *from, const char *to,
    int by_device, time_t now, struct gf_rows *out)
{
	struct gf_report r;
	time_t tt = now;
	size_t i;

	rows_init(out, report_cols, 16);
	/* Quota use is that of the period holding the last day (its local midnight). */
	if (graph_parse_when(to, 0, now, &tt) != 0)
		tt = now;
	if (report_build(s, from, to, by_device, &r) != 0)
		return -1;
	for (i = 0; i < r.n; i++)
		report_row(out, conf, &r.rows[i], by_device, by_device ? -1 :
		    view_quota_pct(s, conf, r.rows[i].department, tt, now));
	report_free(&r);
	return 0;
}

static const struct gf_col sustain_cols[] = {
	{ "section", GF_COL_STR }, { "key", GF_COL_STR }, { "metric", GF_COL_STR },
	{ "value", GF_COL_NUM }, { "label", GF_COL_LABEL },
};

/* One figure of the yearly report; VALUE NULL when it cannot be told. */
static void
sus_put(struct gf_rows *out, const char *section, const char *key, const char *metric,
    const char *value, const char *label)
{
	const char *c[5] = { section, key, metric, value, label };

	rows_add(out, c);
}

/* V with DIGITS decimals. */
static char *
sus_num(char *b, double v, int digits)
{
	snprintf(b, 32, "%.*f", digits, v);
	return b;
}

static void
sus_depts(struct gf_rows *o, const struct gf_sustain *y)
{
	const struct gf_sustain_dept *sd;
	const struct gf_report_row *p;
	char b[6][32];
	size_t i;

	for (i = 0; i < y->ndepts; i++) {
		sd = &y->depts[i];
		p = &sd->pages;
		sus_put(o, "department", sd->d->id, "pages", sus_num(b[0], (double)p->total, 0),
		    "pages");
		sus_put(o, "department", sd->d->id, "agents", sd->d->agents ?
		    sus_num(b[1], sd->d->agents, 0) : NULL, "agents");
		sus_put(o, "department", sd->d->id, "pages_per_agent", sd->d->agents ?
		    sus_num(b[2], (double)p->total / sd->d->agents, 1) : NULL,
		    "pages per agent");
		sus_put(o, "department", sd->d->id, "colour_share_pct", p->mono + p->colour ?
		    sus_num(b[3], (double)p->colour * 100 / (double)(p->mono + p->colour), 1) :
		    NULL, "colour share %");
		sus_put(o, "department", sd->d->id, "duplex_share_pct", p->has_duplex && p->total ?
		    sus_num(b[4], (double)p->duplex * 100 / (double)p->total, 1) : NULL,
		    "duplex share %");
		sus_put(o, "department", sd->d->id, "quota_compliance_pct", sd->periods ?
		    sus_num(b[5], (double)(sd->periods - sd->breached) * 100 / sd->periods, 0) :
		    NULL, "quota periods within quota %");
	}
}

/* Ages per type of the devices in service. */
static void
sus_ages(struct gf_rows *o, const struct gf_sustain *y)
{
	char b[4][32];
	int t;

	for (t = 0; t < GF_NTYPES; t++) {
		if (y->nage[t] == 0)
			continue;
		sus_put(o, "age", report_type_name(t), "count", sus_num(b[0], y->nage[t], 0),
		    "devices in service");
		sus_put(o, "age", report_type_name(t), "mean_years",
		    sus_num(b[1], y->age_mean[t], 1), "mean age (years)");
		sus_put(o, "age", report_type_name(t), "median_years",
		    sus_num(b[2], y->age_median[t], 1), "median age (years)");
		sus_put(o, "age", report_type_name(t), "oldest_years",
		    sus_num(b[3], y->age_oldest[t], 1), "oldest (years)");
	}
}

static void
sus_fleet(struct gf_rows *o, const struct gf_sustain *y)
{
	char b[6][32];

	sus_put(o, "fleet", "printers", "pooled_printer_share_pct", y->printers ?
	    sus_num(b[0], (double)y->pooled_printers * 100 / y->printers, 1) : NULL,
	    "pooled printers %");
	sus_put(o, "fleet", "printers", "pooled_pages_share_pct", y->printer_pages ?
	    sus_num(b[1], (double)y->pooled_pages * 100 / (double)y->printer_pages, 1) : NULL,
	    "pages on pooled printers %");
	sus_ages(o, y);
	sus_put(o, "lifespan", "retired", "mean_years", y->lifespans ?
	    sus_num(b[2], y->lifespan_mean, 1) : NULL, "mean lifespan of retired (years)");
	sus_put(o, "repairs", "year", "units_upgraded", sus_num(b[3], y->upgraded_units, 0),
	    "units upgraded (repair log)");
	sus_put(o, "repairs", "year", "units_replaced", sus_num(b[4], y->retired_this_year, 0),
	    "units retired this year");
	sus_put(o, "repairs", "year", "co2e_avoided_kg", sus_num(b[5], y->repairs_avoided_kg, 1),
	    "kgCO2e avoided by repairs");
}

int
view_sustain(struct gf_store *s, const struct gf_conf *conf, int year, time_t now,
    struct gf_rows *out)
{
	struct gf_sustain y;

	rows_init(out, sustain_cols, 5);
	if (report_sustain(s, conf, year, now, &y) != 0) {
		report_sustain_free(&y);
		return -1;
	}
	sus_depts(out, &y);
	sus_fleet(out, &y);
	report_sustain_free(&y);
	return 0;
}

static const struct gf_col factor_cols[] = {
	{ "factor_set", GF_COL_STR }, { "factor", GF_COL_STR }, { "value", GF_COL_NUM },
	{ "unit", GF_COL_STR }, { "source", GF_COL_STR },
};

void
view_factors(const struct gf_conf *conf, struct gf_rows *out)
{
	struct gf_factor_info fi[16];
	size_t n = conf_factor_list(&conf->factors, fi, 16), i;
	const char *c[5];
	char v[32];

	rows_init(out, factor_cols, 5);
	for (i = 0; i < n; i++) {
		snprintf(v, sizeof(v), "%g", fi[i].value);
		c[0] = conf->factors.name;
		c[1] = fi[i].key;
		c[2] = v;
		c[3] = fi[i].unit;
		c[4] = fi[i].source;
		rows_add(out, c);
	}
}
