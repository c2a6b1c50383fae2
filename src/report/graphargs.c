/* An argv for librrd and the RRD file it reads, shared by graphs and exports. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rrd.h>

#include "graphargs.h"
#include "rrdcache.h"
#include "rrdfile.h"
#include "util.h"
#include "xmalloc.h"

/* Appends one argument, formatted; the vector grows as needed. */
void
gargs_add(struct gargs *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = xreallocarray(a->v, (size_t)a->cap, sizeof(*a->v));
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

/* Frees the arguments and the vector. */
void
gargs_free(struct gargs *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

/* librrd's last error, with the tab and newline it sometimes carries made spaces. */
void
gargs_err_rrd(char *err, size_t errsz, const char *what)
{
	const char *e = rrd_get_error();
	char *p;

	gf_errf(err, errsz, "%s: %s", what, e && *e ? e : "librrd failed");
	for (p = err; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	rrd_clear_error();
}

/* PATH for a DEF: rrd_graph splits its arguments at colons, so they are escaped. */
void
gargs_path(char *dst, size_t sz, const char *path)
{
	size_t n = 0;

	for (; *path && n + 3 < sz; path++) {
		if (*path == ':')
			dst[n++] = '\\';
		dst[n++] = *path;
	}
	dst[n] = '\0';
}

/* The last update, so that graphs and exports can tell the step not over yet. */
time_t
gargs_last(const struct gf_conf *conf, const char *path)
{
	time_t t;

	/* rrdcached may hold the last updates; librrd reads the file on disk. */
	if (rrdcache_flush_file(conf, path) != 0) {
		rrd_clear_error();
		return 0;
	}
	if ((t = rrd_last_r(path)) == (time_t)-1) {
		rrd_clear_error();
		return 0;
	}
	return t;
}

/*
 * Checks the file at PATH before librrd maps it (a damaged header would
 * crash it), and reads its step into *STEP (0 if unknown; STEP may be NULL);
 * -1 with ERR naming the file and what is wrong. Read-only: the daemon sets
 * such a file aside.
 */
int
gargs_vet(const char *path, unsigned long *step, char *err, size_t errsz)
{
	struct rrdfile_info info = { 0, 0, 0, 0, 0 };
	char why[256];
	int rc = rrdfile_check(path, &info, why, sizeof(why));

	if (rc == -1)
		gf_errf(err, errsz, "%s is damaged: %s (greenfleetd sets it aside and starts a "
		    "new one)", path, why);
	else if (rc != 0)
		gf_errf(err, errsz, "%s: %s", path, why);
	/* 0 where rrdfile_check could not tell (another layout): callers take a default. */
	if (step != NULL)
		*step = info.pdp_step;
	return rc == 0 ? 0 : -1;
}

/* The file a device or department request reads: DATA_DIR/rrd[/departments]/ID.rrd. */
static int
req_path(const struct gf_conf *conf, int dept, const char *id, char *dst, size_t sz)
{
	return dept ? gf_rrd_dept_path(dst, sz, conf->data_dir, id) :
	    gf_rrd_path(dst, sz, conf->data_dir, id);
}

/* Finds the file of a device or department, or says there is none yet. */
int
gargs_file(const struct gf_conf *conf, int dept, const char *id, char *path, size_t sz,
    unsigned long *step, char *err, size_t errsz)
{
	struct stat st;

	if (req_path(conf, dept, id, path, sz) != 0) {
		gf_errf(err, errsz, "%.64s: path too long", id);
		return -1;
	}
	/* Every poller's samples, and a file rrdcached made, are on disk before it is read. */
	if (rrdcache_flush_file(conf, path) != 0)
		rrd_clear_error();
	if (stat(path, &st) != 0) {
		gf_errf(err, errsz, "no data for %s %s yet (%s: %s): has greenfleetd run?",
		    dept ? "department" : "device", id, path, strerror(errno));
		return -1;
	}
	return gargs_vet(path, step, err, errsz);
}

