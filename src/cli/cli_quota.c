/* greenfleet quota and fleet: quota use per department; age, health and advice per device. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "views.h"

static const struct gf_text_col quota_text[] = {
	{ "department", -14, NULL, NULL, 0 }, { "period", -8, NULL, NULL, 0 },
	{ "used_mono", 10, NULL, NULL, 0 }, { "used_colour", 11, NULL, NULL, 0 },
	{ "limit_mono", 10, NULL, NULL, 0 }, { "limit_colour", 12, NULL, NULL, 0 },
	{ "budget_used", 11, NULL, NULL, 0 }, { "budget", 8, NULL, NULL, 0 },
	{ "percent", 7, NULL, NULL, 0 }, { "state", -7, NULL, NULL, 0 },
	{ "projected_percent", 17, NULL, NULL, 0 }, { "notified", -8, NULL, NULL, 0 },
};

static const struct gf_text_col fleet_text[] = {
	{ "device", -20, NULL, NULL, 0 }, { "kind", -11, NULL, NULL, 0 },
	{ "department", -13, NULL, NULL, 0 }, { "age_years", 5, NULL, NULL, 0 },
	{ "age_source", -10, NULL, NULL, 0 }, { "since", -10, NULL, NULL, 0 },
	{ "state", -11, NULL, NULL, 0 }, { "component", -9, NULL, NULL, 0 },
	{ "reason", -40, NULL, NULL, 0 }, { "part", -18, NULL, NULL, 0 },
	{ "co2e_avoided_kg", -8, NULL, NULL, 0 },
};

/* Per department: pages used in the period, limits, percentage, state, projection. */
int
cmd_quota(struct gf_conf *conf, int argc, char **argv)
{
	static const struct gf_text t = GF_TEXT(quota_text, 1);
	enum gf_fmt fmt = GF_FMT_TEXT;
	const char *key = NULL;
	struct gf_store *s;
	struct gf_rows r;
	int k, f, rc;

	for (k = 1; k < argc; k++) {
		if ((f = cli_format(argc, argv, &k, &fmt)) < 0)
			return 2;
		else if (f == 0 && strcmp(argv[k], "--period") == 0 && k + 1 < argc)
			key = argv[++k];
		else if (f == 0)
			return cli_usage("quota", stderr);
	}
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_quota(s, conf, key, time(NULL), &r);
	store_close(s);
	if (rc == -2) {
		fprintf(stderr, "greenfleet: '%.32s' is not a period (YYYY-MM, YYYY-Qn or YYYY)\n",
		    key);
		rows_free(&r);
		return 2;
	}
	return cli_print(rc, &r, fmt, &t);
}

/* One line per device: kind, department, age and its source, state, reason, part, kgCO2e avoided. */
int
cmd_fleet(struct gf_conf *conf, int argc, char **argv)
{
	static const struct gf_text t = GF_TEXT(fleet_text, 1);
	enum gf_fmt fmt = GF_FMT_TEXT;
	struct gf_store *s;
	struct gf_rows r;
	int rc;

	if ((rc = cli_format_only("fleet", argc, argv, &fmt)) != 0)
		return rc;
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_fleet(s, conf, time(NULL), &r);
	store_close(s);
	if ((rc = cli_print(rc, &r, fmt, &t)) == 0 && fmt == GF_FMT_TEXT)
		printf("kgCO2e avoided: factor set \"%s\" (see greenfleet.conf(5) for each source)\n",
		    conf->factors.name);
	return rc;
}
