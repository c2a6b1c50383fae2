/* Discovery of a network: asynchronous SNMP probes on the event loop, paced by a token bucket. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "discover.h"
#include "evloop.h"
#include "log.h"
#include "printer.h"
#include "readplan.h"
#include "snmpv3.h"
#include "snmpwalk.h"
#include "util.h"
#include "v3disc.h"
#include "xmalloc.h"

enum dev_event { EV_NONE, EV_ANSWER, EV_TIMEOUT, EV_REFUSED };

struct djob {
	struct gf_discover *d;
	uint32_t addr;
	int cred;			/* the credential being tried */
	int tries;			/* resends of the first request under it */
	int phase;			/* 0: first contact; 1: the device's own plan; 2: a printer's model */
	size_t host;			/* phase 2: its entry in the results */
	int printer;			/* the first contact found a printer for sure */
	int hr_printer;			/* the first contact found an hrPrinterTable row */
	int answered;			/* the device answered under this credential */
	int pending;			/* a request is outstanding */
	int waiting;			/* in the queue for a token */
	int discovering;		/* SNMPv3: the engine discovery request is ours to send */
	uint32_t msgid;
	enum dev_event event;
	void *sess;
	int fd;
	struct gf_evtimer timer;
	struct djob *next;		/* the token queue, or the free list */
	struct gf_walk w;
};

struct gf_discover {
	const struct disc_opts *o;
	struct gf_evloop *loop;
	struct gf_printer_plans *pplans;
	struct gf_netrange *ranges;	/* sorted, merged */
	size_t nranges, rcur;
	uint64_t roff;
	struct v3_keys **keys;		/* per credential: v3 keys, derived once; NULL for v1/v2c */
	struct djob *jobs;
	struct djob *free_jobs;
	int running;
	int shared;			/* the loop is the caller's: not freed here */
	struct djob *wait_head, *wait_tail;
	int64_t tat_us;			/* the bucket's theoretical arrival time */
	int64_t interval_us, burst_us;
	struct gf_evtimer bucket, drain, tick;
	netsnmp_large_fd_set fds;
	struct disc_stats st;
	struct disc_host *hosts;
	size_t nhosts, cap;
};

static void job_send(struct djob *j);
static void job_want_send(struct djob *j);
static void cred_start(struct djob *j);
static void phase_end(struct djob *j);

/* Microseconds of the monotonic clock. */
static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the token bucket (GCRA): a datagram may leave when its slot is at most a burst ahead ---- */

/* Takes a token: 1 if a datagram may leave now. */
static int
bucket_take(struct gf_discover *d)
{
	int64_t now = now_us();

	if (d->tat_us < now)
		d->tat_us = now;
	if (d->tat_us - now > d->burst_us)
		return 0;
	d->tat_us += d->interval_us;
	return 1;
}

/* Gives back a token taken for a datagram that was not sent. */
static void
bucket_refund(struct gf_discover *d)
{
	d->tat_us -= d->interval_us;
}

/* Arms the bucket's timer for when the next token is due. */
static void
bucket_arm(struct gf_discover *d)
{
	int64_t due = (d->tat_us - d->burst_us) / 1000 + 1;

	if (!evtimer_armed(&d->bucket))
		evloop_timer_at(d->loop, &d->bucket, due);
}

/* Sends for the jobs waiting on tokens, in order, while there are tokens. */
static void
bucket_fire(void *arg)
{
	struct gf_discover *d = arg;
	struct djob *j;

	while ((j = d->wait_head) != NULL && bucket_take(d)) {
		d->wait_head = j->next;
		if (d->wait_head == NULL)
			d->wait_tail = NULL;
		j->waiting = 0;
		job_send(j);
	}
	if (d->wait_head != NULL)
		bucket_arm(d);
}

/* Sends J's next datagram now if a token is free, else queues it for one. */
static void
job_want_send(struct djob *j)
{
	struct gf_discover *d = j->d;

	if (d->wait_head == NULL && bucket_take(d)) {
		job_send(j);
		return;
	}
	j->waiting = 1;
	j->next = NULL;
	if (d->wait_tail != NULL)
		d->wait_tail->next = j;
	else
		d->wait_head = j;
	d->wait_tail = j;
	bucket_arm(d);
}

/* ---- targets ---- */

