/* Reading CSV exports from other tools: untrusted bytes, every size capped. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "text.h"
#include "xmalloc.h"

/* What went wrong with the record being read, the first problem only. */
struct rec_state {
	int bad;			/* 1: the record is skipped, c->err says why */
	size_t flen;			/* bytes in the current field */
};

/* Formats "NAME:LINE: message" into c->err. */
static void __attribute__((format(printf, 3, 4)))
csv_err(struct gf_csv *c, unsigned line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, sizeof(c->err), "%.40s:%u: %s", c->name, line, msg);
}

/* Marks the record bad with the first reason given. */
static void __attribute__((format(printf, 3, 4)))
rec_bad(struct gf_csv *c, struct rec_state *st, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (st->bad)
		return;
	st->bad = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	csv_err(c, c->line, "%s", msg);
}

/* Guesses the separator from the header line: ';' when it has more of them than ','. */
static char
guess_sep(const unsigned char *b, size_t len)
{
	size_t i, semi = 0, comma = 0;
	int quoted = 0;

	for (i = 0; i < len; i++) {
		if (b[i] == '"')
			quoted = !quoted;
		else if (!quoted && (b[i] == '\n' || b[i] == '\r'))
			break;
		else if (!quoted && b[i] == ';')
			semi++;
		else if (!quoted && b[i] == ',')
			comma++;
	}
	return semi > comma ? ';' : ',';
}

void
csv_open(struct gf_csv *c, const char *name, const unsigned char *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->buf = buf;
	c->len = len;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c->pos = 3;
	c->sep = guess_sep(buf + c->pos, len - c->pos);
	c->line = c->next_line = 1;
	c->max_rows = GF_CSV_MAX_ROWS;
	/* A record is never longer than the text: a small file needs a small buffer. */
	c->reccap = len < GF_CSV_MAX_RECORD ? len : GF_CSV_MAX_RECORD;
	c->rec = xmalloc(c->reccap + GF_CSV_MAX_FIELDS + 1);
}

void
csv_close(struct gf_csv *c)
{
	free(c->rec);
	c->rec = NULL;
}

/* Appends byte B to the current field, unless a cap is reached (the record is then bad). */
static void
put(struct gf_csv *c, struct rec_state *st, unsigned char b)
{
	if (st->bad)
		return;
	if (b == '\0') {
		rec_bad(c, st, "field %zu holds a NUL byte", c->nfields);
		return;
	}
	if (++st->flen > GF_CSV_MAX_FIELD) {
		rec_bad(c, st, "field %zu is longer than %d bytes", c->nfields, GF_CSV_MAX_FIELD);
		return;
	}
	if (c->reclen >= c->reccap) {
		rec_bad(c, st, "record longer than %d bytes", GF_CSV_MAX_RECORD);
		return;
	}
	c->rec[c->reclen++] = (char)b;
}

/* Starts a new field; too many make the record bad. */
static void
field_start(struct gf_csv *c, struct rec_state *st)
{
	st->flen = 0;
	if (st->bad)
		return;
	if (c->nfields >= GF_CSV_MAX_FIELDS) {
		rec_bad(c, st, "more than %d fields", GF_CSV_MAX_FIELDS);
		return;
	}
	c->fields[c->nfields++] = c->rec + c->reclen;
}

/* Ends the current field with its NUL (room for it is kept beside the record's bytes). */
static void
field_end(struct gf_csv *c, const struct rec_state *st)
{
	if (!st->bad)
		c->rec[c->reclen++] = '\0';
}

/* Consumes a line end at pos (CR, LF or CRLF) and counts it; 1 if there was one. */
static int
eat_eol(struct gf_csv *c)
{
	if (c->pos >= c->len || (c->buf[c->pos] != '\r' && c->buf[c->pos] != '\n'))
		return 0;
	if (c->buf[c->pos] == '\r' && c->pos + 1 < c->len && c->buf[c->pos + 1] == '\n')
		c->pos++;
	c->pos++;
	c->next_line++;
	return 1;
}

