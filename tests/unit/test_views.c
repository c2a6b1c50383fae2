/*
 * Unit tests: the views against a real SQLite state built through the store
 * API: a copier of a department with a monthly quota printed 1100 mono and
 * 150 colour pages in November 2026 (its split counters only: a total with
 * no meter state would count as mono too); the views must give the figures
 * the CLI prints (the same as tests/integration/quota_mail.sh).
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

#define DEC5	1796468400	/* 2026-12-05 12:00 in Europe/Paris */

static char dir[] = "/tmp/test_views.XXXXXX";

/* The configuration: one department with a quota, one printer in it. */
static struct gf_conf *
make_conf(void)
{
	return ut_conf(dir,
	    "departments = ( { id = \"etat-civil\"; name = \"=1+2 accueil\"; agents = 4;\n"
	    "  quota = { period = \"month\"; mono = 1000; colour = 100; thresholds = [ 80, 100 ]; }; } );\n"
	    "devices = ( { id = \"copieur\"; kind = \"printer\"; host = \"127.0.0.1\";"
	    " department = \"etat-civil\"; snmp = { version = \"2c\"; community = \"x\"; }; } );\n");
}

/*
 * November's pages, an audit event and a repair, written as the daemon and
 * the CLI do: the meter's step through store_meter_commit, the repair through
 * store_repair_log.
 */
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
	    store_repair_log(s, "copieur", "2026-11-02", "fuser", "+1 fuser", 1793606400) != 0) {
		fprintf(stderr, "the state cannot be written\n");
		exit(2);
	}
	store_close(s);
}

/* Row ROW's cell COL is WANT (NULL: unknown). */
static int
cell_is(const struct gf_rows *r, size_t row, const char *col, const char *want)
{
	const char *c = rows_cell(r, row, col);

	if (want == NULL || c == NULL)
		return want == c;
	return strcmp(c, want) == 0;
}

/* "total mono colour" of store_dept_pages, or "error". */
static const char *
dept_pages(struct gf_store *s, const char *day, int since)
{
	static char b[96];
	uint64_t p[3];

	if (store_dept_pages(s, "etat-civil", day, since, p) != 0)
		return "error";
	snprintf(b, sizeof(b), "%llu %llu %llu", (unsigned long long)p[0],
	    (unsigned long long)p[1], (unsigned long long)p[2]);
	return b;
}

/* The department's pages split at a day: the days before it, and from it on. */
static void
test_dept_pages(struct gf_store *s)
{
	ok(strcmp(dept_pages(s, "2026-11-02", 0), "0 0 0") == 0, "dept pages before 2026-11-02: "
	    "none (%s)", dept_pages(s, "2026-11-02", 0));
	ok(strcmp(dept_pages(s, "2026-11-02", 1), "0 1100 150") == 0, "from 2026-11-02 on: "
	    "November's 1100 mono, 150 colour (%s)", dept_pages(s, "2026-11-02", 1));
	ok(strcmp(dept_pages(s, "2026-11-03", 0), "0 1100 150") == 0, "before 2026-11-03: the same");
	ok(strcmp(dept_pages(s, "2026-11-03", 1), "0 0 0") == 0, "from 2026-11-03 on: none");
}

static void
test_quota(struct gf_store *s, const struct gf_conf *c)
{
	struct gf_rows r;

	ok(view_quota(s, c, "2026-11", DEC5, &r) == 0 && r.nrows == 1, "quota: one department");
	ok(cell_is(&r, 0, "used_mono", "1100") && cell_is(&r, 0, "used_colour", "150"),
	    "quota: 1100 mono, 150 colour");
	ok(cell_is(&r, 0, "percent", "150") && cell_is(&r, 0, "state", "over"), "quota: 150 %%, over");
	ok(cell_is(&r, 0, "budget", NULL) && cell_is(&r, 0, "limit_mono", "1000"),
	    "quota: no budget is unknown, the limits are given");
	ok(cell_is(&r, 0, "period", "2026-11") && cell_is(&r, 0, "notified", "0"),
	    "quota: the period, nothing notified");
	rows_free(&r);
	ok(view_quota(s, c, "2026-13", DEC5, &r) == -2, "quota: 2026-13 is no period");
	rows_free(&r);
	ok(view_quota_pct(s, c, "etat-civil", 1793606400, DEC5) == 150, "quota_pct: 150");
	ok(view_quota_pct(s, c, "nope", 1793606400, DEC5) == -1, "quota_pct: no such department");
}

