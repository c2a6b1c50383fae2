/* The event loop: epoll for descriptors, a binary heap for timers. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "evloop.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

#define MAX_EVENTS	64

/* One watched descriptor; GEN tells a stale event from one of a later registration. */
struct evfd {
	gf_ev_fd_fn fn;
	void *arg;
	uint32_t gen;
};

struct gf_evloop {
	int epfd;
	struct evfd *fds;		/* indexed by descriptor */
	size_t nfds;
	uint32_t gen;
	struct gf_evtimer **heap;	/* min-heap on due */
	int nheap, heapsz;
};

struct gf_evloop *
evloop_new(void)
{
	struct gf_evloop *l = xcalloc(1, sizeof(*l));

	if ((l->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		fatal("evloop: epoll_create1: %s", strerror(errno));
	return l;
}

void
evloop_free(struct gf_evloop *l)
{
	int i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nheap; i++)
		l->heap[i]->pos = -1;
	close(l->epfd);
	free(l->fds);
	free(l->heap);
	free(l);
}

static uint32_t
epoll_events(int events)
{
	return (events & GF_EV_READ ? EPOLLIN : 0) | (events & GF_EV_WRITE ? EPOLLOUT : 0);
}

int
evloop_fd_add(struct gf_evloop *l, int fd, int events, gf_ev_fd_fn fn, void *arg)
{
	struct epoll_event ev;
	size_t n;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if ((size_t)fd >= l->nfds) {
		n = l->nfds ? l->nfds : 64;
		while (n <= (size_t)fd)
			n *= 2;
		l->fds = xreallocarray(l->fds, n, sizeof(*l->fds));
		memset(l->fds + l->nfds, 0, (n - l->nfds) * sizeof(*l->fds));
		l->nfds = n;
	}
	l->fds[fd].gen = ++l->gen;
	ev.events = epoll_events(events);
	ev.data.u64 = (uint64_t)l->fds[fd].gen << 32 | (uint32_t)fd;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return -1;
	l->fds[fd].fn = fn;
	l->fds[fd].arg = arg;
	return 0;
}

void
evloop_fd_del(struct gf_evloop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->nfds || l->fds[fd].fn == NULL)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->fds[fd].fn = NULL;
	l->fds[fd].gen = 0;
}

/* ---- timers ---- */

void
evtimer_init(struct gf_evtimer *t, void (*fn)(void *), void *arg)
{
	t->due = 0;
	t->pos = -1;
	t->fn = fn;
	t->arg = arg;
}

int
evtimer_armed(const struct gf_evtimer *t)
{
	return t->pos >= 0;
}

static void
heap_swap(struct gf_evloop *l, int a, int b)
{
	struct gf_evtimer *t = l->heap[a];

	l->heap[a] = l->heap[b];
	l->heap[b] = t;
	l->heap[a]->pos = a;
	l->heap[b]->pos = b;
}

/* Restores the heap order around slot I, up then down. */
static void
heap_fix(struct gf_evloop *l, int i)
{
	int c;

	while (i > 0 && l->heap[(i - 1) / 2]->due > l->heap[i]->due) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		c = 2 * i + 1;
		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && l->heap[c + 1]->due < l->heap[c]->due)
			c++;
		if (l->heap[i]->due <= l->heap[c]->due)
			break;
		heap_swap(l, i, c);
		i = c;
	}
}

void
evloop_timer_at(struct gf_evloop *l, struct gf_evtimer *t, int64_t due)
{
	t->due = due;
	if (t->pos < 0) {
		if (l->nheap == l->heapsz) {
			l->heapsz = l->heapsz ? l->heapsz * 2 : 64;
			l->heap = xreallocarray(l->heap, l->heapsz, sizeof(*l->heap));
		}
		t->pos = l->nheap;
		l->heap[l->nheap++] = t;
	}
	heap_fix(l, t->pos);
}

void
evloop_timer_stop(struct gf_evloop *l, struct gf_evtimer *t)
{
	int i = t->pos;

	if (i < 0)
		return;
	t->pos = -1;
	if (--l->nheap == i)
		return;
	l->heap[i] = l->heap[l->nheap];
	l->heap[i]->pos = i;
	heap_fix(l, i);
}

/* Runs every timer due by now; one armed again meanwhile for now runs in this pass too. */
static void
run_timers(struct gf_evloop *l)
{
	int64_t now = gf_mono_ms();
	struct gf_evtimer *t;

	while (l->nheap > 0 && l->heap[0]->due <= now) {
		t = l->heap[0];
		evloop_timer_stop(l, t);
		t->fn(t->arg);
	}
}

/* Calls the callback of each ready descriptor still registered as it was when polled. */
static void
dispatch(struct gf_evloop *l, const struct epoll_event *evs, int n)
{
	struct evfd *f;
	int i, fd, events;

	for (i = 0; i < n; i++) {
		fd = (int)(uint32_t)evs[i].data.u64;
		f = &l->fds[fd];
		if (f->fn == NULL || f->gen != (uint32_t)(evs[i].data.u64 >> 32))
			continue;
		events = (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP) ? GF_EV_READ : 0) |
		    (evs[i].events & EPOLLOUT ? GF_EV_WRITE : 0);
		f->fn(f->arg, fd, events);
	}
}

void
evloop_run(struct gf_evloop *l, int max_ms)
{
	struct epoll_event evs[MAX_EVENTS];
	int64_t wait;
	int n;

	if (l->nheap > 0) {
		wait = l->heap[0]->due - gf_mono_ms();
		if (wait < max_ms)
			max_ms = wait < 0 ? 0 : (int)wait;
	}
	n = epoll_wait(l->epfd, evs, MAX_EVENTS, max_ms);
	if (n < 0 && errno != EINTR)
		log_warnx("evloop: epoll_wait: %s", strerror(errno));
	if (n > 0)
		dispatch(l, evs, n);
	run_timers(l);
}
