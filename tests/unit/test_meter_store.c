/*
 * Metering against a real store: a device whose answer did not change is
 * metered from the meter's memo, without reading the store. The memo must
 * give exactly what the store gives. Each scenario runs twice: through one
 * store kept open (the daemon: the memo is used) and through a store opened
 * afresh for every reading (no memo). Every result and, at the end, the
 * meter, ledger and audit tables must be the same.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "counter.h"
#include "meter.h"
#include "store.h"
#include "tap.h"

#define C32	(1ULL << 32)
#define T0	1800000000

/* One poll's answer: the counters present (value, or 0 for absent) and the serial. */
struct answer {
	uint64_t total, mono, colour;	/* 0: absent */
	int pwg;			/* mono and colour from the PWG MIB, total their sum */
	const char *serial;
	int expect_memo;		/* the kept store should have a memo after this one */
};

static void
counter(struct gf_reading *r, int i, uint64_t v, int src)
{
	if (v == 0)
		return;
	r->counters[i].present = 1;
	r->counters[i].value = v;
	r->counters[i].src = src;
	r->counters[i].modulus = C32;
	r->counters[i].unit = GF_UNIT_IMPRESSIONS;
	snprintf(r->counters[i].origin, sizeof(r->counters[i].origin), "test");
	r->ncounters++;
}

static void
make_reading(struct gf_reading *r, const struct answer *a, time_t when)
{
	reading_init(r, when);
	r->reachable = 1;
	snprintf(r->serial, sizeof(r->serial), "%s", a->serial);
	snprintf(r->sys_object_id, sizeof(r->sys_object_id), "1.3.6.1.4.1.11.1");
	if (a->pwg) {
		counter(r, GF_C_MONO, a->mono, GF_SRC_PWG);
		counter(r, GF_C_COLOUR, a->colour, GF_SRC_PWG);
		counter(r, GF_C_TOTAL, a->mono + a->colour, GF_SRC_DERIVED);
	} else {
		counter(r, GF_C_TOTAL, a->total, GF_SRC_PRTMIB);
	}
}

/* The store of state.db in DIR, as a config with only data_dir set opens it. */
static struct gf_store *
open_dir(const char *dir)
{
	struct gf_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.data_dir = (char *)dir;
	return store_open(&conf, 0);
}

/* Meters and records R as the daemon does: the meter first, then the state row; MM may be NULL. */
static int
poll_once(struct gf_store *s, struct gf_store_memo *mm, const struct gf_device *d,
    const struct gf_reading *r, struct gf_metered *m)
{
	if (store_meter_reading(s, mm, d, "urbanisme", r, m) != 0 ||
	    store_put_reading(s, d, "urbanisme", r, mm) != 0) {
		store_abort(s);
		return -1;
	}
	return store_commit(s);
}

/* The rows of one table, as text, for comparing two databases. */
static char *
dump(const char *dir, const char *sql)
{
	char path[512], *out;
	size_t len = 0, cap = 4096;
	sqlite3 *db;
	sqlite3_stmt *st;
	int i;

	snprintf(path, sizeof(path), "%s/state.db", dir);
	out = calloc(1, cap);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, cap, "error: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			size_t n = strlen(t ? (const char *)t : "NULL") + 2;

			if (len + n + 1 > cap)
				out = realloc(out, cap = 2 * (len + n + 1));
			len += (size_t)snprintf(out + len, cap - len, "%s%c",
			    t ? (const char *)t : "NULL", i + 1 < sqlite3_column_count(st) ? ' ' : '\n');
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

/* The printer every scenario polls: id "p", 300 pages a minute at most. */
static void
printer(struct gf_device *d)
{
	memset(d, 0, sizeof(*d));
	d->id = "p";
	d->kind = GF_KIND_PRINTER;
	d->max_ppm = 300;
}

static int
same_result(const struct gf_metered *a, const struct gf_metered *b)
{
	int i;

	for (i = 0; i < GF_NCOUNTERS; i++)
		if (a->have[i] != b->have[i] || a->pages[i] != b->pages[i] ||
		    a->odometer[i] != b->odometer[i])
			return 0;
	return 1;
}

static void
run(const char *name, const struct answer *ans, int n)
{
	static const char *const tables[] = {
		"SELECT device, counter, src, value, last, seen, odometer, suspect FROM meter ORDER BY 1, 2",
		"SELECT day, device, counter, department, pages FROM ledger ORDER BY 1, 2, 3",
		"SELECT time, device, counter, event, old, new, detail FROM audit ORDER BY 1, 2, 3, 4",
		"SELECT device, serial, sys_object_id FROM meter_ident",
	};
	char warm_dir[] = "/tmp/gf-meter-warm.XXXXXX", cold_dir[] = "/tmp/gf-meter-cold.XXXXXX";
	char cmd[128], *a, *b;
	struct gf_device d;
	struct gf_reading r;
	struct gf_metered mw, mc;
	struct gf_store *warm, *cold;
	struct gf_store_memo wm;
	int i, ok = 1, memo_ok = 1;
	size_t t;

	printer(&d);
	memset(&wm, 0, sizeof(wm));
	if (mkdtemp(warm_dir) == NULL || mkdtemp(cold_dir) == NULL ||
	    (warm = open_dir(warm_dir)) == NULL) {
		tap_ok(0, "%s: temp stores", name);
		return;
	}
	for (i = 0; i < n; i++) {
		make_reading(&r, &ans[i], T0 + 60 * i);
		if ((cold = open_dir(cold_dir)) == NULL ||
		    poll_once(warm, &wm, &d, &r, &mw) != 0 || poll_once(cold, NULL, &d, &r, &mc) != 0) {
			tap_ok(0, "%s: poll %d stored", name, i);
			return;
		}
		store_close(cold);
		if (!same_result(&mw, &mc)) {
			tap_diag("%s: poll %d: kept store counted %llu total pages, fresh store %llu",
			    name, i, (unsigned long long)mw.pages[GF_C_TOTAL],
			    (unsigned long long)mc.pages[GF_C_TOTAL]);
			ok = 0;
		}
		if ((store_memo_meter(warm, &wm) != NULL) != ans[i].expect_memo) {
			tap_diag("%s: poll %d: memo %s", name, i, ans[i].expect_memo ? "missing" : "kept");
			memo_ok = 0;
		}
	}
	tap_ok(ok, "%s: every poll metered the same with and without the memo", name);
	tap_ok(memo_ok, "%s: a memo after exactly the polls that leave the counters still", name);
	store_memo_clear(&wm);
	store_close(warm);
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		a = dump(warm_dir, tables[t]);
		b = dump(cold_dir, tables[t]);
		if (!tap_ok(strcmp(a, b) == 0, "%s: same rows: %.40s", name, tables[t]))
			tap_diag("kept store:\n%s# fresh store:\n%s", a, b);
		free(a);
		free(b);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", warm_dir, cold_dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s and %s", warm_dir, cold_dir);
}

