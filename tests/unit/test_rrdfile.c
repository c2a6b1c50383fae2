/*
 * The native RRD updater against librrd itself: two copies of one file, the
 * same updates given to rrd_update_r on one and to rrdfile_update on the
 * other, and after every call the two files must be the same byte for byte
 * and both calls must succeed or fail together. Random sequences (seeded,
 * so a failure is reproducible) cover steps within one PDP, on boundaries,
 * gaps past the heartbeat and past a whole archive, unknowns, counter
 * resets and wraps, negative and out-of-range rates, batches of samples and
 * stale times, on greenfleet's own layouts and on a small file of every
 * source type and consolidation function we take. Then what it must leave
 * to librrd (returns 1, file untouched) and the errors it reports itself.
 * Last, the check of a header before librrd sees a file: one sound file
 * damaged in each field librrd trusts, and the exact reason given.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>

#include "rrdfile.h"
#include "rrdw.h"
#include "tap.h"

#define T0 1800000000L

static char dir[] = "/tmp/gf-rrdfile-XXXXXX";
static uint64_t rng = 88172645463325252ULL;	/* GF_TEST_SEED sets another */

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A number in [0, n). */
static long
pick(long n)
{
	return (long)(next() % (uint64_t)n);
}

/* The whole file; *LEN its size. NULL if unreadable. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	*len = buf && read(fd, buf, (size_t)st.st_size) == st.st_size ? (size_t)st.st_size : 0;
	close(fd);
	return buf;
}

/* Tells the two 8-byte words at AT (rounded down), where files A and B differ. */
static void
show_words(const char *a, const char *b, long at)
{
	size_t la = 0, lb = 0;
	unsigned char *x = slurp(a, &la), *y = slurp(b, &lb);
	long o = at - at % 8;
	double u, v;

	if (x && y && at >= 0 && (size_t)o + 8 <= la && (size_t)o + 8 <= lb) {
		memcpy(&u, x + o, 8);
		memcpy(&v, y + o, 8);
		tap_diag("word at %ld: librrd %.17g, native %.17g", o, u, v);
	}
	free(x);
	free(y);
}

/* Whether the two files are the same; if not, where they first differ in *AT. */
static int
same_files(const char *a, const char *b, long *at)
{
	size_t la = 0, lb = 0, i;
	unsigned char *ba = slurp(a, &la), *bb = slurp(b, &lb);
	int same = ba && bb && la == lb && la > 0 && memcmp(ba, bb, la) == 0;

	*at = -1;
	for (i = 0; !same && ba && bb && i < la && i < lb; i++)
		if (ba[i] != bb[i]) {
			*at = (long)i;
			break;
		}
	free(ba);
	free(bb);
	return same;
}

static int
copy_file(const char *from, const char *to)
{
	size_t len = 0;
	unsigned char *buf = slurp(from, &len);
	FILE *f = fopen(to, "wb");
	int rc = buf && f && len > 0 && fwrite(buf, 1, len, f) == len ? 0 : -1;

	if (f != NULL && fclose(f) != 0)
		rc = -1;
	free(buf);
	return rc;
}

/* Creates NAME.a with DEFS (step STEP, last update T0) and its copy NAME.b. */
static int
make_pair(const char *name, unsigned long step, int n, const char **defs, char *a, char *b)
{
	snprintf(a, 256, "%s/%s.a", dir, name);
	snprintf(b, 256, "%s/%s.b", dir, name);
	rrd_clear_error();
	if (rrd_create_r(a, step, T0, n, defs) != 0) {
		tap_diag("rrd_create %s: %s", name, rrd_get_error());
		return -1;
	}
	return copy_file(a, b);
}

/* How a source's next value is made. */
struct src {
	char kind;	/* 'g' gauge, 'c' counter, 'd' derive that may go negative */
	long long v;
};

