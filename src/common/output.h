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

/* How a column's cells read: the same string in every format but text. */
enum gf_col_type {
	GF_COL_STR,		/* words */
	GF_COL_NUM,		/* a number: bare in JSON when it is one */
	GF_COL_TIME,		/* Unix seconds; text shows the local "YYYY-MM-DD HH:MM", "-" if 0 */
	GF_COL_SECS,		/* a duration in seconds; text shows "12d 03:04" */
	GF_COL_LABEL		/* words for people: text only, never in TSV, CSV or JSON */
};

struct gf_col {
	const char *name;	/* the JSON key and CSV heading */
	enum gf_col_type type;
};

/* Rows of string cells under named columns: what a view computes and a front end prints. */
struct gf_rows {
	const struct gf_col *cols;
	int ncols;
	char **cells;		/* nrows x ncols, row by row; NULL is unknown */
	size_t nrows, cap;
};

void rows_init(struct gf_rows *r, const struct gf_col *cols, int ncols);
/* Appends a row of r->ncols cells (copied; NULL stays unknown). */
void rows_add(struct gf_rows *r, const char *const *cells);
/* Row ROW's cell of column NAME, or NULL (unknown, or no such column). */
const char *rows_cell(const struct gf_rows *r, size_t row, const char *name);
void rows_free(struct gf_rows *r);

/* One column as text shows it: which, how wide, under what heading. */
struct gf_text_col {
	const char *col;	/* column name in the rows */
	int width;		/* negative: left-aligned; the last column is never padded */
	const char *head;	/* heading; NULL: the column name */
	const char *sep;	/* after the space before the cell (" -> "); the heading gets spaces */
	int clip;		/* > 0: shown cleaned and cut to this many bytes */
};

/* A text layout of the columns of array A, with a heading line or not: the count follows A. */
#define GF_TEXT(a, header)	{ (a), (int)(sizeof(a) / sizeof((a)[0])), (header) }

struct gf_text {
	const struct gf_text_col *cols;
	int ncols;
	int header;		/* a heading line first */
};

/*
 * The one table writer: rows R as FMT onto F. Text shows the columns of
 * layout T; TSV (no heading), CSV (a heading) and JSON (an array of objects)
 * show every column but labels, in the rows' order, under their names.
 */
void out_rows(FILE *f, enum gf_fmt fmt, const struct gf_rows *r, const struct gf_text *t);

/*
 * A JSON object of objects: each row under the value of its column KEY, with
 * its other columns inside but SKIP (NULL: none), one the caller writes once.
 */
void out_json_keyed(FILE *f, const struct gf_rows *r, const char *key, const char *skip);

#endif
