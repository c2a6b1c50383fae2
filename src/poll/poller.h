/*
 * Asynchronous SNMP poller. Each poll of a device is a job that walks its
 * read plan (snmpwalk.c: one GET for scalars, then GETBULK/GETNEXT per
 * table) on its own net-snmp single session. Its socket and its deadline
 * are registered with the daemon's event loop (evloop.c), so the cost
 * follows the answers and timeouts, never the fleet size. At most
 * `concurrency` jobs run at once; the rest wait in a FIFO.
 */
#ifndef GF_POLLER_H
#define GF_POLLER_H

#include "conf.h"
#include "evloop.h"
#include "reading.h"

struct gf_poller;

/* Called once per started poll with the finished reading (owned by the poller). */
typedef void (*poll_done_fn)(void *arg, int dev, const struct gf_reading *r);

/* net-snmp set-up and tear-down, once per process. */
void poller_initialise(void);
void poller_finalise(void);

/* A poller of CONF's devices on LOOP, which must outlive it. */
struct gf_poller *poller_new(struct gf_evloop *loop, const struct gf_conf *conf,
    poll_done_fn done, void *arg);
void poller_free(struct gf_poller *p);

/* Queues device DEV for a poll; ignored if it is already queued or running. */
void poller_start(struct gf_poller *p, int dev);

/* Forgets the devices waiting for a slot (on shutdown); running polls go on. */
void poller_drop_queue(struct gf_poller *p);

/* Jobs running plus jobs queued. */
int poller_pending(const struct gf_poller *p);

#endif
