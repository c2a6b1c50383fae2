/*
 * Fuzz target: the CLI's table writers (src/common/output.c). Arbitrary bytes become
 * column names and cells; the CSV written must parse back (RFC 4180) to the
 * same rows, every cell guarded against formulas, the JSON must be valid
 * (no raw control character, valid UTF-8) and decode to the same strings, and
 * a TSV or text row must be one line (TSV: one tab between cells).
 *
 * Input: byte 0 picks the format (bits 0-1) and the column count (bits 2-4,
 * plus one); byte 1 marks numeric columns. The rest is split at NUL bytes:
 * the first strings name the columns, the others fill rows; a string "\x01"
 * is an unknown cell (NULL). Numeric cells are numbers made from their bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define MAX_STRS	264	/* column names and cells */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The text a CSV reader must get back for cell S: a ' before a formula character. */
static int
csv_want(const char *s, const char *got, size_t gotlen)
{
	size_t g = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	if (g && (gotlen == 0 || got[0] != '\''))
		return 0;
	return gotlen == strlen(s) + g && memcmp(got + g, s, gotlen - g) == 0;
}

/*
 * Reads one RFC 4180 field at *P; returns its unquoted text in BUF (length
 * *LEN), and the character that ended it (',', '\n' after CRLF, or 0 at the
 * end); aborts on anything a CSV reader would refuse.
 */
static int
csv_field(const char **p, const char *end, char *buf, size_t *len)
{
	const char *s = *p;

	*len = 0;
	if (s < end && *s == '"') {
		for (s++;; s++) {
			if (s >= end)
				abort();	/* unterminated quote */
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"')
					s++;
				else
					break;
			}
			buf[(*len)++] = *s;
		}
		s++;
	} else {
		for (; s < end && *s != ',' && *s != '\r'; s++) {
			if (*s == '"' || *s == '\n')
				abort();	/* a quote or a line break outside quotes */
			buf[(*len)++] = *s;
		}
	}
	if (s == end)
		abort();		/* every row ends with CRLF */
	if (*s == ',') {
		*p = s + 1;
		return ',';
	}
	if (*s != '\r' || s + 1 >= end || s[1] != '\n')
		abort();		/* text after a closing quote, or a lone CR */
	*p = s + 2;
	return '\n';
}

/* Checks one CSV row against WANT (NULL cells read back empty). */
static void
csv_row(const char **p, const char *end, const char *const *want, int ncols, char *buf)
{
	size_t len;
	int i, c;

	for (i = 0; i < ncols; i++) {
		c = csv_field(p, end, buf, &len);
		if (!csv_want(want[i] ? want[i] : "", buf, len))
			abort();
		if ((c == '\n') != (i == ncols - 1))
			abort();	/* wrong number of cells */
	}
}

/* Length of the valid UTF-8 sequence at S (independent of the writer), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, const unsigned char *end)
{
	unsigned cp, n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - s) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static void
skip_ws(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\n'))
		(*p)++;
}

static void
expect(const char **p, const char *end, char c)
{
	skip_ws(p, end);
	if (*p >= end || **p != c)
		abort();
	(*p)++;
}

static unsigned
hex4(const char *s)
{
	unsigned v = 0, i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (s[i] >= '0' && s[i] <= '9')
			v |= (unsigned)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			v |= (unsigned)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			v |= (unsigned)(s[i] - 'A' + 10);
		else
			abort();
	}
	return v;
}

/*
 * Reads one JSON string literal (RFC 8259) and checks it decodes to WANT:
 * byte for byte when WANT is valid UTF-8 (escapes below U+0080 only).
 */
static void
json_str(const char **p, const char *end, const char *want)
{
	const char *w = want;
	const char *s;
	size_t n;
	unsigned u;
	int valid = 1;

	for (s = want; *s; s += n)
		if ((n = utf8_len((const unsigned char *)s, (const unsigned char *)s + strlen(s))) == 0) {
			valid = 0;
			n = 1;
		}
	expect(p, end, '"');
	for (s = *p; s < end && *s != '"'; s += n) {
		if ((unsigned char)*s < 0x20)
			abort();	/* raw control character */
		if (*s == '\\') {
			if (s + 1 >= end)
				abort();
			n = 2;
			switch (s[1]) {
			case '"': case '\\': case '/': u = (unsigned char)s[1]; break;
			case 'b': u = '\b'; break;
			case 'f': u = '\f'; break;
			case 'n': u = '\n'; break;
			case 'r': u = '\r'; break;
			case 't': u = '\t'; break;
			case 'u':
				if (end - s < 6)
					abort();
				u = hex4(s + 2);
				n = 6;
				break;
			default:
				abort();
			}
			if (valid && (u >= 0x80 || (unsigned char)*w++ != u))
				abort();
			continue;
		}
		if ((n = utf8_len((const unsigned char *)s, (const unsigned char *)end)) == 0)
			abort();	/* JSON text is UTF-8 */
		if (valid && strncmp(w, s, n) != 0)
			abort();
		w += valid ? n : 0;
	}
	if (s >= end || (valid && *w != '\0'))
		abort();
	*p = s + 1;
}

