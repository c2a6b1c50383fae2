/* Asynchronous SNMP poller over net-snmp's single-session API, on the daemon's event loop. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "evloop.h"
#include "log.h"
#include "poller.h"
#include "printer.h"
#include "readplan.h"
#include "snmpv3.h"
#include "snmpwalk.h"
#include "util.h"
#include "xmalloc.h"

#define FULL_EVERY_S	86400	/* workstations' slow tables (software, ENTITY, SMART): daily */

enum job_event { EV_NONE, EV_ANSWER, EV_TIMEOUT, EV_REFUSED };

struct job {
	struct gf_poller *p;
	int dev;
	void *sess;			/* net-snmp single session, ours to close */
	int kept;			/* the session was kept from the last poll: its socket is in the loop */
	int fd;				/* the session's socket, or the discovery socket */
	int discovering;		/* v3 engine discovery on our own socket */
	int tries;			/* discovery requests sent */
	uint32_t msgid;
	struct gf_evtimer timer;	/* the next retry or expiry */
	int pending;			/* a request is outstanding */
	int64_t began;			/* gf_mono_ms() when the poll started */
	enum job_event event;
	struct job *next_free;
	struct gf_walk w;		/* last: walk_begin leaves its 8 KB of cursors as they are */
};

/* What a session socket's callback is given: it outlives the polls of its device. */
struct devref {
	struct gf_poller *p;
	int dev;
};

struct gf_poller {
	const struct gf_conf *conf;
	struct gf_evloop *loop;
	poll_done_fn done;
	void *arg;
	struct job *jobs;		/* `concurrency` slots */
	int njobs;
	int nfresh;			/* slots from here on were never used, so never touched */
	struct job *free_jobs;		/* used slots, most recently freed first */
	int running;
	struct gf_evtimer drain;	/* due once a slot frees: starts queued devices */
	int *queue;			/* FIFO ring of device indexes */
	size_t qhead, qlen;
	unsigned char *state;		/* per device: 0 idle, 1 queued or running */
	struct v3_keys **keys;		/* per device, NULL unless v3 */
	void **idle;			/* per device: its session between polls, when they fit */
	struct job **job_of;		/* per device: its job while it is polled */
	struct devref *ref;		/* per device: its session socket's callback argument */
	unsigned char *rows_hint;	/* per device: 1 + rows of its first table last time, 0 unknown */
	const struct gf_readplan **plan;	/* per device: what to ask it */
	struct gf_printer_plans *pplans;	/* the vendor profiles' plans */
	uint64_t *objid;		/* per device: hash of the sysObjectID its plan was chosen for */
	time_t *full_due;		/* per workstation: when to read the slow tables again */
	int keep_sessions;		/* the fd limit covers one session per device */
	netsnmp_large_fd_set fds;
};

void
poller_initialise(void)
{
	/* No MIB files: every OID is numeric. No persistent files under /var/lib/snmp. */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_CONFIG_LOAD, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_ERRORS, 0);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
	init_snmp("greenfleet");
}

void
poller_finalise(void)
{
	snmp_shutdown("greenfleet");
}

static void job_begin(struct gf_poller *p, int dev);
static void job_advance(struct job *j);
static void disc_read(struct job *j);
static void disc_timeout(struct job *j);

/* Arms the job's timer from net-snmp's own view of its next retry or expiry. */
static void
job_arm(struct job *j)
{
	struct gf_poller *p = j->p;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;
	int64_t due;

	if (j->discovering) {
		due = gf_mono_ms() + p->conf->devices[j->dev].timeout_ms;
	} else {
		snmp_sess_select_info2(j->sess, &numfds, &p->fds, &tv, &block);
		NETSNMP_LARGE_FD_CLR(j->fd, &p->fds);
		due = gf_mono_ms() + (block ? 1000 : tv.tv_sec * 1000 + tv.tv_usec / 1000 + 1);
	}
	evloop_timer_at(p->loop, &j->timer, due);
}

/* The timer of a job: a discovery retry, or net-snmp's retry or expiry. */
static void
job_timeout(void *arg)
{
	struct job *j = arg;

	if (j->discovering) {
		disc_timeout(j);
		return;
	}
	snmp_sess_timeout(j->sess);
	job_advance(j);
}

/* ---- sessions ---- */

