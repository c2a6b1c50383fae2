/* RRD writer: the native updater, librrd or rrdcached. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rrd.h>

#include "log.h"
#include "rrdcache.h"
#include "rrdfile.h"
#include "rrdw.h"
#include "util.h"
#include "xmalloc.h"

#define SCHEMA_MAX 24
/* "time" and ":value" (up to 20 digits) for as many sources as a file may have. */
#define UPDATE_MAX (24 + SCHEMA_MAX * 21)
#define DS_NONE 0xff	/* a data source of the file that we do not know: written as U */

/* Samples of one device waiting to be written together (rrd_batch > 1). */
struct pending {
	char (*val)[UPDATE_MAX];
	unsigned char n;
};

/* A device file's data sources in file order, as indexes into the kind's table. */
struct dsmap {
	unsigned char n;
	unsigned char id[SCHEMA_MAX];
	uint32_t refused;		/* sources the file could not be given: not retried */
};

/* A department's file, as this process knows it. */
struct deptfile {
	unsigned char ready;		/* checked (or made) since the start */
	unsigned char complained;	/* a failure logged: the next ones are not, until a success */
	time_t last;			/* its last update */
};

struct gf_rrd {
	const struct gf_conf *conf;
	unsigned char *ready;		/* per device: file checked (or made) and its sources learnt */
	unsigned char *quiet;		/* per device: its file's trouble logged, until a write works */
	struct deptfile *dept;		/* per department */
	time_t *last;			/* per device: time of the last sample given to its file */
	struct dsmap *map;		/* per device, valid once ready */
	struct pending *held;		/* per device, NULL when rrd_batch is 1 */
	struct rrdcache *cache;		/* updates go through rrdcached, when not NULL */
	int remote;			/* over TCP: rrdcached makes and reads the files */
	int complained;			/* rrdcached errors logged once until it recovers */
};

/*
 * Printers: one DERIVE per page counter, fed with the ledger's odometer
 * (pages counted so far), never the raw agent value: resets, wraps and
 * garbage were judged by the meter already, so graphs agree with the
 * ledger and draw no spikes. Then the lowest toner and the status. The
 * first GF_NCOUNTERS entries are in counter order.
 */
static const struct gf_rrd_ds printer_ds[] = {
	{ "total", "DERIVE", "0", "U" }, { "mono", "DERIVE", "0", "U" },
	{ "colour", "DERIVE", "0", "U" }, { "duplex", "DERIVE", "0", "U" },
	{ "sheets", "DERIVE", "0", "U" }, { "print_mono", "DERIVE", "0", "U" },
	{ "print_colour", "DERIVE", "0", "U" }, { "copy_mono", "DERIVE", "0", "U" },
	{ "copy_colour", "DERIVE", "0", "U" }, { "fax", "DERIVE", "0", "U" },
	{ "scan", "DERIVE", "0", "U" }, { "jams", "DERIVE", "0", "U" },
	{ "toner", "GAUGE", "0", "100" }, { "status", "GAUGE", "1", "5" } };
#define DS_TONER GF_NCOUNTERS
#define DS_STATUS (GF_NCOUNTERS + 1)
static const struct gf_rrd_ds host_ds[] = { { "cpu", "GAUGE", "0", "100" },
	{ "mem", "GAUGE", "0", "100" }, { "disk", "GAUGE", "0", "100" },
	{ "uptime", "GAUGE", "0", "U" }, { "baddev", "GAUGE", "0", "U" } };

int
rrdw_sources(enum gf_kind kind, const struct gf_rrd_ds **ds)
{
	*ds = kind == GF_KIND_PRINTER ? printer_ds : host_ds;
	return kind == GF_KIND_PRINTER ? (int)(sizeof(printer_ds) / sizeof(printer_ds[0])) :
	    (int)(sizeof(host_ds) / sizeof(host_ds[0]));
}

/*
 * Whether a printer's file gets source I from the start. Every file has what
 * the graphs draw (total, mono, colour, duplex, toner, status); the other
 * counters only where the device reports them, since each source costs
 * ~200 KB of file and some work on every update. HAVE may be NULL.
 */
static int
printer_core(int i, const int *have)
{
	return i <= GF_C_DUPLEX || i >= GF_NCOUNTERS || (have != NULL && have[i]);
}

