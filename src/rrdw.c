/* RRD writer over librrd (direct or rrdcached). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>
#include <rrd_client.h>

#include "log.h"
#include "rrdw.h"
#include "util.h"
#include "xmalloc.h"

#define SCHEMA_MAX 24
#define UPDATE_MAX 384	/* "time" + 13 values of up to 20 digits */

/* Samples of one device waiting to be written together (rrd_batch > 1). */
struct pending {
	char (*val)[UPDATE_MAX];
	unsigned char n;
};

struct gf_rrd {
	const struct gf_conf *conf;
	unsigned char *ready;		/* per device: file known to exist */
	time_t *last;			/* per device: time of the last sample given to its file */
	struct pending *held;		/* per device, NULL when rrd_batch is 1 */
	int cached;			/* updates go through rrdcached */
	int complained;			/* rrdcached errors logged once until it recovers */
};

/*
 * ~2 weeks at full resolution, ~13 months hourly, 10 years daily; AVERAGE
 * only, which keeps a printer's file near 400 KB at a 300 s step (exact
 * page counts live in the ledger, not here). Fills 3 rows of BUF.
 */
static int
rra_defs(int step, char buf[][64])
{
	int hour = step >= 3600 ? 1 : 3600 / step, day = step >= 86400 ? 1 : 86400 / step;

	snprintf(buf[0], 64, "RRA:AVERAGE:0.5:1:%d", 14 * 86400 / step);
	snprintf(buf[1], 64, "RRA:AVERAGE:0.5:%d:%d", hour, 400 * 24);
	snprintf(buf[2], 64, "RRA:AVERAGE:0.5:%d:%d", day, 3660);
	return 3;
}

/*
 * Printers: one DERIVE per page counter, fed with the ledger's odometer
 * (pages counted so far), never the raw agent value: resets, wraps and
 * garbage were judged by the meter already, so graphs agree with the
 * ledger and draw no spikes. Then the lowest toner and the status.
 */
