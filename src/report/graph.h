/*
 * Graphs and time-series export from the RRD files (librrd's rrd_graph_v and
 * rrd_xport, never the rrdtool program): a device's pages per day, supplies,
 * disk and RAM; a department's pages with its quota; the fleet's pages per
 * department. Graph words follow conf->smtp.language (fr or en).
 */
#ifndef GF_GRAPH_H
#define GF_GRAPH_H

#include <stdio.h>
#include <time.h>

#include "conf.h"
#include "output.h"

enum gf_graph_scope { GF_GRAPH_DEVICE, GF_GRAPH_DEPARTMENT, GF_GRAPH_FLEET };

enum gf_graph_metric { GF_METRIC_DEFAULT, GF_METRIC_PAGES, GF_METRIC_COLOUR, GF_METRIC_DUPLEX,
	GF_METRIC_SUPPLIES, GF_METRIC_DISK, GF_METRIC_RAM };

#define GF_GRAPH_WIDTH 800
#define GF_GRAPH_HEIGHT 300
#define GF_EXPORT_STEP 86400

/* What to draw or export; graph_check() resolves the index and the default metric. */
struct gf_graph_req {
	enum gf_graph_scope scope;
	const char *id;			/* device or department id; NULL for the fleet */
	enum gf_graph_metric metric;
	time_t from, to;
	int width, height;		/* whole image, pixels */
	int step;			/* export: seconds per row (a minimum: RRD may give more) */
	int index;			/* set by graph_check: into conf->devices or conf->depts */
};

/*
 * Parses a time: "YYYY-MM-DD" (local midnight starting that day, or ending it
 * when END), "now", or "-N" followed by h, d or w before NOW. -1 if it is none.
 */
int graph_parse_when(const char *s, int end, time_t now, time_t *t);

/* Parses a metric name (pages, colour, duplex, supplies, disk, ram); -1 if unknown. */
int graph_parse_metric(const char *s, enum gf_graph_metric *m);

/* Parses a decimal integer in [MIN, MAX] (a size or a step); -1 otherwise. */
int graph_parse_int(const char *s, int min, int max, int *v);

/*
 * Seconds per row of a graph over SPAN seconds WIDTH pixels wide, from files
 * of step BASE (the poll interval): the file's own step (or whole multiples
 * of it, one row per pixel at most) up to 3 hours, an hour up to 3 days, a
 * day beyond.
 */
int graph_step(time_t span, int base, int width);

/*
 * Checks R against CONF: a configured id, a metric that the device kind or
 * scope has, a sane range. -1 with one line in ERR (a usage error).
 */
int graph_check(const struct gf_conf *conf, struct gf_graph_req *r, char *err, size_t errsz);

/* Image formats; JSON is rrd_graph's: the plotted series and every legend line as text. */
enum gf_img { GF_IMG_PNG, GF_IMG_SVG, GF_IMG_JSON };

/* Draws R as FMT into PATH, written whole or not at all. -1 with one line in ERR. */
int graph_draw(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    const char *path, char *err, size_t errsz);

/*
 * Draws R into memory as FMT: *BUF (the caller frees) of *LEN bytes, for a
 * web page; the same bytes graph_draw writes. -1 with one line in ERR, *BUF
 * NULL then.
 */
int graph_render(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    char **buf, size_t *len, char *err, size_t errsz);

/*
 * Writes R's series to F as CSV (one header row) or JSON: one row per step,
 * its start in ISO 8601, DERIVE sources as pages in the step, GAUGEs as their
 * value, unknown as empty or null. -1 with one line in ERR; nothing written then.
 */
int graph_export(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_fmt fmt,
    FILE *f, char *err, size_t errsz);

#endif
