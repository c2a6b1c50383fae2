/*
 * Quotas: a department's use of its print quota over a calendar period,
 * from the exact ledger, and which thresholds that use has crossed. Pure
 * arithmetic here; the state (what fired) and the mails live in the store.
 */
#ifndef GF_QUOTA_H
#define GF_QUOTA_H

#include <stdint.h>
#include <time.h>

#include "conf.h"

/* A calendar period in local time: "2026-11", "2026-Q4" or "2026". */
struct gf_span {
	char key[32];
	char first[32];		/* first day, YYYY-MM-DD */
	char last[32];		/* last day */
	time_t start, end;	/* local midnight at the first day and after the last */
};

/* The period of kind P that contains T. -1 on a time the C library cannot handle. */
int quota_span(enum gf_period p, time_t t, struct gf_span *out);

/* Parses a period key for P ("2026-11", "2026-Q4", "2026"); -1 if it is not one. */
int quota_span_parse(enum gf_period p, const char *key, struct gf_span *out);

const char *quota_period_name(enum gf_period p);

struct gf_quota_use {
	uint64_t mono, colour;
	uint64_t weighted;	/* mono + colour_weight x colour */
	int pct_mono, pct_colour, pct_budget;	/* -1 where there is no such limit */
	int pct;		/* the highest of them: what thresholds are judged on */
	/*
	 * At the period's rate so far, once enough of it has passed (see
	 * QUOTA_PROJECT_MIN_DAYS): else PROJECTED is 0 and projected_pct -1.
	 */
	int projected;
	uint64_t projected_mono, projected_colour;
	int projected_pct;
};

/*
 * No projection before a full week (the weekly rhythm of printing: weekends,
 * meeting days) and a quarter of the period (the extrapolation multiplies
 * by 4 at most): on the 3rd of a month, two days x 15 would read as an alarm.
 */
#define QUOTA_PROJECT_MIN_DAYS	7
#define QUOTA_PROJECT_MIN_SHARE	4	/* 1/4 of the period */

/* Use of quota Q given MONO and COLOUR pages counted in SPAN by NOW. */
void quota_use(const struct gf_quota *q, uint64_t mono, uint64_t colour,
    const struct gf_span *span, time_t now, struct gf_quota_use *u);

/*
 * A daily rate as text that never reads "0": whole above 10, one decimal
 * (with DECIMAL as the separator) down to 0.05, and "" below, where the
 * caller leaves the per-day part out.
 */
void quota_rate_text(char *dst, size_t sz, double per_day, char decimal);

/* Whether USE has reached threshold THR percent of any limit of Q (exact integers). */
int quota_crossed(const struct gf_quota *q, const struct gf_quota_use *u, int thr);

/*
 * The span of quota Q that contains the start of period KEY (a month,
 * quarter or year, whatever Q's own kind), or the current one when KEY is
 * NULL; *WHEN is the time it is judged at: NOW, or the end of a past period.
 * -1 if KEY is no period.
 */
int quota_span_at(const struct gf_quota *q, const char *key, time_t now, struct gf_span *sp,
    time_t *when);

/* "ok", "warning" or "over": the highest threshold of Q that USE has crossed. */
const char *quota_state_word(const struct gf_quota *q, const struct gf_quota_use *u);

#endif
