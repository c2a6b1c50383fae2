/*
 * Unit tests: the dashboard's pages against a real SQLite state built through
 * the store API (the state of test_views.c, with a department name full of
 * markup): the figures the views give are on the pages, escaped; words are
 * French or English as asked; the head role sees its department only; bad
 * ids and arguments get 404 and 400; the report's CSV is out_rows' own.
 * web_arg is the test's (the server's is in web.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "conf.h"
#include "output.h"
#include "store.h"
#include "tap.h"
#include "ut_conf.h"
#include "views.h"
#include "web.h"

#define DEC5	1796468400	/* 2026-12-05 12:00 in Europe/Paris */
#define NOV20	1795172400	/* 2026-11-20 12:00 */

static char dir[] = "/tmp/test_pages.XXXXXX";

/* The query of the request being tested: "name=value" pairs. */
static const char *query[8][2];

const char *
web_arg(const struct web_req *rq, const char *name)
{
	size_t i;

	(void)rq;
	for (i = 0; i < 8 && query[i][0] != NULL; i++)
		if (strcmp(query[i][0], name) == 0)
			return query[i][1];
	return NULL;
}

/* Sets the query to NAME=VALUE (NAME NULL: none). */
static void
set_arg(const char *name, const char *value)
{
	memset(query, 0, sizeof(query));
	query[0][0] = name;
	query[0][1] = value;
}

/* A department with markup in its name and a monthly quota; a copier in it; another department. */
static struct gf_conf *
make_conf(void)
{
	return ut_conf(dir,
	    "departments = ( { id = \"etat-civil\"; name = \"<b>Etat</b> & 'civil'\"; agents = 4;\n"
	    "  quota = { period = \"month\"; mono = 1000; colour = 100;\n"
	    "    thresholds = [ 80, 100 ]; }; },\n"
	    "  { id = \"dsi\"; name = \"DSI\"; } );\n"
	    "devices = ( { id = \"copieur\"; kind = \"printer\"; host = \"127.0.0.1\";"
	    " department = \"etat-civil\"; snmp = { version = \"2c\"; community = \"x\"; }; },\n"
	    " { id = \"pc-dsi\"; kind = \"workstation\"; host = \"127.0.0.1\";"
	    " department = \"dsi\"; snmp = { version = \"2c\"; community = \"x\"; }; } );\n");
}

/* November's pages of the copier, its baseline and a repair, as test_views.c writes them. */
static void
make_state(const struct gf_conf *c)
{
	static struct gf_meter_result res;
	struct gf_store *s = store_open(c, 0);

	if (s == NULL)
		exit(2);
	memset(&res, 0, sizeof(res));
	res.m.pages[GF_C_MONO] = 1100;
	res.m.pages[GF_C_COLOUR] = 150;
	res.when = 1793606400;
	snprintf(res.day, sizeof(res.day), "2026-11-02");
	res.naudit = 1;
	res.audit[0] = (struct gf_meter_audit){ GF_C_TOTAL, GF_EV_BASELINE, 0, 10500, "" };
	if (store_meter_commit(s, "copieur", "etat-civil", &res) != 0 || store_commit(s) != 0 ||
	    store_repair_log(s, "copieur", "2026-11-02", "fuser", "+1 <fuser>", 1793606400) != 0)
		exit(2);
	store_close(s);
}

