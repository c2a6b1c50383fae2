/* Asynchronous SNMP poller over net-snmp's single-session API, epoll and a timer heap. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netdb.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "log.h"
#include "printer.h"
#include "readplan.h"
#include "snmp.h"
#include "util.h"
#include "v3disc.h"
#include "xmalloc.h"

#define MAX_SCALARS	64
/* epoll data of a session socket: the device, tagged (a job pointer, a discovery socket's, is even). */
#define SESSION_EVENT(dev)	((uint64_t)(dev) << 1 | 1)
#define MAX_PDUS	64	/* per poll: bounds a walk on an agent that never ends its tables */
#define BULK_VARBINDS	40	/* varbinds per GETBULK answer, keeps answers under one MTU-ish */
#define STAGE_SCALARS	(-1)
#define STAGE_DISCOVER	(-2)	/* v3 engine discovery on our own socket */
#define FULL_EVERY_S	86400	/* workstations' slow tables (software, ENTITY, SMART): daily */

enum job_event { EV_NONE, EV_ANSWER, EV_TIMEOUT, EV_REFUSED };

/* Keys derived from v3 passphrases once at start: generate_Ku hashes 1 MB each time. */
struct v3_keys {
	u_char auth[USM_AUTH_KU_LEN];
	size_t auth_len;
	u_char priv[USM_PRIV_KU_LEN];
	size_t priv_len;
	u_char engine[32];	/* learnt on first contact, spares a discovery per poll */
	size_t engine_len;
};

struct job {
	struct gf_poller *p;
	int dev;
	void *sess;			/* net-snmp single session, ours to close */
	int kept;			/* the session was kept from the last poll: its socket is in epoll */
	int fd;				/* the session's socket, or the discovery socket */
	int tries;			/* discovery requests sent */
	uint32_t msgid;
	int64_t deadline;
	int heap_pos;			/* -1 when not armed */
	const struct gf_readplan *plan;
	int stage;
	int npdus;
	int pending;			/* a request is outstanding */
	enum job_event event;
	int failed;			/* stop after this answer */
	unsigned char absent[MAX_SCALARS];
	int sent[MAX_SCALARS];		/* scalar index of each varbind sent */
	int nsent;
	int combine;			/* v2c/v3: scalars ride as non-repeaters in the first GETBULK */
	size_t cursor_len[GF_PLAN_COLS];
	int active[GF_PLAN_COLS];
	int nactive;
	int cells;
	int rows0;			/* rows walked in the first table, -1 until it ends */
	struct job *next_free;
	/* Not cleared for a new poll (8 KB): a walk sets a column's cursor before using it. */
	oid cursor[GF_PLAN_COLS][MAX_OID_LEN];
	struct gf_reading reading;
};

struct gf_poller {
	const struct gf_conf *conf;
	poll_done_fn done;
	void *arg;
	int epfd;
	struct job *jobs;		/* `concurrency` slots */
	int njobs;
	int nfresh;			/* slots from here on were never used, so never touched */
	struct job *free_jobs;		/* used slots, most recently freed first */
	int running;
	struct job **heap;		/* min-heap on deadline */
	int nheap;
	int *queue;			/* FIFO ring of device indexes */
	size_t qhead, qlen;
	unsigned char *state;		/* per device: 0 idle, 1 queued or running */
	struct v3_keys **keys;		/* per device, NULL unless v3 */
	void **idle;			/* per device: its session between polls, when they fit */
	struct job **job_of;		/* per device: its job while it is polled */
	unsigned char *rows_hint;	/* per device: 1 + rows of its first table last time, 0 unknown */
	const struct gf_readplan **plan;	/* per device: what to ask it */
	uint64_t *objid;		/* per device: hash of the sysObjectID its plan was chosen for */
	time_t *full_due;		/* per workstation: when to read the slow tables again */
	int keep_sessions;		/* the fd limit covers one session per device */
	netsnmp_large_fd_set fds;
};

void
snmp_initialise(void)
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
snmp_finalise(void)
{
	snmp_shutdown("greenfleet");
}