/*
 * What KEEP says (NULL: the configuration's defaults): full resolution for
 * its full days (under a 5-minute step, two of them and the rest as
 * 5-minute averages), then hourly and daily averages; by default two weeks,
 * ~13 months and 10 years. AVERAGE only (exact page counts live in the
 * ledger, not here). A printer's file is ~0.7 MB by default at any step
 * (the hourly and daily rows are most of it), 70 kB keeping 2, 31 and 365.
 */
static int
rra_defs(int step, const struct gf_rrd_keep *keep, char buf[][64])
{
	static const struct gf_rrd_keep defaults = {
		GF_RRD_FULL_DAYS, GF_RRD_HOURLY_DAYS, GF_RRD_DAILY_DAYS
	};
	int hour = step >= 3600 ? 1 : 3600 / step, day = step >= 86400 ? 1 : 86400 / step;
	int n = 0, full;

	if (keep == NULL || keep->full_days <= 0)
		keep = &defaults;
	full = keep->full_days;
	if (step < 300) {
		snprintf(buf[n++], 64, "RRA:AVERAGE:0.5:1:%ld",
		    (full < 2 ? full : 2) * 86400L / step);
		snprintf(buf[n++], 64, "RRA:AVERAGE:0.5:%d:%d", 300 / step, full * 288);
	} else {
		snprintf(buf[n++], 64, "RRA:AVERAGE:0.5:1:%ld", full * 86400L / step > 0 ?
		    full * 86400L / step : 1);
	}
	if (keep->hourly_days > 0)
		snprintf(buf[n++], 64, "RRA:AVERAGE:0.5:%d:%d", hour, keep->hourly_days * 24);
	if (keep->daily_days > 0)
		snprintf(buf[n++], 64, "RRA:AVERAGE:0.5:%d:%d", day, keep->daily_days);
	return n;
}

static void
ds_def(char *buf, const struct gf_rrd_ds *ds, int step)
{
	snprintf(buf, 64, "DS:%s:%s:%d:%s:%s", ds->name, ds->type, 2 * step, ds->min, ds->max);
}

/* The sources a new file of KIND gets, as indexes into its table, in file order; the count. */
static int
new_sources(enum gf_kind kind, const int *have, unsigned char *id)
{
	const struct gf_rrd_ds *ds;
	int nds = rrdw_sources(kind, &ds), n = 0, i;

	for (i = 0; i < nds; i++)
		if (kind != GF_KIND_PRINTER || printer_core(i, have))
			id[n++] = (unsigned char)i;
	return n;
}

int
rrdw_schema(enum gf_kind kind, int step, const struct gf_rrd_keep *keep, const int *have,
    char buf[][64], int max)
{
	const struct gf_rrd_ds *ds;
	unsigned char id[SCHEMA_MAX];
	int n, i;

	if (max < rrdw_sources(kind, &ds) + 4)
		return -1;
	n = new_sources(kind, have, id);
	for (i = 0; i < n; i++)
		ds_def(buf[i], &ds[id[i]], step);
	return n + rra_defs(step, keep, buf + n);
}

/* The index of the source NAME in KIND's table, or DS_NONE. */
static unsigned char
ds_id(enum gf_kind kind, const char *name)
{
	const struct gf_rrd_ds *ds;
	int nds = rrdw_sources(kind, &ds), k;

	for (k = 0; k < nds; k++)
		if (strcmp(name, ds[k].name) == 0)
			return (unsigned char)k;
	return DS_NONE;
}

int
rrdw_file_sources(const char *path, enum gf_kind kind, unsigned char *id, int max,
    time_t *last)
{
	unsigned long cnt = 0, i;
	char **names = NULL, **vals = NULL;
	time_t t = 0;

	rrd_clear_error();
	if (rrd_lastupdate_r(path, &t, &cnt, &names, &vals) != 0)
		return -1;
	for (i = 0; i < cnt; i++) {
		if ((int)i < max)
			id[i] = ds_id(kind, names[i]);
		rrd_freemem(names[i]);
		rrd_freemem(vals[i]);
	}
	rrd_freemem(names);
	rrd_freemem(vals);
	if (last != NULL)
		*last = t;
	return cnt > (unsigned long)max ? max : (int)cnt;
}

static int
ensure_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	log_err("rrd: cannot create %s: %s", path, strerror(errno));
	return -1;
}

