/*
 * Unit tests: the store's side of several pollers, on two handles of one
 * store as two greenfleetd would hold them. Two pollers claiming at once
 * (two threads) never get the same device and leave none free; a poller
 * whose row expired has its leases taken, one alive keeps them; a reading
 * as old as the last one metered is refused (store_meter_reading returns
 * 1, no page), whichever handle brings it; the leader lock is one handle's
 * until it closes; a notice held by one mail sender is not the other's.
 * SQLite by default (its one writer: a claim waits for the
 * other; every handle leads); GF_TEST_STORE names PostgreSQL (pg_units.sh),
 * where claims skip each other's locked rows and the locks are advisory.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "conf.h"
#include "counter.h"
#include "meter.h"
#include "store.h"
#include "tap.h"
#include "ut_conf.h"

#define NDEV	40
#define ROUNDS	20

static char dir[] = "/tmp/test_pollers.XXXXXX";
static const char *ids[NDEV];
static int pg;			/* GF_TEST_STORE: PostgreSQL */

/* One department, NDEV printers d00..d39. */
static struct gf_conf *
make_conf(void)
{
	char body[NDEV * 160 + 160];
	struct gf_conf *c;
	size_t n;
	int i;

	n = (size_t)snprintf(body, sizeof(body),
	    "departments = ( { id = \"etat-civil\"; name = \"Etat civil\"; } );\ndevices = (\n");
	for (i = 0; i < NDEV; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		    "%s{ id = \"d%02d\"; kind = \"printer\"; host = \"127.0.0.1\";"
		    " department = \"etat-civil\"; snmp = { version = \"2c\"; community = \"x\"; }; }\n",
		    i ? "," : "", i);
	snprintf(body + n, sizeof(body) - n, ");\n");
	c = ut_conf(dir, body);
	for (i = 0; i < NDEV; i++)
		ids[i] = c->devices[i].id;
	return c;
}

/* The devices one poller got: a bit per device. */
struct got {
	unsigned char dev[NDEV];
	int n;
};

static void
on_dev(void *arg, const char *id)
{
	struct got *g = arg;
	int i;

	for (i = 0; i < NDEV; i++)
		if (strcmp(ids[i], id) == 0 && !g->dev[i]) {
			g->dev[i] = 1;
			g->n++;
		}
}

/* POLLER's row alive for LEASE_S more seconds; returns the lapsed flag, -1 on error. */
static int
beat(struct gf_store *s, const char *poller, int lease_s)
{
	struct gf_poller_beat b;
	int lapsed = -1;

	memset(&b, 0, sizeof(b));
	b.name = poller;
	b.host = "test";
	b.pid = (long)getpid();
	b.networks = "";
	b.lease_s = lease_s;
	if (store_poller_beat(s, &b, &lapsed) != 0)
		return -1;
	return lapsed;
}

/* What store_lease_held says POLLER holds. */
static struct got
held(struct gf_store *s, const char *poller)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	if (store_lease_held(s, poller, on_dev, &g) != 0)
		g.n = -1;
	return g;
}

/* One claimer of the concurrent rounds: its handle, its name, what it got. */
struct claimer {
	struct gf_store *s;
	const char *name;
	pthread_barrier_t *start;
	struct got got;
	int rc;
};

static void *
claim_thread(void *arg)
{
	struct claimer *c = arg;

	memset(&c->got, 0, sizeof(c->got));
	pthread_barrier_wait(c->start);
	c->rc = store_lease_claim(c->s, c->name, ids, NDEV, 25, on_dev, &c->got);
	return NULL;
}

/*
 * ROUNDS times: both pollers give everything back, then claim at most 25
 * of the 40 devices each, at the same instant from two threads.
 */
