#include "config.h"

/* What starting greenfleetd needs of its system: one function for -t, start and reload. */

#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "confcheck.h"
#include "conferr.h"
#include "mail.h"
#include "xmalloc.h"

#define MAX_GROUPS	256

/* Whoever will read and write the daemon's files: the configured user when root drops to it. */
struct who {
	int self;			/* no switch: the process's own rights (access(2)) */
	uid_t uid;
	gid_t groups[MAX_GROUPS];
	int ngroups;
	char name[64];
};

/* The errors found, and where they are reported. */
struct check {
	const struct gf_conf *conf;
	const config_setting_t *root;
	FILE *errs;
	int nerr;
};

static void check_err(struct check *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports one error at top-level setting KEY: "FILE:LINE: ..." when set, else "FILE: ...". */
static void
check_err(struct check *c, const char *key, const char *fmt, ...)
{
	const config_setting_t *s = key ? config_setting_get_member(c->root, key) : NULL;
	va_list ap;

	va_start(ap, fmt);
	if (s != NULL)
		conf_vreport(c->errs, c->conf->path, s, fmt, ap);
	else {
		fprintf(c->errs, "%s: ", c->conf->path);
		vfprintf(c->errs, fmt, ap);
		fputc('\n', c->errs);
	}
	va_end(ap);
	c->nerr++;
}

/*
 * Checks user the way drop_privileges() will use it and fills W with the
 * identity the daemon will have.
 */
static void
check_user(struct check *c, int flags, struct who *w)
{
	const char *user = c->conf->user;
	int root = geteuid() == 0, allow = (flags & GF_CONF_ALLOW_ROOT) != 0;
	struct passwd *pw;

	w->self = 1;
	snprintf(w->name, sizeof(w->name), "uid %ld", (long)geteuid());
	if (user == NULL) {
		if (root && !allow)
			check_err(c, NULL, "refusing to run as root: a daemon that parses answers "
			    "from the network should not; set user = \"greenfleet\" in %s, or pass "
			    "--allow-root", c->conf->path);
		return;
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		check_err(c, "user", "user: no such user '%s'%s%s", user, errno ? ": " : "",
		    errno ? strerror(errno) : "");
		return;
	}
	if (pw->pw_uid == 0 && root && !allow) {
		check_err(c, "user", "user: '%s' is root: refusing (pass --allow-root to insist)",
		    user);
		return;
	}
	/* A reload keeps the process's identity: a new user waits for the next start. */
	if (!root || pw->pw_uid == 0 || (flags & GF_CONF_RELOAD))
		return;
	w->self = 0;
	w->uid = pw->pw_uid;
	w->ngroups = MAX_GROUPS;
	if (getgrouplist(user, pw->pw_gid, w->groups, &w->ngroups) == -1)
		w->ngroups = MAX_GROUPS;	/* truncated: the first ones still count */
	snprintf(w->name, sizeof(w->name), "user %s", user);
}

/* 1 when W may access PATH (of status ST) with MODE (R_OK, W_OK, X_OK bits). */
static int
may(const struct who *w, const char *path, const struct stat *st, int mode)
{
	int bits, i;

	if (w->self)
		return euidaccess(path, mode) == 0;
	if (st->st_uid == w->uid)
		bits = (st->st_mode >> 6) & 7;
	else {
		bits = st->st_mode & 7;
		for (i = 0; i < w->ngroups; i++)
			if (w->groups[i] == st->st_gid)
				bits = (st->st_mode >> 3) & 7;
	}
	return (bits & mode) == mode;
}

/* data_dir is a directory the daemon writes, or one it can create (one level, as it does). */
static void
check_data_dir(struct check *c, const struct who *w)
{
	const char *dir = c->conf->data_dir;
	char *copy, *parent;
	struct stat st;

	if (dir[0] != '/')
		return;		/* reported by the parser */
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			check_err(c, "data_dir", "data_dir: '%s' is not a directory", dir);
		else if (!may(w, dir, &st, W_OK | X_OK))
			check_err(c, "data_dir", "data_dir: '%s' is not writable by %s", dir,
			    w->name);
		return;
	}
	if (errno != ENOENT) {
		check_err(c, "data_dir", "data_dir: cannot use '%s': %s", dir, strerror(errno));
		return;
	}
	copy = xstrdup(dir);
	parent = dirname(copy);
	if (stat(parent, &st) != 0)
		check_err(c, "data_dir", "data_dir: cannot create '%s': %s: %s", dir, parent,
		    strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		check_err(c, "data_dir", "data_dir: cannot create '%s': %s is not a directory",
		    dir, parent);
	else if (!may(w, parent, &st, W_OK | X_OK))
		check_err(c, "data_dir", "data_dir: cannot create '%s': %s is not writable by %s",
		    dir, parent, w->name);
	free(copy);
}

/* With smtp, every template a notice may need is in mail_dir and reads well. */
static void
check_mail(struct check *c, const struct who *w)
{
	const struct gf_smtp_conf *m = &c->conf->smtp;
	const char *dir = c->conf->mail_dir, *names[4] = { "quota-warning", "quota-breach" };
	const char *why = NULL;
	char *subject, *body;
	struct stat st;
	size_t i, n = 2;

	if (m->url == NULL)
		return;
	if (stat(dir, &st) != 0)
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = "not a directory";
	else if (!may(w, dir, &st, R_OK | X_OK))
		why = w->self ? strerror(EACCES) : "not readable by the configured user";
	if (why != NULL) {
		check_err(c, "mail_dir", "mail_dir: cannot read '%s': %s (smtp needs its templates)",
		    dir, why);
		return;
	}
	if (m->digest != GF_DIGEST_NONE)
		names[n++] = "digest";
	if (m->digest != GF_DIGEST_NONE && m->it != NULL)
		names[n++] = "fleet-digest";
	/* Each template prints its own "TEMPLATE:LINE: message". */
	for (i = 0; i < n; i++) {
		if (mail_template_read(dir, names[i], m->language, &subject, &body, c->errs) != 0)
			c->nerr++;
		free(subject);
		free(body);
	}
}

int
conf_check_start(const struct gf_conf *conf, const config_setting_t *root, int flags,
    FILE *errs)
{
	struct check c = { conf, root, errs, 0 };
	struct who w;

	memset(&w, 0, sizeof(w));
	check_user(&c, flags, &w);
	check_data_dir(&c, &w);
	check_mail(&c, &w);
	return c.nerr;
}