/* Checks a JSON value: null, the number written, or the string. */
static void
json_value(const char **p, const char *end, const char *cell, int numeric)
{
	size_t n;

	skip_ws(p, end);
	if (cell == NULL || numeric) {
		n = strlen(cell ? cell : "null");
		if ((size_t)(end - *p) < n || memcmp(*p, cell ? cell : "null", n) != 0)
			abort();
		*p += n;
		return;
	}
	json_str(p, end, cell);
}

static void
check_json(const char *out, size_t len, const char *const *cols, const unsigned char *numeric,
    int ncols, const char *const *cells, int nrows)
{
	const char *p = out, *end = out + len;
	int r, i;

	expect(&p, end, '[');
	for (r = 0; r < nrows; r++) {
		if (r > 0)
			expect(&p, end, ',');
		expect(&p, end, '{');
		for (i = 0; i < ncols; i++) {
			if (i > 0)
				expect(&p, end, ',');
			json_str(&p, end, cols[i]);
			expect(&p, end, ':');
			json_value(&p, end, cells[r * ncols + i], numeric[i]);
		}
		expect(&p, end, '}');
	}
	expect(&p, end, ']');
	skip_ws(&p, end);
	if (p != end)
		abort();
}

static void
check_csv(const char *out, size_t len, const char *const *cols, int ncols,
    const char *const *cells, int nrows)
{
	const char *p = out, *end = out + len;
	char *buf = malloc(len + 1);
	int r;

	csv_row(&p, end, cols, ncols, buf);
	for (r = 0; r < nrows; r++)
		csv_row(&p, end, cells + r * ncols, ncols, buf);
	if (p != end)
		abort();
	free(buf);
}

/* A number as a caller prints one (integers, or one or two decimals), made from S's bytes. */
static char *
number_from(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	char buf[48];

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	if (h & 1)
		snprintf(buf, sizeof(buf), "%lld", (long long)(int64_t)h >> (h >> 58));
	else
		snprintf(buf, sizeof(buf), "%.*f", (int)(h >> 1 & 1) + 1,
		    (double)(int64_t)h / 1e9);
	return strdup(buf);
}

/*
 * TSV and text: rows are lines, TSV columns tabs. After text's header line
 * (column names are the program's own), every line is one row, and a TSV row
 * has exactly NCOLS - 1 tabs, whatever bytes the cells held.
 */
static void
check_lines(const char *out, size_t len, enum gf_fmt fmt, int ncols, int nrows)
{
	const char *p = out, *end = out + len, *nl;
	int lines = 0, tabs;

	if (fmt == GF_FMT_TEXT && (p = memchr(out, '\n', len)) != NULL)
		p++;	/* the header */
	for (; p != NULL && p < end; p = nl + 1, lines++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			abort();	/* a row must end its line */
		for (tabs = 0; p < nl; p++)
			tabs += *p == '\t';
		if (fmt == GF_FMT_TSV && tabs != ncols - 1)
			abort();
	}
	if (lines != nrows)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *strs[MAX_STRS], *cells[MAX_STRS];
	char *text, *out = NULL, *nums[MAX_STRS] = { 0 };
	unsigned char numeric[8];
	int widths[8], ncols, nstr = 0, ncells, nrows, i;
	struct gf_table t;
	size_t k, outlen = 0;

	if (size < 2)
		return 0;
	ncols = (data[0] >> 2 & 7) + 1;
	for (i = 0; i < ncols; i++) {
		numeric[i] = data[1] >> i & 1;
		widths[i] = (i & 1) ? -12 : 8;
	}
	/* The strings, each ended by NUL (the copy gets a final one). */
	text = malloc(size - 1);
	memcpy(text, data + 2, size - 2);
	text[size - 2] = '\0';
	for (k = 0; k < size - 1 && nstr < MAX_STRS; k += strlen(text + k) + 1)
		strs[nstr++] = text + k;
	if (nstr < ncols)
		goto done;
	ncells = nstr - ncols;
	nrows = ncells / ncols;
	for (i = 0; i < nrows * ncols; i++) {
		cells[i] = strcmp(strs[ncols + i], "\x01") == 0 ? NULL : strs[ncols + i];
		if (cells[i] != NULL && numeric[i % ncols])
			cells[i] = nums[i] = number_from(cells[i]);
	}
	memset(&t, 0, sizeof(t));
	t.f = open_memstream(&out, &outlen);
	t.fmt = (enum gf_fmt)(data[0] & 3);
	t.cols = strs;
	t.widths = widths;
	t.numeric = numeric;
	t.ncols = ncols;
	out_begin(&t);
	for (i = 0; i < nrows; i++)
		out_row(&t, cells + i * ncols);
	out_end(&t);
	fclose(t.f);
	if (t.fmt == GF_FMT_CSV)
		check_csv(out, outlen, strs, ncols, cells, nrows);
	else if (t.fmt == GF_FMT_JSON)
		check_json(out, outlen, strs, numeric, ncols, cells, nrows);
	else if (t.fmt == GF_FMT_TSV || memchr(out, '\n', outlen) != NULL)
		check_lines(out, outlen, t.fmt, ncols, nrows);
	free(out);
	for (i = 0; i < nrows * ncols; i++)
		free(nums[i]);
done:
	free(text);
	return 0;
}
