/* Unit tests: the CLI's CSV and JSON writers, on hostile cell text. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "output.h"
#include "tap.h"

/* What FN writes for S, into OUT. */
static const char *
written(void (*fn)(FILE *, const char *), const char *s, char *out, size_t sz)
{
	FILE *f;

	memset(out, 0, sz);
	f = fmemopen(out, sz, "w");
	fn(f, s);
	fclose(f);
	return out;
}

static void
test_json_str(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "Accueil", "\"Accueil\"" },
		{ "a\"b\\c\nd\te\x7f", "\"a\\\"b\\\\c\\nd\\u0009e\\u007f\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\xa8", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\xa8\"" },
		/* Bytes that are no UTF-8 would make the whole document invalid JSON. */
		{ "bad\xff\xfe", "\"bad\\ufffd\\ufffd\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },			/* overlong '/' */
		{ "\xed\xa0\x80x", "\"\\ufffd\\ufffd\\ufffdx\"" },	/* a surrogate */
		{ "end\xe2\x82", "\"end\\ufffd\\ufffd\"" },		/* cut sequence */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },	/* past U+10FFFF */
	};
	char out[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(strcmp(written(out_json_str, cases[i].in, out, sizeof(out)), cases[i].want) == 0,
		    "JSON string %zu: %s", i, out);
}

static void
test_csv_cell(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "Accueil", "Accueil" },
		{ "RDC, aile \"B\"", "\"RDC, aile \"\"B\"\"\"" },
		{ "=1+2", "\"'=1+2\"" },			/* no formula in a spreadsheet */
		{ "-3", "\"'-3\"" },
		{ "a\r\nb", "\"a\r\nb\"" },
		{ "", "" },
	};
	char out[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(strcmp(written(out_csv_cell, cases[i].in, out, sizeof(out)), cases[i].want) == 0,
		    "CSV cell %zu: %s", i, out);
}

int
main(void)
{
	test_json_str();
	test_csv_cell();
	return tap_done();
}