static int
range_cmp(const void *a, const void *b)
{
	const struct gf_netrange *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Sorts and merges the targets, so an address given twice is asked once; returns the count. */
static uint64_t
ranges_merge(struct gf_discover *d)
{
	const struct disc_opts *o = d->o;
	uint64_t total = 0;
	size_t i, n = 0;

	d->ranges = xcalloc(o->ntargets ? o->ntargets : 1, sizeof(*d->ranges));
	memcpy(d->ranges, o->targets, o->ntargets * sizeof(*d->ranges));
	qsort(d->ranges, o->ntargets, sizeof(*d->ranges), range_cmp);
	for (i = 0; i < o->ntargets; i++) {
		if (n > 0 && (uint64_t)d->ranges[i].first <= (uint64_t)d->ranges[n - 1].last + 1) {
			if (d->ranges[i].last > d->ranges[n - 1].last)
				d->ranges[n - 1].last = d->ranges[i].last;
			continue;
		}
		d->ranges[n++] = d->ranges[i];
	}
	d->nranges = n;
	for (i = 0; i < n; i++)
		total += netrange_size(&d->ranges[i]);
	return total;
}

/* The next address to ask; 0 when every one was. */
static int
next_addr(struct gf_discover *d, uint32_t *a)
{
	while (d->rcur < d->nranges) {
		if (d->roff < netrange_size(&d->ranges[d->rcur])) {
			*a = d->ranges[d->rcur].first + (uint32_t)d->roff++;
			return 1;
		}
		d->rcur++;
		d->roff = 0;
	}
	return 0;
}

/* ---- sessions ---- */

/* Closes J's session or discovery socket, if any. */
static void
job_close(struct djob *j)
{
	if (j->discovering && j->fd >= 0) {
		evloop_fd_del(j->d->loop, j->fd);
		close(j->fd);
		j->fd = -1;
		j->discovering = 0;
		j->pending = 0;
		return;
	}
	if (j->sess == NULL)
		return;
	evloop_fd_del(j->d->loop, j->fd);
	snmp_sess_close(j->sess);
	j->sess = NULL;
	j->pending = 0;
}

/* Runs inside snmp_sess_read/timeout: takes the answer; the library frees the PDU on return. */
static int
job_callback(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct djob *j = magic;

	(void)s;
	(void)reqid;
	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;
	j->pending = 0;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL)
		j->event = EV_TIMEOUT;
	else if (pdu->command == SNMP_MSG_REPORT)
		j->event = EV_REFUSED;
	else {
		j->event = EV_ANSWER;
		j->answered = 1;
		walk_answer(&j->w, pdu);
	}
	return 1;
}

/* What happened to J's request: the next one, the next credential, or the phase's end. */
static void
job_event(struct djob *j)
{
	enum dev_event ev = j->event;

	evloop_timer_stop(j->d->loop, &j->timer);
	j->event = EV_NONE;
	if (ev == EV_ANSWER) {
		job_want_send(j);
	} else if (ev == EV_TIMEOUT && j->answered) {
		phase_end(j);
	} else if (ev == EV_TIMEOUT && j->tries < j->d->o->retries) {
		j->tries++;
		if (!j->discovering)
			walk_begin(&j->w, j->w.plan, j->w.v1, 0, time(NULL));
		job_want_send(j);
	} else {
		job_close(j);
		j->cred++;
		cred_start(j);
	}
}

/* J's socket is readable: net-snmp reads the answer and calls job_callback. */
static void
job_ready(void *arg, int fd, int events)
{
	struct djob *j = arg;
	struct gf_discover *d = j->d;

	(void)events;
	NETSNMP_LARGE_FD_SET(fd, &d->fds);
	snmp_sess_read2(j->sess, &d->fds);
	NETSNMP_LARGE_FD_CLR(fd, &d->fds);
	if (j->event != EV_NONE)
		job_event(j);
}

/* J's timer: net-snmp decides whether the request expired (it may be a few ms early). */
static void
job_timeout(void *arg)
{
	struct djob *j = arg;

	if (j->discovering) {
		j->pending = 0;
		j->event = EV_TIMEOUT;
		job_event(j);
		return;
	}
	if (j->sess == NULL)
		return;
	snmp_sess_timeout(j->sess);
	if (j->event != EV_NONE)
		job_event(j);
	else
		evloop_timer_at(j->d->loop, &j->timer, gf_mono_ms() + 5);
}

/* Sends J's v3 engine discovery request (it holds a token). */
static void
disc_send(struct djob *j)
{
	char err[128];

	if (v3_disc_send(j->fd, j->msgid, err, sizeof(err)) != 0) {
		j->event = EV_REFUSED;
		job_event(j);
		return;
	}
	j->d->st.sent++;
	j->pending = 1;
	evloop_timer_at(j->d->loop, &j->timer, gf_mono_ms() + j->d->o->timeout_ms);
}

