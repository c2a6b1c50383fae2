/* Quota periods and use: calendar arithmetic in local time, integer percentages. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "quota.h"

static const char *const period_names[] = { "month", "quarter", "year" };

const char *
quota_period_name(enum gf_period p)
{
	return p <= GF_PERIOD_YEAR ? period_names[p] : "?";
}

/* Local midnight of Y-M-1 (M may be 13: January of the next year). */
static time_t
month_start(int y, int m)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900 + (m - 1) / 12;
	tm.tm_mon = (m - 1) % 12;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Fills OUT for the period of P starting at month M (1-based) of year Y. */
static int
span_of(enum gf_period p, int y, int m, struct gf_span *out)
{
	int months = p == GF_PERIOD_MONTH ? 1 : p == GF_PERIOD_QUARTER ? 3 : 12;
	time_t last;

	if (y < 1970 || y > 9999)
		return -1;
	if (p == GF_PERIOD_MONTH)
		snprintf(out->key, sizeof(out->key), "%04d-%02d", y, m);
	else if (p == GF_PERIOD_QUARTER)
		snprintf(out->key, sizeof(out->key), "%04d-Q%d", y, (m - 1) / 3 + 1);
	else
		snprintf(out->key, sizeof(out->key), "%04d", y);
	out->start = month_start(y, m);
	out->end = month_start(y, m + months);
	if (out->start == (time_t)-1 || out->end == (time_t)-1)
		return -1;
	/* The last day: noon of the day before the end, safe across DST changes. */
	last = out->end - 12 * 3600;
	snprintf(out->first, sizeof(out->first), "%04d-%02d-01", y, m);
	if (gf_date_day(last, out->last) != 0)
		return -1;
	return 0;
}

int
quota_span(enum gf_period p, time_t t, struct gf_span *out)
{
	struct tm tm;
	int m;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	m = tm.tm_mon + 1;
	if (p == GF_PERIOD_QUARTER)
		m = (m - 1) / 3 * 3 + 1;
	else if (p == GF_PERIOD_YEAR)
		m = 1;
	return span_of(p, tm.tm_year + 1900, m, out);
}

