/*
 * The device page, /device/ID: identity, age and its source, each counter
 * with its unit, source and cross-check, audit events, supplies, health,
 * repair advice, and graphs with a range picker (links, no script).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "advice.h"
#include "pages.h"
#include "text.h"
#include "views.h"

static const char *const ranges[] = { "hour", "day", "week", "month", "year" };

/* The asked ?range= if it is one of ours, else "day". */
static const char *
device_range(const struct web_req *rq)
{
	const char *r = web_arg(rq, "range");
	size_t i;

	for (i = 0; r != NULL && i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (strcmp(r, ranges[i]) == 0)
			return ranges[i];
	return "day";
}

/* One line of a definition list: a word and a value (escaped; a dash when unknown). */
static void
device_dd(struct html *h, const struct web_req *rq, const char *word, const char *v)
{
	html_printf(h, "<dt>%s</dt><dd>%s</dd>", web_tr(rq, word), v != NULL && *v ? v : "-");
}

/* Identity and age: status row N of ST and fleet row N of FL. */
static void
device_identity(struct html *h, const struct web_req *rq, const struct gf_rows *st,
    const struct gf_rows *fl, size_t n)
{
	const char *src = rows_cell(fl, n, "age_source");

	html_printf(h, "<section id=\"identity\"><h2>%s</h2><dl>", web_tr(rq, "Identity"));
	device_dd(h, rq, "Kind", web_tr(rq, rows_cell(st, n, "kind")));
	html_printf(h, "<dt>%s</dt><dd>", web_tr(rq, "Department"));
	page_link_id(h, rq, "department", rows_cell(st, n, "department"));
	html_raw(h, "</dd>");
	device_dd(h, rq, "State", web_tr(rq, rows_cell(st, n, "state")));
	device_dd(h, rq, "Description", rows_cell(st, n, "description"));
	device_dd(h, rq, "Serial", rows_cell(st, n, "serial"));
	device_dd(h, rq, "Serial read from", rows_cell(st, n, "serial_source"));
	device_dd(h, rq, "Pages (life count)", rows_cell(st, n, "pages"));
	device_dd(h, rq, "Age (years)", rows_cell(fl, n, "age_years"));
	device_dd(h, rq, "In service since", rows_cell(fl, n, "since"));
	device_dd(h, rq, "Age from", src != NULL ? web_tr(rq, src) : NULL);
	html_raw(h, "</dl></section>\n");
}

/* Health and the repair advice of fleet row N, with the kgCO2e a repair avoids. */
static void
device_health(struct html *h, const struct web_req *rq, const struct gf_rows *fl, size_t n,
    const struct gf_health *he)
{
	const char *state = rows_cell(fl, n, "state");
	char b[32];

	html_printf(h, "<section id=\"health\"><h2>%s</h2><dl>", web_tr(rq, "Health"));
	html_printf(h, "<dt>%s</dt><dd><span class=\"st st-%s\">%s</span></dd>",
	    web_tr(rq, "State"), state, web_tr(rq, state));
	device_dd(h, rq, "Component", rows_cell(fl, n, "component"));
	device_dd(h, rq, "Reason", rows_cell(fl, n, "reason"));
	device_dd(h, rq, "Part", rows_cell(fl, n, "part"));
	device_dd(h, rq, "kgCO2e avoided by repair", rows_cell(fl, n, "co2e_avoided_kg"));
	if (he->disk_pct >= 0) {
		snprintf(b, sizeof(b), "%d %%", he->disk_pct);
		device_dd(h, rq, "Disk used", b);
	}
	if (he->mem_week_pct >= 0) {
		snprintf(b, sizeof(b), "%d %%", he->mem_week_pct);
		device_dd(h, rq, "RAM used (7 days)", b);
	}
	if (he->jams_week >= 0) {
		snprintf(b, sizeof(b), "%ld", he->jams_week);
		device_dd(h, rq, "Jams (7 days)", b);
	}
	html_raw(h, "</dl></section>\n");
}

/* Each supply as last read: its name and level in percent of its capacity. */
static void
device_supplies(struct html *h, const struct web_req *rq, const struct gf_store_health *raw)
{
	const struct gf_store_supply *sp;
	int i, pct;

	if (raw->nsupplies == 0)
		return;
	html_printf(h, "<section id=\"supplies\"><h2>%s</h2><ul class=\"supplies\">",
	    web_tr(rq, "Supplies"));
	for (i = 0; i < raw->nsupplies; i++) {
		sp = &raw->supplies[i];
		if (sp->max > 0 && sp->level >= 0 && sp->level <= sp->max) {
			pct = (int)(sp->level * 100 / sp->max);
			html_printf(h, "<li>%s <meter min=\"0\" max=\"100\" low=\"15\" "
			    "value=\"%d\">%d %%</meter> <span class=\"num\">%d %%</span></li>",
			    sp->descr, pct, pct, pct);
		} else
			html_printf(h, "<li>%s <span class=\"num\">%s</span></li>", sp->descr,
			    web_tr(rq, "level unknown"));
	}
	html_raw(h, "</ul></section>\n");
}

/* The graphs of device ID for the chosen range, and the links that choose it. */
static void
device_graphs(struct html *h, const struct web_req *rq, const char *id, int printer)
{
	static const char *const pm[] = { "pages", "supplies", NULL };
	static const char *const hm[] = { "disk", "ram", NULL };
	const char *const *m = printer ? pm : hm;
	const char *range = device_range(rq);
	char q[32];
	size_t i;

	html_printf(h, "<section id=\"graphs\"><h2>%s</h2><p class=\"ranges\">",
	    web_tr(rq, "Graphs"));
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		snprintf(q, sizeof(q), "range=%s", ranges[i]);
		html_raw(h, strcmp(range, ranges[i]) == 0 ? "<a aria-current=\"true\" " : "<a ");
		html_raw(h, "");
		page_href(h, rq, "", q);
		html_printf(h, ">%s</a> ", web_tr(rq, ranges[i]));
	}
	html_raw(h, "</p>");
	for (; *m != NULL; m++) {
		html_raw(h, "<figure><img src=\"/graph/device/");
		html_url(h, id);
		html_printf(h, ".svg?range=%s&amp;metric=%s&amp;lang=%s\" alt=\"%s\" "
		    "width=\"800\" height=\"300\"></figure>", range, *m,
		    rq->lang == WEB_FR ? "fr" : "en", web_tr(rq, *m));
	}
	html_raw(h, "</section>\n");
}

