/* Text, CSV and JSON tables for the CLI. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"
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

void
out_begin(struct gf_table *t)
{
	char *plain;
	int i;

	t->nrows = 0;
	if (t->fmt == GF_FMT_JSON) {
		fputc('[', t->f);
		return;
	}
	if (t->fmt == GF_FMT_TSV)
		return;
	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			fputc(t->fmt == GF_FMT_CSV ? ',' : ' ', t->f);
		if (t->fmt == GF_FMT_CSV)
			out_csv_cell(t->f, t->cols[i]);
		else {
			plain = plain_cell(t->cols[i]);
			fprintf(t->f, "%*s", i == t->ncols - 1 && t->widths[i] < 0 ? 0 :
			    t->widths[i], plain);
			free(plain);
		}
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
			else if (t->numeric && t->numeric[i])
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
			plain = plain_cell(c);
			fprintf(t->f, "%s%*s", i ? " " : "", i == t->ncols - 1 &&
			    t->widths[i] < 0 ? 0 : t->widths[i], plain);
			free(plain);
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
