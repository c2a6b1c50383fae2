/*
 * The fleet page, /: devices up, down and never polled, pages this month,
 * quota states, repairs advised, supplies low, and a device table sortable
 * by links (?sort=COL&dir=asc|desc), all from the views the CLI prints.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "views.h"

/* The table's columns: name in ?sort=, view column, which view, numeric. */
struct fleet_col {
	const char *key, *head;
	int fleet_view, num;
};

static const struct fleet_col fleet_cols[] = {
	{ "device", "Device", 0, 0 }, { "kind", "Kind", 0, 0 },
	{ "department", "Department", 0, 0 }, { "state", "State", 0, 0 },
	{ "pages", "Pages", 0, 1 }, { "last_poll", "Last poll", 0, 1 },
	{ "age_years", "Age (years)", 1, 1 }, { "health", "Health", 1, 0 },
	{ "part", "Part", 1, 0 },
};
#define NFLEET_COLS (sizeof(fleet_cols) / sizeof(fleet_cols[0]))

/* What the page was given: the status and fleet views, row by row in the same order. */
struct fleet_data {
	struct gf_rows st, fl, rep, quota;
	int sort, desc;
};

/* Cell of column K for device row N (the health is view_fleet's "state"). */
static const char *
fleet_cell(const struct fleet_data *d, size_t n, int k)
{
	const struct fleet_col *c = &fleet_cols[k];

	if (!c->fleet_view)
		return rows_cell(&d->st, n, c->key);
	return rows_cell(&d->fl, n, strcmp(c->key, "health") == 0 ? "state" : c->key);
}

/* Orders row numbers by the asked column; unknown cells last, then by device. */
static int
fleet_cmp(const void *a, const void *b, void *arg)
{
	const struct fleet_data *d = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const char *p = fleet_cell(d, x, d->sort), *q = fleet_cell(d, y, d->sort);
	double u, v;
	int r;

	if (p == NULL || q == NULL)
		r = (p == NULL) - (q == NULL);
	else if (fleet_cols[d->sort].num) {
		u = strtod(p, NULL);
		v = strtod(q, NULL);
		r = (u > v) - (u < v);
		if (d->desc)
			r = -r;
	} else
		r = d->desc ? strcmp(q, p) : strcmp(p, q);
	if (r == 0)
		r = strcmp(rows_cell(&d->st, x, "device"), rows_cell(&d->st, y, "device"));
	return r;
}

/* ?sort= and ?dir= as given, else the device id ascending. */
static void
fleet_order(const struct web_req *rq, struct fleet_data *d)
{
	const char *s = web_arg(rq, "sort"), *dir = web_arg(rq, "dir");
	size_t k;

	d->sort = 0;
	for (k = 0; s != NULL && k < NFLEET_COLS; k++)
		if (strcmp(s, fleet_cols[k].key) == 0)
			d->sort = (int)k;
	d->desc = dir != NULL && strcmp(dir, "desc") == 0;
}

/* One summary figure: a number N (or a dash) and its words. */
static void
fleet_figure(struct html *h, const struct web_req *rq, const char *cls, const char *n,
    const char *word)
{
	html_printf(h, "<div class=\"fig %s\"><span class=\"n\">%s</span> <span>%s</span></div>",
	    cls, n != NULL ? n : "-", web_tr(rq, word));
}

/* Sums this month's report rows the request may see: impressions, mono, colour, duplex. */
static void
fleet_month(const struct web_req *rq, const struct gf_rows *rep, unsigned long long sum[4],
    int known[4])
{
	static const char *const cols[4] = { "impressions", "mono", "colour", "duplex" };
	const char *c;
	size_t n, seen = 0;
	int k;

	for (n = 0; n < rep->nrows; n++)
		seen += page_may_see(rq, rows_cell(rep, n, "department"));
	/* No row at all is no page printed; a row without a counter is unknown. */
	for (k = 0; k < 4; k++)
		sum[k] = 0, known[k] = seen == 0;
	for (n = 0; n < rep->nrows; n++) {
		if (!page_may_see(rq, rows_cell(rep, n, "department")))
			continue;
		for (k = 0; k < 4; k++)
			if ((c = rows_cell(rep, n, cols[k])) != NULL) {
				sum[k] += strtoull(c, NULL, 10);
				known[k] = 1;
			}
	}
}

