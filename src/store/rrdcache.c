/* rrdcached: names, the readers' flush, and the writer's connection with its kept samples. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rrd.h>
#include <rrd_client.h>

#include "log.h"
#include "rrdcache.h"
#include "xmalloc.h"

/*
 * rrdcached 1.7 writes its journal through a stdio buffer (4 KB on ext4)
 * and acknowledges an update before it reaches the file: after a kill -9
 * those are gone. 64 KB of our own last updates cover that buffer many
 * times over, whatever other pollers send (a line of ours is on disk once
 * the journal grew by a buffer after it), at a fixed cost per poller.
 */
#define KEEP_BYTES	65536
#define KEEP_MAX	2048
#define RETRY_S		5	/* between two attempts to reach a daemon gone */

struct rrdcache {
	char *addr;
	int lost;		/* the connection broke: reach it again before the next request */
	time_t retry;		/* not before */
	char *kept[KEEP_MAX];	/* "NAME\0VALUE", oldest at head */
	size_t head, count, bytes;
};

int
rrdcache_remote(const char *addr)
{
	return addr != NULL && *addr != '/' && strncmp(addr, "unix:", 5) != 0;
}

const char *
rrdcache_name(const struct gf_conf *conf, const char *path)
{
	size_t n = strlen(conf->data_dir);

	if (!rrdcache_remote(conf->rrdcached) || strncmp(path, conf->data_dir, n) != 0)
		return path;
	while (path[n] == '/')
		n++;
	return path + n;
}

int
rrdcache_flush_file(const struct gf_conf *conf, const char *path)
{
	if (conf->rrdcached == NULL)
		return 0;
	rrd_clear_error();
	return rrdc_flush_if_daemon(conf->rrdcached, rrdcache_name(conf, path)) != 0 ? -1 : 0;
}