/* Sends J's next request (it holds a token); the walk's end ends the phase. */
static void
job_send(struct djob *j)
{
	struct gf_discover *d = j->d;
	netsnmp_pdu *pdu;

	if (j->discovering) {
		disc_send(j);
		return;
	}
	if ((pdu = walk_pdu(&j->w)) == NULL) {
		bucket_refund(d);
		phase_end(j);
		return;
	}
	/* On success the library owns the PDU; on failure it is still ours. */
	if (snmp_sess_async_send(j->sess, pdu, job_callback, j) == 0) {
		snmp_free_pdu(pdu);
		bucket_refund(d);
		j->event = EV_TIMEOUT;
		j->tries = d->o->retries;
		job_event(j);
		return;
	}
	d->st.sent++;
	j->pending = 1;
	evloop_timer_at(d->loop, &j->timer, gf_mono_ms() + d->o->timeout_ms + 1);
}

/* A device for J's address with credential C, as the SNMPv3 helpers take one. */
static void
fake_device(const struct djob *j, const struct gf_snmp_conf *c, char host[16], struct gf_device *d)
{
	memset(d, 0, sizeof(*d));
	d->id = "discover";
	d->host = (char *)netrange_str(j->addr, host);
	d->port = j->d->o->port;
	d->snmp = *c;
}

/*
 * Opens a session to J's address with credential C; -1 (logged) on failure.
 * For v3, ENGINE (LEN bytes) is what the discovery learnt.
 */
static int
job_open(struct djob *j, const struct gf_snmp_conf *c, const u_char *engine, size_t len)
{
	struct gf_device dev;
	netsnmp_session s;
	char peer[64], a[16];

	snmp_sess_init(&s);
	snprintf(peer, sizeof(peer), "udp:%s:%d", netrange_str(j->addr, a), j->d->o->port);
	s.peername = peer;
	s.timeout = (long)j->d->o->timeout_ms * 1000;
	s.retries = 0;			/* resends are ours: each one waits for a token */
	if (c->version == GF_SNMP_V3) {
		s.version = SNMP_VERSION_3;
		fake_device(j, c, a, &dev);
		v3_session(&s, &dev, j->d->keys[j->cred]);
		s.securityEngineID = (u_char *)engine;	/* copied by snmp_sess_open */
		s.securityEngineIDLen = len;
	} else {
		s.version = c->version == GF_SNMP_V1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
		s.community = (u_char *)c->community;
		s.community_len = strlen(c->community);
	}
	if ((j->sess = snmp_sess_open(&s)) == NULL) {
		log_warnx("discover: cannot open a session to %s: %s", peer,
		    snmp_api_errstring(snmp_errno));
		return -1;
	}
	j->fd = snmp_sess_transport(j->sess)->sock;
	if (evloop_fd_add(j->d->loop, j->fd, GF_EV_READ, job_ready, j) != 0) {
		log_warnx("discover: epoll_ctl: %s", strerror(errno));
		snmp_sess_close(j->sess);
		j->sess = NULL;
		return -1;
	}
	return 0;
}

/* ---- an address's life ---- */

/* Frees J's slot; the next address starts from the drain timer, never from here. */
static void
job_done(struct djob *j)
{
	struct gf_discover *d = j->d;

	job_close(j);
	evloop_timer_stop(d->loop, &j->timer);
	d->st.done++;
	d->running--;
	j->next = d->free_jobs;
	d->free_jobs = j;
	if (!evtimer_armed(&d->drain))
		evloop_timer_at(d->loop, &d->drain, 0);
}

/* The v3 discovery socket is readable: the engine learnt opens the real session. */
static void
disc_ready(void *arg, int fd, int events)
{
	struct djob *j = arg;
	struct v3disc_answer a;
	unsigned char buf[2048];
	ssize_t n;

	(void)events;
	while ((n = recv(fd, buf, sizeof(buf), 0)) >= 0) {
		if (v3disc_parse(buf, (size_t)n, j->msgid, &a) != 0)
			continue;	/* not ours, or garbage: keep waiting */
		evloop_timer_stop(j->d->loop, &j->timer);
		job_close(j);
		/* Spares the notInTimeWindow round trip on the first authenticated request. */
		set_enginetime(a.engine, a.engine_len, a.boots, a.time, TRUE);
		if (job_open(j, &j->d->o->creds[j->cred], a.engine, a.engine_len) != 0) {
			j->cred++;
			cred_start(j);
			return;
		}
		j->tries = 0;
		walk_begin(&j->w, readplan_first(GF_KIND_PRINTER), 0, 0, time(NULL));
		job_want_send(j);
		return;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK) {
		/* ICMP port unreachable surfaces here: nothing listens, the next credential. */
		evloop_timer_stop(j->d->loop, &j->timer);
		j->pending = 0;
		j->event = EV_REFUSED;
		job_event(j);
	}
}

