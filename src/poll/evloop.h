/*
 * The daemon's event loop: one epoll set where any descriptor is registered
 * with a callback, and a min-heap of timers. The SNMP poller is one user;
 * an HTTP or control socket joins the same loop the same way. A timer due at
 * 0 runs once the ready descriptors are handled: work deferred out of a
 * callback (starting queued polls) stays a loop, never a recursion.
 */
#ifndef GF_EVLOOP_H
#define GF_EVLOOP_H

#include <stdint.h>

#define GF_EV_READ	0x01
#define GF_EV_WRITE	0x02

struct gf_evloop;

/* Called when FD is ready; EVENTS: GF_EV_READ, GF_EV_WRITE, or both. */
typedef void (*gf_ev_fd_fn)(void *arg, int fd, int events);

/* A timer the caller owns (usually inside its own struct): set with evtimer_init. */
struct gf_evtimer {
	int64_t due;			/* gf_mono_ms() time */
	int pos;			/* in the heap, -1 when not armed */
	void (*fn)(void *arg);
	void *arg;
};

struct gf_evloop *evloop_new(void);
/* Frees the loop; descriptors are not closed, armed timers are forgotten. */
void evloop_free(struct gf_evloop *l);

/* Watches FD for EVENTS and calls FN(ARG, ...) when it is ready; -1 (errno) on failure. */
int evloop_fd_add(struct gf_evloop *l, int fd, int events, gf_ev_fd_fn fn, void *arg);
/* Stops watching FD, before it is closed; events already reported for it are dropped. */
void evloop_fd_del(struct gf_evloop *l, int fd);

void evtimer_init(struct gf_evtimer *t, void (*fn)(void *), void *arg);
/* Arms (or moves) T to fire at DUE (gf_mono_ms() time; 0: as soon as possible). */
void evloop_timer_at(struct gf_evloop *l, struct gf_evtimer *t, int64_t due);
void evloop_timer_stop(struct gf_evloop *l, struct gf_evtimer *t);
int evtimer_armed(const struct gf_evtimer *t);

/* Waits at most MAX_MS (less if a timer is due sooner), runs ready callbacks then due timers. */
void evloop_run(struct gf_evloop *l, int max_ms);

#endif
