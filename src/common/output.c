/* Text, CSV and JSON tables for the CLI. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

static const char *const fmt_names[] = { "text", "tsv", "csv", "json" };

int
out_parse_format(const char *s, unsigned allowed, enum gf_fmt *f)
{
	int i;

	for (i = 0; i <= GF_FMT_JSON; i++)
		if ((allowed & (1u << i)) && strcmp(s, fmt_names[i]) == 0) {
			*f = (enum gf_fmt)i;
			return 0;
		}
	return -1;
}

void
out_csv_cell(FILE *f, const char *s)
{
	/* A spreadsheet runs a cell starting with one of these as a formula. */
	int guard = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	if (!guard && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (guard)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void
out_json_str(FILE *f, const char *s)
{
	const unsigned char *p;
	size_t n;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p += n) {
		n = gf_utf8_at((const char *)p);
		if (n == 0) {
			fputs("\\ufffd", f);	/* a byte that is no character: U+FFFD */
			n = 1;
		} else if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fwrite(p, 1, n, f);
	}
	fputc('"', f);
}

/*
 * A copy of cell C for text and TSV, whose rows are lines and columns tabs:
 * a tab, line end or other C0 control (from a state file or an argument)
 * becomes a space, so a cell can never make another column or row. NULL is "-".
 */
static char *
plain_cell(const char *c)
{
	char *s = xstrdup(c != NULL ? c : "-");
	unsigned char *p;

	for (p = (unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return s;
}

/*
 * One text cell: the space between columns (none before the first), SEP (or
 * as many spaces on a heading), then C padded to WIDTH (the last column, left
 * aligned, is not padded: no trailing blanks).
 */
/*
 * S padded to WIDTH characters (negative: left-aligned) as printf's %*s
 * would, counting characters, not bytes: "État civil" lines up with ASCII.
 */
static void
pad_utf8(FILE *f, int width, const char *s)
{
	size_t chars = 0, k, w = (size_t)(width < 0 ? -width : width);
	const char *p;

	for (p = s; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			chars++;
	if (width > 0)
		for (k = chars; k < w; k++)
			fputc(' ', f);
	fputs(s, f);
	if (width < 0)
		for (k = chars; k < w; k++)
			fputc(' ', f);
}

static void
text_cell(FILE *f, int i, int n, int width, const char *sep, int heading, const char *c)
{
	char *plain = plain_cell(c);

	if (i > 0)
		fputc(' ', f);
	if (sep != NULL && heading)
		fprintf(f, "%*s", (int)strlen(sep), "");
	else if (sep != NULL)
		fputs(sep, f);
	pad_utf8(f, i == n - 1 && width < 0 ? 0 : width, plain);
	free(plain);
}

/* Whether S is a JSON number (RFC 8259), so it may be written bare. */
static int
json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return 0;
	if (*s == '.') {
		if (strspn(++s, "0123456789") == 0)
			return 0;
		s += strspn(s, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (strspn(s, "0123456789") == 0)
			return 0;
		s += strspn(s, "0123456789");
	}
	return *s == '\0';
}

void
out_begin(struct gf_table *t)
{
	int i;

	t->nrows = 0;
	if (t->fmt == GF_FMT_JSON) {
		fputc('[', t->f);
		return;
	}
	if (t->fmt == GF_FMT_TSV)
		return;
	for (i = 0; i < t->ncols; i++) {
		if (i > 0 && t->fmt == GF_FMT_CSV)
			fputc(',', t->f);
		if (t->fmt == GF_FMT_CSV)
			out_csv_cell(t->f, t->cols[i]);
		else
			text_cell(t->f, i, t->ncols, t->widths[i], NULL, 1, t->cols[i]);
	}
	fputs(t->fmt == GF_FMT_CSV ? "\r\n" : "\n", t->f);
}

void
out_row(struct gf_table *t, const char *const *cells)
{
	const char *c;
	char *plain;
	int i;

	if (t->fmt == GF_FMT_JSON)
		fputs(t->nrows ? ",\n {" : "\n {", t->f);
	for (i = 0; i < t->ncols; i++) {
		c = cells[i];
		switch (t->fmt) {
		case GF_FMT_JSON:
			fprintf(t->f, "%s", i ? ", " : "");
			out_json_str(t->f, t->cols[i]);
			fputs(": ", t->f);
			if (c == NULL)
				fputs("null", t->f);
			else if (t->numeric && t->numeric[i] && json_number(c))
				fputs(c, t->f);
			else
				out_json_str(t->f, c);
			break;
		case GF_FMT_CSV:
			if (i)
				fputc(',', t->f);
			out_csv_cell(t->f, c ? c : "");
			break;
		case GF_FMT_TSV:
			plain = plain_cell(c);
			fprintf(t->f, "%s%s", i ? "\t" : "", plain);
			free(plain);
			break;
		case GF_FMT_TEXT:
			text_cell(t->f, i, t->ncols, t->widths[i], NULL, 0, c);
			break;
		}
	}
	if (t->fmt == GF_FMT_JSON)
		fputc('}', t->f);
	else
		fputs(t->fmt == GF_FMT_CSV ? "\r\n" : "\n", t->f);
	t->nrows++;
}

void
out_end(struct gf_table *t)
{
	if (t->fmt == GF_FMT_JSON)
		fputs(t->nrows ? "\n]\n" : "]\n", t->f);
}

void
rows_init(struct gf_rows *r, const struct gf_col *cols, int ncols)
{
	memset(r, 0, sizeof(*r));
	r->cols = cols;
	r->ncols = ncols;
}

void
rows_add(struct gf_rows *r, const char *const *cells)
{
	char **row;
	int i;

	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->cells = xreallocarray(r->cells, r->cap * (size_t)r->ncols, sizeof(char *));
	}
	row = r->cells + r->nrows++ * (size_t)r->ncols;
	for (i = 0; i < r->ncols; i++)
		row[i] = cells[i] != NULL ? xstrdup(cells[i]) : NULL;
}

/* The index of column NAME, or -1. */
static int
col_index(const struct gf_rows *r, const char *name)
{
	int i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].name, name) == 0)
			return i;
	return -1;
}