/* The memo is dropped with the batch it was made in. */
static void
test_rollback(void)
{
	char dir[] = "/tmp/gf-meter-abort.XXXXXX", cmd[64], *rows;
	static const struct answer a = { 500, 0, 0, 0, "S1", 1 };
	struct gf_device d;
	struct gf_reading r;
	struct gf_metered m;
	struct gf_store_memo mm;
	struct gf_store *s;

	printer(&d);
	memset(&mm, 0, sizeof(mm));
	if (mkdtemp(dir) == NULL || (s = open_dir(dir)) == NULL) {
		tap_ok(0, "rollback: temp store");
		return;
	}
	make_reading(&r, &a, T0);
	tap_ok(store_meter_reading(s, &mm, &d, "urbanisme", &r, &m) == 0 &&
	    store_memo_meter(s, &mm) != NULL,
	    "rollback: the baseline leaves a memo in the open batch");
	store_abort(s);
	tap_ok(store_memo_meter(s, &mm) == NULL, "rollback: the memo goes with the batch");
	make_reading(&r, &a, T0 + 60);
	tap_ok(store_meter_reading(s, &mm, &d, "urbanisme", &r, &m) == 0 && store_commit(s) == 0,
	    "rollback: the next poll is metered");
	store_memo_clear(&mm);
	store_close(s);
	rows = dump(dir, "SELECT event, new FROM audit");
	tap_ok(strcmp(rows, "baseline 500\n") == 0,
	    "rollback: the baseline is taken again, once: %s", rows);
	free(rows);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
}

int
main(void)
{
	/* Printer-MIB total only: idle, pages, garbage then confirmed, a swap, a reset, a wrap. */
	static const struct answer lifecount[] = {
		{ 1000, 0, 0, 0, "S1", 1 },		/* baseline */
		{ 1000, 0, 0, 0, "S1", 1 },		/* idle: from the memo */
		{ 1000, 0, 0, 0, "S1", 1 },
		{ 1010, 0, 0, 0, "S1", 1 },		/* 10 pages */
		{ 1010, 0, 0, 0, "S1", 1 },
		{ 900000, 0, 0, 0, "S1", 0 },		/* garbage: held as suspect */
		{ 900000, 0, 0, 0, "S1", 1 },		/* confirmed: the new baseline */
		{ 900005, 0, 0, 0, "S1", 1 },
		{ 900005, 0, 0, 0, "S2", 1 },		/* another serial: a swap */
		{ 900005, 0, 0, 0, "S2", 1 },
		{ 3, 0, 0, 0, "S2", 1 },		/* reset */
		{ 3, 0, 0, 0, "S2", 1 },
		{ 4294967290ULL, 0, 0, 0, "S2", 0 },	/* garbage again */
		{ 7, 0, 0, 0, "S2", 1 },		/* plausible after 3: counted */
		{ 7, 0, 0, 0, "", 1 },			/* no serial this time: not a swap */
		{ 7, 0, 0, 0, "", 1 },
		{ 7, 0, 0, 0, "S2", 1 },
	};
	/* PWG mono and colour with total as their sum (derived). */
	static const struct answer pwg[] = {
		{ 0, 200, 50, 1, "K1", 1 },
		{ 0, 200, 50, 1, "K1", 1 },
		{ 0, 203, 50, 1, "K1", 1 },		/* 3 mono */
		{ 0, 203, 50, 1, "K1", 1 },
		{ 0, 203, 58, 1, "K1", 1 },		/* 8 colour */
		{ 0, 203, 58, 1, "K1", 1 },
		{ 0, 203, 0, 1, "K1", 1 },		/* colour no longer answered */
		{ 0, 203, 0, 1, "K1", 1 },
		{ 0, 204, 58, 1, "K1", 1 },		/* back */
		{ 0, 204, 58, 1, "K1", 1 },
	};

	setenv("TZ", "Europe/Paris", 1);
	run("lifecount", lifecount, (int)(sizeof(lifecount) / sizeof(lifecount[0])));
	run("pwg", pwg, (int)(sizeof(pwg) / sizeof(pwg[0])));
	test_rollback();
	return tap_done();
}