/* ---- timer heap ---- */

static void
heap_swap(struct gf_poller *p, int a, int b)
{
	struct job *t = p->heap[a];

	p->heap[a] = p->heap[b];
	p->heap[b] = t;
	p->heap[a]->heap_pos = a;
	p->heap[b]->heap_pos = b;
}

static void
heap_fix(struct gf_poller *p, int i)
{
	int c;

	while (i > 0 && p->heap[(i - 1) / 2]->deadline > p->heap[i]->deadline) {
		heap_swap(p, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		c = 2 * i + 1;
		if (c >= p->nheap)
			break;
		if (c + 1 < p->nheap && p->heap[c + 1]->deadline < p->heap[c]->deadline)
			c++;
		if (p->heap[i]->deadline <= p->heap[c]->deadline)
			break;
		heap_swap(p, i, c);
		i = c;
	}
}

static void
heap_remove(struct gf_poller *p, struct job *j)
{
	int i = j->heap_pos;

	if (i < 0)
		return;
	j->heap_pos = -1;
	if (--p->nheap == i)
		return;
	p->heap[i] = p->heap[p->nheap];
	p->heap[i]->heap_pos = i;
	heap_fix(p, i);
}

/* Arms the job's timer from net-snmp's own view of its next retry or expiry. */
static void
job_arm(struct job *j)
{
	struct gf_poller *p = j->p;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;

	if (j->stage == STAGE_DISCOVER) {
		j->deadline = gf_mono_ms() + p->conf->devices[j->dev].timeout_ms;
	} else {
		snmp_sess_select_info2(j->sess, &numfds, &p->fds, &tv, &block);
		NETSNMP_LARGE_FD_CLR(j->fd, &p->fds);
		j->deadline = gf_mono_ms() + (block ? 1000 :
		    tv.tv_sec * 1000 + tv.tv_usec / 1000 + 1);
	}
	if (j->heap_pos < 0) {
		j->heap_pos = p->nheap;
		p->heap[p->nheap++] = j;
	}
	heap_fix(p, j->heap_pos);
}

/* ---- sessions ---- */

static const oid *
auth_proto(enum gf_auth_proto a, size_t *len)
{
	switch (a) {
	case GF_AUTH_MD5: *len = OID_LENGTH(usmHMACMD5AuthProtocol); return usmHMACMD5AuthProtocol;
	case GF_AUTH_SHA224: *len = OID_LENGTH(usmHMAC128SHA224AuthProtocol); return usmHMAC128SHA224AuthProtocol;
	case GF_AUTH_SHA256: *len = OID_LENGTH(usmHMAC192SHA256AuthProtocol); return usmHMAC192SHA256AuthProtocol;
	case GF_AUTH_SHA384: *len = OID_LENGTH(usmHMAC256SHA384AuthProtocol); return usmHMAC256SHA384AuthProtocol;
	case GF_AUTH_SHA512: *len = OID_LENGTH(usmHMAC384SHA512AuthProtocol); return usmHMAC384SHA512AuthProtocol;
	default: *len = OID_LENGTH(usmHMACSHA1AuthProtocol); return usmHMACSHA1AuthProtocol;
	}
}

/* Derives a v3 device's keys once; NULL (logged) if net-snmp refuses them. */
static struct v3_keys *
v3_keys_new(const struct gf_device *d)
{
	const struct gf_snmp_conf *c = &d->snmp;
	struct v3_keys *k = xcalloc(1, sizeof(*k));
	size_t plen;
	const oid *proto = auth_proto(c->auth_proto, &plen);

	k->auth_len = sizeof(k->auth);
	k->priv_len = sizeof(k->priv);
	if (c->level >= GF_SEC_AUTHNOPRIV &&
	    generate_Ku(proto, plen, (const u_char *)c->auth_pass, strlen(c->auth_pass),
	    k->auth, &k->auth_len) != SNMPERR_SUCCESS) {
		log_err("snmp: %s: cannot derive the authentication key", d->id);
		free(k);
		return NULL;
	}
	if (c->level == GF_SEC_AUTHPRIV &&
	    generate_Ku(proto, plen, (const u_char *)c->priv_pass, strlen(c->priv_pass),
	    k->priv, &k->priv_len) != SNMPERR_SUCCESS) {
		log_err("snmp: %s: cannot derive the privacy key", d->id);
		free(k);
		return NULL;
	}
	return k;
}

static void
session_v3(netsnmp_session *s, const struct gf_device *d, struct v3_keys *k)
{
	const struct gf_snmp_conf *c = &d->snmp;
	static const int level[] = { SNMP_SEC_LEVEL_NOAUTH, SNMP_SEC_LEVEL_AUTHNOPRIV,
		SNMP_SEC_LEVEL_AUTHPRIV };
	size_t plen;

	s->securityName = c->user;
	s->securityNameLen = strlen(c->user);
	s->securityLevel = level[c->level];
	/* net-snmp copies the protocol OIDs and keys into its own session. */
	s->securityAuthProto = (oid *)auth_proto(c->auth_proto, &plen);
	s->securityAuthProtoLen = plen;
	memcpy(s->securityAuthKey, k->auth, k->auth_len);
	s->securityAuthKeyLen = k->auth_len;
	if (c->priv_proto == GF_PRIV_DES) {
		s->securityPrivProto = (oid *)usmDESPrivProtocol;
		s->securityPrivProtoLen = OID_LENGTH(usmDESPrivProtocol);
	} else {
		s->securityPrivProto = (oid *)usmAESPrivProtocol;
		s->securityPrivProtoLen = OID_LENGTH(usmAESPrivProtocol);
	}
	memcpy(s->securityPrivKey, k->priv, k->priv_len);
	s->securityPrivKeyLen = k->priv_len;
	if (k->engine_len) {
		s->securityEngineID = k->engine;
		s->securityEngineIDLen = k->engine_len;
	}
}

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
		session_v3(&s, d, k);
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

/* Remembers a v3 agent's engine ID so the next polls skip discovery. */
static void
job_keep_engine(struct job *j)
{
	struct v3_keys *k = j->p->keys[j->dev];
	netsnmp_session *s;

	if (k == NULL || k->engine_len || (s = snmp_sess_session(j->sess)) == NULL)
		return;
	if (s->securityEngineIDLen > 0 && s->securityEngineIDLen <= sizeof(k->engine)) {
		memcpy(k->engine, s->securityEngineID, s->securityEngineIDLen);
		k->engine_len = s->securityEngineIDLen;
	}
}

/* ---- requests ---- */

static void job_begin(struct gf_poller *p, int dev);

static int job_callback(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);
static void table_begin(struct job *j, int ti);

/*
 * Repetitions for the first table: one more row than it had last time, so a
 * known table ends in this very answer without the agent walking far past it.
 */
static long
first_repetitions(const struct job *j)
{
	long full = BULK_VARBINDS / j->nactive;
	long hint = j->p->rows_hint[j->dev];

	return hint > 0 && hint < full ? hint : full;
}

/*
 * Adds an OID whose GETNEXT is SC: its parent for an instance ending in 0
 * (nothing sorts between), else the previous sibling followed by the largest
 * arc, so x.5.2 is asked as x.5.1.4294967295 and not as x.5, whose next is
 * x.5.1.
 */
static void
add_predecessor(netsnmp_pdu *pdu, const struct gf_plan_scalar *sc)
{
	oid o[GF_PLAN_OID + 1];
	size_t n = sc->len;

	memcpy(o, sc->o, n * sizeof(oid));
	if (o[n - 1] == 0) {
		n--;
	} else {
		o[n - 1]--;
		o[n++] = 4294967295UL;
	}
	snmp_add_null_var(pdu, o, n);
}

/*
 * The scalars: a GET, or with combine a GETBULK whose non-repeaters ask the
 * OID just before each scalar (so GETNEXT lands on it) and whose repeaters
 * start the first table: one round trip where there were two.
 */
static netsnmp_pdu *
scalars_pdu(struct job *j)
{
	netsnmp_pdu *pdu = snmp_pdu_create(j->combine ? SNMP_MSG_GETBULK : SNMP_MSG_GET);
	const struct gf_plan_scalar *sc;
	int i;

	j->nsent = 0;
	for (i = 0; i < j->plan->nscalars && i < MAX_SCALARS; i++) {
		if (j->absent[i])
			continue;
		sc = &j->plan->scalars[i];
		if (j->combine)
			add_predecessor(pdu, sc);
		else
			snmp_add_null_var(pdu, sc->o, sc->len);
		j->sent[j->nsent++] = i;
	}
	if (j->combine) {
		table_begin(j, 0);
		pdu->non_repeaters = j->nsent;
		pdu->max_repetitions = first_repetitions(j);
		for (i = 0; i < j->nactive; i++)
			snmp_add_null_var(pdu, j->cursor[i], j->cursor_len[i]);
	}
	return pdu;
}

static netsnmp_pdu *
table_pdu(struct job *j)
{
	const struct gf_device *d = &j->p->conf->devices[j->dev];
	netsnmp_pdu *pdu;
	int i, c;

	if (d->snmp.version == GF_SNMP_V1) {
		pdu = snmp_pdu_create(SNMP_MSG_GETNEXT);
	} else {
		pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
		pdu->non_repeaters = 0;
		pdu->max_repetitions = BULK_VARBINDS / j->nactive;
	}
	for (i = 0; i < j->nactive; i++) {
		c = j->active[i];
		snmp_add_null_var(pdu, j->cursor[c], j->cursor_len[c]);
	}
	return pdu;
}

/* Points every column cursor of table T at its column OID. */
static void
table_begin(struct job *j, int ti)
{
	const struct gf_plan_table *t = &j->plan->tables[ti];
	int c;

	j->nactive = t->ncols;
	j->cells = 0;
	for (c = 0; c < t->ncols; c++) {
		memcpy(j->cursor[c], t->entry, t->entry_len * sizeof(oid));
		j->cursor[c][t->entry_len] = t->cols[c];
		j->cursor_len[c] = t->entry_len + 1;
		j->active[c] = c;
	}
}

/* Sends the request for the job's current stage; -1 if it could not be sent. */
static int
job_send(struct job *j)
{
	netsnmp_pdu *pdu;

	pdu = j->stage == STAGE_SCALARS ? scalars_pdu(j) : table_pdu(j);
	j->npdus++;
	j->event = EV_NONE;
	/* On success the library owns the PDU; on failure it is still ours. */
	if (snmp_sess_async_send(j->sess, pdu, job_callback, j) == 0) {
		snmp_free_pdu(pdu);
		snprintf(j->reading.error, sizeof(j->reading.error), "send failed");
		return -1;
	}
	j->pending = 1;
	job_arm(j);
	return 0;
}

static int
is_exception(const netsnmp_variable_list *vb)
{
	return vb->type == SNMP_NOSUCHOBJECT || vb->type == SNMP_NOSUCHINSTANCE ||
	    vb->type == SNMP_ENDOFMIBVIEW;
}

/* Handles a GET answer; on v1's noSuchName drops that varbind and asks again. */
static void table_cells(struct job *j, netsnmp_variable_list *vb, int ok);

static void
scalars_answer(struct job *j, netsnmp_pdu *pdu)
{
	netsnmp_variable_list *vb = pdu->variables;
	const struct gf_plan_scalar *sc;
	int k = 0, i;

	if (j->combine && pdu->errstat != SNMP_ERR_NOERROR) {
		j->combine = 0;		/* an agent unhappy with GETBULK gets a plain GET */
		return;
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex >= 1 &&
	    pdu->errindex <= j->nsent) {
		j->absent[j->sent[pdu->errindex - 1]] = 1;
		if (j->nsent > 1)
			return;		/* same stage, one varbind fewer */
	} else if (pdu->errstat != SNMP_ERR_NOERROR) {
		snprintf(j->reading.error, sizeof(j->reading.error), "agent error %ld",
		    pdu->errstat);
	} else {
		for (; vb && k < j->nsent; vb = vb->next_variable, k++) {
			i = j->sent[k];
			sc = &j->plan->scalars[i];
			/* An agent answering another OID than asked is not believed. */
			if (is_exception(vb) || snmp_oid_compare(vb->name, vb->name_length,
			    sc->o, sc->len) != 0)
				continue;
			j->plan->scalar(&j->reading, i, vb);
		}
	}
	j->stage = 0;
	if (j->combine && pdu->errstat == SNMP_ERR_NOERROR)
		table_cells(j, vb, 1);
	else if (j->plan->ntables > 0)
		table_begin(j, 0);
}

/* Stores one walked varbind of column slot C; 0 if the column goes on, -1 if it ended. */
static int
table_cell(struct job *j, int c, const netsnmp_variable_list *vb)
{
	const struct gf_plan_table *t = &j->plan->tables[j->stage];
	size_t plen = t->entry_len + 1;

	if (is_exception(vb) || vb->name_length <= plen ||
	    snmp_oidtree_compare(vb->name, vb->name_length, j->cursor[c], plen) != 0)
		return -1;
	/* OIDs must grow, or a broken agent would make us walk forever. */
	if (snmp_oid_compare(vb->name, vb->name_length, j->cursor[c], j->cursor_len[c]) <= 0 ||
	    vb->name_length > MAX_OID_LEN)
		return -1;
	j->plan->cell(&j->reading, j->stage, t->cols[c], vb->name + plen,
	    vb->name_length - plen, vb);
	memcpy(j->cursor[c], vb->name, vb->name_length * sizeof(oid));
	j->cursor_len[c] = vb->name_length;
	j->cells++;
	return 0;
}

/* Walks answered cells from VB on: advances the cursors, drops ended columns. OK: no error. */
static void
table_cells(struct job *j, netsnmp_variable_list *vb, int ok)
{
	const struct gf_plan_table *t = &j->plan->tables[j->stage];
	unsigned char ended[GF_PLAN_COLS] = { 0 };
	int k = 0, i, n = 0, c;

	if (ok) {
		for (; vb; vb = vb->next_variable, k++) {
			c = j->active[k % j->nactive];
			if (!ended[c] && table_cell(j, c, vb) != 0)
				ended[c] = 1;
		}
	}
	/* v1 ends a walk with noSuchName; any error ends this table. */
	for (i = 0; i < j->nactive; i++)
		if (ok && k > 0 && !ended[j->active[i]])
			j->active[n++] = j->active[i];
	j->nactive = n;
	if (n == 0 || j->cells >= t->max_rows * t->ncols) {
		if (j->stage == 0)
			j->rows0 = j->cells / t->ncols;
		/* A plan may skip a table given what it read so far (alerts of a printer in no trouble). */
		while (++j->stage < j->plan->ntables && j->plan->want != NULL &&
		    !j->plan->want(&j->reading, j->stage))
			;
		if (j->stage < j->plan->ntables)
			table_begin(j, j->stage);
	}
}

static void
table_answer(struct job *j, netsnmp_pdu *pdu)
{
	table_cells(j, pdu->variables, pdu->errstat == SNMP_ERR_NOERROR);
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
		snprintf(j->reading.error, sizeof(j->reading.error), "SNMPv3: %s",
		    snmp_api_errstring(snmpv3_get_report_type(pdu)));
		j->event = EV_REFUSED;
		return 1;
	}
	j->event = EV_ANSWER;
	j->reading.reachable = 1;
	if (j->stage == STAGE_SCALARS)
		scalars_answer(j, pdu);
	else
		table_answer(j, pdu);
	return 1;
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
	uint64_t h;

	if (j->reading.reachable && j->reading.full)
		p->full_due[j->dev] = j->reading.when + FULL_EVERY_S;
	if (!j->reading.reachable || p->conf->devices[j->dev].kind != GF_KIND_PRINTER)
		return 0;
	h = str_hash(j->reading.sys_object_id);
	if (j->plan->discover) {
		p->plan[j->dev] = printer_choose_plan(&j->reading, p->conf->profiles);
		p->objid[j->dev] = h;
		log_debug("poll: %s: %s: reading plan %s", p->conf->devices[j->dev].id,
		    j->reading.sys_object_id, p->plan[j->dev]->name);
		return 1;
	}
	if (h != p->objid[j->dev])
		p->plan[j->dev] = readplan_first(GF_KIND_PRINTER);
	return 0;
}