/* Appends ":V" for source S, which moves on by a random amount (or is unknown). */
static void
add_value(char *buf, size_t sz, struct src *s)
{
	size_t n = strlen(buf);
	long r = pick(100);

	if (r < 8) {
		snprintf(buf + n, sz - n, ":U");
		return;
	}
	if (s->kind == 'g')
		s->v = pick(160) - 20;				/* out of 0..100 at times */
	else if (r < 12)
		s->v = pick(50);				/* reset */
	else if (r < 14)
		s->v += 4294967000LL + pick(1000);		/* a jump past 2^32 */
	else if (s->kind == 'd' && r < 20)
		s->v = -s->v - pick(100);			/* sign change */
	else
		s->v += pick(r < 90 ? 40 : 5000);
	snprintf(buf + n, sz - n, ":%lld", s->v);
}

/* The next time: within the PDP, on a boundary, a few steps on, or a long gap. */
static long
next_time(long t, unsigned long step, long gap)
{
	long r = pick(100);

	if (r < 30)
		return t + 1 + pick((long)step / 2 + 1);
	if (r < 60)
		return t - t % (long)step + (long)step;
	if (r < 90)
		return t + 1 + pick(3 * (long)step);
	if (r < 97)
		return t + (long)step * (2 + pick(6));
	return t + gap + pick(gap);
}

/* Whether librrd's error about A and ours about B say the same, paths aside. */
static int
same_error(const char *lib, const char *a, const char *nat, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return strncmp(lib, a, la) == 0 && strncmp(nat, b, lb) == 0 &&
	    strcmp(lib + la, nat + lb) == 0;
}

/*
 * Runs N random calls on the pair; returns the number of mismatches (it
 * stops at the first, telling where). Counts how the calls went in *STATS:
 * [0] succeeded, [1] refused by both (stale time).
 */
static int
differential(const char *a, const char *b, struct src *srcs, int nsrc, unsigned long step,
    long gap, int n, int stats[2])
{
	char vals[4][512], err[512];
	const char *argv[4];
	long t = T0, at;
	int i, k, m, rl, rn;

	for (i = 0; i < n; i++) {
		m = pick(10) == 0 ? 2 + (int)pick(3) : 1;
		for (k = 0; k < m; k++) {
			/* Now and then a time that is not later: both must refuse it. */
			t = pick(60) == 0 ? t - pick(2) : next_time(t, step, gap);
			snprintf(vals[k], sizeof(vals[k]), "%ld", t);
			for (int s = 0; s < nsrc; s++)
				add_value(vals[k], sizeof(vals[k]), &srcs[s]);
			argv[k] = vals[k];
		}
		rrd_clear_error();
		rl = rrd_update_r(a, NULL, m, argv);
		err[0] = '\0';
		rn = rrdfile_update(b, m, argv, err, sizeof(err));
		if (rn == 1 || (rl == 0) != (rn == 0) ||
		    (rl != 0 && !same_error(rrd_get_error(), a, err, b)) || !same_files(a, b, &at)) {
			tap_diag("call %d (%d samples, first \"%s\"): librrd %d \"%s\", native %d "
			    "\"%s\", files differ at byte %ld", i, m, argv[0], rl,
			    rl ? rrd_get_error() : "", rn, err, at);
			show_words(a, b, at);
			return 1;
		}
		stats[rl != 0]++;
		if (rl != 0) {	/* after a refusal, go on from the file's own time */
			time_t last = 0;
			unsigned long cnt = 0;
			char **names, **v;

			if (rrd_lastupdate_r(a, &last, &cnt, &names, &v) == 0) {
				for (unsigned long j = 0; j < cnt; j++) {
					rrd_freemem(names[j]);
					rrd_freemem(v[j]);
				}
				rrd_freemem(names);
				rrd_freemem(v);
			}
			t = (long)last;
		}
	}
	return 0;
}

