/* greenfleet status, counters and audit: what each device said and how its pages were counted. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "views.h"

static const struct gf_text_col status_text[] = {
	{ "device", -20, "DEVICE", NULL, 0 }, { "kind", -11, "KIND", NULL, 0 },
	{ "department", -14, "DEPARTMENT", NULL, 0 }, { "last_poll", -16, "LAST POLL", NULL, 0 },
	{ "state", -5, "STATE", NULL, 0 }, { "pages", 10, "PAGES", NULL, 0 },
	{ "uptime_s", 12, "UPTIME", NULL, 0 }, { "serial", -16, "SERIAL", " ", 16 },
	{ "description", -1, "DESCRIPTION", " ", 40 },
};

static const struct gf_text_col counters_text[] = {
	{ "counter", -13, "COUNTER", NULL, 0 }, { "value", 12, "VALUE", NULL, 0 },
	{ "unit", -12, "UNIT", NULL, 0 }, { "source", -12, "SOURCE", NULL, 0 },
	{ "counted", 12, "COUNTED", NULL, 0 }, { "read_from", -1, "READ FROM", " ", 0 },
};

static const struct gf_text_col audit_text[] = {
	{ "time", -16, "TIME", NULL, 0 }, { "device", -20, "DEVICE", NULL, 0 },
	{ "counter", -13, "COUNTER", NULL, 0 }, { "event", -9, "EVENT", NULL, 0 },
	{ "old", 12, "OLD", NULL, 0 }, { "new", -12, "NEW", "-> ", 0 },
	{ "detail", -1, "DETAIL", NULL, 0 },
};

/* Parses "[ID] [--format F]"; ID is required when NEED_ID. -1 on a usage error, -2 a bad format. */
static int
parse_id_format(int argc, char **argv, int need_id, const char **id, enum gf_fmt *fmt)
{
	int i, f;

	*id = NULL;
	*fmt = GF_FMT_TEXT;
	for (i = 1; i < argc; i++) {
		if ((f = cli_format(argc, argv, &i, fmt)) != 0) {
			if (f < 0)
				return -2;
		} else if (argv[i][0] != '-' && *id == NULL) {
			*id = argv[i];
		} else {
			return -1;
		}
	}
	return need_id && *id == NULL ? -1 : 0;
}

/* One line per device: last poll, state, pages, uptime, description. */
int
cmd_status(struct gf_conf *conf, int argc, char **argv)
{
	static const struct gf_text t = GF_TEXT(status_text, 1);
	struct gf_store *s;
	struct gf_rows r;
	enum gf_fmt fmt;
	const char *id;
	int rc;

	if ((rc = parse_id_format(argc, argv, 0, &id, &fmt)) != 0 || id != NULL)
		return rc == -2 ? 2 : cli_usage("status", stderr);
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_status(s, conf, &r);
	store_close(s);
	return cli_print(rc, &r, fmt, &t);
}

/* Text only: why the total has its source, or that the device has no page counter. */
static void
counters_note(const char *id, const struct gf_rows *r)
{
	const char *check;
	size_t i;

	if (r->nrows == 0) {
		printf("%s: no page counter\n", id);
		return;
	}
	for (i = 0; i < r->nrows; i++) {
		if (strcmp(rows_cell(r, i, "counter"), "total") != 0)
			continue;
		check = rows_cell(r, i, "check");
		if (check != NULL && check[0] != '\0' && rows_cell(r, i, "source")[0] != '\0')
			printf("total from %s: %s\n", rows_cell(r, i, "source"), check);
	}
}

/* Each page counter of a device: value, unit, source and where it is read, pages counted. */
int
cmd_counters(struct gf_conf *conf, int argc, char **argv)
{
	static const struct gf_text t = GF_TEXT(counters_text, 1);
	struct gf_store *s;
	struct gf_rows r;
	enum gf_fmt fmt;
	const char *id;
	int rc;

	if ((rc = parse_id_format(argc, argv, 1, &id, &fmt)) != 0)
		return rc == -2 ? 2 : cli_usage("counters", stderr);
	if (!cli_known_device(conf, id))
		return 2;
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_counters(s, id, &r);
	store_close(s);
	if (rc == 0 && fmt == GF_FMT_TEXT) {
		out_rows(stdout, fmt, &r, &t);
		counters_note(id, &r);
		rows_free(&r);
		return 0;
	}
	return cli_print(rc, &r, fmt, &t);
}

/* Baselines, resets, swaps, wraps and rejected values: what was not (or oddly) counted. */
int
cmd_audit(struct gf_conf *conf, int argc, char **argv)
{
	static const struct gf_text t = GF_TEXT(audit_text, 1);
	struct gf_store *s;
	struct gf_rows r;
	enum gf_fmt fmt;
	const char *id;
	int rc;

	if ((rc = parse_id_format(argc, argv, 0, &id, &fmt)) != 0)
		return rc == -2 ? 2 : cli_usage("audit", stderr);
	if (id != NULL && !cli_known_device(conf, id))
		return 2;
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_audit(s, id, &r);
	store_close(s);
	return cli_print(rc, &r, fmt, &t);
}