/* Delivers the reading, closes the session and starts the next queued device. */
static void
job_finish(struct job *j)
{
	struct gf_poller *p = j->p;
	const struct gf_device *d = &p->conf->devices[j->dev];
	int dev = j->dev, again;

	heap_remove(p, j);
	p->job_of[dev] = NULL;
	if (j->sess) {
		job_keep_engine(j);
		/* A kept session stays in epoll: two system calls a poll fewer. */
		if (p->keep_sessions && !j->pending) {
			p->idle[dev] = j->sess;
		} else {
			epoll_ctl(p->epfd, EPOLL_CTL_DEL, j->fd, NULL);
			snmp_sess_close(j->sess);
		}
		j->sess = NULL;
	}
	if (!j->reading.reachable && j->reading.error[0] == '\0')
		snprintf(j->reading.error, sizeof(j->reading.error), "no answer after %d ms x %d",
		    d->timeout_ms, d->retries + 1);
	if (j->rows0 >= 0)
		p->rows_hint[dev] = (unsigned char)(j->rows0 < 254 ? j->rows0 + 1 : 255);
	if (j->reading.reachable && j->plan->finish != NULL)
		j->plan->finish(&j->reading);
	if (!(again = job_plan_next(j)))
		p->done(p->arg, dev, &j->reading);
	p->state[dev] = 0;
	j->next_free = p->free_jobs;
	p->free_jobs = j;
	p->running--;
	if (again)
		poller_start(p, dev);
}

