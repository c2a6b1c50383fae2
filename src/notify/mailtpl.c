/* Mail templates: NAME.LANG.txt files read and checked, and their placeholders filled. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mailbuf.h"
#include "mailtpl.h"
#include "text.h"
#include "xmalloc.h"

#define TMPL_MAX	65536	/* a template is a page of text, not a data file */

/* ASCII letters and digits, whatever the locale. */
static int
alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int
word_char(char c)
{
	return alnum(c) || c == '_';
}

/* Index of the key spelled S (LEN bytes) among KEYS, or N. */
static size_t
key_find(const char *const *keys, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (keys[i] != NULL && strlen(keys[i]) == len && memcmp(keys[i], s, len) == 0)
			return i;
	return n;
}

/*
 * The placeholder starting at P (a '{'): its kind ('?', '!' or 0 for a
 * plain "{name}") and key index into *IDX; returns the byte after its '}',
 * or NULL when P starts none of a known key (then it is left as written).
 */
static const char *
placeholder(const char *p, const char *const *keys, size_t n, int *kind, size_t *idx)
{
	const char *q = p + 1, *name;

	*kind = 0;
	if (*q == '?' || *q == '!')
		*kind = *q++;
	for (name = q; word_char(*q); q++)
		;
	if (*q != '}' || (*idx = key_find(keys, n, name, (size_t)(q - name))) == n)
		return NULL;
	return q + 1;
}

/* Whether the line from P to END is kept: each "{?key}" wants a value, each "{!key}" none. */
static int
line_kept(const char *p, const char *end, const char *const *keys, const char *const *vals,
    size_t n)
{
	const char *q;
	size_t i;
	int kind, set;

	for (; p < end; p++) {
		if (*p != '{')
			continue;
		if (p[1] == '{') {
			p++;
			continue;
		}
		if ((q = placeholder(p, keys, n, &kind, &i)) == NULL || kind == 0)
			continue;
		set = vals[i] != NULL && vals[i][0] != '\0';
		if (set != (kind == '?'))
			return 0;
		p = q - 1;
	}
	return 1;
}

/* Fills the line from P to END (its "\n" included): markers give nothing, keys their value. */
static void
fill_line(struct sbuf *sb, const char *p, const char *end, const char *const *keys,
    const char *const *vals, size_t n)
{
	const char *q;
	size_t i;
	int kind;

	while (p < end) {
		if (*p != '{') {
			q = memchr(p, '{', (size_t)(end - p));
			q = q ? q : end;
			sb_add(sb, p, (size_t)(q - p));
			p = q;
		} else if (p[1] == '{') {
			sb_addc(sb, '{');
			p += 2;
		} else if ((q = placeholder(p, keys, n, &kind, &i)) != NULL) {
			if (kind == 0)
				sb_adds(sb, vals[i] ? vals[i] : "");
			p = q;
		} else {
			sb_addc(sb, *p++);
		}
	}
}

char *
mail_fill(const char *tmpl, const char *const *keys, const char *const *vals, size_t n)
{
	struct sbuf sb = { 0 };
	const char *line, *nl, *next;

	for (line = tmpl; *line != '\0'; line = next) {
		nl = strchr(line, '\n');
		next = nl ? nl + 1 : line + strlen(line);
		if (line_kept(line, nl ? nl : next, keys, vals, n))
			fill_line(&sb, line, next, keys, vals, n);
	}
	return sb_done(&sb);
}

/* A template name or language that is safe as part of a file name. */
static int
tmpl_word_ok(const char *s)
{
	size_t n;

	for (n = 0; s != NULL && s[n] != '\0'; n++)
		if (!word_char(s[n]) && s[n] != '-')
			return 0;
	return n > 0 && n <= 64;
}

