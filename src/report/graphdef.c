/*
 * The DEFs of a graph, read through librrd first: RRD leaves a consolidated
 * row unknown when more than half its steps are (the hour or day a device was
 * first polled, the one still open), and averages the known steps of a
 * partial row as if they covered it whole. Where the finest archive covers
 * such a row, the row gets what it holds instead, so the graph shows the
 * pages of the first minute and says "no data yet" only when there is none.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <rrd.h>

#include "graphargs.h"

#define FINE_SPAN (36 * 3600L)	/* within the finest archive of every file (2 days at least) */
#define PATCH_MAX 64		/* rows corrected per series: the partial ones only */

/* What rrd_fetch_r returned; its memory, freed with gdef_fetch_free. */
struct fetch {
	time_t start, end;
	unsigned long step, nds;
	char **names;
	rrd_value_t *data;
};

/* Frees what rrd_fetch_r returned. */
static void
fetch_free(struct fetch *f)
{
	for (unsigned long i = 0; f->names != NULL && i < f->nds; i++)
		rrd_freemem(f->names[i]);
	rrd_freemem(f->names);
	rrd_freemem(f->data);
	f->names = NULL;
	f->data = NULL;
}

/* Rows of STEP (or the archive that has them) from PATH over [FROM, TO]; -1 if librrd fails. */
static int
fetch(const char *path, time_t from, time_t to, unsigned long step, struct fetch *f)
{
	f->start = from;
	f->end = to;
	f->step = step;
	f->names = NULL;
	f->data = NULL;
	/* Ours: names and data (rrd_freemem). */
	if (rrd_fetch_r(path, "AVERAGE", &f->start, &f->end, &f->step, &f->nds, &f->names,
	    &f->data) != 0 || f->step == 0) {
		rrd_clear_error();
		fetch_free(f);
		return -1;
	}
	return 0;
}

/* Column of source DS in F, or -1. */
static long
column(const struct fetch *f, const char *ds)
{
	for (unsigned long j = 0; j < f->nds; j++)
		if (strcmp(f->names[j], ds) == 0)
			return (long)j;
	return -1;
}

/*
 * What the finest rows of FINE (column J) hold of the row (RS, RS + STEP]:
 * a rate averaged over the whole row when TOTAL (an unknown step counts no
 * pages: the ledger counted none), else the mean level; NAN if none is known
 * or FINE does not cover the row's start.
 */
static double
fine_value(const struct fetch *fine, long j, time_t rs, unsigned long step, int total)
{
	unsigned long rows = (unsigned long)(fine->end - fine->start) / fine->step, i;
	double sum = 0, n = 0, x;
	time_t t;

	if (rs < fine->start)
		return NAN;
	for (i = 0; i < rows; i++) {
		t = fine->start + (time_t)((i + 1) * fine->step);	/* a row's end names it */
		if (t <= rs || t > rs + (time_t)step)
			continue;
		x = fine->data[i * fine->nds + (unsigned long)j];
		if (isnan(x))
			continue;
		sum += total ? x * (double)fine->step : x;
		n++;
	}
	if (n == 0)
		return NAN;
	return total ? sum / (double)step : sum / n;
}

/* Whether A and B differ beyond floating-point noise (NAN equals NAN). */
static int
differs(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) != isnan(b);
	return fabs(a - b) > 1e-9 * (fabs(a) + fabs(b)) + 1e-12;
}

/*
 * Appends to CDEF (of SZ bytes) the corrections of column J of COARSE from
 * FINE (may be NULL); sets *ANY when a row is known after them.
 */
static void
patch_rows(char *cdef, size_t sz, const struct fetch *coarse, long j, const struct fetch *fine,
    int total, int *any)
{
	unsigned long rows = (unsigned long)(coarse->end - coarse->start) / coarse->step, i;
	long fj = fine != NULL ? column(fine, coarse->names[j]) : -1;
	size_t len = strlen(cdef);
	double v, fv;
	time_t rs;
	int n = 0;

	for (i = 0; i < rows; i++) {
		rs = coarse->start + (time_t)(i * coarse->step);
		v = coarse->data[i * coarse->nds + (unsigned long)j];
		fv = fj >= 0 ? fine_value(fine, fj, rs, coarse->step, total) : NAN;
		if (!isnan(fv) && differs(v, fv) && n < PATCH_MAX && len + 96 < sz) {
			/* A CDEF row is named by its end: (RS, RS + STEP] holds one. */
			len += (size_t)snprintf(cdef + len, sz - len, ",TIME,%lld,%lld,LIMIT,UN,EXC,"
			    "%.17g,IF", (long long)rs + 1, (long long)rs + (long long)coarse->step, fv);
			n++;
			v = fv;
		}
		if (!isnan(v))
			*any = 1;
	}
}

int
gdef_add(struct gargs *a, const struct gdef *d, const char *var, const char *ds, int total)
{
	struct fetch coarse, fine;
	char cdef[PATCH_MAX * 96 + 128];
	time_t fs = d->last - FINE_SPAN;
	int any = 0, have_fine = 0;
	long j;

	gargs_add(a, "DEF:%s_d=%s:%s:AVERAGE:step=%d", var, d->file, ds, d->step);
	snprintf(cdef, sizeof(cdef), "CDEF:%s=%s_d", var, var);
	if (fetch(d->path, d->from, d->to, (unsigned long)d->step, &coarse) != 0) {
		gargs_add(a, "%s", cdef);
		return -1;
	}
	if ((j = column(&coarse, ds)) < 0) {
		fetch_free(&coarse);
		gargs_add(a, "%s", cdef);
		return 0;
	}
	/* Only where a row is coarser than the file's own step, and the file was updated then. */
	if (coarse.step > d->base && d->last > d->from &&
	    fetch(d->path, fs > d->from ? fs : d->from, d->last, 1, &fine) == 0) {
		have_fine = fine.step < coarse.step;
		if (!have_fine)
			fetch_free(&fine);
	}
	patch_rows(cdef, sizeof(cdef), &coarse, j, have_fine ? &fine : NULL, total, &any);
	gargs_add(a, "%s", cdef);
	if (have_fine)
		fetch_free(&fine);
	fetch_free(&coarse);
	return any;
}
