/*
 * Unit test: every backend fills every operation of the store's table, so
 * that an operation added for one backend only is a failed test here (and a
 * refused store at open), not a crash of whoever calls it on the other.
 */
#include "config.h"

#include <stddef.h>

#include "store_backend.h"
#include "tap.h"

static void
test_backends(void)
{
	static const struct gf_store_ops *const backends[] = { &gf_store_sqlite, &gf_store_pg };
	size_t i;
	int slot;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		slot = store_ops_check(backends[i]);
		ok(slot == -1, "the %s backend has every operation", backends[i]->name);
		if (slot >= 0)
			tap_diag("operation %d of struct gf_store_ops is NULL", slot);
	}
}

/* The check itself sees a hole anywhere in the table: first, in the middle, last. */
static void
test_holes(void)
{
	struct gf_store_ops o = gf_store_sqlite;

	o.open = NULL;
	ok(store_ops_check(&o) == 0, "a table without open: operation 0");
	o = gf_store_sqlite;
	o.health_scan = NULL;
	ok(store_ops_check(&o) == 10, "a table without health_scan: operation 10");
	o.odometers = NULL;
	ok(store_ops_check(&o) == 10, "the first hole is the one named");
	o = gf_store_sqlite;
	o.repairs = NULL;
	ok(store_ops_check(&o) ==
	    (int)((offsetof(struct gf_store_ops, repairs) - offsetof(struct gf_store_ops, open)) /
	    sizeof(o.repairs)), "a table without repairs, the last: its number");
}

int
main(void)
{
	test_backends();
	test_holes();
	return tap_done();
}
