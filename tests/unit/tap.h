/*
 * A tiny header-only TAP helper for the unit tests: ok(cond, fmt, ...) prints
 * "ok N - msg" or "not ok N - msg", tap_diag() a "# ..." comment, and
 * tap_done() prints the plan and "N passed, N failed" and returns the exit status;
 * tap_local() gives a local time for expected values.
 */
#ifndef GF_TAP_H
#define GF_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int tap_passed;
static int tap_failed;

static inline int tap_ok(int, const char *, ...) __attribute__((format(printf, 2, 3)));
static inline void tap_diag(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Records and prints one test result; returns COND so callers can add diagnostics. */
static inline int
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		tap_passed++;
	else
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_passed + tap_failed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

/* Y-M-D at H:00 local time (the TZ the test runs in), for expected values. */
static inline time_t
tap_local(int y, int m, int d, int h)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Prints a diagnostic line, prefixed with "# " as TAP wants. */
static inline void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Prints the plan and the totals; returns 0 if nothing failed, 1 otherwise. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_passed + tap_failed);
	printf("%d passed, %d failed\n", tap_passed, tap_failed);
	return tap_failed == 0 ? 0 : 1;
}

#define ok(cond, ...) tap_ok((cond) ? 1 : 0, __VA_ARGS__)

#endif