/* Opens the job's session; -1 (logged) on failure. */
static int
job_open(struct job *j)
{
	const struct gf_device *d = &j->p->conf->devices[j->dev];
	struct v3_keys *k = j->p->keys[j->dev];
	netsnmp_session s;
	char peer[300];

	/* A kept session skips socket set-up and, for v3, keeps its USM state. */
	if (j->p->idle[j->dev]) {
		j->sess = j->p->idle[j->dev];
		j->p->idle[j->dev] = NULL;
		j->fd = snmp_sess_transport(j->sess)->sock;
		j->kept = 1;
		return 0;
	}
	snmp_sess_init(&s);
	snprintf(peer, sizeof(peer), strchr(d->host, ':') ? "udp6:[%s]:%d" : "udp:%s:%d",
	    d->host, d->port);
	s.peername = peer;
	s.timeout = (long)d->timeout_ms * 1000;
	s.retries = d->retries;
	switch (d->snmp.version) {
	case GF_SNMP_V1: s.version = SNMP_VERSION_1; break;
	case GF_SNMP_V2C: s.version = SNMP_VERSION_2c; break;
	case GF_SNMP_V3: s.version = SNMP_VERSION_3; break;
	}
	if (d->snmp.version == GF_SNMP_V3) {
		if (k == NULL)
			return -1;
		v3_session(&s, d, k);
	} else {
		s.community = (u_char *)d->snmp.community;
		s.community_len = strlen(d->snmp.community);
	}
	if ((j->sess = snmp_sess_open(&s)) == NULL) {
		log_warnx("snmp: %s: cannot open a session to %s: %s", d->id, peer,
		    snmp_api_errstring(snmp_errno));
		return -1;
	}
	j->fd = snmp_sess_transport(j->sess)->sock;
	return 0;
}

/* Runs inside snmp_sess_read/timeout: records the answer; the PDU is freed by the library on return. */
static int
job_callback(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct job *j = magic;

	(void)s;
	(void)reqid;
	/* A retransmission is only news: the request is still outstanding. */
	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;
	j->pending = 0;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL) {
		j->event = EV_TIMEOUT;
		return 1;
	}
	/* A v3 report (wrong passphrase, unknown user) is a refusal, not data. */
	if (pdu->command == SNMP_MSG_REPORT) {
		snprintf(j->w.reading.error, sizeof(j->w.reading.error), "SNMPv3: %s",
		    snmp_api_errstring(snmpv3_get_report_type(pdu)));
		j->event = EV_REFUSED;
		return 1;
	}
	j->event = EV_ANSWER;
	j->w.reading.reachable = 1;
	walk_answer(&j->w, pdu);
	return 1;
}

/* Sends the walk's next request; -1 if the walk is over or it could not be sent. */
static int
job_send(struct job *j)
{
	netsnmp_pdu *pdu;

	if ((pdu = walk_pdu(&j->w)) == NULL)
		return -1;
	j->event = EV_NONE;
	/* On success the library owns the PDU; on failure it is still ours. */
	if (snmp_sess_async_send(j->sess, pdu, job_callback, j) == 0) {
		snmp_free_pdu(pdu);
		snprintf(j->w.reading.error, sizeof(j->w.reading.error), "send failed");
		return -1;
	}
	j->pending = 1;
	job_arm(j);
	return 0;
}

/* ---- job life ---- */

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/*
 * After a discovery poll the device gets its real plan (PWG, vendor profile
 * or base) and is polled again at once; the discovery reading is not kept,
 * so a device's counters always come from one plan. A device whose
 * sysObjectID changes (swapped) is discovered again on its next poll.
 * Returns 1 when the reading is to be dropped.
 */
static int
job_plan_next(struct job *j)
{
	struct gf_poller *p = j->p;
	const struct gf_reading *r = &j->w.reading;
	uint64_t h;

	if (r->reachable && r->full)
		p->full_due[j->dev] = r->when + FULL_EVERY_S;
	if (!r->reachable || p->conf->devices[j->dev].kind != GF_KIND_PRINTER)
		return 0;
	h = str_hash(r->sys_object_id);
	if (j->w.plan->discover) {
		p->plan[j->dev] = printer_choose_plan(r, p->pplans);
		p->objid[j->dev] = h;
		log_debug("poll: %s: %s: reading plan %s", p->conf->devices[j->dev].id,
		    r->sys_object_id, p->plan[j->dev]->name);
		return 1;
	}
	if (h != p->objid[j->dev])
		p->plan[j->dev] = readplan_first(GF_KIND_PRINTER);
	return 0;
}

