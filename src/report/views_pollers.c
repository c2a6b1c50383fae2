/* The view of pollers sharing the store: who is alive, leads, holds how many devices, lags. */
#include "config.h"

#include <stdio.h>

#include "views.h"

static const struct gf_col poller_cols[] = {
	{ "poller", GF_COL_STR }, { "host", GF_COL_STR }, { "pid", GF_COL_NUM },
	{ "state", GF_COL_STR }, { "leader", GF_COL_STR }, { "devices", GF_COL_NUM },
	{ "polled", GF_COL_NUM }, { "last_commit", GF_COL_TIME }, { "lag_s", GF_COL_NUM },
	{ "since", GF_COL_TIME }, { "networks", GF_COL_STR },
};

#define NCOLS	((int)(sizeof(poller_cols) / sizeof(poller_cols[0])))

struct pollers_arg {
	struct gf_rows *out;
	long lease_s;
};

/*
 * alive, or why not: a clean stop expires the row at once, less than a
 * lease after its last beat; a poller that died leaves the row to expire a
 * whole lease (conf_lease_s) after it.
 */
static const char *
state_word(const struct pollers_arg *a, const struct gf_poller_row *r)
{
	if (r->alive)
		return "alive";
	return r->expires - r->beat < a->lease_s ? "stopped" : "lapsed";
}

static void
on_poller(void *arg, const struct gf_poller_row *r)
{
	struct pollers_arg *a = arg;
	const char *c[NCOLS];
	char b[6][32];

	snprintf(b[0], 32, "%ld", r->pid);
	snprintf(b[1], 32, "%lld", r->devices);
	snprintf(b[2], 32, "%lld", r->polled);
	snprintf(b[3], 32, "%lld", (long long)r->last_commit);
	snprintf(b[4], 32, "%lld", (long long)(r->now - r->last_commit));
	snprintf(b[5], 32, "%lld", (long long)r->started);
	c[0] = r->name;
	c[1] = r->host;
	c[2] = b[0];
	c[3] = state_word(a, r);
	c[4] = r->leader ? "yes" : "no";
	c[5] = b[1];
	c[6] = b[2];
	c[7] = r->last_commit > 0 ? b[3] : NULL;
	c[8] = r->last_commit > 0 ? b[4] : NULL;
	c[9] = b[5];
	c[10] = r->networks;
	rows_add(a->out, c);
}

int
view_pollers(struct gf_store *s, const struct gf_conf *conf, struct gf_rows *out)
{
	struct pollers_arg a;

	rows_init(out, poller_cols, NCOLS);
	a.out = out;
	a.lease_s = conf_lease_s(conf);
	return store_pollers(s, on_poller, &a);
}