int
quota_span_parse(enum gf_period p, const char *key, struct gf_span *out)
{
	int y, m = 1, q, n = -1;

	/* Digits only where digits belong, and nothing after the key. */
	if (strspn(key, "0123456789-Q") != strlen(key) || strlen(key) > 7)
		return -1;
	if (p == GF_PERIOD_MONTH && sscanf(key, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 &&
	    key[n] == '\0' && m >= 1 && m <= 12)
		return span_of(p, y, m, out);
	if (p == GF_PERIOD_QUARTER && sscanf(key, "%4d-Q%1d%n", &y, &q, &n) == 2 && n == 7 &&
	    key[n] == '\0' && q >= 1 && q <= 4)
		return span_of(p, y, (q - 1) * 3 + 1, out);
	if (p == GF_PERIOD_YEAR && sscanf(key, "%4d%n", &y, &n) == 1 && n == 4 && key[n] == '\0')
		return span_of(p, y, 1, out);
	return -1;
}

/* USED as a percentage of LIMIT, rounded down; -1 without a limit. */
static int
pct_of(uint64_t used, int limit)
{
	uint64_t p;

	if (limit <= 0)
		return -1;
	p = used * 100 / (uint64_t)limit;
	return p > 1000000 ? 1000000 : (int)p;
}

/* V scaled from the elapsed part of the span to all of it. */
static uint64_t
project(uint64_t v, const struct gf_span *s, time_t now)
{
	double done = (double)(now - s->start), all = (double)(s->end - s->start);

	if (now >= s->end || done <= 0 || all <= 0)
		return v;
	return (uint64_t)((double)v * all / done + 0.5);
}

/* Enough of SPAN has passed by NOW for its rate to mean something (or it is over). */
static int
quota_can_project(const struct gf_span *s, time_t now)
{
	time_t done = now - s->start, all = s->end - s->start;

	return now >= s->end || (done >= QUOTA_PROJECT_MIN_DAYS * 86400 &&
	    done >= all / QUOTA_PROJECT_MIN_SHARE);
}

void
quota_use(const struct gf_quota *q, uint64_t mono, uint64_t colour, const struct gf_span *span,
    time_t now, struct gf_quota_use *u)
{
	memset(u, 0, sizeof(*u));
	u->mono = mono;
	u->colour = colour;
	u->weighted = mono + (uint64_t)q->colour_weight * colour;
	u->pct_mono = pct_of(mono, q->mono);
	u->pct_colour = pct_of(colour, q->colour);
	u->pct_budget = pct_of(u->weighted, q->budget);
	u->pct = u->pct_mono;
	if (u->pct_colour > u->pct)
		u->pct = u->pct_colour;
	if (u->pct_budget > u->pct)
		u->pct = u->pct_budget;
	if (u->pct < 0)
		u->pct = 0;
	if (!quota_can_project(span, now)) {
		u->projected_pct = -1;
		return;
	}
	u->projected = 1;
	u->projected_mono = project(mono, span, now);
	u->projected_colour = project(colour, span, now);
	u->projected_pct = pct_of(u->projected_mono, q->mono);
	if (pct_of(u->projected_colour, q->colour) > u->projected_pct)
		u->projected_pct = pct_of(u->projected_colour, q->colour);
	if (pct_of(u->projected_mono + (uint64_t)q->colour_weight * u->projected_colour,
	    q->budget) > u->projected_pct)
		u->projected_pct = pct_of(u->projected_mono +
		    (uint64_t)q->colour_weight * u->projected_colour, q->budget);
	if (u->projected_pct < 0)
		u->projected_pct = 0;
}

/* Exact: used x 100 >= thr x limit, no rounding at the boundary. */
int
quota_crossed(const struct gf_quota *q, const struct gf_quota_use *u, int thr)
{
	return (q->mono > 0 && u->mono * 100 >= (uint64_t)thr * (uint64_t)q->mono) ||
	    (q->colour > 0 && u->colour * 100 >= (uint64_t)thr * (uint64_t)q->colour) ||
	    (q->budget > 0 && u->weighted * 100 >= (uint64_t)thr * (uint64_t)q->budget);
}

void
quota_rate_text(char *dst, size_t sz, double per_day, char decimal)
{
	char *p;
	size_t n;

	if (sz == 0)
		return;
	dst[0] = '\0';
	if (!(per_day >= 0.05))
		return;
	snprintf(dst, sz, per_day >= 10 ? "%.0f" : "%.1f", per_day);
	n = strlen(dst);
	if (n > 2 && strcmp(dst + n - 2, ".0") == 0)
		dst[n - 2] = '\0';
	if ((p = strchr(dst, '.')) != NULL)
		*p = decimal;
}

int
quota_span_at(const struct gf_quota *q, const char *key, time_t now, struct gf_span *sp,
    time_t *when)
{
	struct gf_span any;
	int p;

	*when = now;
	if (key == NULL)
		return quota_span(q->period, now, sp);
	for (p = GF_PERIOD_MONTH; p <= GF_PERIOD_YEAR; p++)
		if (quota_span_parse((enum gf_period)p, key, &any) == 0)
			break;
	if (p > GF_PERIOD_YEAR || quota_span(q->period, any.start, sp) != 0)
		return -1;
	/* A past period is judged at its end; the current one now. */
	if (sp->end < now)
		*when = sp->end;
	return 0;
}

const char *
quota_state_word(const struct gf_quota *q, const struct gf_quota_use *u)
{
	int i, top = 0;

	for (i = 0; i < q->nthresholds; i++)
		if (quota_crossed(q, u, q->thresholds[i]))
			top = q->thresholds[i];
	return top >= 100 ? "over" : top > 0 ? "warning" : "ok";
}