struct gf_rrd *
rrdw_open(const struct gf_conf *conf)
{
	struct gf_rrd *w;
	char dir[4096];
	size_t n = conf->ndevices ? conf->ndevices : 1;

	struct rrdcache *cache = NULL;

	/* Over TCP the files are rrdcached's, under its base directory: none here. */
	snprintf(dir, sizeof(dir), "%s/rrd", conf->data_dir);
	if (ensure_dir(conf->data_dir) != 0 ||
	    (!rrdcache_remote(conf->rrdcached) && ensure_dir(dir) != 0))
		return NULL;
	/* Connect before allocating: a failure then has nothing to undo. */
	if (conf->rrdcached && (cache = rrdcache_open(conf->rrdcached)) == NULL)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->conf = conf;
	w->cache = cache;
	w->remote = rrdcache_remote(conf->rrdcached);
	w->ready = xcalloc(n, 1);
	w->quiet = xcalloc(n, 1);
	w->dept = xcalloc(conf->ndepts ? conf->ndepts : 1, sizeof(*w->dept));
	w->last = xcalloc(n, sizeof(*w->last));
	w->map = xcalloc(n, sizeof(*w->map));
	if (conf->rrd_batch > 1)
		w->held = xcalloc(n, sizeof(*w->held));
	return w;
}

/*
 * Checks the file at PATH before librrd sees it (once per file and process,
 * a pread or two): 0 if sound (INFO filled), 1 if it was damaged and is now
 * set aside (make a new one), -1 if it cannot be used (logged unless *QUIET,
 * which is then set).
 */
static int
vet_file(const struct gf_rrd *w, const char *who, const char *path, unsigned char *quiet,
    struct rrdfile_info *info)
{
	char why[256];
	int rc = rrdfile_check(path, info, why, sizeof(why));

	if (rc == 0)
		return 0;
	if (rc == -2) {
		if (!*quiet)
			log_warnx("rrd: %s: %s: %s", who, path, why);
		*quiet = 1;
		return -1;
	}
	/* rrdcached must drop what it holds for the old file, not write it to the new one. */
	if (w->cache)
		rrdcache_forget(w->cache, path);
	if (rrdfile_set_aside(who, path, why, *quiet) != 0) {
		*quiet = 1;
		return -1;
	}
	return 1;
}

/*
 * A failure of rrdcached, logged once per file; while it does not answer,
 * once for every file (rrdcache.c said it is gone).
 */
static void
remote_complain(struct gf_rrd *w, unsigned char *quiet, const char *who, const char *path,
    const char *err)
{
	int up = rrdcache_up(w->cache);

	if (!*quiet && (up || !w->complained))
		log_warnx("rrd: %s: cannot read or create %s through rrdcached: %s", who,
		    rrdcache_name(w->conf, path), err);
	*quiet = up;
	w->complained = !up;
}

/*
 * Over TCP: learns the sources of the device's file from rrdcached, or has
 * it create the file. No header is vetted: the file is not here, and
 * rrdcached is the one to map it. -1 (logged) on failure.
 */
static int
remote_ensure(struct gf_rrd *w, int dev, const char *path, time_t when, const int *have)
{
	const struct gf_device *d = &w->conf->devices[dev];
	struct dsmap *map = &w->map[dev];
	char buf[SCHEMA_MAX][64], names[SCHEMA_MAX][RRDCACHE_DS_NAME], err[512];
	const char *argv[SCHEMA_MAX];
	int argc, i, n;

	argc = rrdw_schema(d->kind, w->conf->interval, &w->conf->rrd_keep, have, buf,
	    SCHEMA_MAX);
	for (i = 0; i < argc; i++)
		argv[i] = buf[i];
	n = rrdcache_ensure(w->cache, rrdcache_name(w->conf, path),
	    (unsigned long)w->conf->interval, when, argc, argv, names, SCHEMA_MAX, &w->last[dev],
	    err, sizeof(err));
	if (n < 0) {
		remote_complain(w, &w->quiet[dev], d->id, path, err);
		return -1;
	}
	map->n = (unsigned char)(n > 0 ? n : new_sources(d->kind, have, map->id));
	for (i = 0; i < n; i++)
		map->id[i] = ds_id(d->kind, names[i]);
	w->ready[dev] = 1;
	return 0;
}