/* Counters, then audit events of device ID. */
static int
device_ledger(struct html *h, const struct web_req *rq, const char *id)
{
	static const char *const cc[] = { "counter", "value", "unit", "source", "read_from",
		"counted", "check", NULL };
	static const char *const ac[] = { "time", "counter", "event", "old", "new", "detail",
		NULL };
	struct gf_rows r;
	int rc;

	if ((rc = view_counters(rq->store, id, &r)) == 0) {
		html_printf(h, "<section id=\"counters\"><h2>%s</h2>", web_tr(rq, "Counters"));
		page_table(h, rq, &r, cc);
		html_raw(h, "</section>\n");
	}
	rows_free(&r);
	if (rc != 0 || (rc = view_audit(rq->store, id, &r)) != 0) {
		rows_free(&r);
		return -1;
	}
	html_printf(h, "<section id=\"audit\"><h2>%s</h2>", web_tr(rq, "Counter events"));
	page_table(h, rq, &r, ac);
	html_raw(h, "</section>\n");
	rows_free(&r);
	return 0;
}

/* The page of device number I once every view is read; -1 on a store error. */
static int
device_body(struct html *h, const struct web_req *rq, size_t i)
{
	const struct gf_device *d = &rq->conf->devices[i];
	struct gf_device_health dh;
	struct gf_store_health raw;
	struct gf_rows st, fl;
	char first[11], today[11];
	int rc;

	page_month(rq->now, first, today);
	rc = view_status(rq->store, rq->conf, &st);
	rc |= view_fleet(rq->store, rq->conf, rq->now, &fl);
	rc |= advice_device_health(rq->store, d->id, rq->now, &dh);
	rc |= store_health(rq->store, d->id, today, &raw);
	if (rc == 0 && i < st.nrows && i < fl.nrows) {
		device_identity(h, rq, &st, &fl, i);
		device_health(h, rq, &fl, i, &dh.h);
		device_supplies(h, rq, &raw);
		device_graphs(h, rq, d->id, d->kind == GF_KIND_PRINTER);
		rc = device_ledger(h, rq, d->id);
	} else
		rc = -1;
	rows_free(&st);
	rows_free(&fl);
	return rc;
}

int
page_device(const struct web_req *rq, const char *id, struct web_body *out)
{
	struct html h;
	int i;

	if (id == NULL || !gf_id_is_safe(id) || (i = page_device_index(rq, id)) < 0)
		return page_error(rq, 404, out);
	if (!page_may_see(rq, rq->conf->depts[rq->conf->devices[i].dept].id))
		return page_error(rq, 403, out);
	if (rq->store == NULL)
		return page_store_error(rq, out);
	page_begin(&h, rq, "Device", id);
	if (device_body(&h, rq, (size_t)i) != 0) {
		html_free(&h);
		return page_store_error(rq, out);
	}
	return page_end(&h, rq, 200, out);
}
