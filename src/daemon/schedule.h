/*
 * The poll scheduler: spreads each device's polls evenly over the interval,
 * hands due devices to the poller, and sends finished readings to the
 * stores. One thread, one loop; signals only set flags.
 */
#ifndef GF_SCHED_H
#define GF_SCHED_H

#include <signal.h>

#include "conf.h"

struct gf_cycle_stats {
	unsigned long polled;
	unsigned long unreachable;
	unsigned long store_errors;
};

/*
 * Polls CONF's devices until *STOP is set (ONCE: every device once, then
 * returns). POLLER names this poller among those sharing the store (NULL:
 * the host name); it polls its share of the devices (lease.h), all of them
 * with ONCE. Returns 0, or -1 if the stores could not be opened. STATS, if
 * not NULL, receives the totals.
 */
int sched_run(const struct gf_conf *conf, const char *poller, int once,
    volatile sig_atomic_t *stop, struct gf_cycle_stats *stats, void (*ready)(void));

#endif