static void
test_small(void)
{
	static const char *defs[] = {
		"DS:g:GAUGE:25:0:100", "DS:d:DERIVE:25:0:U", "DS:c:COUNTER:40:U:U",
		"DS:a:ABSOLUTE:25:U:1000", "DS:n:DERIVE:15:U:U", "DS:h:GAUGE:600:U:U",
		"RRA:AVERAGE:0.5:1:7", "RRA:AVERAGE:0.5:3:5", "RRA:MIN:0.5:2:4",
		"RRA:MAX:0.3:4:6", "RRA:LAST:0.9:5:3", "RRA:AVERAGE:0:1:13",
		"RRA:AVERAGE:0.99:7:3", "RRA:MAX:0.5:1:2" };
	struct src srcs[] = { { 'g', 0 }, { 'c', 0 }, { 'c', 0 }, { 'c', 0 }, { 'd', 0 },
		{ 'g', 0 } };
	char a[256], b[256];
	int stats[2] = { 0, 0 };

	if (!tap_ok(make_pair("small", 10, 14, defs, a, b) == 0, "small file created"))
		return;
	tap_ok(differential(a, b, srcs, 6, 10, 200, 6000, stats) == 0,
	    "small file, every source type and CF: 6000 calls byte-identical to librrd");
	tap_ok(stats[0] > 5000 && stats[1] > 50, "  %d calls written, %d refused by both",
	    stats[0], stats[1]);
}

/* A file of greenfleet's own layout, as rrdw makes it for KIND at STEP. */
static void
test_layout(const char *name, enum gf_kind kind, unsigned long step, int n)
{
	char buf[32][64], a[256], b[256];
	const char *defs[32];
	struct src srcs[32];
	int stats[2] = { 0, 0 }, ndefs, nds = 0, i;
	int have[GF_NCOUNTERS] = { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0 };

	ndefs = rrdw_schema(kind, (int)step, NULL, have, buf, 32);
	for (i = 0; i < ndefs; i++) {
		defs[i] = buf[i];
		if (strncmp(buf[i], "DS:", 3) == 0)
			srcs[nds++] = (struct src){ strstr(buf[i], "GAUGE") ? 'g' : 'c', 0 };
	}
	if (!tap_ok(make_pair(name, step, ndefs, defs, a, b) == 0, "%s file created", name))
		return;
	tap_ok(differential(a, b, srcs, nds, step, 3 * 86400, n, stats) == 0,
	    "%s layout (%d sources, step %lu): %d calls byte-identical to librrd", name, nds,
	    step, n);
	tap_ok(stats[0] > n * 8 / 10, "  %d calls written, %d refused by both", stats[0],
	    stats[1]);
}

/* Updates this updater leaves to librrd: 1 returned and the file untouched. */
static void
test_declined(void)
{
	static const char *defs[] = { "DS:c:COUNTER:40:U:U", "DS:g:GAUGE:40:U:U",
		"RRA:AVERAGE:0.5:1:10" };
	static const char *hw[] = { "DS:g:GAUGE:40:U:U", "RRA:AVERAGE:0.5:1:10",
		"RRA:HWPREDICT:20:0.1:0.0035:5" };
	static const char *const bad[] = { "N:1:2", "1800000020.5:1:2", "1800000020:1.5:2",
		"1800000020:1:2e3", "1800000020:1", "1800000020:1:2:3", "1800000020:-1:2",
		"1800000020:1:", "-20:1:2", "1800000020:1234567890123456:2", "x:1:2" };
	char a[256], b[256], err[256], path[256];
	const char *argv[2];
	long at;
	size_t i;
	int rc, fd;

	if (!tap_ok(make_pair("declined", 10, 3, defs, a, b) == 0, "file created"))
		return;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		argv[0] = bad[i];
		rc = rrdfile_update(b, 1, argv, err, sizeof(err));
		tap_ok(rc == 1 && same_files(a, b, &at), "\"%s\" left to librrd, file untouched",
		    bad[i]);
	}
	/* A batch with one such sample is left whole, even the good ones before it. */
	argv[0] = "1800000020:1:2";
	argv[1] = "1800000030:1.5:2";
	tap_ok(rrdfile_update(b, 2, argv, err, sizeof(err)) == 1 && same_files(a, b, &at),
	    "a batch with one sample it cannot take is left whole to librrd");

	/* Holt-Winters archives refer to one another: not ours, and not handed to librrd. */
	if (tap_ok(make_pair("hw", 10, 3, hw, a, b) == 0, "Holt-Winters file created")) {
		argv[0] = "1800000020:5";
		rc = rrdfile_update(b, 1, argv, err, sizeof(err));
		tap_ok(rc == 2 && same_files(a, b, &at) && strcmp(err, "archive 1 has unknown "
		    "consolidation function \"HWPREDICT\"") == 0,
		    "a Holt-Winters file is refused, untouched: %d \"%s\"", rc, err);
	}
	snprintf(path, sizeof(path), "%s/not-rrd", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	tap_ok(fd >= 0 && write(fd, "hello, world, not an RRD file at all", 36) == 36,
	    "non-RRD file written");
	close(fd);
	argv[0] = "1800000020:5";
	rc = rrdfile_update(path, 1, argv, err, sizeof(err));
	tap_ok(rc == 2 && strcmp(err, "file is 36 bytes, too short for an RRD header (128)") == 0,
	    "a file that is not an RRD is refused: %d \"%s\"", rc, err);
}