/* Creates the device's RRD file unless it exists, and learns its sources; -1 (logged) on failure. */
static int
rrd_ensure(struct gf_rrd *w, int dev, const char *path, time_t when, const int *have)
{
	const struct gf_device *d = &w->conf->devices[dev];
	struct dsmap *map = &w->map[dev];
	char buf[SCHEMA_MAX][64];
	const char *argv[SCHEMA_MAX];
	char why[256];
	struct rrdfile_info info;
	struct stat st;
	int argc, i, rc = 1;

	if (w->ready[dev])
		return 0;
	if (w->remote)
		return remote_ensure(w, dev, path, when, have);
	if (stat(path, &st) == 0 && (rc = vet_file(w, d->id, path, &w->quiet[dev], &info)) < 0)
		return -1;
	if (rc == 0) {
		/* A file from an earlier run (or an older layout): learn its sources and end, once. */
		if ((argc = rrdw_file_sources(path, d->kind, map->id, SCHEMA_MAX, &w->last[dev])) < 0) {
			log_warnx("rrd: %s: cannot read %s: %s", d->id, path, rrd_get_error());
			rrd_clear_error();
			return -1;
		}
		map->n = (unsigned char)argc;
		w->ready[dev] = 1;
		return 0;
	}
	argc = rrdw_schema(d->kind, w->conf->interval, &w->conf->rrd_keep, have, buf,
	    SCHEMA_MAX);
	for (i = 0; i < argc; i++)
		argv[i] = buf[i];
	rrd_clear_error();
	if (rrd_create_r(path, w->conf->interval, when - 1, argc, argv) != 0) {
		/* Once, not every poll: a full disk would fill the log with it. */
		if (!w->quiet[dev])
			log_warnx("rrd: %s: cannot create %s: %s", d->id, path,
			    rrdfile_create_reason(why, sizeof(why), path, argc, argv));
		w->quiet[dev] = 1;
		rrd_clear_error();
		return -1;
	}
	map->n = (unsigned char)new_sources(d->kind, have, map->id);
	w->ready[dev] = 1;
	return 0;
}

static int
map_has(const struct dsmap *map, int id)
{
	for (int i = 0; i < map->n; i++)
		if (map->id[i] == id)
			return 1;
	return 0;
}

static int flush_held(struct gf_rrd *w, int dev);

/*
 * A counter the device did not report when its file was made (a new
 * profile, a firmware that starts counting faxes) gets its data source
 * added: rrd_tune rewrites the file once, history kept.
 */
static void
add_sources(struct gf_rrd *w, int dev, const char *path, const int *have)
{
	struct dsmap *map = &w->map[dev];
	char buf[GF_NCOUNTERS][64];
	char *argv[GF_NCOUNTERS + 2];
	unsigned char add[GF_NCOUNTERS];
	int i, n = 0;

	for (i = 0; i < GF_NCOUNTERS; i++)
		if (have[i] && !(map->refused & (1u << i)) && !map_has(map, i) &&
		    map->n + n < SCHEMA_MAX) {
			ds_def(buf[n], &printer_ds[i], w->conf->interval);
			add[n++] = (unsigned char)i;
		}
	/* rrd_tune needs the file here: over TCP a file keeps the sources it was made with. */
	if (n == 0 || w->remote)
		return;
	/* Held samples have the old sources; rrdcached must let go of the file first. */
	flush_held(w, dev);
	if (w->cache)
		rrdcache_flush(w->cache, path);
	argv[0] = "tune";
	argv[1] = (char *)path;
	for (i = 0; i < n; i++)
		argv[i + 2] = buf[i];
	rrd_clear_error();
	if (rrd_tune(n + 2, argv) != 0) {
		log_warnx("rrd: %s: cannot add %s to %s: %s", w->conf->devices[dev].id,
		    printer_ds[add[0]].name, path, rrd_get_error());
		rrd_clear_error();
		for (i = 0; i < n; i++)
			map->refused |= 1u << add[i];
		return;
	}
	log_info("rrd: %s: %d data source(s) added, first %s", w->conf->devices[dev].id, n,
	    printer_ds[add[0]].name);
	for (i = 0; i < n; i++)
		map->id[map->n++] = add[i];
}

/* Appends ":V" or ":U" to the update string. */
static void
add_value(char *buf, size_t sz, long long v, int known)
{
	size_t n = strlen(buf);

	if (known)
		snprintf(buf + n, sz - n, ":%lld", v);
	else
		snprintf(buf + n, sz - n, ":U");
}