const char *
rows_cell(const struct gf_rows *r, size_t row, const char *name)
{
	int i = col_index(r, name);

	if (i < 0 || row >= r->nrows)
		return NULL;
	return r->cells[row * (size_t)r->ncols + (size_t)i];
}

void
rows_free(struct gf_rows *r)
{
	size_t i;

	for (i = 0; r->cells != NULL && i < r->nrows * (size_t)r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

/* Cell C of a column of TYPE as text shows it, in BUF when it is rewritten. */
static const char *
text_of(const char *c, enum gf_col_type type, int clip, char *buf, size_t sz)
{
	struct tm tm;
	time_t t;

	if (c == NULL)
		return NULL;
	if (type == GF_COL_TIME) {
		t = (time_t)strtoll(c, NULL, 10);
		if (t <= 0 || localtime_r(&t, &tm) == NULL)
			return "-";
		strftime(buf, sz, "%Y-%m-%d %H:%M", &tm);
		return buf;
	}
	if (type == GF_COL_SECS) {
		gf_fmt_uptime(buf, sz, strtoull(c, NULL, 10));
		return buf;
	}
	if (clip > 0) {
		gf_clean_str(buf, (size_t)clip + 1 < sz ? (size_t)clip + 1 : sz,
		    (const unsigned char *)c, strlen(c));
		return buf;
	}
	return c;
}

/* Text: the columns of layout T, a heading line first when it asks for one. */
static void
text_rows(FILE *f, const struct gf_rows *r, const struct gf_text *t)
{
	const struct gf_text_col *tc;
	char buf[1024];
	size_t row;
	int i, k;

	for (i = 0; t->header && i < t->ncols; i++) {
		tc = &t->cols[i];
		text_cell(f, i, t->ncols, tc->width, tc->sep, 1, tc->head ? tc->head : tc->col);
	}
	if (t->header)
		fputc('\n', f);
	for (row = 0; row < r->nrows; row++) {
		for (i = 0; i < t->ncols; i++) {
			tc = &t->cols[i];
			k = col_index(r, tc->col);
			text_cell(f, i, t->ncols, tc->width, tc->sep, 0, k < 0 ? NULL :
			    text_of(r->cells[row * (size_t)r->ncols + (size_t)k], r->cols[k].type,
			    tc->clip, buf, sizeof(buf)));
		}
		fputc('\n', f);
	}
}

void
out_rows(FILE *f, enum gf_fmt fmt, const struct gf_rows *r, const struct gf_text *t)
{
	const char **names = xcalloc((size_t)r->ncols + 1, sizeof(char *));
	const char **cells = xcalloc((size_t)r->ncols + 1, sizeof(char *));
	unsigned char *num = xcalloc((size_t)r->ncols + 1, 1);
	struct gf_table tab = { f, fmt, names, NULL, num, 0, 0 };
	size_t row;
	int i;

	if (fmt == GF_FMT_TEXT && t != NULL) {
		text_rows(f, r, t);
		goto done;
	}
	for (i = 0; i < r->ncols; i++)
		if (r->cols[i].type != GF_COL_LABEL) {
			num[tab.ncols] = r->cols[i].type != GF_COL_STR;
			names[tab.ncols++] = r->cols[i].name;
		}
	/* Text without a layout: every column, unpadded. */
	tab.widths = fmt == GF_FMT_TEXT ? xcalloc((size_t)r->ncols + 1, sizeof(int)) : NULL;
	out_begin(&tab);
	for (row = 0; row < r->nrows; row++) {
		for (i = 0, tab.ncols = 0; i < r->ncols; i++)
			if (r->cols[i].type != GF_COL_LABEL)
				cells[tab.ncols++] = r->cells[row * (size_t)r->ncols + (size_t)i];
		out_row(&tab, cells);
	}
	out_end(&tab);
	free((void *)tab.widths);
done:
	free(names);
	free(cells);
	free(num);
}

void
out_json_keyed(FILE *f, const struct gf_rows *r, const char *key, const char *skip)
{
	const char *c;
	size_t row;
	int k = col_index(r, key), x = skip ? col_index(r, skip) : -1, i, n;

	fputc('{', f);
	for (row = 0; k >= 0 && row < r->nrows; row++) {
		fputs(row ? ",\n  " : "\n  ", f);
		out_json_str(f, (c = r->cells[row * (size_t)r->ncols + (size_t)k]) ? c : "");
		fputs(": {", f);
		for (i = 0, n = 0; i < r->ncols; i++) {
			if (i == k || i == x || r->cols[i].type == GF_COL_LABEL)
				continue;
			fputs(n++ ? ", " : "", f);
			out_json_str(f, r->cols[i].name);
			fputs(": ", f);
			if ((c = r->cells[row * (size_t)r->ncols + (size_t)i]) == NULL)
				fputs("null", f);
			else if (r->cols[i].type != GF_COL_STR && json_number(c))
				fputs(c, f);
			else
				out_json_str(f, c);
		}
		fputc('}', f);
	}
	fputc('}', f);
}