/* Errors it reports itself, as librrd words them, and the file as it was. */
static void
test_errors(void)
{
	static const char *defs[] = { "DS:c:COUNTER:40:U:U", "RRA:AVERAGE:0.5:1:100" };
	char a[256], b[256], err[256], path[256], want[512];
	const char *argv[2];
	long at;
	int rc;

	snprintf(path, sizeof(path), "%s/missing.rrd", dir);
	argv[0] = "1800000020:5";
	rc = rrdfile_update(path, 1, argv, err, sizeof(err));
	tap_ok(rc == -1 && strstr(err, "No such file") != NULL, "missing file: %d \"%s\"", rc,
	    err);

	if (!tap_ok(make_pair("errors", 10, 2, defs, a, b) == 0, "file created"))
		return;
	argv[0] = "1800000000:5";
	rc = rrdfile_update(b, 1, argv, err, sizeof(err));
	snprintf(want, sizeof(want), "%s: illegal attempt to update using time 1800000000 when "
	    "last update time is 1800000000 (minimum one second step)", b);
	tap_ok(rc == -1 && strcmp(err, want) == 0 && same_files(a, b, &at),
	    "same time as the last update refused, file untouched: \"%s\"", err);

	/* Cut the last row off: refused before anything is written. */
	tap_ok(truncate(b, 1000) == 0, "file truncated to 1000 bytes");
	argv[0] = "1800000020:5";
	rc = rrdfile_update(b, 1, argv, err, sizeof(err));
	tap_ok(rc == 2 && strcmp(err, "file is 1000 bytes, header and archives need 1384") == 0,
	    "truncated file: %d \"%s\"", rc, err);
	{
		struct stat st;

		tap_ok(stat(b, &st) == 0 && st.st_size == 1000,
		    "truncated file not grown by a write");
	}
}


/* One damage: WHAT written at byte AT (LEN bytes; -1: cut the file to AT), and the reason. */
struct damage {
	const char *name;
	long at;
	const char *what;
	size_t len;
	const char *why;
};

#define U64(v) (const char *)&(const unsigned long){ v }, 8
#define F64(v) (const char *)&(const double){ v }, 8

/*
 * A small file of two sources and two archives (1424 bytes): stat_head at 0,
 * ds_def at 128 and 248, rra_def at 368 and 488, live_head at 608,
 * pdp_prep at 624 and 736, cdp_prep at 848, rra_ptr at 1168 and 1176,
 * rows from 1184.
 */