/* The value of source ID of KIND's table for this reading, or unknown (0). */
static int
ds_value(enum gf_kind kind, int id, const struct gf_reading *r, const struct gf_metered *m,
    long long *v)
{
	if (kind == GF_KIND_PRINTER && id < GF_NCOUNTERS) {
		*v = (long long)m->odometer[id];
		return m->have[id];
	}
	if (kind == GF_KIND_PRINTER && id == DS_TONER)
		return (*v = reading_min_colorant_pct(r)) >= 0;
	if (kind == GF_KIND_PRINTER && id == DS_STATUS) {
		*v = r->printer_status;
		return r->has_printer_status;
	}
	switch (kind == GF_KIND_PRINTER ? -1 : id) {
	case 0:
		return (*v = reading_cpu_pct(r)) >= 0;
	case 1:
		return (*v = reading_storage_pct(r, GF_STORAGE_RAM)) >= 0;
	case 2:
		return (*v = reading_storage_pct(r, GF_STORAGE_FIXED_DISK)) >= 0;
	case 3:
		*v = (long long)(r->has_hr_uptime ? r->hr_uptime : r->sys_uptime) / 100;
		return r->has_hr_uptime || r->has_sys_uptime;
	case 4:
		*v = r->ndevices_bad;
		return r->ndevices > 0;
	}
	return 0;
}

/* "TIME:V:V:..." in the file's own order of sources (rrdcached takes no template). */
static void
format_update(char *buf, size_t sz, enum gf_kind kind, const struct dsmap *map,
    const struct gf_reading *r, const struct gf_metered *m)
{
	long long v = 0;
	int i, known;

	snprintf(buf, sz, "%lld", (long long)r->when);
	for (i = 0; i < map->n; i++) {
		known = map->id[i] != DS_NONE && ds_value(kind, map->id[i], r, m, &v);
		add_value(buf, sz, v, known);
	}
}

/*
 * Writes N update strings to PATH: through rrdcached, or with the native
 * updater (rrdfile.c), or with librrd for what that one does not take.
 * -1, with librrd's message in ERR, on failure; 2, with what is wrong in
 * ERR, if the native updater found the file damaged (librrd never sees it).
 */
static int
update_file(const struct gf_rrd *w, const char *path, const char **argv, int n, char *err,
    size_t errsz)
{
	int rc;

	if (w->cache)
		return rrdcache_update(w->cache, rrdcache_name(w->conf, path), n, argv, err, errsz);
	if ((rc = rrdfile_update(path, n, argv, err, errsz)) != 1)
		return rc;
	rrd_clear_error();
	rc = rrd_update_r(path, NULL, n, argv);
	if (rc != 0)
		snprintf(err, errsz, "%s", *rrd_get_error() ? rrd_get_error() : "unknown error");
	rrd_clear_error();
	return rc != 0 ? -1 : 0;
}

int
rrdw_refused_step(const char *err, long slack)
{
	static const char t_is[] = "illegal attempt to update using time ";
	static const char l_is[] = " when last update time is ";
	const char *p = strstr(err, t_is);
	char *end;
	double t, l;

	if (p == NULL)
		return 0;
	t = strtod(p + sizeof(t_is) - 1, &end);
	if (end == p + sizeof(t_is) - 1 || strncmp(end, l_is, sizeof(l_is) - 1) != 0)
		return 0;
	p = end + sizeof(l_is) - 1;
	l = strtod(p, &end);
	if (end == p)
		return 0;
	return t <= l && l - t <= (double)slack;
}

/* Writes N update strings to the device's file PATH in one call; -1 (logged) on failure. */
static int
rrd_write(struct gf_rrd *w, int dev, const char *path, const char **argv, int n)
{
	const struct gf_device *d = &w->conf->devices[dev];
	char err[512];
	int rc = update_file(w, path, argv, n, err, sizeof(err));

	/* Damaged since it was checked: set aside now, a new file at the next sample. */
	if (rc == 2) {
		if (rrdfile_set_aside(d->id, path, err, w->quiet[dev]) != 0)
			w->quiet[dev] = 1;
		w->ready[dev] = 0;
		return -1;
	}
	/* Another poller's sample of that second (a takeover): no error, the graph has one. */
	if (rc != 0 && rrdw_refused_step(err, w->conf->interval)) {
		log_debug("rrd: %s: %s skipped: %s", d->id, argv[0], err);
		return 0;
	}
	if (rc != 0) {
		if (!w->cache || !w->complained)
			log_warnx("rrd: %s: update %s failed: %s", d->id, argv[0], err);
		w->complained = w->cache != NULL;
		/* Refused by a daemon that answers (file gone, a later sample): asked again next time. */
		if (w->remote && rrdcache_up(w->cache))
			w->ready[dev] = 0;
		return -1;
	}
	w->complained = 0;
	if (w->quiet[dev])
		log_info("rrd: %s: %s is written again", d->id, path);
	w->quiet[dev] = 0;
	return 0;
}