/* Starts queued devices while slots are free; a loop, not recursion, so a run of failures stays flat. */
static void
drain_queue(struct gf_poller *p)
{
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
		if (j->event == EV_TIMEOUT && j->reading.reachable)
			snprintf(j->reading.error, sizeof(j->reading.error),
			    "timeout in %s walk", j->stage >= 0 &&
			    j->stage < j->plan->ntables ? j->plan->tables[j->stage].name : "scalar");
		job_finish(j);
		return;
	}
	if (j->stage >= j->plan->ntables || j->npdus >= MAX_PDUS || job_send(j) != 0)
		job_finish(j);
}

/* Opens the job's session and sends its first request; finishes the job on failure. */
static void
session_start(struct job *j)
{
	struct epoll_event ev;

	j->stage = STAGE_SCALARS;
	if (job_open(j) != 0) {
		snprintf(j->reading.error, sizeof(j->reading.error), "cannot open session");
		job_finish(j);
		return;
	}
	ev.events = EPOLLIN;
	ev.data.u64 = SESSION_EVENT(j->dev);
	if (!j->kept && epoll_ctl(j->p->epfd, EPOLL_CTL_ADD, j->fd, &ev) != 0) {
		log_warnx("snmp: epoll_ctl: %s", strerror(errno));
		/* Not kept: a session outside epoll would never hear an answer. */
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
		epoll_ctl(j->p->epfd, EPOLL_CTL_DEL, j->fd, NULL);
		close(j->fd);
		j->fd = -1;
	}
}

