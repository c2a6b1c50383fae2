/*
 * Pollers sharing the store (store_poller.h): the neutral layer's side.
 * Lease and beat calls run in their own short transactions, never inside a
 * batch of readings: the batch is committed first, so a lease taken is
 * never undone by a reading's failure, nor a reading by a lease's.
 */
#include "config.h"

#include "store.h"
#include "store_backend.h"

int
store_poller_beat(struct gf_store *s, const struct gf_poller_beat *b, int *lapsed)
{
	int dummy;

	if (store_commit(s) != 0)
		return -1;
	return s->ops->poller_beat(s, b, lapsed != NULL ? lapsed : &dummy);
}

int
store_pollers(struct gf_store *s, store_poller_fn fn, void *arg)
{
	return s->ops->pollers(s, fn, arg);
}

int
store_lease_held(struct gf_store *s, const char *poller, store_device_fn fn, void *arg)
{
	if (store_commit(s) != 0)
		return -1;
	return s->ops->lease_held(s, poller, fn, arg);
}

int
store_lease_claim(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n, size_t max, store_device_fn fn, void *arg)
{
	if (store_commit(s) != 0)
		return -1;
	if (n == 0 || max == 0)
		return 0;
	return s->ops->lease_claim(s, poller, devices, n, max, fn, arg);
}

int
store_lease_release(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n)
{
	if (store_commit(s) != 0)
		return -1;
	if (devices != NULL && n == 0)
		return 0;
	return s->ops->lease_release(s, poller, devices, n);
}

int
store_poller_stop(struct gf_store *s, const char *poller)
{
	if (store_commit(s) != 0)
		return -1;
	return s->ops->poller_stop(s, poller);
}

int
store_leader(struct gf_store *s, int what)
{
	return s->ops->leader(s, what);
}

int
store_pages_moved(struct gf_store *s, store_device_fn fn, void *arg, int *all)
{
	*all = 0;
	return s->ops->pages_moved(s, fn, arg, all);
}
