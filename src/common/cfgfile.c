#include "config.h"

/* libconfig files read safely: each @include target is checked before libconfig opens it. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgfile.h"
#include "xmalloc.h"

#define NAME_SHOWN	200	/* bytes of an include name quoted in a message */
#define MAX_ERRORS	20	/* a file of a million bad includes is not a million lines */

/* libconfig's scanner start conditions that can span lines (and files). */
enum lex { LX_INITIAL, LX_COMMENT, LX_STRING };

/* One check of a file and its includes: the lexer state libconfig would have, and the bounds. */
struct scan {
	const char *include_dir;	/* libconfig prefixes include names with it when set */
	int flags;
	FILE *errs;
	int nerr;
	int nfiles;
	size_t total;
	enum lex lex;
	int bol;			/* at the beginning of a line: flex's '^' */
};

static void scan_text(struct scan *, const char *, const char *, size_t, int);

/* Reads the open regular file FD of SIZE bytes, at most MAX; NULL with *WHY on failure. */
static char *
read_fd(int fd, size_t size, size_t max, size_t *len, const char **why)
{
	size_t cap = size < max ? size + 1 : max + 1, got = 0;
	char *buf = xmalloc(cap + 1);
	ssize_t n;

	/* One byte more than expected: a file that grew past the bound is caught. */
	while (got < cap && (n = read(fd, buf + got, cap - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	if (got > max) {
		*why = "File too large (a configuration file is at most 8 MiB)";
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}

/*
 * Opens PATH without blocking (a FIFO would) and reads it if it is a regular
 * file of at most MAX bytes; NULL with *WHY otherwise.
 */
static char *
slurp(const char *path, size_t max, size_t *len, const char **why)
{
	struct stat st;
	char *text = NULL;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) == -1) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) == -1)
		*why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		*why = strerror(EISDIR);
	else if (!S_ISREG(st.st_mode))
		*why = "Not a regular file (a FIFO, socket or device)";
	else if ((unsigned long long)st.st_size > max)
		*why = "File too large (a configuration file is at most 8 MiB)";
	else
		text = read_fd(fd, (size_t)st.st_size, max, len, why);
	close(fd);
	return text;
}

/* Reports one problem of the @include of NAME at FILE:LINE. */
static void
include_err(struct scan *s, const char *file, int line, const char *name, size_t nlen,
    const char *why)
{
	fprintf(s->errs, "%s:%d: @include \"%.*s%s\": %s\n", file, line,
	    (int)(nlen > NAME_SHOWN ? NAME_SHOWN : nlen), name, nlen > NAME_SHOWN ? "..." : "",
	    why);
	s->nerr++;
}

/* Checks and scans the file that "@include NAME" at FILE:LINE (DEPTH deep) names. */
static void
follow(struct scan *s, const char *file, int line, const char *name, size_t nlen, int depth)
{
	const char *why = NULL;
	char *full, *text;
	size_t len, room;

	if (s->flags & GF_CFG_NOINCLUDE)
		why = "includes are not allowed here";
	else if (depth >= GF_CFG_MAX_DEPTH)
		why = "includes nested more than 10 deep (does a file include itself?)";
	else if (++s->nfiles > GF_CFG_MAX_FILES)
		why = "more than 256 included files";
	if (why != NULL) {
		include_err(s, file, line, name, nlen, why);
		return;
	}
	/* As libconfig 1.5 does: INCLUDE_DIR "/" NAME, else NAME as given (relative to the cwd). */
	len = (s->include_dir ? strlen(s->include_dir) + 1 : 0) + nlen + 1;
	full = xmalloc(len);
	snprintf(full, len, "%s%s%.*s", s->include_dir ? s->include_dir : "",
	    s->include_dir ? "/" : "", (int)nlen, name);
	room = GF_CFG_MAX_TOTAL - s->total;
	if ((text = slurp(full, room < GF_CFG_MAX_FILE ? room : GF_CFG_MAX_FILE, &len, &why)) == NULL) {
		if (why != NULL && strchr(full, '*') != NULL)
			why = "no such file (patterns are not expanded: name each file)";
		include_err(s, file, line, name, nlen, why);
		free(full);
		return;
	}
	free(full);
	s->total += len;
	/* libconfig names the included file as the @include line wrote it. */
	full = xmalloc(nlen + 1);
	memcpy(full, name, nlen);
	full[nlen] = '\0';
	s->bol = 1;		/* a new flex buffer starts at a line's beginning */
	scan_text(s, full, text, len, depth + 1);
	s->bol = 0;		/* back after the closing quote; the start condition carries over */
	free(full);
	free(text);
}