int
rrdw_schema(enum gf_kind kind, int step, char buf[][64], int max)
{
	struct ds { const char *name, *type, *min, *max; };
	static const struct ds printer_ds[] = {
		{ "total", "DERIVE", "0", "U" }, { "mono", "DERIVE", "0", "U" },
		{ "colour", "DERIVE", "0", "U" }, { "duplex", "DERIVE", "0", "U" },
		{ "sheets", "DERIVE", "0", "U" }, { "print_mono", "DERIVE", "0", "U" },
		{ "print_colour", "DERIVE", "0", "U" }, { "copy_mono", "DERIVE", "0", "U" },
		{ "copy_colour", "DERIVE", "0", "U" }, { "fax", "DERIVE", "0", "U" },
		{ "scan", "DERIVE", "0", "U" }, { "jams", "DERIVE", "0", "U" },
		{ "toner", "GAUGE", "0", "100" }, { "status", "GAUGE", "1", "5" } };
	static const struct ds host_ds[] = { { "cpu", "GAUGE", "0", "100" },
		{ "mem", "GAUGE", "0", "100" }, { "disk", "GAUGE", "0", "100" },
		{ "uptime", "GAUGE", "0", "U" }, { "baddev", "GAUGE", "0", "U" } };
	const struct ds *ds = kind == GF_KIND_PRINTER ? printer_ds : host_ds;
	int nds = kind == GF_KIND_PRINTER ? GF_NCOUNTERS + 2 : 5;
	int n = 0, i;

	if (max < nds + 3)
		return -1;
	for (i = 0; i < nds; i++)
		snprintf(buf[n++], 64, "DS:%s:%s:%d:%s:%s", ds[i].name, ds[i].type,
		    2 * step, ds[i].min, ds[i].max);
	return n + rra_defs(step, buf + n);
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

	snprintf(dir, sizeof(dir), "%s/rrd", conf->data_dir);
	if (ensure_dir(conf->data_dir) != 0 || ensure_dir(dir) != 0)
		return NULL;
	/* Connect before allocating: a failure then has nothing to undo. */
	if (conf->rrdcached && rrdc_connect(conf->rrdcached) != 0) {
		log_err("rrd: cannot connect to rrdcached at %s: %s", conf->rrdcached,
		    rrd_get_error());
		rrd_clear_error();
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->conf = conf;
	w->cached = conf->rrdcached != NULL;
	w->ready = xcalloc(n, 1);
	w->last = xcalloc(n, sizeof(*w->last));
	if (conf->rrd_batch > 1)
		w->held = xcalloc(n, sizeof(*w->held));
	return w;
}

/* Creates the device's RRD file unless it exists; -1 (logged) on failure. */
static int
rrd_ensure(struct gf_rrd *w, int dev, const char *path, time_t when)
{
	const struct gf_device *d = &w->conf->devices[dev];
	char buf[SCHEMA_MAX][64];
	const char *argv[SCHEMA_MAX];
	struct stat st;
	int argc, i;

	if (w->ready[dev])
		return 0;
	if (stat(path, &st) == 0) {
		/* A file from an earlier run: learn where it ends, once. */
		w->last[dev] = rrd_last_r(path);
		rrd_clear_error();
		w->ready[dev] = 1;
		return 0;
	}
	argc = rrdw_schema(d->kind, w->conf->interval, buf, SCHEMA_MAX);
	for (i = 0; i < argc; i++)
		argv[i] = buf[i];
	rrd_clear_error();
	if (rrd_create_r(path, w->conf->interval, when - 1, argc, argv) != 0) {
		log_warnx("rrd: %s: cannot create %s: %s", d->id, path, rrd_get_error());
		rrd_clear_error();
		return -1;
	}
	w->ready[dev] = 1;
	return 0;
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

static void
format_update(char *buf, size_t sz, enum gf_kind kind, const struct gf_reading *r,
    const struct gf_metered *m)
{
	int v, i;

	snprintf(buf, sz, "%lld", (long long)r->when);
	if (kind == GF_KIND_PRINTER) {
		for (i = 0; i < GF_NCOUNTERS; i++)
			add_value(buf, sz, (long long)m->odometer[i], m->have[i]);
		v = reading_min_colorant_pct(r);
		add_value(buf, sz, v, v >= 0);
		add_value(buf, sz, r->printer_status, r->has_printer_status);
		return;
	}
	v = reading_cpu_pct(r);
	add_value(buf, sz, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_RAM);
	add_value(buf, sz, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_FIXED_DISK);
	add_value(buf, sz, v, v >= 0);
	add_value(buf, sz, (long long)(r->has_hr_uptime ? r->hr_uptime : r->sys_uptime) / 100,
	    r->has_hr_uptime || r->has_sys_uptime);
	add_value(buf, sz, r->ndevices_bad, r->ndevices > 0);
}

/* Writes N update strings to the device's file PATH in one call; -1 (logged) on failure. */
static int
rrd_write(struct gf_rrd *w, int dev, const char *path, const char **argv, int n)
{
	const struct gf_device *d = &w->conf->devices[dev];
	int rc;

	rrd_clear_error();
	rc = w->cached ? rrdc_update(path, n, argv) : rrd_update_r(path, NULL, n, argv);
	if (rc != 0) {
		if (!w->cached || !w->complained)
			log_warnx("rrd: %s: update %s failed: %s", d->id, argv[0], rrd_get_error());
		w->complained = w->cached;
		rrd_clear_error();
		return -1;
	}
	w->complained = 0;
	return 0;
}

/* Writes what a device has held back, if anything. */
static int
flush_held(struct gf_rrd *w, int dev)
{
	struct pending *h = &w->held[dev];
	const char *argv[12];
	char path[4096];
	int i, n = h->n;

	if (n == 0)
		return 0;
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
	    rrd_ensure(w, dev, path, r->when) != 0)
		return -1;
	/* RRD takes one sample per second at most; a restart within the second must not fail. */
	if (r->when <= w->last[dev])
		return 0;
	w->last[dev] = r->when;
	format_update(val, sizeof(val), d->kind, r, m);
	if (w->held == NULL)
		return rrd_write(w, dev, path, argv, 1);
	/* Batching trades graph freshness for fewer file writes, like collectd's CacheTimeout. */
	h = &w->held[dev];
	if (h->val == NULL)
		h->val = xcalloc(w->conf->rrd_batch, sizeof(*h->val));
	memcpy(h->val[h->n++], val, sizeof(val));
	return h->n >= w->conf->rrd_batch ? flush_held(w, dev) : 0;
}

/*
 * A department's file: total, mono and colour pages counted in it (sums of
 * the ledger, so they never go down), one DERIVE each. Created on first use.
 */
int
rrdw_department(struct gf_rrd *w, const char *dept, time_t when, const uint64_t pages[3])
{
	static const char *const ds[] = { "total", "mono", "colour" };
	char path[4096], buf[SCHEMA_MAX][64], val[96];
	const char *argv[SCHEMA_MAX];
	struct stat st;
	int n = 0, i;

	if (!conf_id_is_safe(dept) || snprintf(path, sizeof(path), "%s/rrd/departments/%s.rrd",
	    w->conf->data_dir, dept) >= (int)sizeof(path))
		return -1;
	if (stat(path, &st) != 0) {
		snprintf(buf[0], sizeof(buf[0]), "%s/rrd/departments", w->conf->data_dir);
		if (ensure_dir(buf[0]) != 0)
			return -1;
		for (i = 0; i < 3; i++)
			snprintf(buf[n++], 64, "DS:%s:DERIVE:%d:0:U", ds[i],
			    2 * w->conf->interval);
		n += rra_defs(w->conf->interval, buf + n);
		for (i = 0; i < n; i++)
			argv[i] = buf[i];
		rrd_clear_error();
		if (rrd_create_r(path, w->conf->interval, when - 1, n, argv) != 0) {
			log_warnx("rrd: department %s: cannot create %s: %s", dept, path,
			    rrd_get_error());
			rrd_clear_error();
			return -1;
		}
	}
	snprintf(val, sizeof(val), "%lld:%llu:%llu:%llu", (long long)when,
	    (unsigned long long)pages[0], (unsigned long long)pages[1],
	    (unsigned long long)pages[2]);
	argv[0] = val;
	rrd_clear_error();
	if ((w->cached ? rrdc_update(path, 1, argv) : rrd_update_r(path, NULL, 1, argv)) != 0) {
		/* Two commits within one second: the next one carries the sums. */
		log_debug("rrd: department %s: %s", dept, rrd_get_error());
		rrd_clear_error();
		return -1;
	}
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
	if (!w->cached)
		return;
	for (d = 0; d < w->conf->ndevices; d++)
		if (w->ready[d] && gf_rrd_path(path, sizeof(path), w->conf->data_dir,
		    w->conf->devices[d].id) == 0)
			rrdc_flush(path);
}

void
rrdw_close(struct gf_rrd *w)
{
	if (w == NULL)
		return;
	if (w->cached)
		rrdc_disconnect();
	for (size_t d = 0; w->held && d < w->conf->ndevices; d++)
		free(w->held[d].val);
	free(w->held);
	free(w->last);
	free(w->ready);
	free(w);
}