/* Closes the job's session, or keeps it for the device's next poll when it may. */
static void
job_close(struct job *j)
{
	struct gf_poller *p = j->p;

	if (j->sess == NULL)
		return;
	v3_keep_engine(p->keys[j->dev], j->sess);
	/* A kept session stays in the loop: two system calls a poll fewer. */
	if (p->keep_sessions && !j->pending) {
		p->idle[j->dev] = j->sess;
	} else {
		evloop_fd_del(p->loop, j->fd);
		snmp_sess_close(j->sess);
	}
	j->sess = NULL;
}

/* Delivers the reading, closes the session and lets the next queued device start. */
static void
job_finish(struct job *j)
{
	struct gf_poller *p = j->p;
	const struct gf_device *d = &p->conf->devices[j->dev];
	struct gf_reading *r = &j->w.reading;
	int dev = j->dev, again;

	evloop_timer_stop(p->loop, &j->timer);
	p->job_of[dev] = NULL;
	job_close(j);
	r->poll_ms = (int)(gf_mono_ms() - j->began);
	if (!r->reachable && r->error[0] == '\0')
		snprintf(r->error, sizeof(r->error), GF_NO_ANSWER " %d ms x %d",
		    d->timeout_ms, d->retries + 1);
	if (j->w.rows0 >= 0)
		p->rows_hint[dev] = (unsigned char)(j->w.rows0 < 254 ? j->w.rows0 + 1 : 255);
	if (r->reachable && j->w.plan->finish != NULL)
		j->w.plan->finish(r);
	if (!(again = job_plan_next(j)))
		p->done(p->arg, dev, r);
	p->state[dev] = 0;
	j->next_free = p->free_jobs;
	p->free_jobs = j;
	p->running--;
	/* Not started from here: a run of failing starts stays a loop, not a recursion. */
	if (!evtimer_armed(&p->drain))
		evloop_timer_at(p->loop, &p->drain, 0);
	if (again)
		poller_start(p, dev);
}

/* Starts queued devices while slots are free; a loop, not recursion, so a run of failures stays flat. */
static void
drain_queue(void *arg)
{
	struct gf_poller *p = arg;
	int dev;

	while ((p->free_jobs || p->nfresh < p->njobs) && p->qlen > 0) {
		dev = p->queue[p->qhead];
		p->qhead = (p->qhead + 1) % p->conf->ndevices;
		p->qlen--;
		job_begin(p, dev);
	}
}

/* After an answer or a timeout: sends the next request or finishes. */
static void
job_advance(struct job *j)
{
	if (j->pending) {
		job_arm(j);
		return;
	}
	if (j->event == EV_TIMEOUT || j->event == EV_REFUSED) {
		if (j->event == EV_TIMEOUT && j->w.reading.reachable)
			snprintf(j->w.reading.error, sizeof(j->w.reading.error),
			    "timeout in %s walk", walk_stage_name(&j->w));
		job_finish(j);
		return;
	}
	if (job_send(j) != 0)
		job_finish(j);
}