static int
disc_send(struct job *j)
{
	unsigned char buf[128];
	size_t len = v3disc_request(buf, sizeof(buf), j->msgid);

	j->tries++;
	if (send(j->fd, buf, len, 0) < 0 && errno != EAGAIN) {
		snprintf(j->reading.error, sizeof(j->reading.error), "send: %s", strerror(errno));
		return -1;
	}
	job_arm(j);
	return 0;
}

/* Connects a non-blocking UDP socket to the device; -1 with the reason in the reading. */
static int
disc_socket(struct job *j)
{
	const struct gf_device *d = &j->p->conf->devices[j->dev];
	struct addrinfo hints, *ai = NULL;
	struct epoll_event ev;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", d->port);
	if ((rc = getaddrinfo(d->host, port, &hints, &ai)) != 0) {
		snprintf(j->reading.error, sizeof(j->reading.error), "%s", gai_strerror(rc));
		return -1;
	}
	j->fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	rc = j->fd < 0 ? -1 : connect(j->fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	ev.events = EPOLLIN;
	ev.data.ptr = j;
	if (rc != 0 || epoll_ctl(j->p->epfd, EPOLL_CTL_ADD, j->fd, &ev) != 0) {
		snprintf(j->reading.error, sizeof(j->reading.error), "socket: %s", strerror(errno));
		if (j->fd >= 0)
			close(j->fd);
		j->fd = -1;
		return -1;
	}
	return 0;
}

static void
disc_start(struct job *j)
{
	j->stage = STAGE_DISCOVER;
	j->msgid = (uint32_t)(gf_mono_ms() * 2654435761u + (uint32_t)j->dev) & 0x7fffffff;
	if (disc_socket(j) != 0 || disc_send(j) != 0) {
		disc_close(j);
		job_finish(j);
	}
}

/* Reads discovery answers; on the right one, hands engine ID and clock to net-snmp and polls. */
static void
disc_read(struct job *j)
{
	struct v3_keys *k = j->p->keys[j->dev];
	struct v3disc_answer a;
	unsigned char buf[2048];
	ssize_t n;

	while ((n = recv(j->fd, buf, sizeof(buf), 0)) >= 0) {
		if (v3disc_parse(buf, (size_t)n, j->msgid, &a) != 0)
			continue;	/* not ours, or garbage: keep waiting */
		memcpy(k->engine, a.engine, a.engine_len);
		k->engine_len = a.engine_len;
		/* Spares the notInTimeWindow round trip on the first authenticated request. */
		set_enginetime(a.engine, a.engine_len, a.boots, a.time, TRUE);
		disc_close(j);
		heap_remove(j->p, j);
		session_start(j);
		return;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK) {
		/* ICMP port unreachable surfaces here: the device said no, stop now. */
		snprintf(j->reading.error, sizeof(j->reading.error), "%s", strerror(errno));
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

	/*
	 * A freed slot before a fresh one: a job is ~21 KB, and only as many
	 * slots as were ever in flight at once get paged in.
	 */
	if (j != NULL)
		p->free_jobs = j->next_free;
	else
		j = &p->jobs[p->nfresh++];
	p->running++;
	memset(j, 0, offsetof(struct job, cursor));
	p->job_of[dev] = j;
	j->p = p;
	j->dev = dev;
	j->heap_pos = -1;
	j->fd = -1;
	j->rows0 = -1;
	j->plan = p->plan[dev];
	if (p->conf->devices[dev].kind == GF_KIND_WORKSTATION && time(NULL) >= p->full_due[dev])
		j->plan = host_full_plan();
	j->combine = p->conf->devices[dev].snmp.version != GF_SNMP_V1 && j->plan->ntables > 0;
	reading_init(&j->reading, time(NULL));
	j->reading.plan = j->plan;
	if (k != NULL && k->engine_len == 0)
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

/* Lets net-snmp retry or expire the requests of every job whose deadline has passed. */
static void
run_timers(struct gf_poller *p)
{
	int64_t now = gf_mono_ms();
	struct job *j;

	while (p->nheap > 0 && p->heap[0]->deadline <= now) {
		j = p->heap[0];
		heap_remove(p, j);
		if (j->stage == STAGE_DISCOVER) {
			disc_timeout(j);
			continue;
		}
		snmp_sess_timeout(j->sess);
		job_advance(j);
	}
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

void
poller_run(struct gf_poller *p, int max_ms)
{
	struct epoll_event evs[64];
	struct job *j;
	int64_t wait;
	int n, i, dev;

	if (p->nheap > 0) {
		wait = p->heap[0]->deadline - gf_mono_ms();
		if (wait < max_ms)
			max_ms = wait < 0 ? 0 : (int)wait;
	}
	n = epoll_wait(p->epfd, evs, 64, max_ms);
	for (i = 0; i < n; i++) {
		if (evs[i].data.u64 & 1) {
			dev = (int)(evs[i].data.u64 >> 1);
			if ((j = p->job_of[dev]) == NULL || j->sess == NULL) {
				drop_late(p, dev);
				continue;
			}
		} else if ((j = evs[i].data.ptr)->stage == STAGE_DISCOVER) {
			disc_read(j);
			continue;
		}
		NETSNMP_LARGE_FD_SET(j->fd, &p->fds);
		snmp_sess_read2(j->sess, &p->fds);
		NETSNMP_LARGE_FD_CLR(j->fd, &p->fds);
		if (j->event != EV_NONE || !j->pending)
			job_advance(j);
	}
	run_timers(p);
	drain_queue(p);
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

struct gf_poller *
poller_new(const struct gf_conf *conf, poll_done_fn done, void *arg)
{
	struct gf_poller *p = xcalloc(1, sizeof(*p));
	int njobs = conf->concurrency;
	size_t d;

	p->conf = conf;
	p->done = done;
	p->arg = arg;
	if ((p->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		fatal("snmp: epoll_create1: %s", strerror(errno));
	if (conf->ndevices > 0 && (size_t)njobs > conf->ndevices)
		njobs = (int)conf->ndevices;
	p->jobs = xcalloc(njobs, sizeof(*p->jobs));
	p->njobs = njobs;
	p->heap = xcalloc(njobs, sizeof(*p->heap));
	p->queue = xcalloc(conf->ndevices, sizeof(*p->queue));
	p->state = xcalloc(conf->ndevices, 1);
	p->keys = xcalloc(conf->ndevices, sizeof(*p->keys));
	p->idle = xcalloc(conf->ndevices, sizeof(*p->idle));
	p->job_of = xcalloc(conf->ndevices ? conf->ndevices : 1, sizeof(*p->job_of));
	p->rows_hint = xcalloc(conf->ndevices ? conf->ndevices : 1, 1);
	p->plan = xcalloc(conf->ndevices ? conf->ndevices : 1, sizeof(*p->plan));
	p->objid = xcalloc(conf->ndevices ? conf->ndevices : 1, sizeof(*p->objid));
	p->full_due = xcalloc(conf->ndevices ? conf->ndevices : 1, sizeof(*p->full_due));
	for (d = 0; d < conf->ndevices; d++)
		p->plan[d] = readplan_first(conf->devices[d].kind);
	/* Every session in flight holds a socket; kept sessions hold one per device. */
	p->keep_sessions = fd_room(conf->ndevices + njobs + 64);
	if (!p->keep_sessions)
		log_info("snmp: open file limit too low to keep %zu sessions: opening one per poll",
		    conf->ndevices);
	if (!p->keep_sessions && !fd_room((size_t)njobs + 64))
		log_warnx("snmp: open file limit is below concurrency + 64 = %d: polls will fail",
		    njobs + 64);
	for (d = 0; d < conf->ndevices; d++)
		if (conf->devices[d].snmp.version == GF_SNMP_V3)
			p->keys[d] = v3_keys_new(&conf->devices[d]);
	netsnmp_large_fd_set_init(&p->fds, 1024);
	return p;
}

void
poller_free(struct gf_poller *p)
{
	size_t d;
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nfresh; i++)
		if (p->jobs[i].sess) {
			epoll_ctl(p->epfd, EPOLL_CTL_DEL, p->jobs[i].fd, NULL);
			snmp_sess_close(p->jobs[i].sess);
		}
	for (d = 0; d < p->conf->ndevices; d++) {
		free(p->keys[d]);
		if (p->idle[d])
			snmp_sess_close(p->idle[d]);
	}
	free(p->idle);
	free(p->job_of);
	free(p->rows_hint);
	free(p->plan);
	free(p->objid);
	free(p->full_due);
	netsnmp_large_fd_set_cleanup(&p->fds);
	close(p->epfd);
	free(p->keys);
	free(p->state);
	free(p->queue);
	free(p->heap);
	free(p->jobs);
	free(p);
}
