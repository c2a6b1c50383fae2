/*
 * The store's neutral layer: picks the backend the `store` key names, keeps
 * the batch, the failure count and the rollback epoch, and forwards every
 * call to the backend's table of operations (store_backend.h).
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "store.h"
#include "store_backend.h"
#include "util.h"

/* Every failure a backend logged, counted where it is logged: the exit summary must be true. */
static atomic_ulong failures;

void
store_failed(void)
{
	atomic_fetch_add(&failures, 1);
}

unsigned long
store_failures(void)
{
	return atomic_load(&failures);
}

/*
 * The backend and location CONF names: `store` unset is state.db in
 * data_dir; "sqlite:PATH" or a plain PATH another SQLite file; a
 * postgresql:// or postgres:// URI, or "postgresql:" and a libpq connection
 * string, PostgreSQL (PATH gets the URI or the string after the prefix).
 * WHERE gets what messages call a SQLite file. NULL for a backend this
 * build has not (conf_load refuses those first, at their line).
 */
static const struct gf_store_ops *
store_target(const struct gf_conf *conf, char *path, size_t sz, const char **where)
{
	const char *t = conf->store;

	*where = conf->data_dir;
	if (t == NULL || t[0] == '\0') {
		snprintf(path, sz, "%s/state.db", conf->data_dir);
		return &gf_store_sqlite;
	}
	if (strncmp(t, "postgresql://", 13) == 0 || strncmp(t, "postgres://", 11) == 0) {
		snprintf(path, sz, "%s", t);
		return &gf_store_pg;
	}
	if (strncmp(t, "postgresql:", 11) == 0) {
		snprintf(path, sz, "%s", t + 11);
		return &gf_store_pg;
	}
	if (strncmp(t, "sqlite:", 7) == 0)
		t += strncmp(t + 7, "///", 3) == 0 ? 9 : 7;
	else if (strstr(t, "://") != NULL)
		return NULL;
	snprintf(path, sz, "%s", t);
	*where = path;
	return &gf_store_sqlite;
}

int
store_local_file(const struct gf_conf *conf, char *path, size_t sz)
{
	const char *where;

	return store_target(conf, path, sz, &where) == &gf_store_sqlite ? 0 : -1;
}

int
store_shared(const struct gf_conf *conf)
{
	char path[4096];

	return store_local_file(conf, path, sizeof(path)) != 0;
}

/* Every member of the table after its name is an operation: the table reads as an array of them. */
typedef void (*store_op)(void);
_Static_assert((sizeof(struct gf_store_ops) - offsetof(struct gf_store_ops, open)) %
    sizeof(store_op) == 0, "struct gf_store_ops: only operations after its name");

int
store_ops_check(const struct gf_store_ops *ops)
{
	size_t at;
	store_op op;
	int slot = 0;

	for (at = offsetof(struct gf_store_ops, open); at < sizeof(*ops);
	    at += sizeof(op), slot++) {
		memcpy(&op, (const char *)ops + at, sizeof(op));
		if (op == NULL)
			return slot;
	}
	return -1;
}

struct gf_store *
store_open_err(const struct gf_conf *conf, int flags, char *err, size_t errsz)
{
	const struct gf_store_ops *ops;
	const char *where;
	char path[4096];
	int slot;

	err[0] = '\0';
	/* The daemon makes its data directory; the CLI only reads what exists. */
	if (!(flags & GF_STORE_RO) && mkdir(conf->data_dir, 0750) != 0 && errno != EEXIST)
		log_err("store: cannot create %s: %s", conf->data_dir, strerror(errno));
	if ((ops = store_target(conf, path, sizeof(path), &where)) == NULL) {
		snprintf(err, errsz, "this build has no such backend");
		return NULL;
	}
	/* A backend that lacks an operation is refused here, not found by a crash later. */
	if ((slot = store_ops_check(ops)) >= 0) {
		snprintf(err, errsz, "the %s backend lacks operation %d of struct gf_store_ops"
		    " (a bug in this build)", ops->name, slot);
		return NULL;
	}
	return ops->open(path, where, flags, err, errsz);
}

struct gf_store *
store_open(const struct gf_conf *conf, int flags)
{
	struct gf_store *s;
	char err[1024];

	if ((s = store_open_err(conf, flags, err, sizeof(err))) == NULL)
		log_err("store: %s", err);
	return s;
}

void
store_close(struct gf_store *s)
{
	if (s == NULL)
		return;
	if (s->batch_start)
		store_commit(s);
	s->ops->close(s);
}

