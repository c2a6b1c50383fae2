/* The calendar: one strict parser for "YYYY-MM-DD" and the days of a month. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

static const char *const month_names[] = { "January", "February", "March", "April", "May",
	"June", "July", "August", "September", "October", "November", "December" };

int
gf_date_mdays(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && leap);
}

/* Value of the N decimal digits at S, or -1 if one of them is no digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Writes the reason into WHY (when there is room for one) and returns RC. */
static int __attribute__((format(printf, 4, 5)))
refuse(int rc, char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whysz > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int
gf_date_parse(const char *s, struct gf_day *day, char *why, size_t whysz)
{
	int y, m, d, n;

	/* strnlen: S may be any argument; nothing past its 11th byte is read. */
	if (s == NULL || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-' ||
	    (y = digits(s, 4)) < 0 || (m = digits(s + 5, 2)) < 0 || (d = digits(s + 8, 2)) < 0)
		return refuse(-1, why, whysz, "not a date (want YYYY-MM-DD)");
	if (y < GF_DATE_MIN_YEAR)
		return refuse(-2, why, whysz, "year %04d is before %d", y, GF_DATE_MIN_YEAR);
	if (m < 1 || m > 12)
		return refuse(-2, why, whysz, "no month %02d (months are 01 to 12)", m);
	if (d < 1)
		return refuse(-2, why, whysz, "no day 00 (days start at 01)");
	if (d > (n = gf_date_mdays(y, m)))
		return refuse(-2, why, whysz, "no such day (%s %04d has %d days)",
		    month_names[m - 1], y, n);
	if (day != NULL) {
		day->y = y;
		day->m = m;
		day->d = d;
	}
	return 0;
}

int
gf_date_day(time_t t, char day[11])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(day, 11, "%Y-%m-%d", &tm) != 10) {
		day[0] = '\0';
		return -1;
	}
	return 0;
}

int
gf_date_today(char day[11])
{
	return gf_date_day(time(NULL), day);
}
