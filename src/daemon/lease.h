/*
 * This poller's share of the fleet (pollers sharing one store): a round
 * every quarter interval beats, learns which pollers are alive, gives back
 * what is beyond its fair share and claims free devices up to it. With one
 * poller (SQLite, or PostgreSQL alone) its share is the whole fleet.
 */
#ifndef GF_LEASE_H
#define GF_LEASE_H

#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "store.h"

struct gf_lease;

/* What the round reports to the scheduler: a device gained or lost, by index. */
typedef void (*lease_fn)(void *arg, int dev, int gained);

/*
 * The name this poller goes by: GIVEN (-n), else the host name, in
 * OUT[OUTSZ]. -1 with a message in ERR when it cannot be used (start and
 * greenfleetd -t say the same).
 */
int lease_poller_name(const char *given, char *out, size_t outsz, char *err, size_t errsz);

/*
 * This poller, NAME (NULL: the host name), sharing CONF's devices. NULL
 * with a message in ERR when NAME cannot be used.
 */
struct gf_lease *lease_new(const struct gf_conf *conf, const char *name, char *err,
    size_t errsz);
void lease_free(struct gf_lease *l);

/* The poller's name, as pollers and the store know it. */
const char *lease_name(const struct gf_lease *l);

/* Whether device DEV is this poller's to poll now (always, without leases: L NULL). */
int lease_mine(const struct gf_lease *l, int dev);

/* How many devices it holds. */
size_t lease_held(const struct gf_lease *l);

/* Monotonic ms at which the next round is due. */
int64_t lease_due(const struct gf_lease *l);

/* What this poller says of itself at the round's beat. */
struct lease_beat {
	time_t last_commit;
	long long polled;
	int leader;
};

/*
 * One round on S (no batch open): beat, then reconcile, give back and
 * claim; FN hears each device gained or lost. -1 when the store failed
 * (the devices held are kept: polling goes on, the next round retries).
 */
int lease_round(struct gf_lease *l, struct gf_store *s, const struct lease_beat *b,
    lease_fn fn, void *arg);

/* A clean stop: every lease given back, the row expired, for others to take over now. */
void lease_stop(struct gf_lease *l, struct gf_store *s);

#endif