/* Reads PATH whole (at most TMPL_MAX bytes); -1 with errno set: EFBIG, or EINVAL for no regular file. */
static int
read_small(const char *path, char **text, size_t *len)
{
	/* Non-blocking: a FIFO in place of a template must not stall the poller. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), err = 0;
	struct stat st;
	FILE *f = NULL;
	char *buf;
	size_t n;

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	else if ((f = fdopen(fd, "r")) == NULL)
		err = errno;
	if (f == NULL) {
		close(fd);
		errno = err;
		return -1;
	}
	buf = xmalloc(TMPL_MAX + 1);
	n = fread(buf, 1, TMPL_MAX + 1, f);
	if (ferror(f) || n > TMPL_MAX) {
		errno = ferror(f) ? EIO : EFBIG;
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

/* Why read_small failed, in words. */
static const char *
read_why(int err)
{
	return err == EINVAL ? "Not a regular file" : strerror(err);
}

/* Opens NAME.LANG.txt, or NAME.en.txt when the first does not exist; PATH is the one read. */
static int
tmpl_read(const char *dir, const char *name, const char *lang, char *path, size_t pathsz,
    char **text, size_t *len, FILE *errs)
{
	char first[4096];

	snprintf(path, pathsz, "%s/%s.%s.txt", dir, name, lang);
	if (read_small(path, text, len) == 0)
		return 0;
	if (errno == ENOENT && strcmp(lang, "en") != 0) {
		snprintf(first, sizeof(first), "%s", path);
		snprintf(path, pathsz, "%s/%s.en.txt", dir, name);
		if (read_small(path, text, len) == 0)
			return 0;
		fprintf(errs, "%s: cannot read: %s (the fallback for %s)\n", path,
		    read_why(errno), first);
		return -1;
	}
	fprintf(errs, "%s: cannot read: %s\n", path, read_why(errno));
	return -1;
}

/* What is wrong with one line of LEN bytes (without its "\n"), or NULL. */
static const char *
tmpl_line_error(const unsigned char *s, size_t len)
{
	size_t i, n;

	if (len > 0 && s[len - 1] == '\r')
		len--;		/* a file saved with CRLF line ends */
	for (i = 0; i < len; i += n) {
		if (s[i] == '\0')
			return "NUL byte";
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return "control character";
		if ((n = gf_utf8_len(s + i, len - i)) == 0)
			return "invalid UTF-8 (save the file as UTF-8)";
	}
	return NULL;
}

/* Checks every line, reporting each bad one, and copies TEXT with "\n" line ends into OUT. */
static int
tmpl_lines(const char *path, const char *text, size_t len, struct sbuf *out, FILE *errs)
{
	const char *line = text, *nl, *end = text + len;
	const char *why;
	size_t n;
	int lineno, bad = 0;

	for (lineno = 1; line < end; lineno++, line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		nl = nl ? nl : end;
		n = (size_t)(nl - line);
		if ((why = tmpl_line_error((const unsigned char *)line, n)) != NULL) {
			fprintf(errs, "%s:%d: %s\n", path, lineno, why);
			bad = 1;
		}
		if (n > 0 && line[n - 1] == '\r')
			n--;
		sb_add(out, line, n);
		if (nl < end)
			sb_addc(out, '\n');
	}
	return bad ? -1 : 0;
}

/* LEN bytes at S hold only blanks. */
static int
blank(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len == 0;
}

/* "Subject: ...", a blank line, the body: each departure named with its line. */
static int
tmpl_split(const char *path, const char *s, char **subject, char **body, FILE *errs)
{
	const char *nl = strchr(s, '\n'), *nl2;
	size_t n = nl ? (size_t)(nl - s) : strlen(s);
	const char *v = s + strlen("Subject:");

	if (n < strlen("Subject:") || strncasecmp(s, "Subject:", strlen("Subject:")) != 0) {
		fprintf(errs, "%s:1: the first line must be \"Subject: ...\"\n", path);
		return -1;
	}
	while (*v == ' ' || *v == '\t')
		v++;
	if (blank(v, (size_t)(s + n - v))) {
		fprintf(errs, "%s:1: the subject is empty\n", path);
		return -1;
	}
	nl2 = nl ? strchr(nl + 1, '\n') : NULL;
	if (nl == NULL || !blank(nl + 1, nl2 ? (size_t)(nl2 - nl - 1) : strlen(nl + 1))) {
		fprintf(errs, "%s:2: a blank line must follow the subject\n", path);
		return -1;
	}
	if (nl2 == NULL || strspn(nl2 + 1, " \t\n") == strlen(nl2 + 1)) {
		fprintf(errs, "%s:3: the body is empty\n", path);
		return -1;
	}
	for (n = (size_t)(s + n - v); v[n - 1] == ' ' || v[n - 1] == '\t'; n--)
		;
	*subject = xmalloc(n + 1);
	memcpy(*subject, v, n);
	(*subject)[n] = '\0';
	*body = xstrdup(nl2 + 1);
	return 0;
}

int
mail_template_load(const char *dir, const char *name, const char *lang, char **subject,
    char **body)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *errs;
	int rc;

	/* The daemon's stderr is /dev/null once it runs in the background: errors go to the log. */
	if ((errs = open_memstream(&buf, &len)) == NULL) {
		*subject = *body = NULL;
		log_warnx("mail: %s", strerror(errno));
		return -1;
	}
	rc = mail_template_read(dir, name, lang, subject, body, errs);
	fclose(errs);
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		log_warnx("%s", line);
	free(buf);
	return rc;
}

int
mail_template_read(const char *dir, const char *name, const char *lang, char **subject,
    char **body, FILE *errs)
{
	struct sbuf sb = { 0 };
	char path[4096];
	char *text;
	size_t len;
	int rc;

	*subject = *body = NULL;
	if (!tmpl_word_ok(name) || !tmpl_word_ok(lang)) {
		fprintf(errs, "%s: mail template name or language is not a plain word\n", dir);
		return -1;
	}
	if (tmpl_read(dir, name, lang, path, sizeof(path), &text, &len, errs) == -1)
		return -1;
	sb_add(&sb, "", 0);
	rc = tmpl_lines(path, text, len, &sb, errs);
	if (rc == 0)
		rc = tmpl_split(path, sb.p, subject, body, errs);
	free(sb.p);
	free(text);
	return rc;
}
