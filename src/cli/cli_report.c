/* greenfleet report: pages and their paper's impact, the yearly responsible-IT report, the factors. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "graph.h"
#include "views.h"

static const struct gf_text_col report_text[] = {
	{ "department", -14, NULL, NULL, 0 }, { "device", -20, NULL, NULL, 0 },
	{ "impressions", 11, NULL, NULL, 0 }, { "mono", 9, NULL, NULL, 0 },
	{ "colour", 9, NULL, NULL, 0 }, { "duplex", 9, NULL, NULL, 0 },
	{ "sheets", 9, NULL, NULL, 0 }, { "colour_share", 12, NULL, NULL, 0 },
	{ "duplex_share", 12, NULL, NULL, 0 }, { "quota_pct", 9, NULL, NULL, 0 },
	{ "paper_kg", 9, NULL, NULL, 0 }, { "co2e_kg", 9, NULL, NULL, 0 },
	{ "energy_kwh", 10, NULL, NULL, 0 }, { "trees", 7, NULL, NULL, 0 },
	{ "department_name", -24, NULL, NULL, 0 },
};

static const struct gf_text_col sustain_text[] = {
	{ "label", -34, NULL, "  ", 0 }, { "value", 12, NULL, NULL, 0 },
	{ "key", -1, NULL, " ", 0 },
};

static const struct gf_text_col factors_text[] = {
	{ "factor", -16, NULL, "  ", 0 }, { "value", 10, NULL, NULL, 0 },
	{ "unit", -7, NULL, NULL, 0 }, { "source", -1, NULL, NULL, 0 },
};

struct report_args {
	const char *from, *to;
	enum gf_fmt fmt;
	int by_device, factors, sustain, year;
};

/* A real calendar day written "YYYY-MM-DD" (the ledger's own form). */
static int
parse_day(const char *s)
{
	char why[80];
	time_t t;

	if (gf_date_parse(s, NULL, why, sizeof(why)) != 0) {
		fprintf(stderr, "greenfleet: %.32s: %s\n", s, why);
		return -1;
	}
	return graph_parse_when(s, 0, time(NULL), &t);
}

/* 0 with the arguments in A; -1 on a usage error, -2 after saying the format is wrong. */
static int
report_parse(int argc, char **argv, struct report_args *a)
{
	int k, f;

	memset(a, 0, sizeof(*a));
	for (k = 1; k < argc; k++) {
		if ((f = cli_format(argc, argv, &k, &a->fmt)) != 0) {
			if (f < 0)
				return -2;
		} else if (strcmp(argv[k], "--from") == 0 && k + 1 < argc)
			a->from = argv[++k];
		else if (strcmp(argv[k], "--to") == 0 && k + 1 < argc)
			a->to = argv[++k];
		else if (strcmp(argv[k], "--by") == 0 && k + 1 < argc &&
		    (strcmp(argv[k + 1], "device") == 0 || strcmp(argv[k + 1], "department") == 0))
			a->by_device = strcmp(argv[++k], "device") == 0;
		else if (strcmp(argv[k], "--factors") == 0)
			a->factors = 1;
		else if (strcmp(argv[k], "--sustainability") == 0)
			a->sustain = 1;
		else if (strcmp(argv[k], "--year") == 0 && k + 1 < argc &&
		    strspn(argv[k + 1], "0123456789") == 4 && strlen(argv[k + 1]) == 4)
			a->year = atoi(argv[++k]);
		else
			return -1;
	}
	return 0;
}

/* The factor set, each factor with its value, unit and source; JSON: two members of an object. */
static void
print_factors(const struct gf_conf *conf, enum gf_fmt fmt)
{
	static const struct gf_text t = GF_TEXT(factors_text, 0);
	struct gf_rows r;

	view_factors(conf, &r);
	if (fmt == GF_FMT_JSON) {
		printf("\"factor_set\": ");
		out_json_str(stdout, conf->factors.name);
		printf(", \"factors\": ");
		out_json_keyed(stdout, &r, "factor", "factor_set");
	} else {
		if (fmt == GF_FMT_TEXT)
			printf("Factor set: %s\n", conf->factors.name);
		out_rows(stdout, fmt, &r, &t);
	}
	rows_free(&r);
}

