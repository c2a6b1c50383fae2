/*
 * The frame every page shares: the document head (no inline style or script,
 * the style sheet is /static/style.css), the navigation, the language switch,
 * links that keep an asked language, and the head role's limits.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pages.h"

void
page_href(struct html *h, const struct web_req *rq, const char *path, const char *query)
{
	const char *lang = web_arg(rq, "lang");

	html_raw(h, "href=\"");
	html_text(h, path);
	if (query != NULL && *query) {
		html_raw(h, "?");
		html_text(h, query);
	}
	if (lang != NULL) {
		html_raw(h, query != NULL && *query ? "&amp;lang=" : "?lang=");
		html_raw(h, rq->lang == WEB_FR ? "fr" : "en");
	}
	html_raw(h, "\"");
}

void
page_link_id(struct html *h, const struct web_req *rq, const char *kind, const char *id)
{
	struct html p;

	html_init(&p);
	html_raw(&p, "/");
	html_raw(&p, kind);
	html_raw(&p, "/");
	html_url(&p, id);
	html_raw(h, "<a ");
	page_href(h, rq, p.buf, NULL);
	html_printf(h, ">%s</a>", id);
	html_free(&p);
}

/* One navigation entry; CUR marks the page shown. */
static void
nav_item(struct html *h, const struct web_req *rq, const char *path, const char *word, int cur)
{
	html_raw(h, cur ? "<li><a aria-current=\"page\" " : "<li><a ");
	page_href(h, rq, path, NULL);
	html_printf(h, ">%s</a></li>", web_tr(rq, word));
}

void
page_begin(struct html *h, const struct web_req *rq, const char *title, const char *extra)
{
	html_init(h);
	html_printf(h, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<title>%s%s%s - greenfleet</title>"
	    "<link rel=\"stylesheet\" href=\"/static/style.css\"></head>\n<body>"
	    "<header><nav><span class=\"brand\">greenfleet</span><ul>",
	    rq->lang == WEB_FR ? "fr" : "en", web_tr(rq, title), extra ? " " : "",
	    extra ? extra : "");
	nav_item(h, rq, "/", "Fleet", strcmp(title, "Fleet") == 0);
	nav_item(h, rq, "/repairs", "Repairs", strcmp(title, "Repairs") == 0);
	if (rq->only_dept == NULL) {
		nav_item(h, rq, "/report", "Report", strcmp(title, "Yearly report") == 0);
		nav_item(h, rq, "/pollers", "Pollers", strcmp(title, "Pollers") == 0);
	} else {
		html_raw(h, "<li><a ");
		page_link_id(h, rq, "department", rq->only_dept);
		html_raw(h, "</li>");
	}
	html_printf(h, "</ul><span class=\"lang\"><a href=\"?lang=fr\" hreflang=\"fr\">FR</a> "
	    "<a href=\"?lang=en\" hreflang=\"en\">EN</a></span></nav></header>\n<main>"
	    "<h1>%s%s%s</h1>\n", web_tr(rq, title), extra ? " " : "", extra ? extra : "");
}