static void
concurrent_claims(struct gf_store *s1, struct gf_store *s2)
{
	pthread_barrier_t start;
	pthread_t t1, t2;
	struct claimer a = { s1, "a", &start, { { 0 }, 0 }, 0 };
	struct claimer b = { s2, "b", &start, { { 0 }, 0 }, 0 };
	int round, i, both = 0, none = 0, bad = 0, split = 0;
	struct got ha, hb;

	for (round = 0; round < ROUNDS; round++) {
		store_lease_release(s1, "a", NULL, 0);
		store_lease_release(s2, "b", NULL, 0);
		pthread_barrier_init(&start, NULL, 2);
		pthread_create(&t1, NULL, claim_thread, &a);
		pthread_create(&t2, NULL, claim_thread, &b);
		pthread_join(t1, NULL);
		pthread_join(t2, NULL);
		pthread_barrier_destroy(&start);
		ha = held(s1, "a");
		hb = held(s2, "b");
		if (a.rc != a.got.n || b.rc != b.got.n || a.rc > 25 || b.rc > 25 ||
		    memcmp(ha.dev, a.got.dev, NDEV) != 0 || memcmp(hb.dev, b.got.dev, NDEV) != 0)
			bad++;
		for (i = 0; i < NDEV; i++) {
			both += a.got.dev[i] && b.got.dev[i];
			none += !a.got.dev[i] && !b.got.dev[i];
		}
		/* Devices are claimed in id order: anything else means the two ran interleaved. */
		split += a.rc != 25 && b.rc != 25;
	}
	ok(bad == 0, "%d rounds: each claimer got at most its 25, and holds what it was told "
	    "(%d rounds wrong)", ROUNDS, bad);
	ok(both == 0, "%d rounds of two concurrent claims: no device went to both (%d did)",
	    ROUNDS, both);
	ok(none == 0, "and none was left free (%d were)", none);
	tap_diag("rounds where neither claimer got 25 (interleaved): %d", split);
}

/* store_pollers callback: "name:alive:devices " for each. */
static void
pollers_rows(void *arg, const struct gf_poller_row *r)
{
	char *out = arg;
	size_t len = strlen(out);

	snprintf(out + len, 256 - len, "%s:%d:%lld ", r->name, r->alive, r->devices);
}

/* A poller whose row expired loses its leases to the next claim; one alive keeps them. */
static void
expiry(struct gf_store *s1, struct gf_store *s2)
{
	struct got g, gc;
	char rows[256] = "";
	int n;

	store_lease_release(s1, "a", NULL, 0);
	store_lease_release(s2, "b", NULL, 0);
	ok(beat(s1, "c", 1) == 1, "a new poller's first beat says lapsed");
	ok(beat(s1, "c", 1) == 0, "its second does not");
	memset(&gc, 0, sizeof(gc));
	ok(store_lease_claim(s1, "c", ids, 10, 10, on_dev, &gc) == 10, "c claims the first 10");
	memset(&g, 0, sizeof(g));
	n = store_lease_claim(s1, "a", ids, NDEV, NDEV, on_dev, &g);
	ok(n == 30 && !g.dev[0] && g.dev[10], "a claims all it can: the 30 c does not hold (%d)", n);
	sleep(2);	/* c's row expires: its lease was 1 s, whole seconds of the store's clock */
	memset(&g, 0, sizeof(g));
	n = store_lease_claim(s2, "b", ids, NDEV, NDEV, on_dev, &g);
	ok(n == 10 && memcmp(g.dev, gc.dev, NDEV) == 0,
	    "b takes over exactly c's 10 once c expired, none of a's alive ones (%d)", n);
	ok(held(s1, "c").n == 0, "c holds nothing any more");
	ok(store_pollers(s2, pollers_rows, rows) == 0 && strcmp(rows, "a:1:30 b:1:10 c:0:0 ") == 0,
	    "store_pollers: a and b alive with 30 and 10, c expired with none (%s)", rows);
	ok(beat(s1, "c", 1) == 1, "c's next beat says lapsed: its leases may be others' now");
	ok(store_poller_stop(s1, "a") == 0 && held(s2, "a").n == 0,
	    "a clean stop gives a's leases back");
	memset(&g, 0, sizeof(g));
	ok(store_lease_claim(s2, "b", ids, NDEV, NDEV, on_dev, &g) == 30, "b claims those 30 at once");
}

