/*
 * The repairs page (advice with the part and the kgCO2e a repair avoids, and
 * the repair log) and the yearly report, /report?year=YYYY, whose CSV and
 * JSON downloads are written by the same view and table writer as
 * `greenfleet report --sustainability --year YYYY --format csv|json`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "views.h"

/* Advice rows the request may see, repair and end of life first, then watch. */
static void
repairs_advice(struct html *h, const struct web_req *rq, const struct gf_rows *fl)
{
	static const char *const order[] = { "repair", "end-of-life", "watch" };
	const char *st;
	size_t n, k, shown = 0;

	html_printf(h, "<section id=\"advice\"><h2>%s</h2><div class=\"scroll\"><table><thead>"
	    "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
	    "</thead><tbody>\n", web_tr(rq, "Advice"), web_tr(rq, "Device"),
	    web_tr(rq, "Department"), web_tr(rq, "State"), web_tr(rq, "Reason"),
	    web_tr(rq, "Part"), web_tr(rq, "kgCO2e avoided"));
	for (k = 0; k < 3; k++)
		for (n = 0; n < fl->nrows; n++) {
			st = rows_cell(fl, n, "state");
			if (st == NULL || strcmp(st, order[k]) != 0 ||
			    !page_may_see(rq, rows_cell(fl, n, "department")))
				continue;
			html_raw(h, "<tr><td>");
			page_link_id(h, rq, "device", rows_cell(fl, n, "device"));
			html_raw(h, "</td>");
			page_td(h, rows_cell(fl, n, "department"), 0);
			page_td_word(h, rq, st);
			page_td(h, rows_cell(fl, n, "reason"), 0);
			page_td(h, rows_cell(fl, n, "part"), 0);
			page_td(h, rows_cell(fl, n, "co2e_avoided_kg"), 1);
			html_raw(h, "</tr>\n");
			shown++;
		}
	html_raw(h, "</tbody></table></div>");
	if (shown == 0)
		html_printf(h, "<p class=\"none\">%s</p>", web_tr(rq, "No repair advised."));
	html_raw(h, "</section>\n");
}

/* The repair log, without the devices of other departments for a head. */
static void
repairs_log(struct html *h, const struct web_req *rq, struct gf_rows *log)
{
	static const char *const cols[] = { "day", "device", "part", "text", NULL };
	struct gf_rows seen;
	const char *c[4];
	size_t n;
	int i, k;

	rows_init(&seen, log->cols, log->ncols);
	for (n = 0; n < log->nrows; n++) {
		i = page_device_index(rq, rows_cell(log, n, "device"));
		if (rq->only_dept != NULL && (i < 0 ||
		    !page_may_see(rq, rq->conf->depts[rq->conf->devices[i].dept].id)))
			continue;
		for (k = 0; k < 4; k++)
			c[k] = rows_cell(log, n, cols[k]);
		rows_add(&seen, c);
	}
	html_printf(h, "<section id=\"log\"><h2>%s</h2>", web_tr(rq, "Repair log"));
	page_table(h, rq, &seen, cols);
	html_raw(h, "</section>\n");
	rows_free(&seen);
}

int
page_repairs(const struct web_req *rq, struct web_body *out)
{
	struct gf_rows fl, log;
	struct html h;
	int rc;

	if (rq->store == NULL)
		return page_store_error(rq, out);
	rc = view_fleet(rq->store, rq->conf, rq->now, &fl);
	rc |= view_repairs(rq->store, NULL, &log);
	if (rc == 0) {
		page_begin(&h, rq, "Repairs", NULL);
		repairs_advice(&h, rq, &fl);
		repairs_log(&h, rq, &log);
		html_printf(&h, "<p class=\"note\">%s \"%s\"</p>", web_tr(rq, "Factor set"),
		    rq->conf->factors.name);
		rc = page_end(&h, rq, 200, out);
	} else
		rc = page_store_error(rq, out);
	rows_free(&fl);
	rows_free(&log);
	return rc;
}

/*
 * Year Y's report as greenfleet(1) writes it with --format FMT (CSV or JSON):
 * the JSON object around the figures is the CLI's (cli_report.c).
 */
static void
report_download(FILE *f, const struct gf_conf *conf, int y, enum gf_fmt fmt,
    const struct gf_rows *r)
{
	struct gf_rows fr;

	if (fmt == GF_FMT_JSON) {
		fprintf(f, "{\"year\": %d, \"factor_set\": ", y);
		out_json_str(f, conf->factors.name);
		fprintf(f, ", \"factors\": ");
		view_factors(conf, &fr);
		out_json_keyed(f, &fr, "factor", "factor_set");
		rows_free(&fr);
		fprintf(f, ", \"figures\": ");
	}
	out_rows(f, fmt, r, NULL);
	if (fmt == GF_FMT_JSON)
		fprintf(f, "}\n");
}

/* The download of year Y in FMT, named greenfleet-report.csv or .json. */
static int
report_file(const struct web_req *rq, int y, enum gf_fmt fmt, const struct gf_rows *r,
    struct web_body *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	report_download(f, rq->conf, y, fmt, r);
	fclose(f);
	page_bytes(out, 200, fmt == GF_FMT_JSON ? "application/json" : "text/csv; charset=utf-8",
	    buf, len);
	out->filename = fmt == GF_FMT_JSON ? "greenfleet-report.json" : "greenfleet-report.csv";
	return 200;
}