static const struct damage damages[] = {
	{ "pdp_step 0", 40, U64(0), "pdp_step is 0" },
	{ "rra_cnt 2^63-1", 32, U64(0x7fffffffffffffffUL),
	  "rra_cnt 9223372036854775807 out of range (1 to 16)" },
	{ "rra_cnt 0", 32, U64(0), "rra_cnt 0 out of range (1 to 16)" },
	{ "ds_cnt 0", 24, U64(0), "ds_cnt 0 out of range (1 to 32)" },
	{ "ds_cnt 33", 24, U64(33), "ds_cnt 33 out of range (1 to 32)" },
	{ "cookie", 0, "RRX", 3, "not an RRD file (no RRD cookie)" },
	{ "version", 4, "0004", 4, "format version \"0004\" is not 0003" },
	{ "version garbage", 4, "\x01\xff", 2, "format version \"??03\" is not 0003" },
	{ "float cookie", 16, F64(1.0),
	  "float cookie 1 is not 8.642135e+130 (damaged, or another architecture)" },
	{ "pdp_step 2^40", 40, U64(1UL << 40),
	  "pdp_step 1099511627776 out of range (1 to 2147483647)" },
	{ "ds name empty", 128, "", 1, "data source 0 has no valid name (\"\")" },
	{ "ds name bad", 128, "to:al", 5, "data source 0 has no valid name (\"to:al\")" },
	{ "ds name unterminated", 128, "abcdefghijklmnopqrst", 20,
	  "data source 0 has no valid name (\"abcdefghijklmnopqrst\")" },
	{ "ds type", 268, "FOO\0", 4, "data source 1 (toner) has unknown type \"FOO\"" },
	{ "ds type COMPUTE", 268, "COMPUTE", 8,
	  "data source 1 (toner) has unknown type \"COMPUTE\"" },
	{ "heartbeat 0", 168, U64(0), "data source 0 (total) has heartbeat 0" },
	{ "cf", 488, "HWPREDICT", 10,
	  "archive 1 has unknown consolidation function \"HWPREDICT\"" },
	{ "row_cnt 0", 392, U64(0), "archive 0 (AVERAGE) has row_cnt 0 out of range (1 to 268435456)" },
	{ "row_cnt 2^62", 392, U64(1UL << 62),
	  "archive 0 (AVERAGE) has row_cnt 4611686018427387904 out of range (1 to 268435456)" },
	{ "pdp_cnt 0", 520, U64(0), "archive 1 (AVERAGE) has pdp_cnt 0 out of range (1 to 2147483647)" },
	{ "xff 1", 408, F64(1.0), "archive 0 (AVERAGE) has xff 1 out of range [0, 1)" },
	{ "xff -0.5", 528, F64(-0.5), "archive 1 (AVERAGE) has xff -0.5 out of range [0, 1)" },
	{ "xff NaN", 408, U64(0x7ff8000000000000UL),
	  "archive 0 (AVERAGE) has xff nan out of range [0, 1)" },
	{ "last_up 0", 608, U64(0), "last_up 0 out of range (1 to 4102444800)" },
	{ "last_up negative", 608, U64(0xffffffffffffff00UL),
	  "last_up -256 out of range (1 to 4102444800)" },
	{ "last_up usec", 616, U64(1000000), "last_up_usec 1000000 out of range (0 to 999999)" },
	{ "last_ds", 624, "123456789012345678901234567890", 30,
	  "data source 0 (total) has an unterminated last value" },
	{ "cur_row", 1168, U64(10), "archive 0 (AVERAGE) has cur_row 10, not below row_cnt 10" },
	{ "cur_row huge", 1176, U64(0xffffffffffffffffUL),
	  "archive 1 (AVERAGE) has cur_row 18446744073709551615, not below row_cnt 5" },
	{ "truncated in rows", 1400, NULL, 0, "file is 1400 bytes, header and archives need 1424" },
	{ "truncated in header", 1000, NULL, 0,
	  "file is 1000 bytes, shorter than its header (1184 bytes)" },
	{ "truncated to 100", 100, NULL, 0, "file is 100 bytes, too short for an RRD header (128)" },
	{ "empty", 0, NULL, 0, "file is 0 bytes, too short for an RRD header (128)" },
	{ "grown", 1432, NULL, 0, "file is 1432 bytes, header and archives need 1424" },
};

