/* Unit tests: the one date parser and the cleaner of untrusted text, exact outputs. */
#include "config.h"

#include <string.h>

#include "date.h"
#include "tap.h"
#include "text.h"

static void
test_date_parse(void)
{
	static const struct {
		const char *s;
		int rc;
		int y, m, d;
		const char *why;
	} cases[] = {
		{ "2024-02-29", 0, 2024, 2, 29, "" },		/* leap year */
		{ "2000-02-29", 0, 2000, 2, 29, "" },		/* divisible by 400 */
		{ "1970-01-01", 0, 1970, 1, 1, "" },
		{ "9999-12-31", 0, 9999, 12, 31, "" },
		{ "2026-12-31", 0, 2026, 12, 31, "" },
		{ "2026-02-30", -2, 0, 0, 0, "no such day (February 2026 has 28 days)" },
		{ "2025-02-29", -2, 0, 0, 0, "no such day (February 2025 has 28 days)" },
		{ "2100-02-29", -2, 0, 0, 0, "no such day (February 2100 has 28 days)" },
		{ "2024-02-30", -2, 0, 0, 0, "no such day (February 2024 has 29 days)" },
		{ "2026-04-31", -2, 0, 0, 0, "no such day (April 2026 has 30 days)" },
		{ "2026-01-32", -2, 0, 0, 0, "no such day (January 2026 has 31 days)" },
		{ "2026-06-00", -2, 0, 0, 0, "no day 00 (days start at 01)" },
		{ "2026-00-10", -2, 0, 0, 0, "no month 00 (months are 01 to 12)" },
		{ "2026-13-01", -2, 0, 0, 0, "no month 13 (months are 01 to 12)" },
		{ "1969-12-31", -2, 0, 0, 0, "year 1969 is before 1970" },
		{ "0000-01-01", -2, 0, 0, 0, "year 0000 is before 1970" },
		{ "2026-1-05", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "2026-01-05x", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "2026-01-05 ", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ " 2026-01-05", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "+026-01-05", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "2026-+1-05", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "2026-01--5", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "2026/01/05", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "20260105", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
		{ "now", -1, 0, 0, 0, "not a date (want YYYY-MM-DD)" },
	};
	struct gf_day day;
	char why[80];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&day, 0, sizeof(day));
		why[0] = '\0';
		rc = gf_date_parse(cases[i].s, &day, why, sizeof(why));
		ok(rc == cases[i].rc && strcmp(why, cases[i].why) == 0 && day.y == cases[i].y &&
		    day.m == cases[i].m && day.d == cases[i].d, "date '%s': %d '%s' %d-%d-%d",
		    cases[i].s, rc, why, day.y, day.m, day.d);
	}
	ok(gf_date_parse(NULL, NULL, NULL, 0) == -1, "NULL is no date, no reason asked");
	ok(gf_date_parse("2026-02-30", NULL, why, 12) == -2 && strcmp(why, "no such day") == 0,
	    "a short WHY is truncated: '%s'", why);
	ok(gf_date_mdays(2024, 2) == 29 && gf_date_mdays(1900, 2) == 28 &&
	    gf_date_mdays(2026, 13) == 0 && gf_date_mdays(2026, 0) == 0, "days in a month");
}

/* The UTF-8 of a code point, for readable cases. */
#define NEL "\xc2\x85"
#define CSI "\xc2\x9b"
#define OSC "\xc2\x9d"
#define LSEP "\xe2\x80\xa8"
#define PSEP "\xe2\x80\xa9"
#define LRE "\xe2\x80\xaa"
#define RLO "\xe2\x80\xae"
#define LRI "\xe2\x81\xa6"
#define PDI "\xe2\x81\xa9"
#define LRM "\xe2\x80\x8e"
#define RLM "\xe2\x80\x8f"
#define ALM "\xd8\x9c"
#define FFFD "\xef\xbf\xbd"