/* Reads a quoted field from the opening quote at pos; -1 if the text ends inside it. */
static int
quoted_field(struct gf_csv *c, struct rec_state *st)
{
	unsigned start = c->next_line;
	unsigned char b;

	c->pos++;
	for (;;) {
		if (c->pos >= c->len) {
			csv_err(c, start, "a quoted field is never closed");
			return -1;
		}
		b = c->buf[c->pos];
		if (b == '"' && c->pos + 1 < c->len && c->buf[c->pos + 1] == '"') {
			put(c, st, '"');
			c->pos += 2;
		} else if (b == '"') {
			c->pos++;
			break;
		} else if (eat_eol(c)) {
			put(c, st, '\n');	/* CRLF inside quotes reads as one newline */
		} else {
			put(c, st, b);
			c->pos++;
		}
	}
	if (c->pos < c->len && c->buf[c->pos] != c->sep && c->buf[c->pos] != '\r' &&
	    c->buf[c->pos] != '\n')
		rec_bad(c, st, "text after the closing quote of field %zu", c->nfields);
	return 0;
}

/* Reads fields up to the end of the line or text; -1 as quoted_field. */
static int
read_fields(struct gf_csv *c, struct rec_state *st)
{
	unsigned char b;

	for (;;) {
		field_start(c, st);
		if (c->pos < c->len && c->buf[c->pos] == '"' && quoted_field(c, st) != 0)
			return -1;
		/* Unquoted bytes, or what follows a closing quote in a bad record. */
		while (c->pos < c->len && (b = c->buf[c->pos]) != c->sep && b != '\r' && b != '\n') {
			put(c, st, b);
			c->pos++;
		}
		field_end(c, st);
		if (c->pos < c->len && c->buf[c->pos] == c->sep) {
			c->pos++;
			continue;
		}
		eat_eol(c);
		return 0;
	}
}

/* Checks that every field is UTF-8 (the writer of the file chose the encoding, we cannot). */
static void
check_utf8(struct gf_csv *c, struct rec_state *st)
{
	size_t i;

	for (i = 0; i < c->nfields && !st->bad; i++)
		if (!gf_utf8_valid(c->fields[i]))
			rec_bad(c, st, "field %zu is not UTF-8 (save the file as UTF-8)", i + 1);
}

int
csv_next(struct gf_csv *c)
{
	struct rec_state st = { 0, 0 };

	while (eat_eol(c))		/* blank lines are no records */
		;
	if (c->pos >= c->len)
		return 0;
	c->line = c->next_line;
	if (c->nrecords > c->max_rows) {
		csv_err(c, c->line, "more than %zu rows: split the file", c->max_rows);
		return -1;
	}
	c->nfields = 0;
	c->reclen = 0;
	if (read_fields(c, &st) != 0)
		return -1;
	check_utf8(c, &st);
	c->nrecords++;
	if (st.bad) {
		c->nfields = 0;
		return 2;
	}
	return 1;
}

int
csv_slurp(const char *path, unsigned char **buf, size_t *len, char *err, size_t errsz)
{
	struct stat st;
	ssize_t n = 0;
	int fd, saved;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		gf_errf(err, errsz, "%.200s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > GF_CSV_MAX_FILE) {
		gf_errf(err, errsz, "%.200s: not a regular file of at most %d MB", path,
		    GF_CSV_MAX_FILE / (1024 * 1024));
		close(fd);
		return -1;
	}
	*buf = xmalloc((size_t)st.st_size + 1);
	while (*len < (size_t)st.st_size + 1 &&
	    (n = read(fd, *buf + *len, (size_t)st.st_size + 1 - *len)) > 0)
		*len += (size_t)n;
	saved = errno;
	close(fd);
	if (n < 0 || *len > (size_t)st.st_size) {
		gf_errf(err, errsz, "%.200s: %s", path, n < 0 ? strerror(saved) :
		    "grew while being read");
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}