static void
test_report(struct gf_store *s, const struct gf_conf *c)
{
	struct gf_rows r;
	size_t i;
	int pages = 0;

	ok(view_report(s, c, "2026-11-01", "2026-11-30", 0, DEC5, &r) == 0 && r.nrows == 1,
	    "report: one department");
	ok(cell_is(&r, 0, "impressions", NULL) && cell_is(&r, 0, "mono", "1100") &&
	    cell_is(&r, 0, "colour", "150") && cell_is(&r, 0, "device", NULL),
	    "report: the pages, no total counted");
	ok(cell_is(&r, 0, "colour_share", "12.0") && cell_is(&r, 0, "quota_pct", "150"),
	    "report: colour share, quota use");
	ok(cell_is(&r, 0, "department_name", "=1+2 accueil"), "report: the name as written");
	rows_free(&r);
	ok(view_report(s, c, "2026-11-01", "2026-11-30", 1, DEC5, &r) == 0 &&
	    cell_is(&r, 0, "device", "copieur") && cell_is(&r, 0, "quota_pct", NULL),
	    "report by device: the device, no quota use");
	rows_free(&r);
	ok(view_sustain(s, c, 2026, DEC5, &r) == 0, "sustain: computed");
	for (i = 0; i < r.nrows; i++)
		if (cell_is(&r, i, "key", "etat-civil") && cell_is(&r, i, "metric", "colour_share_pct"))
			pages = cell_is(&r, i, "value", "12.0");
	ok(pages, "sustain: 150 colour pages of 1250");
	rows_free(&r);
	view_factors(c, &r);
	ok(r.nrows == 9 && cell_is(&r, 0, "factor_set", "ADEME/Arcep 2022"), "factors: 9, the set named");
	rows_free(&r);
}

static void
test_devices(struct gf_store *s, const struct gf_conf *c)
{
	struct gf_rows r;

	ok(view_status(s, c, &r) == 0 && r.nrows == 1 && cell_is(&r, 0, "state", "never") &&
	    cell_is(&r, 0, "pages", NULL) && cell_is(&r, 0, "last_poll", "0"),
	    "status: never polled, pages unknown");
	rows_free(&r);
	ok(view_audit(s, "copieur", &r) == 0 && r.nrows == 1 && cell_is(&r, 0, "event", "baseline") &&
	    cell_is(&r, 0, "new", "10500") && cell_is(&r, 0, "time", "1793606400"),
	    "audit: the baseline");
	rows_free(&r);
	ok(view_repairs(s, NULL, &r) == 0 && r.nrows == 1 && cell_is(&r, 0, "part", "fuser") &&
	    cell_is(&r, 0, "text", "+1 fuser"), "repairs: the one logged");
	rows_free(&r);
	ok(view_counters(s, "copieur", &r) == 0 && r.nrows == 0, "counters: none read yet");
	rows_free(&r);
	ok(view_fleet(s, c, DEC5, &r) == 0 && r.nrows == 1 && cell_is(&r, 0, "device", "copieur"),
	    "fleet: one device");
	rows_free(&r);
}

int
main(void)
{
	struct gf_conf *c;
	struct gf_store *s;

	ut_setup(dir);
	c = make_conf();
	make_state(c);
	if ((s = store_open(c, GF_STORE_RO)) == NULL)
		return 2;
	test_quota(s, c);
	test_report(s, c);
	test_devices(s, c);
	test_dept_pages(s);
	store_close(s);
	conf_free(c);
	ut_cleanup(dir);
	return tap_done();
}
