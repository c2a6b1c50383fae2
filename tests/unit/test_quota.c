/* Quota periods in local time and exact threshold arithmetic. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quota.h"
#include "tap.h"

static void
test_spans(void)
{
	struct gf_span s;

	ok(quota_span(GF_PERIOD_MONTH, tap_local(2026, 11, 30, 23), &s) == 0 &&
	    strcmp(s.key, "2026-11") == 0 && strcmp(s.first, "2026-11-01") == 0 &&
	    strcmp(s.last, "2026-11-30") == 0, "November: %s %s..%s", s.key, s.first, s.last);
	ok(s.start == tap_local(2026, 11, 1, 0) && s.end == tap_local(2026, 12, 1, 0),
	    "November runs from local midnight to local midnight");
	ok(quota_span(GF_PERIOD_MONTH, tap_local(2026, 12, 1, 0), &s) == 0 &&
	    strcmp(s.key, "2026-12") == 0, "midnight belongs to the new month");
	ok(quota_span(GF_PERIOD_MONTH, tap_local(2028, 2, 10, 12), &s) == 0 &&
	    strcmp(s.last, "2028-02-29") == 0, "leap February");
	ok(quota_span(GF_PERIOD_QUARTER, tap_local(2026, 11, 5, 9), &s) == 0 &&
	    strcmp(s.key, "2026-Q4") == 0 && strcmp(s.first, "2026-10-01") == 0 &&
	    strcmp(s.last, "2026-12-31") == 0, "Q4: %s %s..%s", s.key, s.first, s.last);
	/* Europe/Paris changes to summer time on 29 March 2026: March is 743 hours long. */
	ok(quota_span(GF_PERIOD_MONTH, tap_local(2026, 3, 15, 12), &s) == 0 &&
	    s.end - s.start == 743 * 3600, "March 2026 across the DST change: %lld h",
	    (long long)(s.end - s.start) / 3600);
	ok(quota_span(GF_PERIOD_YEAR, tap_local(2026, 6, 1, 0), &s) == 0 &&
	    strcmp(s.key, "2026") == 0 && strcmp(s.last, "2026-12-31") == 0, "year 2026");
	ok(quota_span_parse(GF_PERIOD_MONTH, "2026-02", &s) == 0 &&
	    strcmp(s.last, "2026-02-28") == 0, "parse 2026-02");
	ok(quota_span_parse(GF_PERIOD_QUARTER, "2026-Q1", &s) == 0 &&
	    strcmp(s.last, "2026-03-31") == 0, "parse 2026-Q1");
	ok(quota_span_parse(GF_PERIOD_MONTH, "2026-13", &s) == -1 &&
	    quota_span_parse(GF_PERIOD_MONTH, "2026-115", &s) == -1 &&
	    quota_span_parse(GF_PERIOD_YEAR, "2026-1", &s) == -1 &&
	    quota_span_parse(GF_PERIOD_QUARTER, "2026-Q5", &s) == -1 &&
	    quota_span_parse(GF_PERIOD_MONTH, "x026-01", &s) == -1, "bad periods refused");
}

static void
test_use(void)
{
	struct gf_quota q;
	struct gf_quota_use u;
	struct gf_span s;

	memset(&q, 0, sizeof(q));
	q.enabled = 1;
	q.mono = 5000;
	q.colour = 500;
	q.colour_weight = 5;
	quota_span_parse(GF_PERIOD_MONTH, "2026-11", &s);
	quota_use(&q, 3999, 100, &s, s.end, &u);
	ok(u.pct == 79 && !quota_crossed(&q, &u, 80), "3999/5000 is not yet 80 %%");
	quota_use(&q, 4000, 100, &s, s.end, &u);
	ok(u.pct == 80 && quota_crossed(&q, &u, 80) && !quota_crossed(&q, &u, 100),
	    "4000/5000 is exactly 80 %%");
	quota_use(&q, 10, 500, &s, s.end, &u);
	ok(u.pct == 100 && quota_crossed(&q, &u, 100), "colour alone reaches 100 %%");
	/* Budget only: 1000 mono + 5 x 200 colour = 2000 of 2000. */
	memset(&q, 0, sizeof(q));
	q.budget = 2000;
	q.colour_weight = 5;
	quota_use(&q, 1000, 200, &s, s.end, &u);
	ok(u.weighted == 2000 && u.pct == 100 && u.pct_mono == -1, "weighted budget");
	/* Half-way through the month at 40 %: projected 80 %. */
	memset(&q, 0, sizeof(q));
	q.mono = 1000;
	q.colour_weight = 5;
	quota_use(&q, 400, 0, &s, s.start + (s.end - s.start) / 2, &u);
	ok(u.projected_pct == 80 && u.projected_mono == 800, "projection at the current rate: %d",
	    u.projected_pct);
	/* The 3rd of the month, two days in: too early, no 1300 % alarm. */
	quota_use(&q, 870, 0, &s, tap_local(2026, 11, 3, 9), &u);
	ok(!u.projected && u.projected_pct == -1 && u.pct == 87, "day 3: no projection (%d)",
	    u.projected_pct);
	/* 7 days and 9 hours: past a week but short of a quarter of November (7.5 days). */
	quota_use(&q, 300, 0, &s, tap_local(2026, 11, 8, 9), &u);
	ok(!u.projected, "day 8 at 09:00: still under a quarter of the month");
	quota_use(&q, 300, 0, &s, tap_local(2026, 11, 8, 12), &u);
	ok(u.projected && u.projected_pct == 120, "day 8 at noon: a quarter gone, projected %d",
	    u.projected_pct);
	quota_use(&q, 600, 0, &s, tap_local(2026, 11, 20, 12), &u);
	ok(u.projected && u.projected_pct == 92, "day 20 at noon (600 in 19.5 days): projected %d", u.projected_pct);
	/* A quarter: a week is not enough, a quarter of it (23 days) is. */
	quota_span_parse(GF_PERIOD_QUARTER, "2026-Q4", &s);
	quota_use(&q, 100, 0, &s, tap_local(2026, 10, 15, 0), &u);
	ok(!u.projected, "two weeks into a quarter: no projection");
	quota_use(&q, 100, 0, &s, tap_local(2026, 10, 25, 0), &u);
	ok(u.projected, "24 days into a quarter: projected %d", u.projected_pct);
	/* A period that is over is its own projection. */
	quota_use(&q, 100, 0, &s, s.end, &u);
	ok(u.projected && u.projected_pct == 10, "a period that is over: %d", u.projected_pct);
}

static void
test_rate(void)
{
	static const struct {
		double v;
		char dec;
		const char *want;
	} t[] = {
		{ 300, '.', "300" }, { 10, '.', "10" }, { 9.96, '.', "10" }, { 9.94, '.', "9.9" },
		{ 10.0 / 30, '.', "0.3" }, { 10.0 / 30, ',', "0,3" }, { 5.0, '.', "5" },
		{ 0.05, '.', "0.1" }, { 0.049, '.', "" }, { 1.0 / 365, '.', "" }, { 0, '.', "" },
		{ -3, '.', "" },
	};
	char b[32];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		quota_rate_text(b, sizeof(b), t[i].v, t[i].dec);
		ok(strcmp(b, t[i].want) == 0, "rate %g a day reads \"%s\" (want \"%s\")", t[i].v,
		    b, t[i].want);
	}
}

int
main(void)
{
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	test_spans();
	test_use();
	test_rate();
	return tap_done();
}
