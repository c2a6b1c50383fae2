/*
 * libFuzzer target: the CSV reader (csvread.c) and the readers of import
 * cells (importmap.c) on any bytes, the input being a whole CSV file.
 * Properties checked: reading ends; a record returned has at most
 * GF_CSV_MAX_FIELDS fields, each valid UTF-8 without NUL nor CR and at most
 * GF_CSV_MAX_FIELD bytes; lines never go back; an error is one printable line
 * "t.csv:LINE: ..."; each record written back with RFC 4180 quoting reads back
 * the same; a date the import accepts is a real day.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "date.h"
#include "importmap.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless ERR is one printable line naming the file and a line. */
static void
check_err(const char *err)
{
	size_t i;

	if (strncmp(err, "t.csv:", 6) != 0 || err[6] < '1' || err[6] > '9')
		abort();
	for (i = 0; err[i] != '\0'; i++)
		if ((unsigned char)err[i] < 0x20 || (unsigned char)err[i] == 0x7f)
			abort();
}

/* Writes record C back quoted into a new buffer and reads it again: the same fields. */
static void
round_trip(const struct gf_csv *c)
{
	size_t cap = 16, n = 0, i, j;
	unsigned char *b;
	struct gf_csv r;
	const char *s;

	for (i = 0; i < c->nfields; i++)
		cap += 3 + 2 * strlen(c->fields[i]);
	b = malloc(cap);
	for (i = 0; i < c->nfields; i++) {
		if (i > 0)
			b[n++] = (unsigned char)c->sep;
		b[n++] = '"';
		for (s = c->fields[i]; *s != '\0'; s++) {
			if (*s == '"')
				b[n++] = '"';
			b[n++] = (unsigned char)*s;
		}
		b[n++] = '"';
	}
	b[n++] = '\n';
	csv_open(&r, "t.csv", b, n);
	r.sep = c->sep;
	if (csv_next(&r) != 1 || r.nfields != c->nfields)
		abort();
	for (j = 0; j < r.nfields; j++)
		if (strcmp(r.fields[j], c->fields[j]) != 0)
			abort();
	if (csv_next(&r) != 0)
		abort();
	csv_close(&r);
	free(b);
}

/* The cell readers of import on every field: a date accepted is a real day. */
static void
cells(const struct gf_csv *c)
{
	char day[11], why[128], f[256];
	size_t i;

	for (i = 0; i < c->nfields; i++) {
		if (imp_date(c->fields[i], day, why, sizeof(why)) == 0 &&
		    gf_date_parse(day, NULL, NULL, 0) != 0)
			abort();
		(void)imp_hw_type(c->fields[i]);
		(void)imp_status_retired(c->fields[i]);
		imp_fold(f, sizeof(f), c->fields[i]);
		if (strlen(f) >= sizeof(f))
			abort();
	}
}

/* Checks one record returned by csv_next. */
static void
check_record(const struct gf_csv *c)
{
	size_t i;

	if (c->nfields == 0 || c->nfields > GF_CSV_MAX_FIELDS)
		abort();
	for (i = 0; i < c->nfields; i++)
		if (strlen(c->fields[i]) > GF_CSV_MAX_FIELD || !gf_utf8_valid(c->fields[i]) ||
		    strchr(c->fields[i], '\r') != NULL)
			abort();
	round_trip(c);
	cells(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *want[IMP_NKEYS] = { NULL };
	struct imp_columns m;
	unsigned last = 0;
	struct gf_csv c;
	char err[256];
	int rc;

	csv_open(&c, "t.csv", data, size);
	c.max_rows = 50;
	while ((rc = csv_next(&c)) != 0) {
		if (c.line < last || c.line > c.next_line)
			abort();
		last = c.line;
		if (rc == -1 || rc == 2) {
			check_err(c.err);
			if (rc == -1)
				break;
			continue;
		}
		if (rc != 1)
			abort();
		check_record(&c);
		if (c.nrecords == 1)
			(void)imp_map_header(&m, c.fields, c.nfields, want, err, sizeof(err));
	}
	csv_close(&c);
	return 0;
}