/* Writes what a device has held back, if anything. */
static int
flush_held(struct gf_rrd *w, int dev)
{
	struct pending *h;
	const char *argv[12];
	char path[4096];
	int i, n;

	if (w->held == NULL || w->held[dev].n == 0)
		return 0;
	h = &w->held[dev];
	n = h->n;
	for (i = 0; i < n; i++)
		argv[i] = h->val[i];
	h->n = 0;
	if (gf_rrd_path(path, sizeof(path), w->conf->data_dir, w->conf->devices[dev].id) != 0)
		return -1;
	return rrd_write(w, dev, path, argv, n);
}

int
rrdw_update(struct gf_rrd *w, int dev, const struct gf_reading *r, const struct gf_metered *m)
{
	const struct gf_device *d = &w->conf->devices[dev];
	char path[4096], val[UPDATE_MAX];
	const char *argv[1] = { val };
	struct pending *h;

	/* An unreachable device gets no sample: the heartbeat turns the gap into unknown. */
	if (!r->reachable)
		return 0;
	if (gf_rrd_path(path, sizeof(path), w->conf->data_dir, d->id) != 0 ||
	    rrd_ensure(w, dev, path, r->when, m->have) != 0)
		return -1;
	if (d->kind == GF_KIND_PRINTER)
		add_sources(w, dev, path, m->have);
	/* RRD takes one sample per second at most; a restart within the second must not fail. */
	if (r->when <= w->last[dev])
		return 0;
	w->last[dev] = r->when;
	format_update(val, sizeof(val), d->kind, &w->map[dev], r, m);
	if (w->held == NULL)
		return rrd_write(w, dev, path, argv, 1);
	/* Batching trades graph freshness for fewer file writes, like collectd's CacheTimeout. */
	h = &w->held[dev];
	if (h->val == NULL)
		h->val = xcalloc(w->conf->rrd_batch, sizeof(*h->val));
	memcpy(h->val[h->n++], val, sizeof(val));
	return h->n >= w->conf->rrd_batch ? flush_held(w, dev) : 0;
}

/* The definitions of a department's file in BUF, pointed to by ARGV; the count. */
static int
dept_schema(const struct gf_rrd *w, char buf[][64], const char **argv)
{
	static const char *const ds[] = { "total", "mono", "colour" };
	int n = 0, i;

	for (i = 0; i < 3; i++)
		snprintf(buf[n++], 64, "DS:%s:DERIVE:%d:0:U", ds[i], 2 * w->conf->interval);
	n += rra_defs(w->conf->interval, &w->conf->rrd_keep, buf + n);
	for (i = 0; i < n; i++)
		argv[i] = buf[i];
	return n;
}

/* Creates a department's file at PATH; -1 if it could not (ERR says why). */
static int
dept_create(const struct gf_rrd *w, const char *path, time_t when, char *err, size_t errsz)
{
	char dir[4096], buf[SCHEMA_MAX][64];
	const char *argv[SCHEMA_MAX];
	int n;

	/* PATH up to its last slash: data_dir may be long. */
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	n = dept_schema(w, buf, argv);
	rrd_clear_error();
	if (rrd_create_r(path, w->conf->interval, when - 1, n, argv) != 0) {
		snprintf(err, errsz, "cannot create %s: %s", path,
		    rrdfile_create_reason(dir, sizeof(dir), path, n, argv));
		rrd_clear_error();
		return -1;
	}
	return 0;
}

/* Over TCP: a department's file learnt from rrdcached, or made by it; -1 with ERR. */
static int
dept_remote(struct gf_rrd *w, struct deptfile *df, const char *path, time_t when, char *err,
    size_t errsz)
{
	char buf[SCHEMA_MAX][64], names[SCHEMA_MAX][RRDCACHE_DS_NAME];
	const char *argv[SCHEMA_MAX];
	int n = dept_schema(w, buf, argv);

	df->last = when - 1;
	if (rrdcache_ensure(w->cache, rrdcache_name(w->conf, path),
	    (unsigned long)w->conf->interval, when, n, argv, names, SCHEMA_MAX, &df->last, err,
	    errsz) < 0)
		return -1;
	df->ready = 1;
	return 0;
}

