/* What graph and export accept from the command line: times, metrics, sizes, ids. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>

#include "graph.h"
#include "rrdw.h"
#include "tap.h"
#include "util.h"

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

static void
test_step(void)
{
	static const struct { long span; int base, width, want; } cases[] = {
		{ 3600, 10, 800, 10 },		/* the last hour: every poll of the demo */
		{ 3600, 300, 800, 300 },
		{ 3600, 10, 300, 300 },		/* 200 pixels: no more rows than pixels */
		{ 3 * 3600, 10, 800, 300 },
		{ 7000, 10, 800, 10 },
		{ 3 * 3600 + 1, 10, 800, 3600 },
		{ 86400, 10, 800, 3600 },	/* the last day: per hour */
		{ 86400, 300, 800, 3600 },
		{ 3 * 86400, 300, 800, 3600 },
		{ 3 * 86400 + 1, 300, 800, 86400 },
		{ 7 * 86400, 10, 800, 86400 },	/* a week, a month, a year: per day */
		{ 31 * 86400, 300, 800, 86400 },
		{ 366 * 86400, 300, 800, 86400 },
		{ 3600, 7200, 800, 7200 },	/* a file coarser than the row never gets finer rows */
		{ 86400, 7200, 800, 7200 },
		{ 3600, 0, 800, 300 },		/* step unknown: the default interval */
	};
	size_t i;
	int got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = graph_step(cases[i].span, cases[i].base, cases[i].width);
		ok(got == cases[i].want, "%ld s from a %d s file, %d px: rows of %d s (want %d)",
		    cases[i].span, cases[i].base, cases[i].width, got, cases[i].want);
	}
}

#define T0 1763251170L		/* 2025-11-15 23:59:30 UTC: straddles an hour and a day */

/*
 * DIR/rrd/copieur.rrd as greenfleetd makes it for a printer polled every 10
 * s: 7 polls from T0, 15 mono and 3 colour pages between two, then one 5 s
 * later with 8 mono and 1 colour page more, in no row until T0 + 70. -1 on failure.
 */