/*
 * At P (a line's beginning), matches libconfig's include_open, ^[ \t]*@include[ \t]+\",
 * and returns the length matched, or 0.
 */
static size_t
include_open(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if ((size_t)(end - q) < 9 || memcmp(q, "@include", 8) != 0 || (q[8] != ' ' && q[8] != '\t'))
		return 0;
	for (q += 8; q < end && (*q == ' ' || *q == '\t'); q++)
		;
	return q < end && *q == '"' ? (size_t)(q + 1 - p) : 0;
}

/*
 * Reads the include name at P up to its closing quote and follows it; returns
 * where scanning goes on. Backslashes and control characters are refused:
 * libconfig would echo the one to stdout and cut the name at a NUL.
 */
static const char *
include_name(struct scan *s, const char *file, int line, const char *p, const char *end,
    int depth)
{
	const char *q;

	for (q = p; q < end && *q != '"'; q++) {
		if (*q == '\\' || (unsigned char)*q < 0x20 || *q == 0x7f) {
			include_err(s, file, line, p, (size_t)(q - p),
			    *q == '\\' ? "a backslash in the file name" :
			    *q == '\n' ? "unterminated file name" :
			    "a control character in the file name");
			return end;	/* the lexer state after it is anyone's guess */
		}
	}
	if (q == end) {
		include_err(s, file, line, p, (size_t)(q - p), "unterminated file name");
		return end;
	}
	if (q == p)
		include_err(s, file, line, p, 0, "empty file name");
	else
		follow(s, file, line, p, (size_t)(q - p), depth);
	return q + 1;
}

/*
 * Walks TEXT as libconfig 1.5's scanner would (comments, strings, include
 * lines at a line's beginning) and follows every include it finds.
 */
static void
scan_text(struct scan *s, const char *file, const char *text, size_t len, int depth)
{
	const char *p = text, *end = text + len;
	size_t n;
	int line = 1;

	while (p < end && s->nerr < MAX_ERRORS) {
		if (s->lex == LX_COMMENT) {
			if (p + 1 < end && p[0] == '*' && p[1] == '/') {
				s->lex = LX_INITIAL;
				p++;
			} else if (*p == '\n')
				line++;
			s->bol = 0;
			p++;
		} else if (s->lex == LX_STRING) {
			if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
				p++;
			else if (*p == '"')
				s->lex = LX_INITIAL;
			else if (*p == '\n')
				line++;
			s->bol = 0;
			p++;
		} else if (s->bol && (n = include_open(p, end)) > 0) {
			p = include_name(s, file, line, p + n, end, depth);
			s->bol = 0;
		} else if (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/')) {
			while (p < end && *p != '\n')
				p++;
		} else {
			if (*p == '/' && p + 1 < end && p[1] == '*') {
				s->lex = LX_COMMENT;
				p++;
			} else if (*p == '"')
				s->lex = LX_STRING;
			else if (*p == '\n')
				line++;
			s->bol = *p == '\n';
			p++;
		}
	}
}

/* Reports libconfig's own error, which names its file (the top one when it has none). */
static void
libconfig_err(const config_t *cfg, const char *path, FILE *errs)
{
	const char *file = config_error_file(cfg);

	if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
		fprintf(errs, "%s: cannot read: %s\n", file != NULL ? file : path,
		    config_error_text(cfg));
	else
		fprintf(errs, "%s:%d: %s\n", file != NULL ? file : path, config_error_line(cfg),
		    config_error_text(cfg));
}

int
cfgfile_read(config_t *cfg, const char *path, int flags, FILE *errs)
{
	struct scan s = { config_get_include_dir(cfg), flags, errs, 0, 0, 0, LX_INITIAL, 1 };
	const char *why = NULL;
	char *text;
	size_t len;

	if ((text = slurp(path, GF_CFG_MAX_FILE, &len, &why)) == NULL) {
		fprintf(errs, "%s: cannot read: %s\n", path, why);
		return 1;
	}
	s.total = len;
	scan_text(&s, path, text, len, 0);
	free(text);
	if (s.nerr > 0)
		return s.nerr;
	if (config_read_file(cfg, path) == CONFIG_FALSE) {
		libconfig_err(cfg, path, errs);
		return 1;
	}
	return 0;
}