struct rrdcache *
rrdcache_open(const char *addr)
{
	struct rrdcache *c;

	rrd_clear_error();
	if (rrdc_connect(addr) != 0) {
		log_err("rrd: cannot connect to rrdcached at %s: %s", addr, rrd_get_error());
		rrd_clear_error();
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->addr = xstrdup(addr);
	return c;
}

/* Keeps one sample of NAME, dropping the oldest beyond KEEP_BYTES or KEEP_MAX. */
static void
keep(struct rrdcache *c, const char *name, const char *val)
{
	size_t ln = strlen(name) + 1, lv = strlen(val) + 1;
	char *e;

	while (c->count > 0 && (c->count == KEEP_MAX || c->bytes + ln + lv > KEEP_BYTES)) {
		c->bytes -= strlen(c->kept[c->head]) + 1;
		c->bytes -= strlen(c->kept[c->head] + strlen(c->kept[c->head]) + 1) + 1;
		free(c->kept[c->head]);
		c->head = (c->head + 1) % KEEP_MAX;
		c->count--;
	}
	e = xmalloc(ln + lv);
	memcpy(e, name, ln);
	memcpy(e + ln, val, lv);
	c->kept[(c->head + c->count) % KEEP_MAX] = e;
	c->count++;
	c->bytes += ln + lv;
}

/* Notes a failed request: if the connection broke, says so once and reaches for it later. */
static void
failed(struct rrdcache *c, const char *why)
{
	if (c->lost || rrdc_is_connected(c->addr))
		return;
	c->lost = 1;
	c->retry = 0;
	log_warnx("rrd: lost rrdcached at %s (%s): samples are kept and sent again once it "
	    "answers", c->addr, why);
}

/*
 * Sends the kept samples again, oldest first, one request each: a refusal
 * is a sample rrdcached has (from its journal or the files). 0, or -1 if
 * the connection broke again.
 */
static int
resend(struct rrdcache *c)
{
	const char *argv[1];
	size_t i, again = 0, had = 0;
	char *e;

	for (i = 0; i < c->count; i++) {
		e = c->kept[(c->head + i) % KEEP_MAX];
		argv[0] = e + strlen(e) + 1;
		rrd_clear_error();
		if (rrdc_update(e, 1, argv) == 0) {
			again++;
		} else if (!rrdc_is_connected(c->addr)) {
			failed(c, *rrd_get_error() ? rrd_get_error() : "connection closed");
			rrd_clear_error();
			return -1;
		} else {
			had++;
		}
	}
	rrd_clear_error();
	log_info("rrd: rrdcached at %s answers again: %zu kept sample(s) sent again, %zu it "
	    "had already", c->addr, again, had);
	return 0;
}

/* Reaches a daemon lost, at most every RETRY_S seconds: 0 once it answers (kept samples sent). */
static int
reach(struct rrdcache *c)
{
	time_t now = time(NULL);

	if (!c->lost)
		return 0;
	if (now < c->retry)
		return -1;
	c->retry = now + RETRY_S;
	rrd_clear_error();
	if (rrdc_connect(c->addr) != 0) {
		rrd_clear_error();
		return -1;
	}
	c->lost = 0;
	return resend(c);
}

/* ERR for a request that failed, from librrd's error (empty for a broken connection). */
static void
fail_text(struct rrdcache *c, char *err, size_t errsz)
{
	const char *e = rrd_get_error();

	if (c->lost)
		snprintf(err, errsz, "rrdcached at %s does not answer", c->addr);
	else
		snprintf(err, errsz, "%s", e && *e ? e : "unknown error");
	rrd_clear_error();
}

int
rrdcache_update(struct rrdcache *c, const char *name, int n, const char **argv, char *err,
    size_t errsz)
{
	int i, was_lost = c->lost;

	for (i = 0; i < n; i++)
		keep(c, name, argv[i]);
	/* Back: these were sent with the kept ones. */
	if (was_lost && reach(c) == 0)
		return 0;
	if (!c->lost) {
		rrd_clear_error();
		if (rrdc_update(name, n, argv) == 0)
			return 0;
		failed(c, *rrd_get_error() ? rrd_get_error() : "connection closed");
		/* Restarted already (systemd's Restart=): these go with the kept ones now. */
		if (c->lost && reach(c) == 0)
			return 0;
	}
	fail_text(c, err, errsz);
	return -1;
}

/* The data source names of an INFO answer in file order, and its last update; the count. */
static int
info_sources(const rrd_info_t *info, char names[][RRDCACHE_DS_NAME], int max, time_t *last)
{
	const char *close;
	unsigned long k;
	int n = 0;

	for (; info != NULL; info = info->next) {
		if (strcmp(info->key, "last_update") == 0 && info->type == RD_I_CNT)
			*last = (time_t)info->value.u_cnt;
		if (strncmp(info->key, "ds[", 3) != 0 || info->type != RD_I_CNT ||
		    (close = strchr(info->key, ']')) == NULL || strcmp(close, "].index") != 0)
			continue;
		k = info->value.u_cnt;
		if (k < (unsigned long)max && (size_t)(close - info->key - 3) < RRDCACHE_DS_NAME) {
			snprintf(names[k], RRDCACHE_DS_NAME, "%.*s", (int)(close - info->key - 3),
			    info->key + 3);
			if ((int)k + 1 > n)
				n = (int)k + 1;
		}
	}
	return n;
}

int
rrdcache_ensure(struct rrdcache *c, const char *name, unsigned long step, time_t when,
    int argc, const char **argv, char names[][RRDCACHE_DS_NAME], int max, time_t *last,
    char *err, size_t errsz)
{
	rrd_info_t *info;
	int i, n;

	if (reach(c) != 0) {
		fail_text(c, err, errsz);
		return -1;
	}
	for (i = 0; i < max; i++)
		names[i][0] = '\0';
	rrd_clear_error();
	/* INFO reads the file, not the cache: the cache first. */
	rrdc_flush(name);
	rrd_clear_error();
	if ((info = rrdc_info(name)) != NULL) {
		n = info_sources(info, names, max, last);
		rrd_info_free(info);
		if (n > 0)
			return n;
	}
	rrd_clear_error();
	if (rrdc_create_r2(name, step, when - 1, 1, NULL, NULL, argc, argv) == 0)
		return 0;
	failed(c, *rrd_get_error() ? rrd_get_error() : "connection closed");
	fail_text(c, err, errsz);
	return -1;
}

int
rrdcache_up(const struct rrdcache *c)
{
	return !c->lost;
}

void
rrdcache_flush(struct rrdcache *c, const char *name)
{
	if (reach(c) == 0 && rrdc_flush(name) != 0)
		failed(c, "flush");
	rrd_clear_error();
}

void
rrdcache_forget(struct rrdcache *c, const char *name)
{
	if (reach(c) == 0 && rrdc_forget(name) != 0)
		failed(c, "forget");
	rrd_clear_error();
}

void
rrdcache_close(struct rrdcache *c)
{
	if (c == NULL)
		return;
	rrdc_disconnect();
	for (size_t i = 0; i < c->count; i++)
		free(c->kept[(c->head + i) % KEEP_MAX]);
	free(c->addr);
	free(c);
}
