/*
 * Asynchronous SNMP poller. Each poll of a device is a job that walks its
 * read plan (one GET for scalars, then GETBULK/GETNEXT per table) on its own
 * net-snmp single session. An epoll set maps ready sockets to jobs and a
 * timer heap holds job deadlines, so the loop's cost follows the answers and
 * timeouts, never the fleet size. At most `concurrency` jobs run at once;
 * the rest wait in a FIFO.
 */
#ifndef GF_SNMP_H
#define GF_SNMP_H

#include "conf.h"
#include "reading.h"

struct gf_poller;

/* Called once per started poll with the finished reading (owned by the poller). */
typedef void (*poll_done_fn)(void *arg, int dev, const struct gf_reading *r);

void snmp_initialise(void);
void snmp_finalise(void);

struct gf_poller *poller_new(const struct gf_conf *conf, poll_done_fn done, void *arg);
void poller_free(struct gf_poller *p);

/* Queues device DEV for a poll; ignored if it is already queued or running. */
void poller_start(struct gf_poller *p, int dev);

/* Forgets the devices waiting for a slot (on shutdown); running polls go on. */
void poller_drop_queue(struct gf_poller *p);

/* Jobs running plus jobs queued. */
int poller_pending(const struct gf_poller *p);

/* Waits at most MAX_MS for answers and timeouts, and handles what is due. */
void poller_run(struct gf_poller *p, int max_ms);

#endif
