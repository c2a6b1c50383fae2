/*
 * Time-series export (rrd_xport) from a device's or department's RRD file:
 * one row per step, as CSV or JSON through the table writer.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rrd.h>

#include "graph.h"
#include "graphargs.h"
#include "rrdcache.h"
#include "rrdw.h"
#include "text.h"

#define PATH_SZ 4096
#define SCHEMA_MAX 24
#define EXPORT_ROWS_MAX 200000	/* a year at 300 s is 105120 */

/*
 * The columns of an export of R: every data source a file of its kind may
 * hold, in canonical order (the same columns for every printer), and whether
 * each is a DERIVE (pages).
 */
static int
export_sources(const struct gf_conf *conf, const struct gf_graph_req *r, char names[][20],
    unsigned char *derive, int max)
{
	const struct gf_rrd_ds *ds;
	int n, i, k = 0;

	if (r->scope == GF_GRAPH_DEPARTMENT) {
		static const char *const dept[] = { "total", "mono", "colour" };

		for (i = 0; i < 3; i++) {
			snprintf(names[i], 20, "%s", dept[i]);
			derive[i] = 1;
		}
		return 3;
	}
	n = rrdw_sources(conf->devices[r->index].kind, &ds);
	for (i = 0; i < n && k < max; i++, k++) {
		snprintf(names[k], 20, "%s", ds[i].name);
		derive[k] = strcmp(ds[i].type, "GAUGE") != 0;
	}
	return k;
}

/*
 * Which of the NDS export columns the file at PATH holds: a printer's file
 * has only the counters its device reports. -1 (ERR) if it holds none.
 */