/* Starts J's v3 engine discovery on a socket of its own; -1 on failure. */
static int
disc_start(struct djob *j, const struct gf_snmp_conf *c)
{
	struct gf_device dev;
	char host[16], err[128];

	if (j->d->keys[j->cred] == NULL)
		return -1;
	fake_device(j, c, host, &dev);
	if ((j->fd = v3_disc_socket(&dev, err, sizeof(err))) < 0)
		return -1;
	if (evloop_fd_add(j->d->loop, j->fd, GF_EV_READ, disc_ready, j) != 0) {
		close(j->fd);
		j->fd = -1;
		return -1;
	}
	j->discovering = 1;
	j->msgid = (uint32_t)(j->addr * 2654435761u + (uint32_t)j->cred) & 0x7fffffff;
	return 0;
}

/* Tries J's current credential, or gives up when none is left. */
static void
cred_start(struct djob *j)
{
	const struct disc_opts *o = j->d->o;
	const struct gf_snmp_conf *c;

	for (; (size_t)j->cred < o->ncreds; j->cred++) {
		c = &o->creds[j->cred];
		j->tries = 0;
		j->phase = 0;
		j->answered = 0;
		if (c->version == GF_SNMP_V3) {
			if (disc_start(j, c) != 0)
				continue;
			job_want_send(j);
			return;
		}
		if (job_open(j, c, NULL, 0) != 0)
			continue;
		walk_begin(&j->w, readplan_first(GF_KIND_PRINTER), c->version == GF_SNMP_V1, 0,
		    time(NULL));
		job_want_send(j);
		return;
	}
	job_done(j);
}

/* Keeps what answering job J found. */
static void
host_add(struct djob *j)
{
	struct gf_discover *d = j->d;
	struct disc_host *h;

	if (d->nhosts == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->hosts = xreallocarray(d->hosts, d->cap, sizeof(*d->hosts));
	}
	h = &d->hosts[d->nhosts++];
	h->addr = j->addr;
	h->cred = j->cred;
	classify_reading(&j->w.reading, j->printer, j->hr_printer, d->o->profiles, &h->info);
	d->st.found++;
}

/* A walk is over: after first contact, the device's own plan; after that, the result. */
static void
phase_end(struct djob *j)
{
	struct gf_reading *r = &j->w.reading;
	const struct gf_readplan *plan;

	if (j->phase == 0) {
		j->printer = classify_is_printer(r, j->d->o->profiles);
		j->hr_printer = r->has_printer_status;
		plan = j->printer ? printer_choose_plan(r, j->d->pplans) : host_full_plan();
		j->phase = 1;
		walk_begin(&j->w, plan, j->w.v1, 0, time(NULL));
		job_want_send(j);
		return;
	}
	if (j->phase == 2) {
		classify_model(r, &j->d->hosts[j->host].info);
		job_done(j);
		return;
	}
	r->reachable = 1;
	if (j->w.plan->finish != NULL)
		j->w.plan->finish(r);
	host_add(j);
	if (j->d->hosts[j->d->nhosts - 1].info.cls == GF_CLASS_PRINTER) {
		j->host = j->d->nhosts - 1;
		j->phase = 2;
		walk_begin(&j->w, classify_model_plan(), j->w.v1, 0, time(NULL));
		job_want_send(j);
		return;
	}
	job_done(j);
}

/* Starts addresses while slots are free: a loop, so a run of failures stays flat. */
static void
drain(void *arg)
{
	struct gf_discover *d = arg;
	struct djob *j;
	uint32_t a;

	while (d->free_jobs != NULL && next_addr(d, &a)) {
		j = d->free_jobs;
		d->free_jobs = j->next;
		memset(j, 0, offsetof(struct djob, w));
		j->d = d;
		j->addr = a;
		j->fd = -1;
		evtimer_init(&j->timer, job_timeout, j);
		d->running++;
		cred_start(j);
	}
}