static void
test_clean_str(void)
{
	static const struct {
		const char *in;
		size_t len;
		size_t dstsz;
		const char *want;
	} cases[] = {
		{ "SHARP MX-3570N", 14, 64, "SHARP MX-3570N" },
		{ "line1\r\nBcc: x\t", 15, 64, "line1Bcc: x" },
		{ "esc\x1b[31mred\x7f", 13, 64, "esc[31mred" },
		{ "caf\xc3\xa9", 5, 64, "caf\xc3\xa9" },		/* valid UTF-8 kept */
		{ "bad\xff\xfe", 5, 64, "bad??" },		/* invalid bytes replaced */
		{ "\xc0\xaf", 2, 64, "??" },			/* overlong '/' rejected */
		{ "ab\xc3\xa9", 4, 4, "ab" },			/* no split sequence */
		{ "abcdef", 6, 4, "abc" },			/* truncated, terminated */
		{ "\xe2\x82", 2, 64, "??" },			/* truncated sequence */
		/* A NUL inside is marked, never an end: what follows is kept. */
		{ "nul\0hidden", 10, 64, "nul" FFFD "hidden" },
		{ "SN\0A", 4, 64, "SN" FFFD "A" },
		{ "SN\0B", 4, 64, "SN" FFFD "B" },
		{ "\0\0X", 3, 64, FFFD FFFD "X" },
		/* NULs at the end are C padding, not text. */
		{ "SN123\0\0\0", 8, 64, "SN123" },
		{ "\0\0", 2, 64, "" },
		{ "ab\0c", 4, 5, "ab" },			/* the mark is never split */
		/* C1 controls, separators and bidi controls are dropped like C0. */
		{ "a" NEL "b", 4, 64, "ab" },
		{ "a" CSI "2Jb", 6, 64, "a2Jb" },
		{ "a" OSC "0;x\x07" "b", 8, 64, "a0;xb" },
		{ "\xc2\x80" "x\xc2\x9f", 5, 64, "x" },		/* both ends of C1 */
		{ "\xc2\xa0" "x", 3, 64, "\xc2\xa0" "x" },	/* U+00A0 is no control */
		{ "a" LSEP "b" PSEP "c", 9, 64, "abc" },
		{ "user" RLO "fdp.exe", 14, 64, "userfdp.exe" },
		{ LRE "a" LRI "b" PDI "c", 12, 64, "abc" },
		{ "a" LRM "b" RLM "c" ALM "d", 12, 64, "abcd" },
		{ "\xe2\x80\xa7" "\xe2\x80\xaf", 6, 64, "\xe2\x80\xa7" "\xe2\x80\xaf" },	/* neighbours kept */
		{ "\xe2\x81\xa5" "\xe2\x81\xaa", 6, 64, "\xe2\x81\xa5" "\xe2\x81\xaa" },
		/* Bytes of a control sequence that are no UTF-8 stay '?'. */
		{ "\x85\x9b", 2, 64, "??" },
		{ "\xe2\x80", 2, 64, "??" },
		{ "", 0, 64, "" },
		{ "x", 1, 1, "" },
	};
	char out[64], again[64];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = gf_clean_str(out, cases[i].dstsz, (const unsigned char *)cases[i].in,
		    cases[i].len);
		ok(strcmp(out, cases[i].want) == 0 && n == strlen(out), "clean_str case %zu: '%s'",
		    i, out);
		/* Text read back from the store is cleaned again: that must change nothing. */
		gf_clean_str(again, sizeof(again), (const unsigned char *)out, strlen(out));
		ok(strcmp(again, out) == 0, "clean_str case %zu cleaned twice: same", i);
	}
}

static void
test_has_ctrl(void)
{
	ok(gf_text_has_ctrl("Urbanisme & Am\xc3\xa9nagement") == 0, "plain UTF-8 name");
	ok(gf_text_has_ctrl("Urba\\nnisme") == 0, "a backslash and an n are no control");
	ok(gf_text_has_ctrl("a\nb") == 1, "LF");
	ok(gf_text_has_ctrl("a\x7f") == 1, "DEL");
	ok(gf_text_has_ctrl("a" NEL) == 1, "NEL");
	ok(gf_text_has_ctrl(LSEP) == 1, "U+2028");
	ok(gf_text_has_ctrl("x" RLO "y") == 1, "U+202E");
	ok(gf_text_has_ctrl("x" PDI) == 1, "U+2069");
	ok(gf_text_has_ctrl("\x85") == 0, "a lone byte 0x85 is no UTF-8, not a C1 control");
}

int
main(void)
{
	test_date_parse();
	test_clean_str();
	test_has_ctrl();
	return tap_done();
}
