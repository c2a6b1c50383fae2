/* What graph and export accept from the command line: times, metrics, sizes, ids. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "tap.h"

static void
test_when(void)
{
	static const struct {
		const char *s;
		int end, ok;
		int y, m, d;		/* expected local midnight, when not relative */
		long ago;		/* seconds before now, when relative */
	} cases[] = {
		{ "2026-11-01", 0, 1, 2026, 11, 1, 0 },
		{ "2026-11-30", 1, 1, 2026, 12, 1, 0 },	/* --to takes the whole day */
		{ "2026-12-31", 1, 1, 2027, 1, 1, 0 },
		{ "2028-02-29", 0, 1, 2028, 2, 29, 0 },
		{ "2026-03-29", 1, 1, 2026, 3, 30, 0 },	/* a 23-hour day in Europe */
		{ "2026-02-29", 0, 0, 0, 0, 0, 0 },
		{ "2026-02-30", 0, 0, 0, 0, 0, 0 },
		{ "2026-13-01", 0, 0, 0, 0, 0, 0 },
		{ "2026-1-01", 0, 0, 0, 0, 0, 0 },
		{ "2026-11-01x", 0, 0, 0, 0, 0, 0 },
		{ "1969-12-31", 0, 0, 0, 0, 0, 0 },
		{ "", 0, 0, 0, 0, 0, 0 },
		{ "now", 1, 1, 0, 0, 0, 0 },
		{ "-30d", 0, 1, 0, 0, 0, 30 * 86400L },
		{ "-12h", 0, 1, 0, 0, 0, 12 * 3600L },
		{ "-2w", 0, 1, 0, 0, 0, 14 * 86400L },
		{ "-0d", 0, 0, 0, 0, 0, 0 },
		{ "-30", 0, 0, 0, 0, 0, 0 },
		{ "-30dd", 0, 0, 0, 0, 0, 0 },
		{ "--30d", 0, 0, 0, 0, 0, 0 },
		{ "- 3d", 0, 0, 0, 0, 0, 0 },
		{ "-3m", 0, 0, 0, 0, 0, 0 },
		{ "yesterday", 0, 0, 0, 0, 0, 0 },
	};
	time_t now = tap_local(2026, 11, 15, 10), t, want;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = 0;
		rc = graph_parse_when(cases[i].s, cases[i].end, now, &t);
		want = cases[i].y ? tap_local(cases[i].y, cases[i].m, cases[i].d, 0) :
		    now - cases[i].ago;
		if (!cases[i].ok)
			ok(rc == -1, "'%s' is refused", cases[i].s);
		else
			ok(rc == 0 && t == want, "'%s'%s: %lld (want %lld)", cases[i].s,
			    cases[i].end ? " as an end" : "", (long long)t, (long long)want);
	}
}

static void
test_metric_int(void)
{
	enum gf_graph_metric m = GF_METRIC_DEFAULT;
	int v = 0;

	ok(graph_parse_metric("pages", &m) == 0 && m == GF_METRIC_PAGES, "pages");
	ok(graph_parse_metric("color", &m) == 0 && m == GF_METRIC_COLOUR, "color is colour");
	ok(graph_parse_metric("ram", &m) == 0 && m == GF_METRIC_RAM, "ram");
	ok(graph_parse_metric("toner", &m) == -1, "toner is no metric (supplies is)");
	ok(graph_parse_metric("", &m) == -1, "empty metric");
	ok(graph_parse_int("800", 300, 4000, &v) == 0 && v == 800, "800");
	ok(graph_parse_int("299", 300, 4000, &v) == -1, "below the minimum");
	ok(graph_parse_int("4001", 300, 4000, &v) == -1, "above the maximum");
	ok(graph_parse_int("+800", 300, 4000, &v) == -1, "a sign");
	ok(graph_parse_int("800px", 300, 4000, &v) == -1, "a unit");
	ok(graph_parse_int("99999999999999999999", 1, 86400, &v) == -1, "overflow");
}

static void
test_check(void)
{
	struct gf_department depts[1];
	struct gf_device devs[2];
	struct gf_conf conf;
	struct gf_graph_req r;
	char err[256];

	memset(&conf, 0, sizeof(conf));
	memset(devs, 0, sizeof(devs));
	memset(depts, 0, sizeof(depts));
	depts[0].id = "compta";
	depts[0].name = "Compta";
	devs[0].id = "copieur";
	devs[0].kind = GF_KIND_PRINTER;
	devs[1].id = "pc1";
	devs[1].kind = GF_KIND_WORKSTATION;
	conf.path = "test.conf";
	conf.devices = devs;
	conf.ndevices = 2;
	conf.depts = depts;
	conf.ndepts = 1;

#define REQ(sc, id_, met) (memset(&r, 0, sizeof(r)), r.scope = (sc), r.id = (id_), \
	r.metric = (met), r.from = 1000, r.to = 2000, r.index = -1)
	REQ(GF_GRAPH_DEVICE, "copieur", GF_METRIC_DEFAULT);
	ok(graph_check(&conf, &r, err, sizeof(err)) == 0 && r.index == 0 &&
	    r.metric == GF_METRIC_PAGES, "a printer: pages by default");
	REQ(GF_GRAPH_DEVICE, "pc1", GF_METRIC_DEFAULT);
	ok(graph_check(&conf, &r, err, sizeof(err)) == 0 && r.index == 1 &&
	    r.metric == GF_METRIC_DISK, "a workstation: disk by default");
	REQ(GF_GRAPH_DEVICE, "pc1", GF_METRIC_SUPPLIES);
	ok(graph_check(&conf, &r, err, sizeof(err)) == -1 && strstr(err, "workstation"),
	    "no supplies on a workstation: %s", err);
	REQ(GF_GRAPH_DEVICE, "copieur", GF_METRIC_RAM);
	ok(graph_check(&conf, &r, err, sizeof(err)) == -1, "no RAM graph for a printer: %s", err);
	REQ(GF_GRAPH_DEVICE, "../copieur", GF_METRIC_DEFAULT);
	ok(graph_check(&conf, &r, err, sizeof(err)) == -1 && strstr(err, "no device"),
	    "an unsafe id: %s", err);
	REQ(GF_GRAPH_DEVICE, "compta", GF_METRIC_DEFAULT);
	ok(graph_check(&conf, &r, err, sizeof(err)) == -1, "a department id is no device id");
	REQ(GF_GRAPH_DEPARTMENT, "compta", GF_METRIC_DEFAULT);
	ok(graph_check(&conf, &r, err, sizeof(err)) == 0 && r.index == 0, "a department");
	REQ(GF_GRAPH_DEPARTMENT, "compta", GF_METRIC_DUPLEX);
	ok(graph_check(&conf, &r, err, sizeof(err)) == -1, "no duplex graph for a department");
	REQ(GF_GRAPH_FLEET, NULL, GF_METRIC_DEFAULT);
	ok(graph_check(&conf, &r, err, sizeof(err)) == 0 && r.metric == GF_METRIC_PAGES,
	    "the fleet");
	REQ(GF_GRAPH_FLEET, NULL, GF_METRIC_COLOUR);
	ok(graph_check(&conf, &r, err, sizeof(err)) == -1, "no colour graph for the fleet");
	REQ(GF_GRAPH_FLEET, NULL, GF_METRIC_DEFAULT);
	r.from = 2000;
	ok(graph_check(&conf, &r, err, sizeof(err)) == -1 && strstr(err, "before"),
	    "an empty range: %s", err);
}

int
main(void)
{
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	test_when();
	test_metric_int();
	test_check();
	return tap_done();
}