static void
make_reading(struct gf_reading *r, time_t when, uint64_t total)
{
	reading_init(r, when);
	r->reachable = 1;
	snprintf(r->serial, sizeof(r->serial), "SN1");
	snprintf(r->sys_object_id, sizeof(r->sys_object_id), "1.3.6.1.4.1.99999.7");
	r->counters[GF_C_TOTAL].present = 1;
	r->counters[GF_C_TOTAL].value = total;
	r->counters[GF_C_TOTAL].src = GF_SRC_PRTMIB;
	r->counters[GF_C_TOTAL].modulus = 1ULL << 32;
	r->counters[GF_C_TOTAL].unit = GF_UNIT_IMPRESSIONS;
	snprintf(r->counters[GF_C_TOTAL].origin, sizeof(r->counters[GF_C_TOTAL].origin), "test");
	r->ncounters = 1;
}

/* A reading through S as the daemon meters one: returns store_meter_reading's answer. */
static int
meter(struct gf_store *s, const struct gf_device *d, time_t when, uint64_t total,
    uint64_t *pages)
{
	struct gf_reading r;
	struct gf_metered m;
	int rc;

	make_reading(&r, when, total);
	rc = store_meter_reading(s, NULL, d, "etat-civil", &r, &m);
	if (rc == 0 && store_put_reading(s, d, "etat-civil", &r, NULL) != 0)
		rc = -1;
	if (rc < 0 || store_commit(s) != 0)
		store_abort(s);
	*pages = m.pages[GF_C_TOTAL];
	return rc;
}

/* Each reading is metered once: the newest wins, an older or equal one is dropped whole. */
static void
claims(struct gf_store *s1, struct gf_store *s2, const struct gf_device *d)
{
	time_t t0 = tap_local(2026, 11, 10, 10);
	uint64_t p, mono = 0, colour = 0;
	int rc;

	ok(meter(s1, d, t0, 1000, &p) == 0 && p == 0, "a first reading is metered: the baseline");
	ok(meter(s1, d, t0 + 60, 1100, &p) == 0 && p == 100, "a newer one counts 100 pages");
	ok(meter(s2, d, t0 + 60, 1100, &p) == 1 && p == 0,
	    "the same reading from the other poller is refused (1), no page");
	ok(meter(s1, d, t0 + 60, 1100, &p) == 1 && p == 0, "and from the same one again");
	ok(meter(s2, d, t0 + 30, 1150, &p) == 1 && p == 0,
	    "an older reading is refused, whatever it says");
	ok(meter(s2, d, t0 + 90, 1200, &p) == 0 && p == 100,
	    "the next newer one, from the other poller, counts from the last metered");
	rc = store_dept_span(s1, "etat-civil", "2026-11-01", "2026-11-30", &mono, &colour);
	ok(rc == 0 && mono == 200 && colour == 0, "the ledger holds 200 pages, each once (%llu)",
	    (unsigned long long)mono);
}