/* Pages this month: total, mono, colour and the duplex share. */
static void
fleet_pages(struct html *h, const struct web_req *rq, const struct fleet_data *d)
{
	unsigned long long s[4];
	char b[4][32];
	int known[4], k;

	fleet_month(rq, &d->rep, s, known);
	for (k = 0; k < 3; k++)
		snprintf(b[k], sizeof(b[k]), "%llu", s[k]);
	if (known[3] && known[0] && s[0] > 0)
		snprintf(b[3], sizeof(b[3]), "%.1f %%", (double)s[3] * 100 / (double)s[0]);
	html_printf(h, "<section class=\"figs\" id=\"month\"><h2>%s</h2>",
	    web_tr(rq, "Pages this month"));
	fleet_figure(h, rq, "pages", known[0] ? b[0] : NULL, "pages");
	fleet_figure(h, rq, "mono", known[1] ? b[1] : NULL, "mono");
	fleet_figure(h, rq, "colour", known[2] ? b[2] : NULL, "colour");
	fleet_figure(h, rq, "duplex", known[3] && known[0] && s[0] ? b[3] : NULL,
	    "duplex share");
	html_raw(h, "</section>\n");
}

/* Counts rows where COL equals W (or, W NULL, any of up to two words A, B) among those seen. */
static int
fleet_count(const struct web_req *rq, const struct gf_rows *r, const char *col, const char *a,
    const char *b)
{
	const char *c;
	size_t n;
	int count = 0;

	for (n = 0; n < r->nrows; n++) {
		if (!page_may_see(rq, rows_cell(r, n, "department")))
			continue;
		c = rows_cell(r, n, col);
		if (c != NULL && (strcmp(c, a) == 0 || (b != NULL && strcmp(c, b) == 0)))
			count++;
	}
	return count;
}

/* Supplies low: a repair advised on a supply. */
static int
fleet_supplies_low(const struct web_req *rq, const struct gf_rows *fl)
{
	const char *c, *s;
	size_t n;
	int count = 0;

	for (n = 0; n < fl->nrows; n++) {
		c = rows_cell(fl, n, "component");
		s = rows_cell(fl, n, "state");
		if (page_may_see(rq, rows_cell(fl, n, "department")) && c != NULL &&
		    strcmp(c, "supply") == 0 && s != NULL && strcmp(s, "repair") == 0)
			count++;
	}
	return count;
}

/* Devices up, down, never; quota states; repairs advised; supplies low. */
static void
fleet_summary(struct html *h, const struct web_req *rq, const struct fleet_data *d)
{
	static const char *const st[3] = { "up", "down", "never" };
	static const char *const qs[3] = { "ok", "warning", "over" };
	char b[32];
	int k;

	html_printf(h, "<section class=\"figs\" id=\"devices\"><h2>%s</h2>", web_tr(rq, "Devices"));
	for (k = 0; k < 3; k++) {
		snprintf(b, sizeof(b), "%d", fleet_count(rq, &d->st, "state", st[k], NULL));
		fleet_figure(h, rq, st[k], b, st[k]);
	}
	html_raw(h, "</section>\n");
	fleet_pages(h, rq, d);
	html_printf(h, "<section class=\"figs\" id=\"quotas\"><h2>%s</h2>", web_tr(rq, "Quotas"));
	for (k = 0; k < 3; k++) {
		snprintf(b, sizeof(b), "%d", fleet_count(rq, &d->quota, "state", qs[k], NULL));
		fleet_figure(h, rq, qs[k], b, qs[k]);
	}
	html_raw(h, "</section>\n");
	html_printf(h, "<section class=\"figs\" id=\"care\"><h2>%s</h2>", web_tr(rq, "Care"));
	snprintf(b, sizeof(b), "%d", fleet_count(rq, &d->fl, "state", "repair", "end-of-life"));
	fleet_figure(h, rq, "repair", b, "repairs advised");
	snprintf(b, sizeof(b), "%d", fleet_supplies_low(rq, &d->fl));
	fleet_figure(h, rq, "supply", b, "supplies low");
	html_raw(h, "</section>\n");
}