/* The text of the yearly report: its title, departments, then the fleet, then the factors. */
static void
sustain_text_out(const struct gf_conf *conf, int year, const struct gf_rows *r)
{
	static const struct gf_text t = GF_TEXT(sustain_text, 0);
	struct gf_rows part = *r;
	size_t n;

	for (n = 0; n < r->nrows && strcmp(rows_cell(r, n, "section"), "department") == 0; n++)
		;
	printf("Responsible IT report %d (REEN law, MiNumEco indicators)\nDepartments\n", year);
	part.nrows = n;
	out_rows(stdout, GF_FMT_TEXT, &part, &t);
	printf("Fleet\n");
	part.cells = r->cells + n * (size_t)r->ncols;
	part.nrows = r->nrows - n;
	out_rows(stdout, GF_FMT_TEXT, &part, &t);
	print_factors(conf, GF_FMT_TEXT);
}

/* The yearly responsible-IT report (REEN law; MiNumEco guidance's indicators). */
static int
report_sustainability(struct gf_conf *conf, int year, enum gf_fmt fmt)
{
	struct gf_store *s;
	struct gf_rows r;
	int rc;

	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_sustain(s, conf, year, time(NULL), &r);
	store_close(s);
	if (rc == 0 && fmt == GF_FMT_TEXT) {
		sustain_text_out(conf, year, &r);
		rows_free(&r);
		return 0;
	}
	if (rc == 0 && fmt == GF_FMT_JSON) {
		printf("{\"year\": %d, ", year);
		print_factors(conf, GF_FMT_JSON);
		printf(", \"figures\": ");
	}
	rc = cli_print(rc, &r, fmt, NULL);
	if (rc == 0 && fmt == GF_FMT_JSON)
		printf("}\n");
	return rc;
}

/* Pages per department or device between two days, and their paper's figures. */
static int
report_pages(struct gf_conf *conf, const struct report_args *a)
{
	static const struct gf_text t = GF_TEXT(report_text, 1);
	struct gf_store *s;
	struct gf_rows r;
	int rc;

	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_report(s, conf, a->from, a->to, a->by_device, time(NULL), &r);
	store_close(s);
	if (rc == 0 && a->fmt == GF_FMT_JSON) {
		printf("{\"from\": \"%s\", \"to\": \"%s\", \"by\": \"%s\", ", a->from, a->to,
		    a->by_device ? "device" : "department");
		print_factors(conf, GF_FMT_JSON);
		printf(", \"rows\": ");
	}
	if ((rc = cli_print(rc, &r, a->fmt, &t)) != 0)
		return rc;
	if (a->fmt == GF_FMT_JSON)
		printf("}\n");
	else if (a->fmt == GF_FMT_TEXT)
		print_factors(conf, GF_FMT_TEXT);
	return 0;
}

/* Exact page figures from the ledger with the paper's environmental figures. */
int
cmd_report(struct gf_conf *conf, int argc, char **argv)
{
	struct report_args a;
	int rc;

	if ((rc = report_parse(argc, argv, &a)) == -2)
		return 2;
	if (rc != 0)
		return cli_usage("report", stderr);
	if (a.sustain) {
		if (a.year < 1970 || a.from != NULL || a.to != NULL || a.by_device)
			return cli_usage("report", stderr);
		return report_sustainability(conf, a.year, a.fmt);
	}
	if (a.factors) {
		if (a.fmt == GF_FMT_JSON)
			putchar('{');
		print_factors(conf, a.fmt);
		if (a.fmt == GF_FMT_JSON)
			printf("}\n");
		return 0;
	}
	if (a.from == NULL || a.to == NULL || parse_day(a.from) != 0 || parse_day(a.to) != 0 ||
	    strcmp(a.from, a.to) > 0)
		return cli_usage("report", stderr);
	return report_pages(conf, &a);
}
