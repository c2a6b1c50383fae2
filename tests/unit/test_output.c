/* Unit tests: the CLI's CSV and JSON writers, on hostile cell text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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

/* One table of two columns and one row with hostile cells, written as FMT into OUT. */
static const char *
table(enum gf_fmt fmt, const char *a, const char *b, char *out, size_t sz)
{
	static const char *const cols[] = { "id", "note" };
	static const int widths[] = { 4, -8 };
	const char *cells[2] = { a, b };
	struct gf_table t = { NULL, fmt, cols, widths, NULL, 2, 0 };

	memset(out, 0, sz);
	t.f = fmemopen(out, sz, "w");
	out_begin(&t);
	out_row(&t, cells);
	out_end(&t);
	fclose(t.f);
	return out;
}

static void
test_plain_rows(void)
{
	char out[256];

	/* A tab or a line end inside a cell must not make another column or row. */
	table(GF_FMT_TSV, "p\t1", "a\nb\rc", out, sizeof(out));
	ok(strcmp(out, "p 1\ta b c\n") == 0, "TSV: controls in cells are spaces: %s", out);
	table(GF_FMT_TEXT, "p\n1", NULL, out, sizeof(out));
	ok(strcmp(out, "  id note\n p 1 -\n") == 0, "text: a line end in a cell is a space, NULL is -: %s", out);
}

/* Rows of the view kind: a time, a duration, a number, words and a label for people. */
static const struct gf_col view_cols[] = {
	{ "when", GF_COL_TIME }, { "up", GF_COL_SECS }, { "n", GF_COL_NUM },
	{ "note", GF_COL_STR }, { "label", GF_COL_LABEL },
};

static const char *
view_out(enum gf_fmt fmt, const struct gf_rows *r, const struct gf_text *t, char *out, size_t sz)
{
	FILE *f;

	memset(out, 0, sz);
	f = fmemopen(out, sz, "w");
	out_rows(f, fmt, r, t);
	fclose(f);
	return out;
}

static void
test_out_rows(void)
{
	static const struct gf_text_col cols[] = {
		{ "n", 4, "N", NULL, 0 }, { "up", -9, "UP", "-> ", 0 },
		{ "when", -16, NULL, NULL, 0 }, { "note", -1, "NOTE", " ", 5 },
	};
	static const struct gf_text t = { cols, 4, 1 };
	const char *a[5] = { "0", "90061", "12", "abcdefgh", "twelve" };
	const char *b[5] = { "0", NULL, "no-counter", "=1+2", "none" };
	struct gf_rows r;
	char out[512], *got;
	FILE *f;
	size_t len;

	setenv("TZ", "UTC", 1);
	tzset();
	rows_init(&r, view_cols, 5);
	rows_add(&r, a);
	rows_add(&r, b);
	ok(r.nrows == 2 && strcmp(rows_cell(&r, 1, "note"), "=1+2") == 0 &&
	    rows_cell(&r, 1, "up") == NULL && rows_cell(&r, 0, "nope") == NULL, "rows: cells kept");
	view_out(GF_FMT_TEXT, &r, &t, out, sizeof(out));
	ok(strcmp(out, "   N    UP        when              NOTE\n"
	    "  12 -> 1d 01:01  -                 abcde\n"
	    "no-counter -> -         -                 =1+2\n") == 0,
	    "text: the layout's columns, separators, times, durations, clipped: %s", out);
	view_out(GF_FMT_TSV, &r, NULL, out, sizeof(out));
	ok(strcmp(out, "0\t90061\t12\tabcdefgh\n0\t-\tno-counter\t=1+2\n") == 0,
	    "TSV: every column but the label, raw, no heading: %s", out);
	view_out(GF_FMT_CSV, &r, NULL, out, sizeof(out));
	ok(strcmp(out, "when,up,n,note\r\n0,90061,12,abcdefgh\r\n0,,no-counter,\"'=1+2\"\r\n") == 0,
	    "CSV: a heading, a formula neutralised: %s", out);
	view_out(GF_FMT_JSON, &r, NULL, out, sizeof(out));
	ok(strcmp(out, "[\n {\"when\": 0, \"up\": 90061, \"n\": 12, \"note\": \"abcdefgh\"},\n"
	    " {\"when\": 0, \"up\": null, \"n\": \"no-counter\", \"note\": \"=1+2\"}\n]\n") == 0,
	    "JSON: numbers bare, a word in a number column a string: %s", out);
	f = open_memstream(&got, &len);
	out_json_keyed(f, &r, "note", "when");
	fclose(f);
	ok(strcmp(got, "{\n  \"abcdefgh\": {\"up\": 90061, \"n\": 12},\n"
	    "  \"=1+2\": {\"up\": null, \"n\": \"no-counter\"}}") == 0, "JSON keyed: %s", got);
	free(got);
	rows_free(&r);
}

int
main(void)
{
	test_json_str();
	test_csv_cell();
	test_plain_rows();
	test_out_rows();
	return tap_done();
}