static int
make_rrd(const char *dir)
{
	char buf[32][64], path[512], upd[8][64];
	const char *argv[32], *uv[8];
	int n, i;

	snprintf(path, sizeof(path), "%s/rrd", dir);
	if (mkdir(path, 0700) != 0 || gf_rrd_path(path, sizeof(path), dir, "copieur") != 0 ||
	    (n = rrdw_schema(GF_KIND_PRINTER, 10, NULL, NULL, buf, 32)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		argv[i] = buf[i];
	if (rrd_create_r(path, 10, T0 - 1, n, argv) != 0)
		return -1;
	/* total:mono:colour:duplex:toner:status, in the file's order (rrdw_schema's). */
	for (i = 0; i < 7; i++) {
		snprintf(upd[i], sizeof(upd[i]), "%ld:%d:%d:%d:0:80:3", T0 + 10L * i, 1000 + 18 * i,
		    800 + 15 * i, 200 + 3 * i);
		uv[i] = upd[i];
	}
	snprintf(upd[7], sizeof(upd[7]), "%ld:%d:%d:%d:0:80:3", T0 + 65, 1000 + 18 * 6 + 9,
	    800 + 15 * 6 + 8, 200 + 3 * 6 + 1);
	uv[7] = upd[7];
	return rrd_update_r(path, NULL, 8, uv);
}

/* The whole file at PATH into *BUF (freed by the caller); its length, or -1. */
static long
slurp(const char *path, char **buf)
{
	FILE *f = fopen(path, "rb");
	long n = -1;

	*buf = NULL;
	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		*buf = malloc((size_t)n);
		if (*buf == NULL || fread(*buf, 1, (size_t)n, f) != (size_t)n)
			n = -1;
	}
	fclose(f);
	return n;
}

/*
 * In a child (cairo numbers the SVG surfaces of a process in sequence: each
 * side draws first in its own), R as FMT into FILE: through graph_render and
 * fwrite when MEM, else graph_draw. The exit status: 0 if written.
 */
static int
child_draw(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    const char *file, int mem)
{
	char err[512] = "", *buf = NULL;
	size_t len = 0;
	pid_t pid;
	FILE *f;
	int st;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (!mem)
			_exit(graph_draw(conf, r, fmt, file, err, sizeof(err)) == 0 ? 0 : 1);
		if (graph_render(conf, r, fmt, &buf, &len, err, sizeof(err)) != 0 ||
		    (f = fopen(file, "wb")) == NULL)
			_exit(1);
		_exit(fwrite(buf, 1, len, f) == len && fclose(f) == 0 ? 0 : 1);
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* R drawn as FMT in memory: starts with MAGIC and equals what graph_draw writes to a file. */
static void
check_render(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    const char *magic, const char *dir, const char *ext)
{
	char mfile[600], dfile[600], *mem = NULL, *disk = NULL;
	long mlen, dlen;

	snprintf(mfile, sizeof(mfile), "%s/mem.%s", dir, ext);
	snprintf(dfile, sizeof(dfile), "%s/draw.%s", dir, ext);
	ok(child_draw(conf, r, fmt, mfile, 1) == 0 && child_draw(conf, r, fmt, dfile, 0) == 0,
	    "%s drawn in memory and to a file", ext);
	mlen = slurp(mfile, &mem);
	dlen = slurp(dfile, &disk);
	ok(mlen > (long)strlen(magic) && memcmp(mem, magic, strlen(magic)) == 0,
	    "%s in memory: %ld bytes starting with its magic", ext, mlen);
	ok(mlen > 0 && dlen == mlen && memcmp(mem, disk, (size_t)mlen) == 0,
	    "%s: the file holds the same %ld bytes", ext, dlen);
	free(mem);
	free(disk);
}

/* R as rrd_graph's JSON (the legend as text): whether it holds each of the NULL-ended WANT. */
static int
json_has(const struct gf_conf *conf, const struct gf_graph_req *r, const char *const *want,
    const char *what)
{
	char err[512] = "", *mem = NULL;
	size_t len = 0;
	int good;

	if (graph_render(conf, r, GF_IMG_JSON, &mem, &len, err, sizeof(err)) != 0)
		return ok(0, "%s: %s", what, err);
	mem = realloc(mem, len + 1);
	mem[len] = '\0';
	good = strstr(mem, "nan") == NULL;
	for (; good && *want != NULL; want++)
		good = strstr(mem, *want) != NULL;
	if (!good)
		tap_diag("%s", mem);
	free(mem);
	return ok(good, "%s: %s, no nan", what, want[-1] ? want[-1] : "");
}

static void
test_render(void)
{
	static const char *const pages[] = { "\"step\": 10,", "       98 pages", "       19 pages",
		"        0 pages", NULL };
	static const char *const hours[] = { "\"step\": 3600,", "       98 pages",
		"       19 pages", NULL };
	static const char *const days[] = { "\"step\": 86400,", "       98 pages",
		"       19 pages", NULL };
	static const char *const none[] = { "  no data yet", NULL };
	static const char *const gauge[] = { "last  80 %", "min  80 %", NULL };
	char dir[] = "/tmp/test_graph.XXXXXX", file[600];
	struct gf_device dev;
	struct gf_conf conf;
	struct gf_graph_req r = { GF_GRAPH_DEVICE, "copieur", GF_METRIC_PAGES, T0 + 70 - 3600,
		T0 + 70, GF_GRAPH_WIDTH, GF_GRAPH_HEIGHT, 0, 0 };

	if (mkdtemp(dir) == NULL || make_rrd(dir) != 0) {
		ok(0, "an RRD file with a 10-second series: %s", rrd_get_error());
		return;
	}
	memset(&conf, 0, sizeof(conf));
	memset(&dev, 0, sizeof(dev));
	dev.id = "copieur";
	dev.kind = GF_KIND_PRINTER;
	conf.path = "test.conf";
	conf.data_dir = dir;
	conf.interval = 10;
	conf.smtp.language = "en";
	conf.devices = &dev;
	conf.ndevices = 1;
	/* First: a child forked after pango has started may wait forever on its locks. */
	check_render(&conf, &r, GF_IMG_PNG, "\x89PNG\r\n\x1a\n", dir, "png");
	check_render(&conf, &r, GF_IMG_SVG, "<?xml", dir, "svg");
	json_has(&conf, &r, pages, "the last hour: the 10-second rows, 98 + 19 pages");
	/* The hour and the day before T0 + 30 are partial, the next ones still open. */
	r.from = T0 + 70 - 86400;
	json_has(&conf, &r, hours, "the last day: per hour, the partial hours too");
	r.from = T0 + 70 - 30 * 86400;
	json_has(&conf, &r, days, "the last 30 days: per day, the partial days too");
	r.from = T0 + 70 - 366 * 86400;
	json_has(&conf, &r, days, "the last year");
	r.from = T0 - 10 * 86400;
	r.to = T0 - 9 * 86400;
	json_has(&conf, &r, none, "a day before the first poll: no data yet");
	r.metric = GF_METRIC_SUPPLIES;
	json_has(&conf, &r, none, "no toner level yet");
	r.from = T0 + 70 - 3600;
	r.to = T0 + 70;
	json_has(&conf, &r, gauge, "the toner level");
	rrd_clear_error();
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	if (system(file) != 0)
		tap_diag("could not remove %s", dir);
}

int
main(void)
{
	alarm(300);	/* a child stuck on a lock fails the test instead of hanging it */
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	test_when();
	test_metric_int();
	test_check();
	test_step();
	setenv("TZ", "UTC", 1);
	tzset();
	test_render();
	return tap_done();
}
