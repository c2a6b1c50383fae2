/* greenfleet pollers: the greenfleetd processes sharing the store, their devices and lag. */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "views.h"

static const struct gf_text_col pollers_text[] = {
	{ "poller", -16, "POLLER", NULL, 0 }, { "host", -16, "HOST", NULL, 16 },
	{ "pid", 7, "PID", NULL, 0 }, { "state", -7, "STATE", NULL, 0 },
	{ "leader", -6, "LEADER", NULL, 0 }, { "devices", 7, "DEVICES", NULL, 0 },
	{ "polled", 9, "POLLED", NULL, 0 }, { "last_commit", -16, "LAST COMMIT", NULL, 0 },
	{ "lag_s", 7, "LAG (S)", NULL, 0 }, { "since", -16, "SINCE", NULL, 0 },
	{ "networks", -1, "NETWORKS", NULL, 0 },
};

/* One line per poller; text says so when none has run yet (other formats: no rows). */
int
cmd_pollers(struct gf_conf *conf, int argc, char **argv)
{
	static const struct gf_text t = GF_TEXT(pollers_text, 1);
	enum gf_fmt fmt = GF_FMT_TEXT;
	struct gf_store *s;
	struct gf_rows r;
	int rc;

	if ((rc = cli_format_only("pollers", argc, argv, &fmt)) != 0)
		return rc;
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_pollers(s, conf, &r);
	store_close(s);
	if (rc == 0 && r.nrows == 0 && fmt == GF_FMT_TEXT) {
		rows_free(&r);
		printf("no poller has run on this store yet (greenfleetd --once takes no part)\n");
		return 0;
	}
	return cli_print(rc, &r, fmt, &t);
}
