/*
 * The department page, /department/ID: the quota gauge of the current period
 * with its projection, pages per day against the quota line (a graph), its
 * devices and their pages this month, and the quota notices already sent.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "text.h"
#include "views.h"

/* Row of department ID in quota rows R, or -1 (no quota). */
static long
dept_row(const struct gf_rows *r, const char *id)
{
	size_t n;

	for (n = 0; n < r->nrows; n++)
		if (strcmp(rows_cell(r, n, "department"), id) == 0)
			return (long)n;
	return -1;
}

/* A percentage as a gauge: a meter (bounded to 0..100 for the bar) and the number. */
static void
dept_gauge(struct html *h, const struct web_req *rq, const char *cls, const char *word,
    const char *pct)
{
	int v = pct != NULL ? atoi(pct) : 0;

	if (pct == NULL) {
		html_printf(h, "<p class=\"gauge %s\">%s: -</p>", cls, web_tr(rq, word));
		return;
	}
	html_printf(h, "<p class=\"gauge %s\"><span class=\"lbl\">%s</span> <meter min=\"0\" "
	    "max=\"100\" low=\"80\" high=\"99\" optimum=\"0\" value=\"%d\">%s %%</meter> "
	    "<span class=\"n\">%s %%</span></p>", cls, web_tr(rq, word), v > 100 ? 100 : v, pct,
	    pct);
}

/* The quota of row N of Q: use, limits, gauge, projection, notices. */
static void
dept_quota(struct html *h, const struct web_req *rq, const struct gf_rows *q, long n)
{
	static const char *const cols[] = { "used_mono", "used_colour", "limit_mono",
		"limit_colour", "budget_used", "budget", NULL };
	const char *state = rows_cell(q, (size_t)n, "state");
	size_t k;

	html_printf(h, "<section id=\"quota\"><h2>%s %s</h2>", web_tr(rq, "Quota"),
	    rows_cell(q, (size_t)n, "period"));
	html_printf(h, "<p>%s: <span class=\"st st-%s\">%s</span></p>", web_tr(rq, "State"),
	    state, web_tr(rq, state));
	dept_gauge(h, rq, "used", "Used", rows_cell(q, (size_t)n, "percent"));
	dept_gauge(h, rq, "projected", "Projected at the end of the period",
	    rows_cell(q, (size_t)n, "projected_percent"));
	html_raw(h, "<dl class=\"quota\">");
	for (k = 0; cols[k] != NULL; k++)
		html_printf(h, "<dt>%s</dt><dd class=\"num\" id=\"q-%s\">%s</dd>",
		    web_tr(rq, page_head(cols[k])), cols[k], rows_cell(q, (size_t)n, cols[k]));
	html_raw(h, "</dl></section>\n");
}

/* The thresholds of department D and whether each was notified in PERIOD (the store's state). */
static int
dept_notices(struct html *h, const struct web_req *rq, const struct gf_department *d,
    const char *period)
{
	int i, f;

	html_printf(h, "<section id=\"notices\"><h2>%s</h2><ul>", web_tr(rq, "Notices sent"));
	for (i = 0; i < d->quota.nthresholds; i++) {
		if ((f = store_quota_fired(rq->store, d->id, period, d->quota.thresholds[i])) < 0)
			return -1;
		html_printf(h, "<li class=\"%s\">%d %% : %s</li>", f ? "sent" : "notsent",
		    d->quota.thresholds[i], web_tr(rq, f ? "notice sent" : "not reached"));
	}
	html_raw(h, "</ul></section>\n");
	return 0;
}