/* A datagram for a session between polls (a late or duplicate answer): read and dropped. */
static void
drop_late(struct gf_poller *p, int dev)
{
	char buf[2048];
	int fd;

	if (p->idle[dev] == NULL)
		return;
	fd = snmp_sess_transport(p->idle[dev])->sock;
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

/* A session socket is readable: net-snmp reads the answer and calls job_callback. */
static void
session_ready(void *arg, int fd, int events)
{
	struct devref *ref = arg;
	struct gf_poller *p = ref->p;
	struct job *j = p->job_of[ref->dev];

	(void)fd;
	(void)events;
	if (j == NULL || j->sess == NULL) {
		drop_late(p, ref->dev);
		return;
	}
	NETSNMP_LARGE_FD_SET(j->fd, &p->fds);
	snmp_sess_read2(j->sess, &p->fds);
	NETSNMP_LARGE_FD_CLR(j->fd, &p->fds);
	if (j->event != EV_NONE || !j->pending)
		job_advance(j);
}

/* Opens the job's session and sends its first request; finishes the job on failure. */
static void
session_start(struct job *j)
{
	struct gf_poller *p = j->p;

	j->discovering = 0;
	if (job_open(j) != 0) {
		snprintf(j->w.reading.error, sizeof(j->w.reading.error), "cannot open session");
		job_finish(j);
		return;
	}
	if (!j->kept && evloop_fd_add(p->loop, j->fd, GF_EV_READ, session_ready,
	    &p->ref[j->dev]) != 0) {
		log_warnx("snmp: epoll_ctl: %s", strerror(errno));
		/* Not kept: a session outside the loop would never hear an answer. */
		snmp_sess_close(j->sess);
		j->sess = NULL;
		job_finish(j);
		return;
	}
	if (job_send(j) != 0)
		job_finish(j);
}

/* ---- SNMPv3 engine discovery, asynchronous, on a socket of our own ---- */

static void
disc_close(struct job *j)
{
	if (j->fd >= 0) {
		evloop_fd_del(j->p->loop, j->fd);
		close(j->fd);
		j->fd = -1;
	}
}

static int
disc_send(struct job *j)
{
	j->tries++;
	if (v3_disc_send(j->fd, j->msgid, j->w.reading.error, sizeof(j->w.reading.error)) != 0)
		return -1;
	job_arm(j);
	return 0;
}

/* The discovery socket is readable. */
static void
disc_ready(void *arg, int fd, int events)
{
	struct job *j = arg;

	(void)events;
	if (j->discovering && fd == j->fd)
		disc_read(j);
}

static void
disc_start(struct job *j)
{
	struct gf_poller *p = j->p;
	char *err = j->w.reading.error;
	size_t errsz = sizeof(j->w.reading.error);

	j->discovering = 1;
	j->msgid = (uint32_t)(gf_mono_ms() * 2654435761u + (uint32_t)j->dev) & 0x7fffffff;
	j->fd = v3_disc_socket(&p->conf->devices[j->dev], err, errsz);
	if (j->fd >= 0 && evloop_fd_add(p->loop, j->fd, GF_EV_READ, disc_ready, j) != 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		close(j->fd);
		j->fd = -1;
	}
	if (j->fd < 0 || disc_send(j) != 0) {
		disc_close(j);
		job_finish(j);
	}
}

/* Reads discovery answers; on the right one, net-snmp knows the engine and the poll starts. */
static void
disc_read(struct job *j)
{
	unsigned char buf[2048];
	ssize_t n;

	while ((n = recv(j->fd, buf, sizeof(buf), 0)) >= 0) {
		if (v3_disc_learn(j->p->keys[j->dev], buf, (size_t)n, j->msgid) != 0)
			continue;	/* not ours, or garbage: keep waiting */
		disc_close(j);
		evloop_timer_stop(j->p->loop, &j->timer);
		session_start(j);
		return;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK) {
		/* ICMP port unreachable surfaces here: the device said no, stop now. */
		snprintf(j->w.reading.error, sizeof(j->w.reading.error), "%s", strerror(errno));
		disc_close(j);
		job_finish(j);
	}
}

static void
disc_timeout(struct job *j)
{
	if (j->tries <= j->p->conf->devices[j->dev].retries && disc_send(j) == 0)
		return;
	disc_close(j);
	job_finish(j);
}

static void
job_begin(struct gf_poller *p, int dev)
{
	struct job *j = p->free_jobs;
	struct v3_keys *k = p->keys[dev];
	const struct gf_device *d = &p->conf->devices[dev];
	const struct gf_readplan *plan = p->plan[dev];

	/*
	 * A freed slot before a fresh one: a job is ~21 KB, and only as many
	 * slots as were ever in flight at once get paged in.
	 */
	if (j != NULL)
		p->free_jobs = j->next_free;
	else
		j = &p->jobs[p->nfresh++];
	p->running++;
	memset(j, 0, offsetof(struct job, w));
	p->job_of[dev] = j;
	j->p = p;
	j->dev = dev;
	j->fd = -1;
	evtimer_init(&j->timer, job_timeout, j);
	if (d->kind == GF_KIND_WORKSTATION && time(NULL) >= p->full_due[dev])
		plan = host_full_plan();
	walk_begin(&j->w, plan, d->snmp.version == GF_SNMP_V1, p->rows_hint[dev], time(NULL));
	j->began = gf_mono_ms();
	if (k != NULL && !v3_engine_known(k))
		disc_start(j);
	else
		session_start(j);
}

void
poller_start(struct gf_poller *p, int dev)
{
	size_t tail;

	if (dev < 0 || (size_t)dev >= p->conf->ndevices || p->state[dev])
		return;
	p->state[dev] = 1;
	tail = (p->qhead + p->qlen) % p->conf->ndevices;
	p->queue[tail] = dev;
	p->qlen++;
	drain_queue(p);
}

void
poller_drop_queue(struct gf_poller *p)
{
	while (p->qlen > 0) {
		p->state[p->queue[p->qhead]] = 0;
		p->qhead = (p->qhead + 1) % p->conf->ndevices;
		p->qlen--;
	}
}

int
poller_pending(const struct gf_poller *p)
{
	return p->running + (int)p->qlen;
}

/* Whether NEED descriptors fit under the soft limit, raising it toward the hard one if not. */
static int
fd_room(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	if (rl.rlim_cur < need && rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur >= need;
}

/* The per-device arrays, sized for at least one device. */
static void
devices_alloc(struct gf_poller *p, size_t n)
{
	size_t d;

	p->queue = xcalloc(n, sizeof(*p->queue));
	p->state = xcalloc(n, 1);
	p->keys = xcalloc(n, sizeof(*p->keys));
	p->idle = xcalloc(n, sizeof(*p->idle));
	p->job_of = xcalloc(n, sizeof(*p->job_of));
	p->ref = xcalloc(n, sizeof(*p->ref));
	p->rows_hint = xcalloc(n, 1);
	p->plan = xcalloc(n, sizeof(*p->plan));
	p->objid = xcalloc(n, sizeof(*p->objid));
	p->full_due = xcalloc(n, sizeof(*p->full_due));
	for (d = 0; d < p->conf->ndevices; d++) {
		p->ref[d].p = p;
		p->ref[d].dev = (int)d;
		p->plan[d] = readplan_first(p->conf->devices[d].kind);
		if (p->conf->devices[d].snmp.version == GF_SNMP_V3)
			p->keys[d] = v3_keys_new(&p->conf->devices[d]);
	}
}

struct gf_poller *
poller_new(struct gf_evloop *loop, const struct gf_conf *conf, poll_done_fn done, void *arg)
{
	struct gf_poller *p = xcalloc(1, sizeof(*p));
	int njobs = conf->concurrency;

	p->conf = conf;
	p->loop = loop;
	p->done = done;
	p->arg = arg;
	evtimer_init(&p->drain, drain_queue, p);
	if (conf->ndevices > 0 && (size_t)njobs > conf->ndevices)
		njobs = (int)conf->ndevices;
	p->jobs = xcalloc(njobs, sizeof(*p->jobs));
	p->njobs = njobs;
	p->pplans = printer_plans_new(conf->profiles);
	/* Every session in flight holds a socket; kept sessions hold one per device. */
	p->keep_sessions = fd_room(conf->ndevices + njobs + 64);
	if (!p->keep_sessions)
		log_info("snmp: open file limit too low to keep %zu sessions: opening one per poll",
		    conf->ndevices);
	if (!p->keep_sessions && !fd_room((size_t)njobs + 64))
		log_warnx("snmp: open file limit is below concurrency + 64 = %d: polls will fail",
		    njobs + 64);
	devices_alloc(p, conf->ndevices ? conf->ndevices : 1);
	netsnmp_large_fd_set_init(&p->fds, 1024);
	return p;
}

/* Closes the sessions and sockets of jobs in flight and of idle devices. */
static void
close_all(struct gf_poller *p)
{
	size_t d;
	int i;

	evloop_timer_stop(p->loop, &p->drain);
	for (i = 0; i < p->nfresh; i++) {
		evloop_timer_stop(p->loop, &p->jobs[i].timer);
		if (p->jobs[i].sess) {
			evloop_fd_del(p->loop, p->jobs[i].fd);
			snmp_sess_close(p->jobs[i].sess);
		} else if (p->jobs[i].discovering && p->jobs[i].fd >= 0) {
			disc_close(&p->jobs[i]);
		}
	}
	for (d = 0; d < p->conf->ndevices; d++) {
		v3_keys_free(p->keys[d]);
		if (p->idle[d]) {
			evloop_fd_del(p->loop, snmp_sess_transport(p->idle[d])->sock);
			snmp_sess_close(p->idle[d]);
		}
	}
}

void
poller_free(struct gf_poller *p)
{
	if (p == NULL)
		return;
	close_all(p);
	printer_plans_free(p->pplans);
	free(p->idle);
	free(p->job_of);
	free(p->ref);
	free(p->rows_hint);
	free(p->plan);
	free(p->objid);
	free(p->full_due);
	netsnmp_large_fd_set_cleanup(&p->fds);
	free(p->keys);
	free(p->state);
	free(p->queue);
	free(p->jobs);
	free(p);
}
