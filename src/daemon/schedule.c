/* Poll scheduler and the daemon's main loop. */
#include "config.h"


#include <stdint.h>
#include <string.h>

#include "date.h"
#include "judge.h"
#include "lease.h"
#include "log.h"
#include "meter.h"
#include "notify.h"
#include "rrdw.h"
#include "schedule.h"
#include "poller.h"
#include "store.h"
#include "sweep.h"
#include "util.h"
#include "xmalloc.h"

#define COMMIT_EVERY_MS	2000	/* bounds what a crash can lose of last readings */
#define LOOP_MAX_WAIT	1000
#define TICK_MS		250	/* schedule granularity: devices due within a tick start together */

enum { SEEN_NEVER, SEEN_UP, SEEN_DOWN };

/* A department's pages on the days before DAY ("": not summed yet). */
struct dept_base {
	char day[11];
	uint64_t pages[3];
};

struct sched {
	const struct gf_conf *conf;
	struct gf_store *store;
	struct gf_rrd *rrd;
	struct gf_evloop *loop;		/* the daemon's event loop: the poller's sockets and timers */
	struct gf_poller *poller;
	struct gf_notifier *notifier;	/* NULL without smtp, and in --once */
	struct gf_sweep *sweep;		/* periodic discovery; NULL when off, and in --once */
	unsigned char *seen;		/* per device: last reachability, for logging changes only */
	struct gf_store_memo *memo;	/* per device: what an unchanged answer need not rewrite */
	unsigned char *dept_dirty;	/* per department: pages counted since its RRD was written */
	struct dept_base *dept_base;	/* per department: its pages before a recent day */
	time_t digest_check;		/* last look at whether a digest is due */
	size_t unpolled;		/* devices without a reading since start: digests wait */
	int64_t cycles;			/* rounds of the schedule started */
	time_t depts_all;		/* last time every department's RRD was written */
	struct gf_cycle_stats stats;	/* store_errors: the RRD writer's until sched_close() */
	unsigned long failures0;	/* store_failures() at the start */
	struct gf_lease *lease;		/* this poller's share; NULL in --once: every device */
	int leader;			/* this process judges, digests and writes departments */
	time_t last_commit;		/* last batch of readings committed */
	int64_t lead_tick;		/* the leader's last look without readings to commit */
	int shared;			/* the store is not a local file: other pollers may write */
};

/* Logs reachability changes once, not every poll of a dead device. */
static void
log_reachability(struct sched *s, int dev, const struct gf_reading *r)
{
	const struct gf_device *d = &s->conf->devices[dev];
	unsigned char now = r->reachable ? SEEN_UP : SEEN_DOWN;

	if (s->seen[dev] == now)
		return;
	if (!r->reachable)
		log_warnx("poll: %s (%s:%d): unreachable: %s", d->id, d->host, d->port, r->error);
	else if (s->seen[dev] == SEEN_DOWN)
		log_info("poll: %s: reachable again", d->id);
	s->seen[dev] = now;
}

/* Poller callback: one finished reading goes to both stores. */
static void
on_reading(void *arg, int dev, const struct gf_reading *r)
{
	struct sched *s = arg;
	const struct gf_device *d = &s->conf->devices[dev];
	const char *dept = s->conf->depts[d->dept].id;
	struct gf_metered m;
	int rc;

	memset(&m, 0, sizeof(m));
	if (s->seen[dev] == SEEN_NEVER && s->unpolled > 0)
		s->unpolled--;
	s->stats.polled++;
	if (!r->reachable)
		s->stats.unreachable++;
	log_reachability(s, dev, r);
	/* State, ledger and audit of one reading share the open batch: all or nothing. */
	/* The meter first: it reads the device's previous answer time, which the state row replaces. */
	/* A failure is counted where the store logs it (store_failures()), not here too. */
	if ((rc = store_meter_reading(s->store, &s->memo[dev], d, dept, r, &m)) > 0) {
		/* Another poller metered a reading as new (a takeover): this one is dropped whole. */
		log_debug("poll: %s: a newer reading is already metered: this one dropped", d->id);
		return;
	}
	if (rc != 0 || store_put_reading(s->store, d, dept, r, &s->memo[dev]) != 0) {
		store_abort(s->store);
	} else if (m.pages[GF_C_TOTAL] || m.pages[GF_C_MONO] || m.pages[GF_C_COLOUR]) {
		s->dept_dirty[d->dept] = 1;
	}
	if (rrdw_update(s->rrd, dev, r, &m) != 0)
		s->stats.store_errors++;
}