/* With PAGES_DUMP set (a folder), writes B there as NAME, to look at. */
static void
keep(const struct web_body *b, const char *name)
{
	const char *d = getenv("PAGES_DUMP");
	char path[512];
	FILE *f;

	if (d == NULL || b->data == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", d, name);
	if ((f = fopen(path, "w")) != NULL) {
		fwrite(b->data, 1, b->len, f);
		fclose(f);
	}
}

/* 1 if the body of B holds S. */
static int
has(const struct web_body *b, const char *s)
{
	return b->data != NULL && memmem(b->data, b->len, s, strlen(s)) != NULL;
}

static void
test_fleet(struct web_req *rq)
{
	struct web_body b;

	rq->now = NOV20;
	set_arg(NULL, NULL);
	ok(page_fleet(rq, &b) == 200 && b.status == 200 && strncmp(b.type, "text/html", 9) == 0,
	    "fleet: 200, HTML");
	keep(&b, "fleet.html");
	ok(has(&b, "<span class=\"n\">-</span> <span>pages</span>") &&
	    has(&b, "<span class=\"n\">1100</span> <span>mono</span>") &&
	    has(&b, "<span class=\"n\">150</span> <span>colour</span>"),
	    "fleet: this month 1100 mono, 150 colour, no total counted (view_report)");
	ok(has(&b, "<div class=\"fig over\"><span class=\"n\">1</span>"), "fleet: one quota over");
	ok(has(&b, "<div class=\"fig never\"><span class=\"n\">2</span>"),
	    "fleet: two never polled");
	ok(has(&b, "href=\"/device/copieur\"") && has(&b, "href=\"/department/dsi\""),
	    "fleet: links to the device and the department");
	ok(has(&b, "<meta name=\"viewport\"") && !has(&b, "<script") && !has(&b, "style=") &&
	    !has(&b, "http://") && !has(&b, "https://"),
	    "fleet: viewport, no script, no inline style, no external URL");
	free(b.data);
	set_arg("sort", "device");
	query[1][0] = "dir";
	query[1][1] = "desc";
	page_fleet(rq, &b);
	ok(strstr(b.data, "id=\"dev-pc-dsi\"") < strstr(b.data, "id=\"dev-copieur\"") &&
	    has(&b, "href=\"/?sort=device&amp;dir=asc\""), "fleet: sorted by device, descending");
	free(b.data);
	set_arg("sort", "<x>");
	page_fleet(rq, &b);
	ok(b.status == 200 && !has(&b, "<x>"), "fleet: an unknown sort column is ignored");
	free(b.data);
	rq->lang = WEB_FR;
	set_arg(NULL, NULL);
	page_fleet(rq, &b);
	ok(has(&b, "<html lang=\"fr\">") && has(&b, "Pages ce mois-ci") && has(&b, ">Parc<") &&
	    has(&b, "noir et blanc"), "fleet: in French");
	keep(&b, "fleet-fr.html");
	free(b.data);
	rq->lang = WEB_EN;
	rq->only_dept = "dsi";
	page_fleet(rq, &b);
	ok(!has(&b, "copieur") && has(&b, "pc-dsi") &&
	    has(&b, "<span class=\"n\">0</span> <span>pages</span>"),
	    "fleet, head of dsi: its device and pages only");
	free(b.data);
	rq->only_dept = NULL;
}

static void
test_device(struct web_req *rq)
{
	struct web_body b;

	set_arg("range", "week");
	ok(page_device(rq, "copieur", &b) == 200, "device: 200");
	keep(&b, "device.html");
	ok(has(&b, "src=\"/graph/device/copieur.svg?range=week&amp;metric=pages") &&
	    has(&b, "href=\"?range=month\""), "device: graphs of the week, range links");
	ok(has(&b, "<td>baseline</td>") && has(&b, "<td class=\"num\">10500</td>"),
	    "device: the audit's baseline");
	ok(has(&b, "&lt;b&gt;Etat") || has(&b, "etat-civil"), "device: its department");
	free(b.data);
	rq->lang = WEB_FR;
	ok(page_device(rq, "copieur", &b) == 200 &&
	    has(&b, "<td>r\xc3\xa9" "f\xc3\xa9rence</td>") &&
	    has(&b, "<th>\xc3\x89v\xc3\xa9nement</th>"), "device: in French, the event too");
	keep(&b, "device-fr.html");
	free(b.data);
	page_department(rq, "etat-civil", &b);
	keep(&b, "department-fr.html");
	free(b.data);
	page_report(rq, &b);
	keep(&b, "report-fr.html");
	free(b.data);
	rq->lang = WEB_EN;
	ok(page_device(rq, "nope", &b) == 404, "device: unknown id 404");
	free(b.data);
	ok(page_device(rq, "../etc", &b) == 404, "device: unsafe id 404");
	free(b.data);
	rq->only_dept = "dsi";
	ok(page_device(rq, "copieur", &b) == 403 && b.status == 403,
	    "device: other department 403");
	free(b.data);
	rq->only_dept = NULL;
}

static void
test_department(struct web_req *rq)
{
	struct web_body b;

	set_arg(NULL, NULL);
	ok(page_department(rq, "etat-civil", &b) == 200, "department: 200");
	keep(&b, "department.html");
	ok(has(&b, "&lt;b&gt;Etat&lt;/b&gt; &amp; &#39;civil&#39;") && !has(&b, "<b>Etat"),
	    "department: its name escaped");
	ok(has(&b, "<span class=\"n\">150 %</span>") && has(&b, "id=\"q-used_mono\">1100<"),
	    "department: 150 %% used (view_quota), 1100 mono");
	ok(has(&b, "src=\"/graph/department/etat-civil.svg?range=month"), "department: its graph");
	ok(has(&b, "<li class=\"notsent\">80 %"), "department: notice of 80 %% not sent");
	free(b.data);
	ok(page_department(rq, "dsi", &b) == 200 && has(&b, "No quota."), "department: no quota");
	free(b.data);
	rq->only_dept = "dsi";
	ok(page_department(rq, "etat-civil", &b) == 403, "department: head of another 403");
	free(b.data);
	rq->only_dept = NULL;
}

static void
test_report(struct web_req *rq, const struct gf_conf *c)
{
	struct web_body b;
	struct gf_rows r;
	char *want = NULL;
	size_t len = 0;
	FILE *f;

	set_arg("year", "2026");
	ok(page_report(rq, &b) == 200 && has(&b, "Download CSV"), "report: 200, downloads");
	keep(&b, "report.html");
	free(b.data);
	set_arg("year", "2026");
	query[1][0] = "format";
	query[1][1] = "csv";
	ok(page_report(rq, &b) == 200 && strncmp(b.type, "text/csv", 8) == 0, "report csv: 200");
	f = open_memstream(&want, &len);
	if (view_sustain(rq->store, c, 2026, rq->now, &r) == 0)
		out_rows(f, GF_FMT_CSV, &r, NULL);
	rows_free(&r);
	fclose(f);
	ok(b.len == len && memcmp(b.data, want, len) == 0, "report csv: out_rows' own bytes");
	free(want);
	free(b.data);
	query[1][1] = "xml";
	ok(page_report(rq, &b) == 400, "report: format xml 400");
	free(b.data);
	set_arg("year", "20x6");
	ok(page_report(rq, &b) == 400, "report: bad year 400");
	free(b.data);
}

static void
test_repairs(struct web_req *rq)
{
	struct web_body b;

	set_arg(NULL, NULL);
	ok(page_repairs(rq, &b) == 200 && has(&b, "+1 &lt;fuser&gt;"), "repairs: the log, escaped");
	keep(&b, "repairs.html");
	free(b.data);
	rq->only_dept = "dsi";
	ok(page_repairs(rq, &b) == 200 && !has(&b, "fuser"), "repairs: head of dsi sees none");
	free(b.data);
	rq->only_dept = NULL;
	ok(page_static(rq, "style.css", &b) == 200 && has(&b, "@media print"), "static: the style");
	keep(&b, "style.css");
	free(b.data);
	ok(page_static(rq, "../x", &b) == 404, "static: anything else 404");
	free(b.data);
	rq->lang = WEB_FR;
	ok(page_error(rq, 404, &b) == 404 && has(&b, "n&#39;existe pas"), "error: 404 in French");
	free(b.data);
	rq->lang = WEB_EN;
}

static void
test_graph(struct web_req *rq)
{
	struct web_body b;

	set_arg("range", "week");
	ok(page_graph(rq, "device", "copieur.svg", &b) == 500 && has(&b, "logged"),
	    "graph: 500 without its RRD file (web_pages.sh draws real ones)");
	free(b.data);
	ok(page_graph(rq, "device", "nope.svg", &b) == 404, "graph: unknown device 404");
	free(b.data);
	ok(page_graph(rq, "device", "copieur.gif", &b) == 404, "graph: .gif 404");
	free(b.data);
	ok(page_graph(rq, "device", "..%2f.svg", &b) == 404, "graph: unsafe id 404");
	free(b.data);
	ok(page_graph(rq, "fleet", "copieur.svg", &b) == 404, "graph: unknown scope 404");
	free(b.data);
	set_arg("range", "century");
	ok(page_graph(rq, "device", "copieur.png", &b) == 400, "graph: range century 400");
	free(b.data);
	set_arg("metric", "pages");
	ok(page_graph(rq, "device", "pc-dsi.png", &b) == 400, "graph: no pages for a workstation 400");
	free(b.data);
	set_arg("from", "2026-13-01");
	ok(page_graph(rq, "department", "etat-civil.svg", &b) == 400, "graph: from 2026-13-01 400");
	free(b.data);
	set_arg(NULL, NULL);
	rq->only_dept = "dsi";
	ok(page_graph(rq, "department", "etat-civil.svg", &b) == 403, "graph: head of another 403");
	free(b.data);
	rq->only_dept = NULL;
}

/* Poller NAME beats on the state as greenfleetd would: alive LEASE_S more seconds. */
static int
beat(const struct gf_conf *c, const char *name, const char *host, const char *nets,
    time_t last_commit, int leader)
{
	struct gf_store *s = store_open(c, 0);
	struct gf_poller_beat pb;
	int rc;

	if (s == NULL)
		return -1;
	memset(&pb, 0, sizeof(pb));
	pb.name = name;
	pb.host = host;
	pb.pid = 4242;
	pb.networks = nets;
	pb.lease_s = 600;
	pb.last_commit = last_commit;
	pb.leader = leader;
	pb.polled = 17;
	rc = store_poller_beat(s, &pb, NULL);
	store_close(s);
	return rc;
}

/*
 * /pollers: none yet; then p1 alive and leading, committed 5 s ago, host
 * full of markup; p2 stopped; p3 alive but 700 s behind (two intervals of
 * 300 s is 600): flagged late. French words when asked.
 */
static void
test_pollers(struct web_req *rq, const struct gf_conf *c)
{
	struct web_body b;
	struct gf_store *w;
	time_t now = time(NULL);

	ok(page_pollers(rq, &b) == 200 && has(&b, "No poller has run on this store yet") &&
	    !has(&b, "<table"), "pollers: none yet, said");
	free(b.data);
	if (!ok(beat(c, "p1", "<b>h1</b>", "192.0.2.0/24", now - 5, 1) == 0 &&
	    beat(c, "p2", "h2", "", now - 60, 0) == 0 &&
	    beat(c, "p3", "h3", "", now - 700, 0) == 0, "pollers: three beat"))
		return;
	if ((w = store_open(c, 0)) == NULL || store_poller_stop(w, "p2") != 0)
		tap_diag("p2 could not stop");
	store_close(w);
	store_close(rq->store);
	rq->store = store_open(c, GF_STORE_RO);
	ok(page_pollers(rq, &b) == 200, "pollers: 200");
	keep(&b, "pollers.html");
	ok(has(&b, "<span class=\"n\">2</span> / 3 pollers alive") &&
	    has(&b, "Leader (judges quotas, sends mail): <strong>p1</strong>"),
	    "pollers: 2 of 3 alive, p1 leads");
	ok(has(&b, "<tr id=\"poller-p1\"><td>p1</td><td>&lt;b&gt;h1&lt;/b&gt;</td>"
	    "<td class=\"num\">4242</td><td><span class=\"st st-alive\">alive</span></td>"
	    "<td>yes</td><td class=\"num\">0</td><td class=\"num\">17</td>"),
	    "pollers: p1's row, its host escaped");
	ok(has(&b, "<td>192.0.2.0/24</td>"), "pollers: p1's networks");
	ok(has(&b, "<span class=\"st st-stopped\">stopped</span>"), "pollers: p2 stopped");
	ok(has(&b, "<span class=\"st st-late\">70") && !has(&b, "st-late\">5<"),
	    "pollers: p3, 700 s behind, flagged late; p1 is not");
	ok(has(&b, "aria-current=\"page\" href=\"/pollers\">Pollers<"),
	    "pollers: its navigation entry marked");
	free(b.data);
	rq->lang = WEB_FR;
	ok(page_pollers(rq, &b) == 200 && has(&b, "2</span> / 3 collecteurs actifs") &&
	    has(&b, ">actif<") && has(&b, ">arr\xc3\xaat\xc3\xa9<") && has(&b, "<td>oui</td>") &&
	    has(&b, "<th>Retard (s)</th>"), "pollers: in French");
	free(b.data);
	rq->lang = WEB_EN;
	ok(page_fleet(rq, &b) == 200 && has(&b, "href=\"/pollers\">Pollers<"),
	    "the navigation links to /pollers");
	free(b.data);
	rq->only_dept = "dsi";
	ok(page_fleet(rq, &b) == 200 && !has(&b, "/pollers"), "a head's navigation has no /pollers");
	free(b.data);
	rq->only_dept = NULL;
}

int
main(void)
{
	struct web_req rq;
	struct gf_conf *c;

	ut_setup(dir);
	c = make_conf();
	make_state(c);
	memset(&rq, 0, sizeof(rq));
	rq.conf = c;
	rq.lang = WEB_EN;
	rq.now = DEC5;
	if ((rq.store = store_open(c, GF_STORE_RO)) == NULL)
		return 2;
	test_fleet(&rq);
	rq.now = NOV20;
	test_device(&rq);
	test_department(&rq);
	test_report(&rq, c);
	test_repairs(&rq);
	test_graph(&rq);
	test_pollers(&rq, c);
	store_close(rq.store);
	conf_free(c);
	ut_cleanup(dir);
	return tap_done();
}
