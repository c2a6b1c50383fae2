/* greenfleet graph and export: the RRD files' series as a PNG, or per step as CSV or JSON. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "graph.h"

/* Parses --from and --to into R (defaults: the last 30 days); -1 after saying which is wrong. */
static int
graph_range(const char *from, const char *to, struct gf_graph_req *r)
{
	time_t now = time(NULL);

	const char *bad;
	char why[80];

	if (graph_parse_when(from, 0, now, &r->from) == 0 &&
	    graph_parse_when(to, 1, now, &r->to) == 0)
		return 0;
	bad = graph_parse_when(from, 0, now, &r->from) != 0 ? from : to;
	/* A day that does not exist says so; anything else gets the forms accepted. */
	if (gf_date_parse(bad, NULL, why, sizeof(why)) == -2)
		fprintf(stderr, "greenfleet: %.32s: %s\n", bad, why);
	else
		fprintf(stderr, "greenfleet: '%.32s' is not a date (YYYY-MM-DD, now, -30d, -12h or"
		    " -2w)\n", bad);
	return -1;
}

/* Takes "--device ID", "--department ID" (and "--fleet" when FLEET) at argv[*k]; 0 if it was one. */
static int
graph_scope(struct gf_graph_req *r, int fleet, int argc, char **argv, int *k)
{
	if (fleet && strcmp(argv[*k], "--fleet") == 0) {
		r->scope = GF_GRAPH_FLEET;
		r->id = NULL;
	} else if (strcmp(argv[*k], "--device") == 0 && *k + 1 < argc) {
		r->scope = GF_GRAPH_DEVICE;
		r->id = argv[++*k];
	} else if (strcmp(argv[*k], "--department") == 0 && *k + 1 < argc) {
		r->scope = GF_GRAPH_DEPARTMENT;
		r->id = argv[++*k];
	} else {
		return -1;
	}
	return 0;
}

/* Pages per day, supplies, disk or RAM of a device, a department or the fleet, as a PNG. */
int
cmd_graph(struct gf_conf *conf, int argc, char **argv)
{
	struct gf_graph_req r = { GF_GRAPH_FLEET, NULL, GF_METRIC_DEFAULT, 0, 0, GF_GRAPH_WIDTH,
		GF_GRAPH_HEIGHT, 0, -1 };
	const char *from = "-30d", *to = "now", *out = NULL;
	enum gf_img fmt;
	char err[512];
	size_t len;
	int k, scopes = 0;

	for (k = 1; k < argc; k++) {
		if (graph_scope(&r, 1, argc, argv, &k) == 0)
			scopes++;
		else if (strcmp(argv[k], "--metric") == 0 && k + 1 < argc &&
		    graph_parse_metric(argv[k + 1], &r.metric) == 0)
			k++;
		else if (strcmp(argv[k], "--from") == 0 && k + 1 < argc)
			from = argv[++k];
		else if (strcmp(argv[k], "--to") == 0 && k + 1 < argc)
			to = argv[++k];
		else if (strcmp(argv[k], "--width") == 0 && k + 1 < argc &&
		    graph_parse_int(argv[k + 1], 300, 4000, &r.width) == 0)
			k++;
		else if (strcmp(argv[k], "--height") == 0 && k + 1 < argc &&
		    graph_parse_int(argv[k + 1], 200, 2000, &r.height) == 0)
			k++;
		else if (strcmp(argv[k], "-o") == 0 && k + 1 < argc)
			out = argv[++k];
		else
			goto usage;
	}
	if (scopes != 1 || out == NULL)
		goto usage;
	if (*out == '\0') {
		fprintf(stderr, "greenfleet: -o takes a file name, not an empty string\n");
		return 2;
	}
	if (graph_range(from, to, &r) != 0)
		return 2;
	if (graph_check(conf, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "greenfleet: %s\n", err);
		return 2;
	}
	/* A name ending in .svg gets an SVG, .json the series and legend as text; else a PNG. */
	len = strlen(out);
	fmt = len > 4 && strcmp(out + len - 4, ".svg") == 0 ? GF_IMG_SVG :
	    len > 5 && strcmp(out + len - 5, ".json") == 0 ? GF_IMG_JSON : GF_IMG_PNG;
	if (graph_draw(conf, &r, fmt, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "greenfleet: %s\n", err);
		return 1;
	}
	return 0;
usage:
	return cli_usage("graph", stderr);
}

/* A device's or department's time series from its RRD file, one row per step, CSV or JSON. */
int
cmd_export(struct gf_conf *conf, int argc, char **argv)
{
	struct gf_graph_req r = { GF_GRAPH_FLEET, NULL, GF_METRIC_DEFAULT, 0, 0, 0, 0,
		GF_EXPORT_STEP, -1 };
	const char *from = "-30d", *to = "now";
	enum gf_fmt fmt = GF_FMT_CSV;
	char err[512];
	int k, scopes = 0;

	for (k = 1; k < argc; k++) {
		if (graph_scope(&r, 0, argc, argv, &k) == 0)
			scopes++;
		else if (strcmp(argv[k], "--from") == 0 && k + 1 < argc)
			from = argv[++k];
		else if (strcmp(argv[k], "--to") == 0 && k + 1 < argc)
			to = argv[++k];
		else if (strcmp(argv[k], "--step") == 0 && k + 1 < argc &&
		    graph_parse_int(argv[k + 1], 1, 366 * 86400, &r.step) == 0)
			k++;
		else if (strcmp(argv[k], "--format") == 0 && k + 1 < argc &&
		    out_parse_format(argv[k + 1], 1u << GF_FMT_CSV | 1u << GF_FMT_JSON, &fmt) == 0)
			k++;
		else
			goto usage;
	}
	if (scopes != 1)
		goto usage;
	if (graph_range(from, to, &r) != 0)
		return 2;
	if (graph_check(conf, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "greenfleet: %s\n", err);
		return 2;
	}
	if (graph_export(conf, &r, fmt, stdout, err, sizeof(err)) != 0) {
		fprintf(stderr, "greenfleet: %s\n", err);
		return 1;
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
usage:
	return cli_usage("export", stderr);
}