static int
sched_open(struct sched *s, const struct gf_conf *conf, const char *poller, int once)
{
	/* SQLite's page check once per process (about a second at 140 MB): not at each reload. */
	static int checked;
	char err[1024];

	memset(s, 0, sizeof(*s));
	s->conf = conf;
	s->failures0 = store_failures();
	/* A damaged state database stops the start: polling on would lose or misplace pages. */
	if ((s->store = store_open_err(conf, checked ? 0 : GF_STORE_CHECK, err,
	    sizeof(err))) == NULL) {
		log_err("store: %s; not starting, the file is left as it is", err);
		return -1;
	}
	checked = 1;
	s->shared = store_shared(conf);
	if (!once && (s->lease = lease_new(conf, poller, err, sizeof(err))) == NULL) {
		log_err("%s", err);
		return -1;
	}
	if ((s->rrd = rrdw_open(conf)) == NULL)
		return -1;
	s->seen = xcalloc(conf->ndevices ? conf->ndevices : 1, 1);
	s->memo = xcalloc(conf->ndevices ? conf->ndevices : 1, sizeof(*s->memo));
	/* Every department is judged once at start: quotas may have changed meanwhile. */
	s->dept_dirty = xcalloc(conf->ndepts ? conf->ndepts : 1, 1);
	s->dept_base = xcalloc(conf->ndepts ? conf->ndepts : 1, sizeof(*s->dept_base));
	memset(s->dept_dirty, 1, conf->ndepts);
	s->loop = evloop_new();
	s->poller = poller_new(s->loop, conf, on_reading, s);
	if (!once) {
		s->notifier = notify_start(conf);
		s->sweep = sweep_new(conf, s->loop);
	}
	return 0;
}

/* store_pages_moved callback: department ID's ledger moved (another poller's pages). */
static void
on_moved(void *arg, const char *id)
{
	struct sched *s = arg;
	size_t i;

	for (i = 0; i < s->conf->ndepts; i++)
		if (strcmp(s->conf->depts[i].id, id) == 0)
			s->dept_dirty[i] = 1;
}

/*
 * A department's series is the sum of every page it ever counted (a DERIVE
 * RRD makes pages per second of it). Summing the whole ledger at each
 * commit grows with its history (23 ms a call at 100,000 devices after 40
 * minutes, bench/NOTES.md): the days before yesterday are summed once a
 * day and kept, and only yesterday and today are summed each time. A page
 * committed late for an older day shows in the series the next day.
 */
static int
dept_pages(struct sched *s, size_t i, uint64_t pages[3])
{
	struct dept_base *b = &s->dept_base[i];
	uint64_t recent[3];
	char day[11];
	int k;

	if (gf_date_day(time(NULL) - 86400, day) != 0)
		return -1;
	if (strcmp(b->day, day) != 0) {
		if (store_dept_pages(s->store, s->conf->depts[i].id, day, 0, b->pages) != 0)
			return -1;
		memcpy(b->day, day, sizeof(b->day));
	}
	if (store_dept_pages(s->store, s->conf->depts[i].id, b->day, 1, recent) != 0)
		return -1;
	for (k = 0; k < 3; k++)
		pages[k] = b->pages[k] + recent[k];
	return 0;
}

/*
 * The leader's: writes the RRD series of the departments whose pages
 * moved, from the committed ledger, then marks those others' commits moved
 * since, to be judged and written at the next commit.
 */
static void
write_departments(struct sched *s)
{
	uint64_t pages[3];
	size_t i;
	int all;

	/*
	 * Quiet departments are written too, every half interval, so a night
	 * without pages is a flat line and not a gap past the RRD heartbeat.
	 */
	if (time(NULL) - s->depts_all >= s->conf->interval / 2) {
		s->depts_all = time(NULL);
		memset(s->dept_dirty, 1, s->conf->ndepts);
	}
	for (i = 0; i < s->conf->ndepts; i++) {
		if (!s->dept_dirty[i])
			continue;
		s->dept_dirty[i] = 0;
		if (dept_pages(s, i, pages) == 0)
			rrdw_department(s->rrd, s->conf->depts[i].id, time(NULL), pages);
	}
	if (store_pages_moved(s->store, on_moved, s, &all) == 0 && all)
		memset(s->dept_dirty, 1, s->conf->ndepts);
}