/* Writes LEN bytes of BUF to PATH. */
static int
spit(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc = f != NULL && fwrite(buf, 1, len, f) == len ? 0 : -1;

	if (f != NULL && fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Whether the file at PATH holds exactly the LEN bytes of BUF. */
static int
file_is(const char *path, const unsigned char *buf, size_t len)
{
	size_t got = 0;
	unsigned char *now = slurp(path, &got);
	int same = now != NULL && got == len && memcmp(now, buf, len) == 0;

	free(now);
	return same;
}

/* Every damage of the table, through the buffer check and the file check; and the sound file. */
static void
test_check(void)
{
	static const char *defs[] = { "DS:total:DERIVE:40:0:U", "DS:toner:GAUGE:40:0:100",
		"RRA:AVERAGE:0.5:1:10", "RRA:AVERAGE:0.5:3:5" };
	struct rrdfile_info info;
	unsigned char *good, *buf;
	char path[256], err[256], err2[256];
	const char *argv[1] = { "1800000020:5:5" };
	size_t len = 0, n, i;
	long rc;
	int frc, urc;

	snprintf(path, sizeof(path), "%s/check.rrd", dir);
	rrd_clear_error();
	if (!tap_ok(rrd_create_r(path, 20, T0, 4, defs) == 0, "small file created") ||
	    (good = slurp(path, &len)) == NULL)
		return;
	tap_ok(len == 1424, "  of 1424 bytes (%zu)", len);
	memset(&info, 0, sizeof(info));
	rc = rrdfile_check_header(good, len, len, &info, err, sizeof(err));
	tap_ok(rc == 0 && info.ds_cnt == 2 && info.rra_cnt == 2 && info.pdp_step == 20 &&
	    info.last_up == T0 && info.size == 1424, "sound file accepted, its fields read");
	tap_ok(rrdfile_check_header(good, 100, len, NULL, err, sizeof(err)) == 128 &&
	    rrdfile_check_header(good, 128, len, NULL, err, sizeof(err)) == 1184,
	    "a short buffer asks for the bytes the header needs");
	tap_ok(rrdfile_check(path, NULL, err, sizeof(err)) == 0, "sound file checked by path");
	buf = malloc(len + 64);
	for (i = 0; buf != NULL && i < sizeof(damages) / sizeof(damages[0]); i++) {
		const struct damage *d = &damages[i];

		memset(buf, 0, len + 64);
		memcpy(buf, good, len);
		n = len;
		if (d->what == NULL)
			n = (size_t)d->at;
		else
			memcpy(buf + d->at, d->what, d->len);
		err[0] = err2[0] = '\0';
		rc = rrdfile_check_header(buf, n, n, NULL, err, sizeof(err));
		frc = spit(path, buf, n) == 0 ? rrdfile_check(path, NULL, err2, sizeof(err2)) : 9;
		tap_ok(rc == -1 && frc == -1 && strcmp(err, d->why) == 0 && strcmp(err2, d->why) == 0,
		    "%s: \"%s\"", d->name, err);
		if (strcmp(err, d->why) != 0)
			tap_diag("want \"%s\"", d->why);
		/* The updater refuses it too, and leaves it as it was. */
		urc = rrdfile_update(path, 1, argv, err2, sizeof(err2));
		tap_ok(urc == 2 && strcmp(err2, d->why) == 0 && file_is(path, buf, n),
		    "  native updater: %d, file untouched", urc);
	}
	/* Archive 0 of 1000 rows of 2^31-1 steps: more time than any offset librrd computes holds. */
	if (buf != NULL) {
		memcpy(buf, good, len);
		memcpy(buf + 392, &(unsigned long){ 1000 }, 8);
		memcpy(buf + 400, &(unsigned long){ 2147483647 }, 8);
		rc = rrdfile_check_header(buf, len, len, NULL, err, sizeof(err));
		tap_ok(rc == -1 && strcmp(err, "archive 0 (AVERAGE) covers 1000 rows of 2147483647 "
		    "steps of 20 s, more than 2^40 s") == 0, "span: \"%s\"", err);
	}
	free(buf);
	free(good);
	snprintf(path, sizeof(path), "%s/missing.rrd", dir);
	tap_ok(rrdfile_check(path, NULL, err, sizeof(err)) == -2 &&
	    strcmp(err, "cannot open: No such file or directory") == 0, "missing file: \"%s\"", err);
	tap_ok(rrdfile_check(dir, NULL, err, sizeof(err)) == -2 &&
	    strcmp(err, "cannot read: not a regular file") == 0, "directory: \"%s\"", err);
}

/* A header longer than the first read (32 sources, 16 archives): read again whole. */
static void
test_check_large(void)
{
	char defs[48][64], path[256], err[256];
	const char *argv[48];
	struct rrdfile_info info;
	int i, n = 0, rc;

	for (i = 0; i < 32; i++)
		snprintf(defs[n++], 64, "DS:s%d:GAUGE:40:U:U", i);
	for (i = 0; i < 16; i++)
		snprintf(defs[n++], 64, "RRA:%s:0.5:%d:3", i % 2 ? "MAX" : "AVERAGE", i + 1);
	for (i = 0; i < n; i++)
		argv[i] = defs[i];
	snprintf(path, sizeof(path), "%s/large.rrd", dir);
	rrd_clear_error();
	if (!tap_ok(rrd_create_r(path, 20, T0, n, argv) == 0, "file of 32 sources, 16 archives"))
		return;
	memset(&info, 0, sizeof(info));
	rc = rrdfile_check(path, &info, err, sizeof(err));
	tap_ok(rc == 0 && info.ds_cnt == 32 && info.rra_cnt == 16 &&
	    info.size == 50576 + 16 * 3 * 32 * 8, "its %llu bytes accepted (header of 50576)",
	    info.size);
}

/*
 * A refused sample no newer than the file's last: skipped when it is within
 * the slack (another poller's sample of that stretch), an error otherwise.
 * The texts are those librrd 1.7.2, rrdcached 1.7.2 and rrdfile.c give.
 */
static void
test_refused_step(void)
{
	static const char *cached = "rrdcached@unix:/tmp/s: illegal attempt to update using "
	    "time 1700000100.000000 when last update time is 1700000100.000000 (minimum one "
	    "second step)";
	static const char *older = "rrdcached@unix:/tmp/s: illegal attempt to update using "
	    "time 1700000050.000000 when last update time is 1700000100.000000 (minimum one "
	    "second step)";
	static const char *local = "f.rrd: illegal attempt to update using time 1700000000 "
	    "when last update time is 1700000000 (minimum one second step)";

	ok(rrdw_refused_step(cached, 300), "rrdcached's same-second refusal is a skip");
	ok(rrdw_refused_step(local, 300), "librrd's and rrdfile's same-second refusal is a skip");
	ok(rrdw_refused_step(older, 50), "a sample 50 s older, slack 50: a skip");
	ok(!rrdw_refused_step(older, 49), "a sample 50 s older, slack 49: an error");
	ok(!rrdw_refused_step("rrdcached@unix:/tmp/s: No such file: /x.rrd", 300),
	    "another error is an error");
	ok(!rrdw_refused_step("illegal attempt to update using time x when last update "
	    "time is 5", 300), "a text that does not parse is an error");
	ok(!rrdw_refused_step("illegal attempt to update using time 5 when last update "
	    "time is ", 300), "a text cut short is an error");
}

int
main(void)
{
	char cmd[300];

	if (getenv("GF_TEST_SEED") != NULL)
		rng = strtoull(getenv("GF_TEST_SEED"), NULL, 10) | 1;
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_small();
	test_layout("printer20", GF_KIND_PRINTER, 20, 1500);
	test_layout("host300", GF_KIND_WORKSTATION, 300, 800);
	test_declined();
	test_errors();
	test_check();
	test_check_large();
	test_refused_step();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