/* The progress callback, every 250 ms while the run lasts. */
static void
tick(void *arg)
{
	struct gf_discover *d = arg;

	d->st.now_ms = gf_mono_ms();
	if (d->o->progress != NULL)
		d->o->progress(d->o->arg, &d->st);
	evloop_timer_at(d->loop, &d->tick, d->st.now_ms + 250);
}

static int
host_cmp(const void *a, const void *b)
{
	const struct disc_host *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Slots: the concurrency asked, within what the open file limit leaves. */
static int
slots(int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)want + 64 > rl.rlim_cur)
		want = rl.rlim_cur > 96 ? (int)rl.rlim_cur - 64 : 32;
	return want > 0 ? want : 1;
}

/* Frees the v3 keys of every credential. */
static void
keys_free(struct gf_discover *d)
{
	size_t i;

	for (i = 0; i < d->o->ncreds; i++)
		v3_keys_free(d->keys[i]);
	free(d->keys);
}

/* Sets up D for O on LOOP (NULL: a loop of its own): slots, plans, the bucket and its timers. */
static void
disc_setup(struct gf_discover *d, const struct disc_opts *o, struct gf_evloop *loop)
{
	int i, n = slots(o->concurrency);

	memset(d, 0, sizeof(*d));
	d->o = o;
	d->loop = loop != NULL ? loop : evloop_new();
	d->shared = loop != NULL;
	d->pplans = printer_plans_new(o->profiles);
	d->st.total = ranges_merge(d);
	d->keys = xcalloc(o->ncreds + 1, sizeof(*d->keys));
	for (i = 0; i < (int)o->ncreds; i++)
		if (o->creds[i].version == GF_SNMP_V3)
			d->keys[i] = v3_keys_new(&(struct gf_device){ .id = "discover",
			    .snmp = o->creds[i] });
	d->jobs = xcalloc((size_t)n, sizeof(*d->jobs));
	for (i = n - 1; i >= 0; i--) {
		d->jobs[i].next = d->free_jobs;
		d->free_jobs = &d->jobs[i];
	}
	d->interval_us = 1000000 / (o->rate > 0 ? o->rate : 1);
	/* 10 ms of tokens at once: a timer every few ms, the rate held within 1 %. */
	d->burst_us = d->interval_us * (o->rate / 100);
	evtimer_init(&d->bucket, bucket_fire, d);
	evtimer_init(&d->drain, drain, d);
	evtimer_init(&d->tick, tick, d);
	netsnmp_large_fd_set_init(&d->fds, 65536);
}

struct gf_discover *
discover_begin(struct gf_evloop *loop, const struct disc_opts *o)
{
	struct gf_discover *d = xcalloc(1, sizeof(*d));

	disc_setup(d, o, loop);
	if (d->loop == NULL) {
		log_warnx("discover: cannot create the event loop: %s", strerror(errno));
		free(d->jobs);
		free(d->ranges);
		printer_plans_free(d->pplans);
		keys_free(d);
		free(d);
		return NULL;
	}
	d->st.start_ms = gf_mono_ms();
	tick(d);
	drain(d);
	return d;
}

int
discover_busy(const struct gf_discover *d)
{
	return d->running > 0 || d->rcur < d->nranges;
}

void
discover_stop(struct gf_discover *d)
{
	d->rcur = d->nranges;
}

void
discover_end(struct gf_discover *d, struct disc_result *out)
{
	evloop_timer_stop(d->loop, &d->tick);
	evloop_timer_stop(d->loop, &d->bucket);
	evloop_timer_stop(d->loop, &d->drain);
	d->st.now_ms = gf_mono_ms();
	if (d->o->progress != NULL)
		d->o->progress(d->o->arg, &d->st);
	qsort(d->hosts, d->nhosts, sizeof(*d->hosts), host_cmp);
	out->hosts = d->hosts;
	out->nhosts = d->nhosts;
	out->st = d->st;
	netsnmp_large_fd_set_cleanup(&d->fds);
	if (!d->shared)
		evloop_free(d->loop);
	printer_plans_free(d->pplans);
	keys_free(d);
	free(d->jobs);
	free(d->ranges);
	free(d);
}

int
discover_run(const struct disc_opts *o, struct disc_result *out)
{
	struct gf_discover *d;

	memset(out, 0, sizeof(*out));
	if ((d = discover_begin(NULL, o)) == NULL)
		return -1;
	while (discover_busy(d))
		evloop_run(d->loop, 1000);
	discover_end(d, out);
	return 0;
}

void
disc_result_free(struct disc_result *r)
{
	free(r->hosts);
	r->hosts = NULL;
	r->nhosts = 0;
}