/* The graph of pages per day against the quota line over the chosen range. */
static void
dept_graph(struct html *h, const struct web_req *rq, const char *id)
{
	static const char *const ranges[] = { "week", "month", "year" };
	const char *r = web_arg(rq, "range"), *range = "month";
	char q[32];
	size_t i;

	for (i = 0; r != NULL && i < 3; i++)
		if (strcmp(r, ranges[i]) == 0)
			range = ranges[i];
	html_printf(h, "<section id=\"graph\"><h2>%s</h2><p class=\"ranges\">",
	    web_tr(rq, "Pages per day"));
	for (i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "range=%s", ranges[i]);
		html_raw(h, strcmp(range, ranges[i]) == 0 ? "<a aria-current=\"true\" " : "<a ");
		page_href(h, rq, "", q);
		html_printf(h, ">%s</a> ", web_tr(rq, ranges[i]));
	}
	html_raw(h, "</p><figure><img src=\"/graph/department/");
	html_url(h, id);
	html_printf(h, ".svg?range=%s&amp;lang=%s\" alt=\"%s\" width=\"800\" height=\"300\">"
	    "</figure></section>\n", range, rq->lang == WEB_FR ? "fr" : "en",
	    web_tr(rq, "Pages per day"));
}

/* Its devices: state and pages this month (report rows by device, R). */
static void
dept_devices(struct html *h, const struct web_req *rq, const char *id, const struct gf_rows *st,
    const struct gf_rows *r)
{
	size_t n, m;
	const char *pages;

	html_printf(h, "<section id=\"devices\"><h2>%s</h2><div class=\"scroll\"><table><thead>"
	    "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
	    web_tr(rq, "Devices"), web_tr(rq, "Device"), web_tr(rq, "State"),
	    web_tr(rq, "Pages this month"), web_tr(rq, "mono"), web_tr(rq, "colour"));
	for (n = 0; n < st->nrows; n++) {
		if (strcmp(rows_cell(st, n, "department"), id) != 0)
			continue;
		html_raw(h, "<tr><td>");
		page_link_id(h, rq, "device", rows_cell(st, n, "device"));
		html_raw(h, "</td>");
		page_td_word(h, rq, rows_cell(st, n, "state"));
		for (m = 0; m < r->nrows; m++)
			if (strcmp(rows_cell(r, m, "device"), rows_cell(st, n, "device")) == 0)
				break;
		pages = m < r->nrows ? rows_cell(r, m, "impressions") : "0";
		page_td(h, pages, 1);
		page_td(h, m < r->nrows ? rows_cell(r, m, "mono") : NULL, 1);
		page_td(h, m < r->nrows ? rows_cell(r, m, "colour") : NULL, 1);
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div></section>\n");
}

/* The body of department number I; -1 on a store error. */
static int
dept_body(struct html *h, const struct web_req *rq, const struct gf_department *d)
{
	struct gf_rows q, st, r;
	char first[11], today[11];
	long n = -1;
	int rc;

	page_month(rq->now, first, today);
	rc = view_quota(rq->store, rq->conf, NULL, rq->now, &q);
	rc |= view_status(rq->store, rq->conf, &st);
	rc |= view_report(rq->store, rq->conf, first, today, 1, rq->now, &r);
	if (rc == 0) {
		if ((n = dept_row(&q, d->id)) >= 0)
			dept_quota(h, rq, &q, n);
		else
			html_printf(h, "<p id=\"quota\">%s</p>", web_tr(rq, "No quota."));
		dept_graph(h, rq, d->id);
		dept_devices(h, rq, d->id, &st, &r);
		if (n >= 0)
			rc = dept_notices(h, rq, d, rows_cell(&q, (size_t)n, "period"));
	}
	rows_free(&q);
	rows_free(&st);
	rows_free(&r);
	return rc != 0 ? -1 : 0;
}

int
page_department(const struct web_req *rq, const char *id, struct web_body *out)
{
	const struct gf_department *d;
	struct html h;
	int i;

	if (id == NULL || !gf_id_is_safe(id) || (i = page_dept_index(rq, id)) < 0)
		return page_error(rq, 404, out);
	if (!page_may_see(rq, id))
		return page_error(rq, 403, out);
	if (rq->store == NULL)
		return page_store_error(rq, out);
	d = &rq->conf->depts[i];
	page_begin(&h, rq, "Department", d->name != NULL ? d->name : d->id);
	if (dept_body(&h, rq, d) != 0) {
		html_free(&h);
		return page_store_error(rq, out);
	}
	return page_end(&h, rq, 200, out);
}