/*
 * Judges the departments whose pages moved, inside the batch (a crossing and
 * its notice commit with the pages that caused them), commits, then writes
 * their RRD series from the committed ledger and wakes the mail sender.
 */
static void
commit(struct sched *s)
{
	size_t i;
	int queued = 0, n, readings = store_batch_age_ms(s->store) >= 0;

	/* Judging is the leader's: another poller's pages reach it through the store. */
	for (i = 0; s->leader && i < s->conf->ndepts; i++)
		if (s->dept_dirty[i] && (n = judge_quota(s->store, s->conf, i, time(NULL))) > 0)
			queued += n;
	/*
	 * Digests: a look a minute is plenty for a weekly or monthly mail. Not
	 * before every device has answered once (or a second round has begun,
	 * should one never be polled): a digest made from the first batch of
	 * polls would leave out the fleet's other repairs for the whole week.
	 * With discovery on, the fleet digest also waits for a first sweep.
	 */
	if (s->leader && (s->unpolled == 0 || s->cycles >= 2) &&
	    time(NULL) - s->digest_check >= 60) {
		s->digest_check = time(NULL);
		for (i = 0; i < s->conf->ndepts; i++)
			if ((n = judge_digest(s->store, s->conf, i, s->digest_check)) > 0)
				queued += n;
		if (sweep_done(s->sweep) && judge_fleet_digest(s->store, s->conf, s->digest_check,
		    s->sweep != NULL ? sweep_lines(s->sweep) : NULL) > 0)
			queued++;
	}
	if (store_commit(s->store) != 0)
		return;
	if (readings)
		s->last_commit = time(NULL);
	if (s->leader)
		write_departments(s);
	else
		memset(s->dept_dirty, 0, s->conf->ndepts);
	if (queued)
		notify_kick(s->notifier);
}

static void
sched_close(struct sched *s)
{
	size_t i;

	poller_free(s->poller);
	sweep_free(s->sweep);
	evloop_free(s->loop);
	if (s->store && s->rrd)
		commit(s);
	/* Others take this poller's devices over at their next round, not after its lease. */
	if (s->store != NULL)
		lease_stop(s->lease, s->store);
	lease_free(s->lease);
	notify_stop(s->notifier);
	rrdw_flush(s->rrd);
	rrdw_close(s->rrd);
	store_close(s->store);
	/* The last commit and the mail sender's connection are in the count too. */
	s->stats.store_errors += store_failures() - s->failures0;
	for (i = 0; s->memo != NULL && i < s->conf->ndevices; i++)
		store_memo_clear(&s->memo[i]);
	free(s->memo);
	free(s->seen);
	free(s->dept_dirty);
	free(s->dept_base);
}

/* A device retired on or before TODAY is kept for the record but no longer polled. */
static int
retired(const struct gf_device *d, const char *today)
{
	return d->retired[0] != '\0' && strcmp(d->retired, today) <= 0;
}

/*
 * Commits the batch once it is old enough: one transaction for many readings,
 * since each commit rewrites whole pages. Shutdown commits what is left.
 */
static void
maybe_commit(struct sched *s)
{
	if (store_batch_age_ms(s->store) >= COMMIT_EVERY_MS)
		commit(s);
}

/*
 * With a shared store the leader judges others' pages even when it has no
 * reading of its own to commit. Not in drain(): the last commit would come
 * in the same second as this one's department samples, and RRD takes one
 * sample a second.
 */
static void
leader_tick(struct sched *s)
{
	if (s->shared && s->leader && store_batch_age_ms(s->store) < 0 &&
	    gf_mono_ms() - s->lead_tick >= COMMIT_EVERY_MS) {
		s->lead_tick = gf_mono_ms();
		commit(s);
	}
}

/* lease_round callback: a device taken over is polled now; one given up, forgotten. */
static void
on_lease(void *arg, int dev, int gained)
{
	struct sched *s = arg;
	char day[11];

	store_memo_clear(&s->memo[dev]);
	gf_date_today(day);
	if (gained && !retired(&s->conf->devices[dev], day))
		poller_start(s->poller, dev);
}

/*
 * The leader lock, then a lease round, when due: the batch is committed
 * first (a round is its own transaction). Leadership taken judges every
 * department at once: pages may have moved while no one judged.
 */
