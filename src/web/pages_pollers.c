/*
 * /pollers: the greenfleetd processes sharing the store (greenfleet pollers):
 * who is alive, who leads (judges and mails), how many devices each holds
 * and how far behind its last commit is. From view_pollers, as the CLI and
 * /metrics; for the IT staff (not a department head).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "views.h"

/* The lag beyond which a poller alive is flagged: two intervals without a commit. */
static int
lagging(const struct web_req *rq, const char *lag)
{
	return lag != NULL && strtoll(lag, NULL, 10) > 2LL * rq->conf->interval;
}

/* "3 / 4 pollers alive. Leader (judges quotas, sends mail): p2". */
static void
pollers_summary(struct html *h, const struct web_req *rq, const struct gf_rows *r)
{
	const char *leader = NULL;
	size_t n, alive = 0;

	for (n = 0; n < r->nrows; n++) {
		alive += strcmp(rows_cell(r, n, "state"), "alive") == 0;
		if (strcmp(rows_cell(r, n, "leader"), "yes") == 0)
			leader = rows_cell(r, n, "poller");
	}
	html_printf(h, "<p class=\"summary\"><span class=\"n\">%zu</span> / %zu %s. %s%s"
	    "<strong>%s</strong></p>\n", alive, r->nrows, web_tr(rq, "pollers alive"),
	    web_tr(rq, "Leader (judges quotas, sends mail)"), page_colon(rq),
	    leader != NULL ? leader : web_tr(rq, "none"));
}

static void
pollers_table(struct html *h, const struct web_req *rq, const struct gf_rows *r)
{
	static const char *const heads[] = { "Poller", "Host", "PID", "State", "Leader",
		"Devices", "Polls", "Last commit", "Lag (s)", "Running since", "Networks" };
	const char *lag;
	size_t n, k;

	html_raw(h, "<div class=\"scroll\"><table id=\"pollers\"><thead><tr>");
	for (k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
		html_printf(h, "<th>%s</th>", web_tr(rq, heads[k]));
	html_raw(h, "</tr></thead><tbody>\n");
	for (n = 0; n < r->nrows; n++) {
		html_printf(h, "<tr id=\"poller-%s\">", rows_cell(r, n, "poller"));
		page_td(h, rows_cell(r, n, "poller"), 0);
		page_td(h, rows_cell(r, n, "host"), 0);
		page_td(h, rows_cell(r, n, "pid"), 1);
		page_td_word(h, rq, rows_cell(r, n, "state"));
		page_td(h, web_tr(rq, rows_cell(r, n, "leader")), 0);
		page_td(h, rows_cell(r, n, "devices"), 1);
		page_td(h, rows_cell(r, n, "polled"), 1);
		page_td_time(h, rows_cell(r, n, "last_commit"));
		lag = rows_cell(r, n, "lag_s");
		if (strcmp(rows_cell(r, n, "state"), "alive") == 0 && lagging(rq, lag))
			html_printf(h, "<td class=\"num\"><span class=\"st st-late\">%s"
			    "</span></td>", lag);
		else
			page_td(h, lag, 1);
		page_td_time(h, rows_cell(r, n, "since"));
		page_td(h, rows_cell(r, n, "networks"), 0);
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n");
}

int
page_pollers(const struct web_req *rq, struct web_body *out)
{
	struct gf_rows r;
	struct html h;

	if (rq->store == NULL || view_pollers(rq->store, rq->conf, &r) != 0)
		return page_store_error(rq, out);
	page_begin(&h, rq, "Pollers", NULL);
	if (r.nrows == 0) {
		html_printf(&h, "<p class=\"none\">%s</p>\n", web_tr(rq,
		    "No poller has run on this store yet (greenfleetd --once takes no part)."));
	} else {
		pollers_summary(&h, rq, &r);
		pollers_table(&h, rq, &r);
		html_printf(&h, "<p class=\"note\">%s</p>", web_tr(rq, "A poller that stops "
		    "gives its devices back at once; one that dies (lapsed) has them taken over "
		    "within two intervals. The lag is the time since its last commit."));
	}
	rows_free(&r);
	return page_end(&h, rq, 200, out);
}