static int
present_sources(const struct gf_conf *conf, const struct gf_graph_req *r, const char *path,
    int nds, unsigned char *present, char *err, size_t errsz)
{
	unsigned char id[SCHEMA_MAX];
	int n, i, any = 0;

	memset(present, r->scope == GF_GRAPH_DEPARTMENT, (size_t)nds);
	if (r->scope == GF_GRAPH_DEPARTMENT)
		return 0;
	if ((n = rrdw_file_sources(path, conf->devices[r->index].kind, id, SCHEMA_MAX, NULL)) < 0) {
		gargs_err_rrd(err, errsz, "rrd_lastupdate");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (id[i] < nds)
			present[id[i]] = any = 1;
	if (!any) {
		gf_errf(err, errsz, "%s holds none of greenfleet's data sources", path);
		return -1;
	}
	return 0;
}

/* "2026-11-02T00:00:00+01:00": local time with its offset. */
static void
iso_time(char *dst, size_t sz, time_t t)
{
	struct tm tm;
	char z[8];

	localtime_r(&t, &tm);
	strftime(dst, sz, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);
	snprintf(dst + strlen(dst), sz - strlen(dst), "%.3s:%.2s", z, z + 3);
}

/* A number with at most 3 decimals and no trailing zeros; NULL when unknown. */
static const char *
fmt_num(char *dst, size_t sz, double v)
{
	char *p;

	if (isnan(v) || isinf(v))
		return NULL;
	snprintf(dst, sz, "%.3f", v);
	p = dst + strlen(dst) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	if (strcmp(dst, "-0") == 0)
		strcpy(dst, "0");
	return dst;
}

struct series {
	time_t start, end;
	unsigned long step, ncols;
	char **legend;
	rrd_value_t *data;
};

/*
 * Sum (DERIVE: pages) or average (a level) of each of the NDS sources named
 * NAMES in the rows of the finest archive of PATH over [OPEN, LAST]; NAN
 * where none is known. -1 if librrd cannot read them.
 */
static int
so_far(const char *path, time_t open, time_t last, char names[][20],
    const unsigned char *derive, int nds, double *v)
{
	time_t start = open, end = last;
	unsigned long step = 1, nsrc, rows, i, j;
	char **srcs;
	rrd_value_t *data, x;
	double sum, n;
	int c;

	/* Ours: srcs and data, freed with rrd_freemem. */
	if (rrd_fetch_r(path, "AVERAGE", &start, &end, &step, &nsrc, &srcs, &data) != 0) {
		rrd_clear_error();
		return -1;
	}
	rows = step ? (unsigned long)(end - start) / step : 0;
	for (c = 0; c < nds; c++) {
		for (j = 0; j < nsrc && strcmp(srcs[j], names[c]) != 0; j++)
			;
		for (i = 0, sum = n = 0; j < nsrc && i < rows; i++) {
			if (isnan(x = data[i * nsrc + j]))
				continue;
			sum += derive[c] ? x * (double)step : x;
			n++;
		}
		v[c] = n == 0 ? NAN : derive[c] ? sum : sum / n;
	}
	for (j = 0; j < nsrc; j++)
		rrd_freemem(srcs[j]);
	rrd_freemem(srcs);
	rrd_freemem(data);
	return 0;
}

/*
 * The row of S still open at the file's last update: RRD leaves it unknown
 * until its step ends (a consolidation of an incomplete day is unknown), so
 * it gets what the finest archive has: the pages so far, the level so far.
 */
static void
fill_open(const struct gf_conf *conf, const char *path, char names[][20],
    const unsigned char *derive, int nds, struct series *s)
{
	double v[SCHEMA_MAX];
	time_t last = gargs_last(conf, path), open;
	unsigned long rows = (unsigned long)(s->end - s->start) / s->step, k;
	rrd_value_t *row;
	int c;

	open = last - last % (time_t)s->step;
	if (last <= 0 || open == last || open < s->start || (open - s->start) % s->step != 0 ||
	    (k = (unsigned long)(open - s->start) / s->step) >= rows ||
	    so_far(path, open, last, names, derive, nds, v) != 0)
		return;
	row = s->data + k * s->ncols;
	for (c = 0; c < nds; c++)
		if (isnan(row[c]) && !isnan(v[c]))
			row[c] = derive[c] ? v[c] / (double)s->step : v[c];
}

/* Runs rrd_xport over R's file (DERIVE: which NAMES are pages); -1 with ERR. */
static int
xport(const struct gf_conf *conf, const struct gf_graph_req *r, char names[][20],
    const unsigned char *derive, int nds, struct series *s, char *err, size_t errsz)
{
	struct gargs a = { NULL, 0, 0 };
	char path[PATH_SZ], file[PATH_SZ];
	unsigned char present[SCHEMA_MAX];
	long long rows = (r->to - r->from) / r->step + 2;
	int xsize, i, rc, anchor;

	if (rows > EXPORT_ROWS_MAX) {
		gf_errf(err, errsz, "%lld rows: more than %d, take a larger --step", rows,
		    EXPORT_ROWS_MAX);
		return -1;
	}
	if (gargs_file(conf, r->scope == GF_GRAPH_DEPARTMENT, r->id, path, sizeof(path), NULL,
	    err, errsz) != 0 ||
	    present_sources(conf, r, path, nds, present, err, errsz) != 0)
		return -1;
	gargs_path(file, sizeof(file), path);
	for (anchor = 0; !present[anchor]; anchor++)
		;
	gargs_add(&a, "xport");
	gargs_add(&a, "--start=%lld", (long long)r->from);
	gargs_add(&a, "--end=%lld", (long long)r->to);
	gargs_add(&a, "--step=%d", r->step);
	/* Without it xport coarsens the step to fit 400 rows, like a 400-pixel graph. */
	gargs_add(&a, "--maxrows=%lld", rows < 10 ? 10 : rows);	/* xport refuses fewer than 10 */
	/* Over TCP the file was flushed by its name in gargs_file: librrd's paths are refused. */
	if (conf->rrdcached != NULL && !rrdcache_remote(conf->rrdcached))
		gargs_add(&a, "--daemon=%s", conf->rrdcached);
	for (i = 0; i < nds; i++)
		if (present[i])
			gargs_add(&a, "DEF:v%d=%s:%s:AVERAGE", i, file, names[i]);
	/* A source the file lacks is an unknown column, on the steps of one it has. */
	for (i = 0; i < nds; i++)
		if (!present[i])
			gargs_add(&a, "CDEF:v%d=v%d,UN,UNKN,UNKN,IF", i, anchor);
	for (i = 0; i < nds; i++)
		gargs_add(&a, "XPORT:v%d:%s", i, names[i]);
	rrd_clear_error();
	rc = rrd_xport(a.n, a.v, &xsize, &s->start, &s->end, &s->step, &s->ncols, &s->legend,
	    &s->data);
	gargs_free(&a);
	if (rc != 0) {
		gargs_err_rrd(err, errsz, "rrd_xport");
		return -1;
	}
	if (s->ncols == (unsigned long)nds && s->step != 0)
		fill_open(conf, path, names, derive, nds, s);
	return 0;
}

/* Frees what rrd_xport returned (its memory: rrd_freemem). */
static void
series_free(struct series *s)
{
	for (unsigned long i = 0; s->legend != NULL && i < s->ncols; i++)
		rrd_freemem(s->legend[i]);
	rrd_freemem(s->legend);
	rrd_freemem(s->data);
}

static void
export_rows(struct gf_table *t, const struct series *s, const unsigned char *derive, int nds)
{
	char num[SCHEMA_MAX][32], when[40];
	const char *cells[SCHEMA_MAX + 1];
	unsigned long rows = (unsigned long)(s->end - s->start) / s->step, i;
	rrd_value_t v;
	int c;

	/* Row I holds the step (start + I x step, start + (I + 1) x step]; named by its start. */
	for (i = 0; i < rows; i++) {
		iso_time(when, sizeof(when), s->start + (time_t)(i * s->step));
		cells[0] = when;
		for (c = 0; c < nds; c++) {
			v = s->data[i * s->ncols + (unsigned long)c];
			cells[c + 1] = fmt_num(num[c], sizeof(num[c]), derive[c] ? v * s->step : v);
		}
		out_row(t, cells);
	}
}

int
graph_export(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_fmt fmt,
    FILE *f, char *err, size_t errsz)
{
	char names[SCHEMA_MAX][20], when[2][40];
	const char *cols[SCHEMA_MAX + 1];
	unsigned char derive[SCHEMA_MAX], numeric[SCHEMA_MAX + 1];
	struct gf_table t = { f, fmt, cols, NULL, numeric, 0, 0 };
	struct series s = { 0, 0, 0, 0, NULL, NULL };
	int nds, c;

	nds = export_sources(conf, r, names, derive, SCHEMA_MAX);
	if (r->scope == GF_GRAPH_FLEET || nds <= 0 || fmt == GF_FMT_TEXT || fmt == GF_FMT_TSV) {
		gf_errf(err, errsz, "export takes a device or a department, as csv or json");
		return -1;
	}
	if (xport(conf, r, names, derive, nds, &s, err, errsz) != 0)
		return -1;
	if (s.ncols != (unsigned long)nds || s.step == 0) {
		gf_errf(err, errsz, "rrd_xport: %lu columns for %d sources", s.ncols, nds);
		series_free(&s);
		return -1;
	}
	cols[0] = "time";
	numeric[0] = 0;
	for (c = 0; c < nds; c++) {
		cols[c + 1] = names[c];
		numeric[c + 1] = 1;
	}
	t.ncols = nds + 1;
	if (fmt == GF_FMT_JSON) {
		iso_time(when[0], sizeof(when[0]), s.start);
		iso_time(when[1], sizeof(when[1]), s.end);
		fprintf(f, "{\"%s\": ", r->scope == GF_GRAPH_DEVICE ? "device" : "department");
		out_json_str(f, r->id);
		fprintf(f, ", \"from\": \"%s\", \"to\": \"%s\", \"step\": %lu, \"rows\": ",
		    when[0], when[1], s.step);
	}
	out_begin(&t);
	export_rows(&t, &s, derive, nds);
	out_end(&t);
	if (fmt == GF_FMT_JSON)
		fputs("}\n", f);
	series_free(&s);
	return 0;
}
