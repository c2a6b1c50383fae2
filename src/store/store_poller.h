/*
 * The state store's pollers: several greenfleetd sharing one store (the
 * PostgreSQL backend) share the fleet out by leases. A poller's row says it
 * is alive until `expires` (renewed every beat); a lease names the poller a
 * device belongs to, valid while that poller is alive. A device whose
 * holder has expired, or that no one holds, is free: any poller allowed to
 * reach it may claim it. With SQLite the same calls work for the one
 * poller there is. Times are the store's clock (the database server's with
 * PostgreSQL), so that pollers on machines whose clocks differ agree.
 */
#ifndef GF_STORE_POLLER_H
#define GF_STORE_POLLER_H

#include <stddef.h>
#include <time.h>

#include "conf.h"

struct gf_store;

/* What a poller says of itself at each beat. */
struct gf_poller_beat {
	const char *name;
	const char *host;		/* the machine it runs on (gethostname) */
	long pid;
	const char *networks;		/* its pinned networks as configured, "" when none */
	int lease_s;			/* alive until the store's now + this */
	time_t last_commit;		/* its last committed batch (0: none yet) */
	int leader;			/* it judges and mails (holds the leader lock) */
	long long polled;		/* readings since it started */
};

/* One poller as `greenfleet pollers` and /metrics show it. */
struct gf_poller_row {
	char name[GF_SHORT];
	char host[GF_SHORT];
	long pid;
	char networks[GF_STR];
	time_t started;			/* its current run began */
	time_t beat;			/* last beat */
	time_t expires;			/* alive until */
	time_t last_commit;		/* 0: none */
	time_t now;			/* the store's clock when read: lag = now - last_commit */
	int alive;			/* expires > now */
	int leader;
	long long devices;		/* leases it holds */
	long long polled;
};

typedef void (*store_poller_fn)(void *arg, const struct gf_poller_row *r);
typedef void (*store_device_fn)(void *arg, const char *device);

/*
 * Renews B's row in its own transaction (no batch may be open): alive for
 * B->lease_s more seconds. *LAPSED (may be NULL) is 1 when the row was
 * missing or had expired: its leases may have gone to others meanwhile.
 */
int store_poller_beat(struct gf_store *s, const struct gf_poller_beat *b, int *lapsed);

/* Every poller that ever beat, by name, in one transaction. -1 on error. */
int store_pollers(struct gf_store *s, store_poller_fn fn, void *arg);

/* Calls FN for each device POLLER holds a lease on. -1 on error. */
int store_lease_held(struct gf_store *s, const char *poller, store_device_fn fn, void *arg);

/*
 * Claims for POLLER at most MAX of the N DEVICES that are free (no lease,
 * or a lease whose poller expired), in its own transaction; two pollers
 * claiming at once never get the same device (FOR UPDATE SKIP LOCKED).
 * FN is called for each device claimed. Returns how many, -1 on error.
 */
int store_lease_claim(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n, size_t max, store_device_fn fn, void *arg);

/* Gives back POLLER's leases on the N DEVICES (all of them when DEVICES is NULL). */
int store_lease_release(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n);

/* A clean stop: POLLER's leases are freed and its row expires now, for others to take over. */
int store_poller_stop(struct gf_store *s, const char *poller);

/*
 * Tries to become (or stay) the leader WHAT (GF_LEAD_JUDGE: judging,
 * digests and department series; GF_LEAD_MAIL: the mail sender): 1 when
 * this connection holds it, 0 when another does, -1 on error. Held until
 * the connection closes (PostgreSQL advisory lock); always 1 with SQLite.
 */
#define GF_LEAD_JUDGE	1
#define GF_LEAD_MAIL	2
int store_leader(struct gf_store *s, int what);

/*
 * The leader's view of pages other pollers counted: FN is called for each
 * department whose ledger moved since the last call (each once). *ALL is
 * set when that cannot be known (first call, a reconnection): judge every
 * department. With SQLite nothing is ever called: the one poller knows.
 */
int store_pages_moved(struct gf_store *s, store_device_fn fn, void *arg, int *all);

#endif
