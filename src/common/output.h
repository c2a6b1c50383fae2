/*
 * Tabular output for the CLI: text, RFC 4180 CSV and JSON from one table
 * description, so every command quotes and escapes the same way. Cells are
 * untrusted (department names, device ids): CSV cells that a spreadsheet
 * would read as a formula are neutralised, JSON strings are escaped.
 */
#ifndef GF_OUTPUT_H
#define GF_OUTPUT_H

#include <stdio.h>

enum gf_fmt { GF_FMT_TEXT, GF_FMT_TSV, GF_FMT_CSV, GF_FMT_JSON };

/* Parses "text", "tsv", "csv", "json" among the formats ALLOWED (a bit mask of 1 << fmt). */
int out_parse_format(const char *s, unsigned allowed, enum gf_fmt *f);

/* A CSV cell: quoted when needed; a leading = + - @ tab or CR gets a ' first. */
void out_csv_cell(FILE *f, const char *s);

/* A JSON string literal, quotes included; a byte that is not UTF-8 becomes U+FFFD. */
void out_json_str(FILE *f, const char *s);

/*
 * A table being written: columns named once, then rows of cells. Text pads
 * columns to WIDTHS; JSON writes an array of objects whose keys are the
 * column names, with cells marked numeric written bare and NULL as null.
 */
struct gf_table {
	FILE *f;
	enum gf_fmt fmt;
	const char *const *cols;
	const int *widths;		/* text: column widths (negative: left-aligned) */
	const unsigned char *numeric;	/* JSON: bare numbers */
	int ncols;
	int nrows;
};

void out_begin(struct gf_table *t);
/* Writes one row of t->ncols cells; NULL is unknown ("-", empty, null). */
void out_row(struct gf_table *t, const char *const *cells);
void out_end(struct gf_table *t);

#endif