/* The heading of column K: a link sorting by it, the other way when it is the current one. */
static void
fleet_th(struct html *h, const struct web_req *rq, const struct fleet_data *d, int k)
{
	char q[64];
	int cur = k == d->sort;

	snprintf(q, sizeof(q), "sort=%s&dir=%s", fleet_cols[k].key, cur && !d->desc ? "desc" :
	    "asc");
	/* Our own markup: html_raw, as %s would escape its quotes. */
	html_raw(h, !cur ? "<th><a " : d->desc ? "<th aria-sort=\"descending\"><a " :
	    "<th aria-sort=\"ascending\"><a ");
	page_href(h, rq, "/", q);
	html_printf(h, ">%s%s</a></th>", web_tr(rq, fleet_cols[k].head),
	    cur ? (d->desc ? " \xe2\x96\xbc" : " \xe2\x96\xb2") : "");
}

/* One device's row. */
static void
fleet_tr(struct html *h, const struct web_req *rq, const struct fleet_data *d, size_t n)
{
	html_printf(h, "<tr id=\"dev-%s\"><td>", rows_cell(&d->st, n, "device"));
	page_link_id(h, rq, "device", rows_cell(&d->st, n, "device"));
	html_raw(h, "</td>");
	page_td_word(h, rq, fleet_cell(d, n, 1));
	html_raw(h, "<td>");
	page_link_id(h, rq, "department", fleet_cell(d, n, 2));
	html_raw(h, "</td>");
	page_td_word(h, rq, fleet_cell(d, n, 3));
	page_td(h, fleet_cell(d, n, 4), 1);
	page_td_time(h, fleet_cell(d, n, 5));
	page_td(h, fleet_cell(d, n, 6), 1);
	page_td_word(h, rq, fleet_cell(d, n, 7));
	page_td(h, fleet_cell(d, n, 8), 0);
	html_raw(h, "</tr>\n");
}

/* The device table in the asked order. */
static void
fleet_table(struct html *h, const struct web_req *rq, struct fleet_data *d)
{
	size_t *idx, n, m = 0;
	size_t k;

	idx = calloc(d->st.nrows + 1, sizeof(*idx));
	if (idx == NULL)
		abort();
	for (n = 0; n < d->st.nrows; n++)
		if (page_may_see(rq, rows_cell(&d->st, n, "department")))
			idx[m++] = n;
	fleet_order(rq, d);
	qsort_r(idx, m, sizeof(*idx), fleet_cmp, d);
	html_printf(h, "<section id=\"table\"><h2>%s</h2><div class=\"scroll\">"
	    "<table class=\"devices\"><thead><tr>", web_tr(rq, "Devices"));
	for (k = 0; k < NFLEET_COLS; k++)
		fleet_th(h, rq, d, (int)k);
	html_raw(h, "</tr></thead><tbody>\n");
	for (n = 0; n < m; n++)
		fleet_tr(h, rq, d, idx[n]);
	html_raw(h, "</tbody></table></div></section>\n");
	free(idx);
}

/* Reads the four views; -1 on a store error. */
static int
fleet_load(const struct web_req *rq, struct fleet_data *d)
{
	char first[11], today[11];
	int rc = 0;

	page_month(rq->now, first, today);
	rc |= view_status(rq->store, rq->conf, &d->st);
	rc |= view_fleet(rq->store, rq->conf, rq->now, &d->fl);
	rc |= view_report(rq->store, rq->conf, first, today, 0, rq->now, &d->rep);
	rc |= view_quota(rq->store, rq->conf, NULL, rq->now, &d->quota);
	return rc != 0 || d->st.nrows != d->fl.nrows ? -1 : 0;
}

int
page_fleet(const struct web_req *rq, struct web_body *out)
{
	struct fleet_data d;
	struct html h;
	int rc;

	if (rq->store == NULL)
		return page_store_error(rq, out);
	memset(&d, 0, sizeof(d));
	rc = fleet_load(rq, &d);
	if (rc == 0) {
		page_begin(&h, rq, "Fleet", NULL);
		fleet_summary(&h, rq, &d);
		fleet_table(&h, rq, &d);
		rc = page_end(&h, rq, 200, out);
	} else
		rc = page_store_error(rq, out);
	rows_free(&d.st);
	rows_free(&d.fl);
	rows_free(&d.rep);
	rows_free(&d.quota);
	return rc;
}