int
page_end(struct html *h, const struct web_req *rq, int status, struct web_body *out)
{
	char when[32];
	struct tm tm;

	localtime_r(&rq->now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	html_printf(h, "</main>\n<footer>%s %s", web_tr(rq, "Figures at"), when);
	if (rq->user != NULL)
		html_printf(h, " &middot; %s", rq->user);
	html_raw(h, "</footer></body></html>\n");
	memset(out, 0, sizeof(*out));
	out->status = status;
	out->type = PAGE_HTML;
	out->data = html_take(h, &out->len);
	return status;
}

int
page_bytes(struct web_body *out, int status, const char *type, char *data, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->status = status;
	out->type = type;
	out->data = data;
	out->len = len;
	return status;
}

int
page_may_see(const struct web_req *rq, const char *dept)
{
	return rq->only_dept == NULL || (dept != NULL && strcmp(rq->only_dept, dept) == 0);
}

int
page_device_index(const struct web_req *rq, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < rq->conf->ndevices; i++)
		if (strcmp(rq->conf->devices[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
page_dept_index(const struct web_req *rq, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < rq->conf->ndepts; i++)
		if (strcmp(rq->conf->depts[i].id, id) == 0)
			return (int)i;
	return -1;
}

void
page_td(struct html *h, const char *s, int num)
{
	if (s == NULL || *s == '\0')
		html_raw(h, num ? "<td class=\"num\">&ndash;</td>" : "<td>&ndash;</td>");
	else if (num)
		html_printf(h, "<td class=\"num\">%s</td>", s);
	else
		html_printf(h, "<td>%s</td>", s);
}

void
page_td_time(struct html *h, const char *s)
{
	char b[32];
	struct tm tm;
	time_t t;

	t = s != NULL ? (time_t)strtoll(s, NULL, 10) : 0;
	if (t <= 0 || localtime_r(&t, &tm) == NULL) {
		page_td(h, NULL, 0);
		return;
	}
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M", &tm);
	page_td(h, b, 0);
}

void
page_td_word(struct html *h, const struct web_req *rq, const char *w)
{
	char cls[24];
	size_t i;

	if (w == NULL) {
		page_td(h, NULL, 0);
		return;
	}
	/* The class is the word itself, kept to letters (a view's own vocabulary). */
	for (i = 0; w[i] && i + 1 < sizeof(cls); i++)
		cls[i] = (w[i] >= 'a' && w[i] <= 'z') ? w[i] : '-';
	cls[i] = '\0';
	html_printf(h, "<td><span class=\"st st-%s\">%s</span></td>", cls, web_tr(rq, w));
}

const char *
page_colon(const struct web_req *rq)
{
	return rq->lang == WEB_FR ? "\xc2\xa0: " : ": ";
}

void
page_month(time_t now, char first[11], char today[11])
{
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(today, 11, "%Y-%m-%d", &tm);
	strftime(first, 11, "%Y-%m-01", &tm);
}

int
page_store_error(const struct web_req *rq, struct web_body *out)
{
	struct html h;

	page_begin(&h, rq, "Error", NULL);
	html_printf(&h, "<p class=\"error\">%s</p>",
	    web_tr(rq, "The state store cannot be read now; try again in a moment."));
	return page_end(&h, rq, 500, out);
}

/* The English heading of a view's column (web_tr gives the French); the name if none. */
const char *
page_head(const char *col)
{
	static const char *const heads[][2] = {
		{ "agents", "Agents" }, { "budget", "Budget" },
		{ "budget_used", "Budget used (weighted pages)" }, { "check", "Cross-check" },
		{ "colour_share_pct", "Colour share %" }, { "counted", "Pages counted" },
		{ "counter", "Counter" }, { "day", "Day" }, { "detail", "Detail" },
		{ "device", "Device" }, { "duplex_share_pct", "Duplex share %" },
		{ "event", "Event" }, { "limit_colour", "Colour limit" },
		{ "limit_mono", "Mono limit" }, { "new", "New" }, { "old", "Old" },
		{ "pages", "Pages" }, { "pages_per_agent", "Pages per agent" }, { "part", "Part" },
		{ "quota_compliance_pct", "Periods within quota %" }, { "read_from", "Read from" },
		{ "source", "Source" }, { "text", "Text" }, { "time", "Time" }, { "unit", "Unit" },
		{ "used_colour", "Colour used" }, { "used_mono", "Mono used" },
		{ "value", "Value" },
	};
	size_t i;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (strcmp(heads[i][0], col) == 0)
			return heads[i][1];
	return col;
}

/* The type of column NAME of R (text when there is none). */
static enum gf_col_type
col_type(const struct gf_rows *r, const char *name)
{
	int k;

	for (k = 0; k < r->ncols; k++)
		if (strcmp(r->cols[k].name, name) == 0)
			return r->cols[k].type;
	return GF_COL_STR;
}

/* A cell of column COL: times as dates, numbers to the right, a view's own words translated. */
static void
table_cell(struct html *h, const struct web_req *rq, const struct gf_rows *r, size_t n,
    const char *col)
{
	const char *c = rows_cell(r, n, col);
	enum gf_col_type t = col_type(r, col);

	if (t == GF_COL_TIME)
		page_td_time(h, c);
	else if (strcmp(col, "device") == 0 && c != NULL && page_device_index(rq, c) >= 0) {
		html_raw(h, "<td>");
		page_link_id(h, rq, "device", c);
		html_raw(h, "</td>");
	}
	else if (t == GF_COL_NUM)
		page_td(h, c, 1);
	else if (strcmp(col, "event") == 0 || strcmp(col, "unit") == 0 ||
	    strcmp(col, "counter") == 0)
		page_td(h, web_tr(rq, c), 0);
	else
		page_td(h, c, 0);
}

void
page_table(struct html *h, const struct web_req *rq, const struct gf_rows *r,
    const char *const *cols)
{
	size_t n, k;

	if (r->nrows == 0) {
		html_printf(h, "<p class=\"none\">%s</p>\n", web_tr(rq, "None."));
		return;
	}
	html_raw(h, "<div class=\"scroll\"><table><thead><tr>");
	for (k = 0; cols[k] != NULL; k++)
		html_printf(h, "<th>%s</th>", web_tr(rq, page_head(cols[k])));
	html_raw(h, "</tr></thead><tbody>\n");
	for (n = 0; n < r->nrows; n++) {
		html_raw(h, "<tr>");
		for (k = 0; cols[k] != NULL; k++)
			table_cell(h, rq, r, n, cols[k]);
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n");
}

/* The words of an error status, English (web_tr gives the French). */
static const char *
error_words(int status)
{
	switch (status) {
	case 400: return "Bad request: an argument is not one this page knows.";
	case 401: return "Sign in to see this page.";
	case 403: return "This page belongs to another department.";
	case 404: return "There is no such page, device or department.";
	case 405: return "Only GET and HEAD are served.";
	case 413: return "The request is too large.";
	case 503: return "The dashboard is busy; try again in a moment.";
	default: return "Something went wrong on the server; it is logged.";
	}
}

int
page_error(const struct web_req *rq, int status, struct web_body *out)
{
	struct html h;
	char code[8];

	snprintf(code, sizeof(code), "%d", status);
	page_begin(&h, rq, "Error", code);
	html_printf(&h, "<p class=\"error\">%s</p><p><a ", web_tr(rq, error_words(status)));
	page_href(&h, rq, "/", NULL);
	html_printf(&h, ">%s</a></p>", web_tr(rq, "Back to the fleet"));
	return page_end(&h, rq, status, out);
}