/* The departments' figures of year report R: one row per department, one column per metric. */
static void
report_depts(struct html *h, const struct web_req *rq, const struct gf_rows *r)
{
	static const char *const m[] = { "pages", "agents", "pages_per_agent",
		"colour_share_pct", "duplex_share_pct", "quota_compliance_pct" };
	const char *key = NULL, *sec;
	size_t n, k;

	html_printf(h, "<section id=\"departments\"><h2>%s</h2><div class=\"scroll\"><table>"
	    "<thead><tr><th>%s</th>", web_tr(rq, "Departments"), web_tr(rq, "Department"));
	for (k = 0; k < 6; k++)
		html_printf(h, "<th>%s</th>", web_tr(rq, page_head(m[k])));
	html_raw(h, "</tr></thead><tbody>\n");
	for (n = 0; n < r->nrows; n++) {
		sec = rows_cell(r, n, "section");
		if (strcmp(sec, "department") != 0)
			break;
		if (key == NULL || strcmp(key, rows_cell(r, n, "key")) != 0) {
			if (key != NULL)
				html_raw(h, "</tr>\n");
			key = rows_cell(r, n, "key");
			html_raw(h, "<tr><td>");
			page_link_id(h, rq, "department", key);
			html_raw(h, "</td>");
		}
		page_td(h, rows_cell(r, n, "value"), 1);
	}
	html_raw(h, key != NULL ? "</tr>\n</tbody></table></div></section>\n" :
	    "</tbody></table></div></section>\n");
}

/* The fleet's figures of R: each label for people and its value. */
static void
report_fleet(struct html *h, const struct web_req *rq, const struct gf_rows *r)
{
	const char *sec, *key;
	size_t n;

	html_printf(h, "<section id=\"fleet\"><h2>%s</h2><div class=\"scroll\"><table><tbody>\n",
	    web_tr(rq, "Fleet"));
	for (n = 0; n < r->nrows; n++) {
		sec = rows_cell(r, n, "section");
		key = rows_cell(r, n, "key");
		if (strcmp(sec, "department") == 0)
			continue;
		if (strcmp(sec, "age") == 0)
			html_printf(h, "<tr><th>%s: %s</th>", web_tr(rq, key),
			    web_tr(rq, rows_cell(r, n, "label")));
		else
			html_printf(h, "<tr><th>%s</th>", web_tr(rq, rows_cell(r, n, "label")));
		page_td(h, rows_cell(r, n, "value"), 1);
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div></section>\n");
}

/* The year asked (?year=YYYY), this year without one; -1 if it is not a year. */
static int
report_year(const struct web_req *rq)
{
	const char *s = web_arg(rq, "year");
	struct tm tm;

	if (s == NULL) {
		localtime_r(&rq->now, &tm);
		return tm.tm_year + 1900;
	}
	if (strlen(s) != 4 || strspn(s, "0123456789") != 4 || atoi(s) < 1970)
		return -1;
	return atoi(s);
}

/* The report on screen: links to the other years and the downloads, then the figures. */
static int
report_screen(const struct web_req *rq, int y, const struct gf_rows *r, struct web_body *out)
{
	struct html h;
	char yb[16], q[32];
	int k;

	snprintf(yb, sizeof(yb), "%d", y);
	page_begin(&h, rq, "Yearly report", yb);
	html_printf(&h, "<p class=\"sub\">%s</p><p class=\"ranges\">",
	    web_tr(rq, "Responsible IT report (REEN law, MiNumEco indicators)"));
	for (k = y - 2; k <= y + 1; k++) {
		snprintf(q, sizeof(q), "year=%d", k);
		html_raw(&h, k == y ? "<a aria-current=\"true\" " : "<a ");
		page_href(&h, rq, "/report", q);
		html_printf(&h, ">%d</a> ", k);
	}
	html_raw(&h, "</p><p class=\"downloads\">");
	snprintf(q, sizeof(q), "year=%d&format=csv", y);
	html_raw(&h, "<a download ");
	page_href(&h, rq, "/report", q);
	html_printf(&h, ">%s CSV</a> ", web_tr(rq, "Download"));
	snprintf(q, sizeof(q), "year=%d&format=json", y);
	html_raw(&h, "<a download ");
	page_href(&h, rq, "/report", q);
	html_printf(&h, ">%s JSON</a></p>\n", web_tr(rq, "Download"));
	report_depts(&h, rq, r);
	report_fleet(&h, rq, r);
	html_printf(&h, "<p class=\"note\">%s \"%s\"</p>", web_tr(rq, "Factor set"),
	    rq->conf->factors.name);
	return page_end(&h, rq, 200, out);
}

int
page_report(const struct web_req *rq, struct web_body *out)
{
	const char *fs = web_arg(rq, "format");
	enum gf_fmt fmt = GF_FMT_TEXT;
	struct gf_rows r;
	int y, rc;

	if (rq->only_dept != NULL)
		return page_error(rq, 403, out);
	if ((y = report_year(rq)) < 0 || (fs != NULL && (out_parse_format(fs, 1u << GF_FMT_CSV |
	    1u << GF_FMT_JSON, &fmt) != 0)))
		return page_error(rq, 400, out);
	if (rq->store == NULL)
		return page_store_error(rq, out);
	if (view_sustain(rq->store, rq->conf, y, rq->now, &r) != 0)
		rc = page_store_error(rq, out);
	else if (fs != NULL)
		rc = report_file(rq, y, fmt, &r, out);
	else
		rc = report_screen(rq, y, &r, out);
	rows_free(&r);
	return rc;
}