/*
 * Makes a department's file ready on its first use in this process: checked
 * (set aside if damaged) or created. 0, or -1 with ERR (empty when logged).
 */
static int
dept_ready(struct gf_rrd *w, struct deptfile *df, const char *who, const char *path,
    time_t when, char *err, size_t errsz)
{
	struct rrdfile_info info;
	struct stat st;
	int rc = 1;

	*err = '\0';
	if (w->remote)
		return dept_remote(w, df, path, when, err, errsz);
	if (stat(path, &st) == 0 && (rc = vet_file(w, who, path, &df->complained, &info)) < 0)
		return -1;
	if (rc == 0) {
		df->last = info.last_up;
	} else {
		if (dept_create(w, path, when, err, errsz) != 0)
			return -1;
		df->last = when - 1;
	}
	df->ready = 1;
	return 0;
}

/*
 * A department's file: total, mono and colour pages counted in it (sums of
 * the ledger, so they never go down), one DERIVE each. Created on first use.
 * Failures are logged once, and again when it works again (collectd's
 * c_complain): a commit every poll would otherwise repeat them.
 */
int
rrdw_department(struct gf_rrd *w, const char *dept, time_t when, const uint64_t pages[3])
{
	char path[4096], who[128], val[96], err[8192];
	const char *argv[1] = { val };
	struct deptfile *df = NULL;
	size_t i;
	int rc;

	for (i = 0; i < w->conf->ndepts && df == NULL; i++)
		if (strcmp(w->conf->depts[i].id, dept) == 0)
			df = &w->dept[i];
	if (df == NULL || gf_rrd_dept_path(path, sizeof(path), w->conf->data_dir, dept) != 0)
		return -1;
	snprintf(who, sizeof(who), "department %s", dept);
	if (!df->ready && dept_ready(w, df, who, path, when, err, sizeof(err)) != 0) {
		if (*err != '\0' && !df->complained)
			log_warnx("rrd: %s: %s", who, err);
		df->complained = 1;
		return -1;
	}
	/* Two commits within one second: the next one carries the sums. */
	if (when <= df->last)
		return 0;
	snprintf(val, sizeof(val), "%lld:%llu:%llu:%llu", (long long)when,
	    (unsigned long long)pages[0], (unsigned long long)pages[1],
	    (unsigned long long)pages[2]);
	if ((rc = update_file(w, path, argv, 1, err, sizeof(err))) == 2) {
		/* Damaged since it was checked: set aside, a new file at the next commit. */
		if (rrdfile_set_aside(who, path, err, df->complained) != 0)
			df->complained = 1;
		df->ready = 0;
		return -1;
	}
	if (rc != 0) {
		if (!df->complained)
			log_warnx("rrd: %s: update %s of %s failed: %s", who, val, path, err);
		df->complained = 1;
		df->ready = 0;	/* gone or replaced: checked (or made) again next time */
		return -1;
	}
	if (df->complained)
		log_info("rrd: %s: %s is updated again", who, path);
	df->complained = 0;
	df->last = when;
	return 0;
}

void
rrdw_flush(struct gf_rrd *w)
{
	char path[4096];
	size_t d;

	if (w == NULL)
		return;
	for (d = 0; w->held && d < w->conf->ndevices; d++)
		flush_held(w, (int)d);
	if (w->cache == NULL)
		return;
	for (d = 0; d < w->conf->ndevices; d++)
		if (w->ready[d] && gf_rrd_path(path, sizeof(path), w->conf->data_dir,
		    w->conf->devices[d].id) == 0)
			rrdcache_flush(w->cache, rrdcache_name(w->conf, path));
}

void
rrdw_close(struct gf_rrd *w)
{
	if (w == NULL)
		return;
	rrdcache_close(w->cache);
	for (size_t d = 0; w->held && d < w->conf->ndevices; d++)
		free(w->held[d].val);
	free(w->held);
	free(w->last);
	free(w->map);
	free(w->ready);
	free(w->quiet);
	free(w->dept);
	free(w);
}