static void
lease_step(struct sched *s, int force)
{
	struct lease_beat b;
	int lead;

	if (s->lease == NULL || (!force && gf_mono_ms() < lease_due(s->lease)))
		return;
	commit(s);
	lead = store_leader(s->store, GF_LEAD_JUDGE) == 1;
	if (lead != s->leader)
		log_info("lease: %s %s the leader: judging quotas, digests and department series",
		    lease_name(s->lease), lead ? "is" : "is no longer");
	if (lead && !s->leader)
		memset(s->dept_dirty, 1, s->conf->ndepts);
	s->leader = lead;
	memset(&b, 0, sizeof(b));
	b.last_commit = s->last_commit;
	b.polled = (long long)s->stats.polled;
	b.leader = s->leader;
	lease_round(s->lease, s->store, &b, on_lease, s);
}


/* Device I's slot in the interval: evenly spread so polls never come all at once. */
static int64_t
slot_ms(const struct gf_conf *conf, size_t i)
{
	return (int64_t)i * conf->interval * 1000 / (int64_t)conf->ndevices;
}

/* Runs the spread schedule until STOP; devices are due in index order, round and round. */
static void
run_forever(struct sched *s, volatile sig_atomic_t *stop)
{
	const struct gf_conf *conf = s->conf;
	int64_t start = gf_mono_ms(), due, now;
	size_t next = 0;
	char day[11];
	int wait;

	/* No devices yet is a valid configuration: stay up, idle, until told to stop. */
	while (conf->ndevices == 0 && !*stop) {
		evloop_run(s->loop, LOOP_MAX_WAIT);
		sweep_step(s->sweep, s->store, 0);
		lease_step(s, 0);
	}
	while (!*stop) {
		now = gf_mono_ms();
		gf_date_today(day);	/* once a wake-up, not once a poll */
		while ((due = start + s->cycles * conf->interval * 1000 + slot_ms(conf, next)) <= now) {
			if (!retired(&conf->devices[next], day) && lease_mine(s->lease, (int)next))
				poller_start(s->poller, (int)next);
			if (++next == conf->ndevices) {
				next = 0;
				s->cycles++;
				log_info("cycle %lld: %lu polls so far, %lu unreachable",
				    (long long)s->cycles, s->stats.polled, s->stats.unreachable);
			}
		}
		/* Wake on tick boundaries: devices due within a tick start together, fewer wake-ups. */
		due = start + ((due - start + TICK_MS - 1) / TICK_MS) * TICK_MS;
		wait = due - now > LOOP_MAX_WAIT ? LOOP_MAX_WAIT : (int)(due - now);
		evloop_run(s->loop, wait);
		/*
		 * New findings: the fleet digest, if it waited for them, is looked at
		 * again. Sweeps are the leader's, whose digest tells of them.
		 */
		if (s->leader && sweep_step(s->sweep, s->store, 0))
			s->digest_check = 0;
		maybe_commit(s);
		leader_tick(s);
		lease_step(s, 0);
	}
}

/* Lets polls in flight finish (each is bounded by its timeout and retries) before exit. */
static void
drain(struct sched *s, volatile sig_atomic_t *stop)
{
	sweep_step(s->sweep, s->store, 1);
	while (poller_pending(s->poller) > 0 || sweep_busy(s->sweep)) {
		if (*stop)
			poller_drop_queue(s->poller);
		evloop_run(s->loop, LOOP_MAX_WAIT);
		sweep_step(s->sweep, s->store, 1);
		maybe_commit(s);
	}
}

int
sched_run(const struct gf_conf *conf, const char *poller, int once, volatile sig_atomic_t *stop,
    struct gf_cycle_stats *stats, void (*ready)(void))
{
	struct sched s;
	char day[11];
	size_t i;
	int rc = 0;

	if (sched_open(&s, conf, poller, once) != 0) {
		rc = -1;
		goto out;
	}
	gf_date_today(day);
	for (i = 0; i < conf->ndevices; i++)
		s.unpolled += !retired(&conf->devices[i], day);
	/* The share first: the schedule polls what this poller holds. */
	if (once)
		s.leader = store_leader(s.store, GF_LEAD_JUDGE) == 1;
	else
		lease_step(&s, 1);
	if (ready != NULL)
		ready();
	if (once) {
		for (i = 0; i < conf->ndevices; i++)
			if (!retired(&conf->devices[i], day))
				poller_start(s.poller, (int)i);
	} else {
		run_forever(&s, stop);
	}
	drain(&s, stop);
out:
	sched_close(&s);
	if (stats && rc == 0)
		*stats = s.stats;
	/* --once sends what it queued (and what earlier runs left) before exiting. */
	if (once && rc == 0)
		notify_flush(conf);
	return rc;
}