int
store_batch_begin(struct gf_store *s)
{
	if (s->batch_start)
		return 0;
	if (s->ops->begin(s) != 0)
		return -1;
	s->batch_start = gf_mono_ms();
	if (s->batch_start == 0)
		s->batch_start = 1;
	return 0;
}

/* A failed commit is rolled back by the backend: what callers remembered of the batch is void. */
int
store_commit(struct gf_store *s)
{
	if (!s->batch_start)
		return 0;
	s->batch_start = 0;
	if (s->ops->commit(s) != 0) {
		s->epoch++;
		return -1;
	}
	return 0;
}

void
store_abort(struct gf_store *s)
{
	if (!s->batch_start)
		return;
	s->batch_start = 0;
	s->ops->rollback(s);
	s->epoch++;
}

int64_t
store_batch_age_ms(const struct gf_store *s)
{
	return s->batch_start ? gf_mono_ms() - s->batch_start : -1;
}

/* ---- what callers remember of a device ---- */

void
store_memo_clear(struct gf_store_memo *m)
{
	meter_memo_free(m->meter);
	memset(m, 0, sizeof(*m));
}

/* M, made valid for S: dropped if S rolled back since it was made. */
static void
memo_sync(const struct gf_store *s, struct gf_store_memo *m)
{
	if (m->epoch == s->epoch)
		return;
	store_memo_clear(m);
	m->epoch = s->epoch;
}

const struct gf_meter_memo *
store_memo_meter(const struct gf_store *s, struct gf_store_memo *m)
{
	memo_sync(s, m);
	return m->meter;
}

static uint64_t
fnv1a(const void *buf, size_t len, uint64_t h)
{
	const unsigned char *b = buf;

	while (len--)
		h = (h ^ *b++) * 1099511628211ULL;
	return h;
}

/* Supply rows are zeroed before filling, so equal tables hash equal; jam alerts ride along. */
static uint64_t
supplies_hash(const struct gf_reading *r)
{
	return fnv1a(r->supplies, r->nsupplies * sizeof(r->supplies[0]),
	    14695981039346656037ULL ^ (uint64_t)r->nsupplies ^ (uint64_t)r->jam_alerts << 32);
}

/* Unchanged supplies are not rewritten each poll; M remembers what was written. */
int
store_put_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, struct gf_store_memo *m)
{
	int flags = GF_PUT_SUPPLIES | GF_PUT_FIRST;
	uint64_t h = 0;

	if (store_batch_begin(s) != 0)
		return -1;
	if (m != NULL && r->reachable && d->kind == GF_KIND_PRINTER) {
		memo_sync(s, m);
		h = supplies_hash(r);
		if (m->has_supplies)
			flags = m->supplies == h ? 0 : GF_PUT_SUPPLIES;
	}
	if (s->ops->put_reading(s, d, dept, r, flags) != 0)
		return -1;
	if (m != NULL && r->reachable && d->kind == GF_KIND_PRINTER) {
		m->has_supplies = 1;
		m->supplies = h;
	}
	return 0;
}

int
store_get_status(struct gf_store *s, const char *id, struct gf_status *st)
{
	return s->ops->get_status(s, id, st);
}

int
store_statuses(struct gf_store *s, store_status_fn fn, void *arg)
{
	return s->ops->statuses(s, fn, arg);
}

int
store_supplies(struct gf_store *s, store_supply_fn fn, void *arg)
{
	return s->ops->supplies(s, fn, arg);
}

/* What store_health says of a device the store holds nothing about. */
static void
health_unknown(struct gf_store_health *out)
{
	memset(out, 0, sizeof(*out));
	out->disk_pct = out->disks_down = out->smart_bad = -1;
	out->smart_hours = out->jams = -1;
	out->error_state = out->jam_alerts = -1;
}

int
store_health(struct gf_store *s, const char *device, const char *since,
    struct gf_store_health *out)
{
	health_unknown(out);
	return s->ops->health(s, device, since, out);
}

struct gf_store_scan *
store_health_scan(struct gf_store *s, const char *since)
{
	return s->ops->health_scan(s, since);
}

int
store_health_next(struct gf_store_scan *sc, const char *device, struct gf_store_health *out)
{
	health_unknown(out);
	return sc->s->ops->health_next(sc, device, out);
}

void
store_health_scan_free(struct gf_store_scan *sc)
{
	if (sc != NULL)
		sc->s->ops->health_scan_free(sc);
}

/* ---- the ledger ---- */

int
store_xcheck(struct gf_store *s, const char *device, struct gf_xcheck *x)
{
	return s->ops->xcheck_load(s, device, x);
}

int
store_dept_pages(struct gf_store *s, const char *dept, const char *day, int since,
    uint64_t pages[3])
{
	return s->ops->dept_pages(s, dept, day, since, pages);
}

