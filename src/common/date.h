/*
 * Calendar days written "YYYY-MM-DD": the one parser every date of the
 * configuration, the CLI and the stores goes through.
 */
#ifndef GF_DATE_H
#define GF_DATE_H

#include <stddef.h>
#include <time.h>

#define GF_DATE_MIN_YEAR 1970

/* A day that exists: year 1970..9999, month 1..12, day 1..28/29/30/31. */
struct gf_day {
	int y, m, d;
};

/* Days in month M (1..12) of year Y (Gregorian leap years); 0 for another month. */
int gf_date_mdays(int y, int m);

/*
 * Parses S, exactly "YYYY-MM-DD" (no sign, space or trailing byte), into *DAY
 * (may be NULL). -1 if S does not have that shape, -2 if it names no day
 * (2026-02-30, 2026-13-01, 1969-12-31); WHY then says what is wrong, without S.
 */
int gf_date_parse(const char *s, struct gf_day *day, char *why, size_t whysz);

/* The local date of T, "YYYY-MM-DD", into DAY[11]; "" and -1 if T has none. The one
 * place a day is formatted: pages, quotas and advice all count in local days. */
int gf_date_day(time_t t, char day[11]);

/* Today's local date, "YYYY-MM-DD", into DAY[11]; -1 if the clock says nothing sane. */
int gf_date_today(char day[11]);

#endif
