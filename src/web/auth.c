/* The users file of greenfleet-web and password checks with crypt(3). */
#include "config.h"

#include <sys/stat.h>

#include <crypt.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "xmalloc.h"

#define MAX_LINE	1024
#define NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-"
#define HASH_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./$=,"

/* Where the errors of one file go. */
struct ld {
	const char *path;
	FILE *errs;
	unsigned line;
	int nerr;
};

static int ld_err(struct ld *, const char *, ...) __attribute__((format(printf, 2, 3)));

/* Prints "PATH:LINE: message" and counts it; -1, for the caller to return. */
static int
ld_err(struct ld *l, const char *fmt, ...)
{
	va_list ap;

	fprintf(l->errs, "%s:%u: ", l->path, l->line);
	va_start(ap, fmt);
	vfprintf(l->errs, fmt, ap);
	va_end(ap);
	fputc('\n', l->errs);
	l->nerr++;
	return -1;
}

/* crypt_r of PASSWORD with SETTING (a full hash); NULL or "*..." when the setting is not valid. */
static char *
hash_with(const char *password, const char *setting, struct crypt_data *cd)
{
	memset(cd, 0, sizeof(*cd));
	return crypt_r(password, setting, cd);
}

/* 1 if HASH is a crypt(3) hash this system computes ("$id$..."), else 0. */
static int
hash_ok(const char *hash)
{
	struct crypt_data *cd = xcalloc(1, sizeof(*cd));
	const char *r;
	int ok;

	ok = hash[0] == '$' && strspn(hash, HASH_CHARS) == strlen(hash) &&
	    (r = hash_with("", hash, cd)) != NULL && r[0] != '*' && strlen(r) == strlen(hash);
	free(cd);
	return ok;
}

/* 1 if department ID is configured. */
static int
dept_known(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndepts; i++)
		if (strcmp(conf->depts[i].id, id) == 0)
			return 1;
	return 0;
}

/* Checks the fields of one line; 0 when they make a user. */
static int
check_fields(struct ld *l, const struct gf_conf *conf, char **f, int nf)
{
	if (nf < 3 || nf > 4)
		return ld_err(l, "expected name:crypt-hash:role[:department]");
	if (f[0][0] == '\0' || strlen(f[0]) > 64 || strspn(f[0], NAME_CHARS) != strlen(f[0]))
		return ld_err(l, "user name: 1 to 64 letters, digits or . _ @ -");
	if (!hash_ok(f[1]))
		return ld_err(l, "%s: the password is not a crypt(3) hash this system knows "
		    "(make one with mkpasswd -m yescrypt)", f[0]);
	if (strcmp(f[2], "it") != 0 && strcmp(f[2], "head") != 0)
		return ld_err(l, "%s: role must be it or head", f[0]);
	if (strcmp(f[2], "head") == 0 && nf != 4)
		return ld_err(l, "%s: role head needs a department (name:hash:head:department)",
		    f[0]);
	if (strcmp(f[2], "it") == 0 && nf == 4)
		return ld_err(l, "%s: role it sees every department: remove ':%s'", f[0], f[3]);
	if (nf == 4 && !dept_known(conf, f[3]))
		return ld_err(l, "%s: no department '%.64s' in %s", f[0], f[3], conf->path);
	return 0;
}

/* Parses LINE (newline removed) into U when it is a user; blank lines and #comments are not. */
static void
parse_line(struct ld *l, const struct gf_conf *conf, char *line, struct web_users *u)
{
	char *f[5], *p = line;
	size_t i;
	int nf = 0;

	if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
		return;
	while (nf < 5 && (f[nf] = strsep(&p, ":")) != NULL)
		nf++;
	if (check_fields(l, conf, f, nf) != 0)
		return;
	for (i = 0; i < u->n; i++)
		if (strcmp(u->v[i].name, f[0]) == 0) {
			ld_err(l, "%s: user listed twice", f[0]);
			return;
		}
	u->v = xreallocarray(u->v, u->n + 1, sizeof(*u->v));
	u->v[u->n].name = xstrdup(f[0]);
	u->v[u->n].hash = xstrdup(f[1]);
	u->v[u->n].role = strcmp(f[2], "it") == 0 ? WEB_ROLE_IT : WEB_ROLE_HEAD;
	u->v[u->n].dept = nf == 4 ? xstrdup(f[3]) : NULL;
	u->n++;
}

/* Reads every line of F into U, reporting each bad one. */
static void
read_lines(struct ld *l, const struct gf_conf *conf, FILE *f, struct web_users *u)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, f)) >= 0) {
		l->line++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if ((size_t)n != strlen(line) || n > MAX_LINE)
			ld_err(l, "line too long or holding a NUL byte");
		else
			parse_line(l, conf, line, u);
	}
	free(line);
}

struct web_users *
auth_load(const char *path, const struct gf_conf *conf, FILE *errs)
{
	struct ld l = { path, errs, 0, 0 };
	struct web_users *u = xcalloc(1, sizeof(*u));
	struct stat st;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL || fstat(fileno(f), &st) != 0) {
		fprintf(errs, "%s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		auth_free(u);
		return NULL;
	}
	/* Whoever may write it may make themselves "it": as OpenSSH refuses such files. */
	if (!S_ISREG(st.st_mode) || (st.st_mode & 022) != 0) {
		fprintf(errs, "%s: must be a regular file neither group- nor world-writable "
		    "(chmod 640)\n", path);
		l.nerr++;
	} else
		read_lines(&l, conf, f, u);
	fclose(f);
	if (l.nerr == 0 && u->n == 0) {
		fprintf(errs, "%s: no user: nobody could log in\n", path);
		l.nerr++;
	}
	if (l.nerr > 0) {
		auth_free(u);
		return NULL;
	}
	return u;
}

void
auth_free(struct web_users *u)
{
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++) {
		free(u->v[i].name);
		free(u->v[i].hash);
		free(u->v[i].dept);
	}
	free(u->v);
	free(u);
}

/* 1 if A and B are equal; the time taken depends on their lengths only. */
static int
same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, n = la > lb ? la : lb;
	volatile unsigned char d = (unsigned char)(la != lb);

	for (i = 0; i < n; i++)
		d |= (unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)(i < lb ? b[i] : 0);
	return d == 0;
}

const struct web_user *
auth_check(const struct web_users *u, const char *name, const char *password)
{
	const struct web_user *w = NULL;
	struct crypt_data *cd;
	const char *r;
	size_t i;
	int ok;

	if (u == NULL || u->n == 0)
		return NULL;
	for (i = 0; i < u->n; i++)
		if (strcmp(u->v[i].name, name) == 0)
			w = &u->v[i];
	/* An unknown name costs one hash too: timing does not tell which names exist. */
	cd = xmalloc(sizeof(*cd));
	r = hash_with(password, w != NULL ? w->hash : u->v[0].hash, cd);
	ok = w != NULL && r != NULL && r[0] != '*' && same(r, w->hash);
	free(cd);
	return ok ? w : NULL;
}