/* One leader at a time on PostgreSQL, until its connection closes; SQLite's handle always leads. */
static struct gf_store *
leaders(const struct gf_conf *c, struct gf_store *s1, struct gf_store *s2)
{
	int i, got = -1;

	ok(store_leader(s1, GF_LEAD_JUDGE) == 1, "the first handle takes the judge lock");
	ok(store_leader(s1, GF_LEAD_JUDGE) == 1, "and keeps it");
	ok(store_leader(s2, GF_LEAD_JUDGE) == (pg ? 0 : 1),
	    pg ? "the second does not get it" : "SQLite: the second leads too (one poller)");
	ok(store_leader(s2, GF_LEAD_MAIL) == 1, "the second takes the mail lock, another lock");
	ok(store_leader(s1, GF_LEAD_MAIL) == (pg ? 0 : 1),
	    pg ? "which the first does not get" : "SQLite: the first too");
	store_close(s1);
	/* The server ends a closed session, and frees its locks, after the client has gone. */
	for (i = 0; i < 50 && (got = store_leader(s2, GF_LEAD_JUDGE)) != 1; i++)
		usleep(100000);
	ok(got == 1, "the first closed: the second gets the judge lock (%d tries)", i + 1);
	s1 = store_open(c, 0);
	ok(s1 != NULL && store_leader(s1, GF_LEAD_JUDGE) == (pg ? 0 : 1),
	    pg ? "a new handle does not take it back" : "SQLite: a new handle leads too");
	return s1;
}

/*
 * Two mail senders (two handles) and one notice: the one that holds it
 * before sending is the only one that sees it due, until it marks it sent;
 * a hold already taken is not taken again; a hold given back makes it due.
 */
static void
outbox_holds(struct gf_store *s1, struct gf_store *s2)
{
	struct gf_notice n, got;
	time_t now = time(NULL);
	long long id;

	memset(&n, 0, sizeof(n));
	n.message_id = "<hold.1@fleet>";
	n.kind = "quota-warning";
	n.department = "etat-civil";
	n.created = now - 10;
	n.to = "chef@example.org";
	n.cc = "";
	n.subject = "s";
	n.body = "b";
	n.lang = "fr";
	if (!ok(store_outbox_add(s1, &n) == 0 && store_commit(s1) == 0, "a notice queued"))
		return;
	if (!ok(store_outbox_next(s1, now, &got) == 1, "sender 1 sees it due"))
		return;
	id = got.id;
	store_notice_free(&got);
	ok(store_outbox_next(s2, now, &got) == 1 && got.id == id, "so does sender 2, before a hold");
	store_notice_free(&got);
	ok(store_outbox_hold(s1, id, now, now + 900) == 1, "sender 1 holds it");
	ok(store_outbox_hold(s2, id, now, now + 900) == 0, "sender 2 cannot hold it too");
	ok(store_outbox_next(s2, now + 899, &got) == 0, "held: not due for sender 2 for 899 s");
	ok(store_outbox_next(s1, now, &got) == 0, "nor for sender 1 (it marks it, it does not send "
	    "it again)");
	ok(store_outbox_hold(s1, id, now + 900, now) == 1 && store_outbox_next(s2, now, &got) == 1 &&
	    got.id == id, "given back: due again");
	store_notice_free(&got);
	ok(store_outbox_hold(s2, id, now, now + 900) == 1 && store_outbox_sent(s2, id, now) == 0,
	    "sender 2 holds it and marks it sent");
	ok(store_outbox_next(s1, now + 3600, &got) == 0 && store_outbox_hold(s1, id, now + 3600,
	    now + 4500) == 0 && store_outbox_waiting(s1) == 0, "sent: due to no one, never held again");
}

int
main(void)
{
	struct gf_store *s1, *s2;
	struct gf_conf *c;

	ut_setup(dir);
	pg = getenv("GF_TEST_STORE") != NULL;
	c = make_conf();
	s1 = store_open(c, 0);
	s2 = store_open(c, 0);
	if (!ok(s1 != NULL && s2 != NULL, "two handles on one store (%s)", pg ? "PostgreSQL" :
	    "SQLite"))
		return tap_done();
	ok(beat(s1, "a", 60) == 1 && beat(s2, "b", 60) == 1, "pollers a and b beat");
	concurrent_claims(s1, s2);
	expiry(s1, s2);
	claims(s1, s2, &c->devices[0]);
	outbox_holds(s1, s2);
	s1 = leaders(c, s1, s2);
	store_close(s1);
	store_close(s2);
	conf_free(c);
	ut_cleanup(dir);
	return tap_done();
}