/* A department's pages by side, summed device by device (meter_split). */
struct span {
	uint64_t side[2];		/* mono, colour */
	char device[GF_SHORT];		/* the device being summed */
	uint64_t v[3];			/* its total, mono, colour */
};

static void
span_flush(struct span *sp)
{
	uint64_t m, c;

	meter_split(sp->v[0], sp->v[1], sp->v[2], &m, &c);
	sp->side[0] += m;
	sp->side[1] += c;
	memset(sp->v, 0, sizeof(sp->v));
}

static void
on_span_row(void *arg, const struct gf_store_span_row *r)
{
	struct span *sp = arg;

	if (strcmp(sp->device, r->device) != 0) {
		span_flush(sp);
		snprintf(sp->device, sizeof(sp->device), "%s", r->device);
	}
	sp->v[strcmp(r->counter, "total") == 0 ? 0 : strcmp(r->counter, "mono") == 0 ? 1 : 2] +=
	    r->pages;
}

int
store_dept_span(struct gf_store *s, const char *dept, const char *first, const char *last,
    uint64_t *mono, uint64_t *colour)
{
	struct span sp;
	int rc;

	memset(&sp, 0, sizeof(sp));
	rc = s->ops->dept_rows(s, dept, first, last, on_span_row, &sp);
	span_flush(&sp);
	*mono = sp.side[0];
	*colour = sp.side[1];
	return rc;
}

int
store_top_devices(struct gf_store *s, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max)
{
	return s->ops->top_devices(s, dept, first, last, top, max);
}

int
store_ledger_sums(struct gf_store *s, const char *first, const char *last, store_sum_fn fn,
    void *arg)
{
	return s->ops->ledger_sums(s, first, last, fn, arg);
}

int
store_odometers(struct gf_store *s, store_odometer_fn fn, void *arg)
{
	return s->ops->odometers(s, fn, arg);
}

int
store_counters(struct gf_store *s, const char *device, store_counter_fn fn, void *arg)
{
	return s->ops->counters(s, device, fn, arg);
}

int
store_audits(struct gf_store *s, const char *device, store_audit_fn fn, void *arg)
{
	return s->ops->audits(s, device, fn, arg);
}

/* ---- quota state, outbox, repair log ---- */

int
store_quota_fired(struct gf_store *s, const char *dept, const char *period, int thr)
{
	return s->ops->quota_fired(s, dept, period, thr);
}

int
store_quota_last_fired(struct gf_store *s, const char *dept, const char *period)
{
	return s->ops->quota_last_fired(s, dept, period);
}

/* In the open batch, with the notice it queues. */
int
store_quota_fire(struct gf_store *s, const char *dept, const char *period, int thr, time_t when,
    int pct)
{
	if (store_batch_begin(s) != 0)
		return -1;
	return s->ops->quota_fire(s, dept, period, thr, when, pct);
}

int
store_outbox_known(struct gf_store *s, const char *message_id)
{
	return s->ops->outbox_known(s, message_id);
}

long long
store_outbox_waiting(struct gf_store *s)
{
	return s->ops->outbox_waiting(s);
}

int
store_outbox_add(struct gf_store *s, const struct gf_notice *n)
{
	if (store_batch_begin(s) != 0)
		return -1;
	return s->ops->outbox_add(s, n);
}

int
store_outbox_next(struct gf_store *s, time_t now, struct gf_notice *n)
{
	return s->ops->outbox_next(s, now, n);
}

/* Outside any batch: the sender's own connection writes one row at a time. */
int
store_outbox_hold(struct gf_store *s, long long id, time_t now, time_t until)
{
	return s->ops->outbox_hold(s, id, now, until);
}

int
store_outbox_sent(struct gf_store *s, long long id, time_t when)
{
	return s->ops->outbox_sent(s, id, when);
}

int
store_outbox_retry(struct gf_store *s, long long id, time_t next_try, const char *err)
{
	return s->ops->outbox_retry(s, id, next_try, err);
}

void
store_notice_free(struct gf_notice *n)
{
	free(n->message_id);
	free(n->kind);
	free(n->department);
	free(n->to);
	free(n->cc);
	free(n->subject);
	free(n->body);
	free(n->lang);
	memset(n, 0, sizeof(*n));
}


int
store_repair_log(struct gf_store *s, const char *device, const char *day, const char *part,
    const char *text, time_t now)
{
	return s->ops->repair_log(s, device, day, part, text, now);
}

int
store_repairs(struct gf_store *s, const char *device, store_repair_fn fn, void *arg)
{
	return s->ops->repairs(s, device, fn, arg);
}
