/*
 * Graphs (rrd_graph_v) from the RRD files: parsing and checking a request,
 * its DEFs, areas and legends, the PNG written whole. Exports: graphexport.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>

#include "date.h"
#include "graph.h"
#include "graphargs.h"
#include "quota.h"
#include "rrdcache.h"
#include "util.h"
#include "xmalloc.h"

#define PATH_SZ 4096
#define LEGEND_SZ 256
#define DAY 86400

/* Where a metric makes sense. */
#define S_PRINTER 1u
#define S_HOST 2u
#define S_DEPT 4u
#define S_FLEET 8u

static const struct metric {
	const char *name;
	unsigned scopes;
} metrics[] = {
	[GF_METRIC_PAGES] = { "pages", S_PRINTER | S_DEPT | S_FLEET },
	[GF_METRIC_COLOUR] = { "colour", S_PRINTER | S_DEPT },
	[GF_METRIC_DUPLEX] = { "duplex", S_PRINTER },
	[GF_METRIC_SUPPLIES] = { "supplies", S_PRINTER },
	[GF_METRIC_DISK] = { "disk", S_HOST },
	[GF_METRIC_RAM] = { "ram", S_HOST },
};

/* The words of a graph in one language; formats take what their comment says. */
struct words {
	const char *title[GF_METRIC_RAM + 1];	/* pages: followed by the unit ("par jour") */
	const char *fleet_title[2];	/* around the unit */
	int en;				/* picks the literal formats (-Wformat=2 wants literals) */
	const char *fleet;
	const char *percent, *nodata;
	const char *mono, *colour, *other, *total, *duplex, *toner, *disk, *ram;
	const char *pages;		/* GPRINT: %lf pages over the graph */
	const char *last, *min, *max;	/* GPRINT: %lf percent */
	const char *period[3];		/* month, quarter, year */
	const char *hour_fmt, *day_fmt, *month_fmt;
};

static const struct words fr = {
	{ NULL, "Pages imprimées", "Pages couleur", "Pages recto-verso",
	    "Niveau du toner le plus bas", "Occupation du disque", "Mémoire vive utilisée" },
	{ "Pages imprimées", "et par service" }, 0, "tout le parc",
	"%", "pas encore de données", "Noir et blanc", "Couleur", "Non ventilé", "Total",
	"Recto-verso", "Toner le plus bas", "Disque", "Mémoire", "%9.0lf pages",
	"dernier %3.0lf %%", "min %3.0lf %%", "max %3.0lf %%\\l",
	{ "mois", "trimestre", "an" }, "%Hh", "%d/%m", "%m/%Y",
};

static const struct words en = {
	{ NULL, "Pages printed", "Colour pages", "Two-sided pages",
	    "Lowest toner level", "Disk use", "RAM use" },
	{ "Pages printed", "by department" }, 1, "whole fleet",
	"%", "no data yet", "Mono", "Colour", "Not split", "Total", "Two-sided",
	"Lowest toner", "Disk", "RAM", "%9.0lf pages", "last %3.0lf %%", "min %3.0lf %%",
	"max %3.0lf %%\\l", { "month", "quarter", "year" }, "%I %p", "%d %b", "%b %Y",
};

/* Okabe-Ito: told apart with the commonest colour blindness too. */
static const char *const palette[] = { "0072B2", "E69F00", "009E73", "CC79A7", "56B4E9",
	"D55E00", "F0E442", "000000" };
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

int
graph_parse_int(const char *s, int min, int max, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '+' || *s == '-' || n < min || n > max)
		return -1;
	*v = (int)n;
	return 0;
}

/* Local midnight starting day Y-M-D (plus EXTRA days); -1 on a day that does not exist. */
static int
local_midnight(int y, int m, int d, int extra, time_t *t)
{
	struct tm tm;

	/* Validated at noon: a day whose midnight DST skips still exists. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != m - 1 ||
	    tm.tm_mday != d)
		return -1;
	tm.tm_mday += extra;
	tm.tm_hour = 0;
	tm.tm_isdst = -1;
	return (*t = mktime(&tm)) == (time_t)-1 ? -1 : 0;
}

int
graph_parse_when(const char *s, int end, time_t now, time_t *t)
{
	struct gf_day day;
	int n = -1, k;
	char unit;

	if (strcmp(s, "now") == 0) {
		*t = now;
		return 0;
	}
	if (s[0] == '-' && sscanf(s + 1, "%7d%c%n", &k, &unit, &n) == 2 && s[1 + n] == '\0' &&
	    s[1] >= '0' && s[1] <= '9' && k > 0 && strchr("hdw", unit) != NULL) {
		*t = now - (time_t)k * (unit == 'h' ? 3600 : unit == 'd' ? DAY : 7 * DAY);
		return *t > 0 ? 0 : -1;
	}
	if (gf_date_parse(s, &day, NULL, 0) != 0 || day.y < 1990 || day.y > 2200)
		return -1;
	return local_midnight(day.y, day.m, day.d, end ? 1 : 0, t);
}

int
graph_parse_metric(const char *s, enum gf_graph_metric *m)
{
	size_t i;

	for (i = 1; i < sizeof(metrics) / sizeof(metrics[0]); i++)
		if (strcmp(s, metrics[i].name) == 0) {
			*m = (enum gf_graph_metric)i;
			return 0;
		}
	/* The spelling of the rest of the world. */
	if (strcmp(s, "color") == 0) {
		*m = GF_METRIC_COLOUR;
		return 0;
	}
	return -1;
}

/* Index of device or department ID in CONF, or -1. */
static int
find_id(const struct gf_conf *conf, int dept, const char *id)
{
	size_t i, n = dept ? conf->ndepts : conf->ndevices;

	for (i = 0; i < n; i++)
		if (strcmp(dept ? conf->depts[i].id : conf->devices[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
graph_check(const struct gf_conf *conf, struct gf_graph_req *r, char *err, size_t errsz)
{
	unsigned where = S_FLEET;
	int dept = r->scope == GF_GRAPH_DEPARTMENT;

	if (r->scope != GF_GRAPH_FLEET) {
		if (r->id == NULL || !gf_id_is_safe(r->id) ||
		    (r->index = find_id(conf, dept, r->id)) < 0) {
			gf_errf(err, errsz, "no %s '%.64s' in %s", dept ? "department" : "device",
			    r->id ? r->id : "", conf->path);
			return -1;
		}
		where = dept ? S_DEPT : conf->devices[r->index].kind == GF_KIND_PRINTER ?
		    S_PRINTER : S_HOST;
	}
	if (r->metric == GF_METRIC_DEFAULT)
		r->metric = where == S_HOST ? GF_METRIC_DISK : GF_METRIC_PAGES;
	if (!(metrics[r->metric].scopes & where)) {
		gf_errf(err, errsz, "there is no '%s' graph for %s", metrics[r->metric].name,
		    where == S_PRINTER ? "a printer" : where == S_HOST ? "a workstation" :
		    where == S_DEPT ? "a department" : "the fleet");
		return -1;
	}
	if (r->from <= 0 || r->to <= r->from || r->to - r->from > 20 * 366 * (time_t)DAY) {
		gf_errf(err, errsz, "--from must come before --to, at most 20 years apart");
		return -1;
	}
	return 0;
}

static const struct words *
words_for(const struct gf_conf *conf)
{
	return conf->smtp.language && strcmp(conf->smtp.language, "en") == 0 ? &en : &fr;
}

/*
 * Legend text from S (a department's name may hold anything): colons escaped,
 * backslashes (rrd_graph's line controls) and control characters dropped,
 * then padded with spaces to PAD characters (UTF-8 aware, the font is monospace).
 */
static void
legend(char *dst, size_t sz, const char *s, int pad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	int chars = 0;

	for (; *p && n + 3 < sz; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			continue;
		if (*p == ':')
			dst[n++] = '\\';
		dst[n++] = (char)*p;
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	for (; chars < pad && n + 1 < sz; chars++)
		dst[n++] = ' ';
	dst[n] = '\0';
}

/* Labels that fit: the finest grid whose labels are at least ~70 pixels apart. */
static void
xgrid(struct gargs *a, const struct words *w, time_t span, int width)
{
	static const struct { long label_s; const char *spec; int fmt; } lv[] = {
		{ 600L, "MINUTE:1:MINUTE:10:MINUTE:10:0", 4 },
		{ 3600L, "MINUTE:10:HOUR:1:HOUR:1:0", 4 },
		{ 6 * 3600L, "HOUR:1:HOUR:6:HOUR:6:0", 0 },
		{ DAY, "HOUR:6:DAY:1:DAY:1:86400", 1 },
		{ 7L * DAY, "DAY:1:WEEK:1:WEEK:1:0", 1 },
		{ 30L * DAY, "WEEK:1:MONTH:1:MONTH:1:2592000", 2 },
		{ 365L * DAY, "MONTH:1:YEAR:1:YEAR:1:31536000", 3 },
	};
	const char *fmt;
	size_t i;

	for (i = 0; i + 1 < sizeof(lv) / sizeof(lv[0]); i++)
		if ((double)span / lv[i].label_s * 70 <= width - 80)
			break;
	fmt = lv[i].fmt == 0 ? w->hour_fmt : lv[i].fmt == 1 ? w->day_fmt :
	    lv[i].fmt == 2 ? w->month_fmt : lv[i].fmt == 3 ? "%Y" : "%H:%M";
	gargs_add(a, "--x-grid");
	gargs_add(a, "%s:%s", lv[i].spec, fmt);
}

/* The options every graph shares. */
static void
common(struct gargs *a, const struct gf_conf *conf, const struct gf_graph_req *r,
    enum gf_img fmt, const char *title, const char *vlabel)
{
	gargs_add(a, "graph");
	gargs_add(a, "-");	/* the image comes back in the info list, written by us */
	gargs_add(a, "--imgformat=%s", fmt == GF_IMG_SVG ? "SVG" : fmt == GF_IMG_JSON ? "JSON" :
	    "PNG");
	gargs_add(a, "--start=%lld", (long long)r->from);
	gargs_add(a, "--end=%lld", (long long)r->to);
	gargs_add(a, "--width=%d", r->width);
	gargs_add(a, "--height=%d", r->height);
	gargs_add(a, "--full-size-mode");
	gargs_add(a, "--title=%s", title);
	gargs_add(a, "--vertical-label=%s", vlabel);
	gargs_add(a, "--lower-limit=0");
	gargs_add(a, "--units-exponent=0");
	gargs_add(a, "--color=GRID#B0B0B060");
	gargs_add(a, "--color=MGRID#80808090");
	/*
	 * rrdcached writes out what it holds for the file before librrd reads it.
	 * Over TCP librrd would send it our absolute paths, which it refuses:
	 * the files were flushed by their names (gargs_file, gargs_last) instead.
	 */
	if (conf->rrdcached != NULL && !rrdcache_remote(conf->rrdcached))
		gargs_add(a, "--daemon=%s", conf->rrdcached);
	xgrid(a, words_for(conf), r->to - r->from, r->width);
}

/* "Du 2026-11-01 au 2026-11-30", right-aligned under the legend. */
static void
range_comment(struct gargs *a, const struct words *w, const struct gf_graph_req *r)
{
	char d0[16], d1[16], buf[LEGEND_SZ];
	time_t last = r->to - 1;

	gf_date_day(r->from, d0);
	gf_date_day(last, d1);
	snprintf(buf, sizeof(buf), w->en ? "From %s to %s\\r" : "Du %s au %s\\r", d0, d1);
	gargs_add(a, "COMMENT: \\n");
	gargs_add(a, "COMMENT:%s", buf);
}

/* "par jour", "per hour", "par 10 s": what one row of STEP seconds is. */
static void
unit_text(char *dst, size_t sz, const struct words *w, int step)
{
	if (step == DAY)
		snprintf(dst, sz, "%s", w->en ? "per day" : "par jour");
	else if (step == 3600)
		snprintf(dst, sz, "%s", w->en ? "per hour" : "par heure");
	else if (step == 60)
		snprintf(dst, sz, "%s", w->en ? "per minute" : "par minute");
	else if (step % 60 == 0)
		snprintf(dst, sz, w->en ? "per %d min" : "par %d min", step / 60);
	else
		snprintf(dst, sz, w->en ? "per %d s" : "par %d s", step);
}

/* The line after a legend when its series has no known row: never "-nan". */
static void
no_data(struct gargs *a, const struct words *w)
{
	gargs_add(a, "COMMENT:  %s\\l", w->nodata);
}

/*
 * One series VAR (pages per row of STEP) drawn as an area with its total
 * over the graph, or "no data yet" when it has none (not KNOWN).
 */
static void
pages_area(struct gargs *a, const struct words *w, const char *var, const char *colour,
    const char *name, int stack, int step, int known)
{
	char l[LEGEND_SZ];

	legend(l, sizeof(l), name, 20);
	/* TOTAL sums rate x step: the pages, from the per-second series. */
	gargs_add(a, "CDEF:%s_r=%s,%d,/", var, var, step);
	gargs_add(a, "VDEF:%s_t=%s_r,TOTAL", var, var);
	gargs_add(a, "AREA:%s#%s:%s%s", var, colour, l, stack ? ":STACK" : "");
	if (known)
		gargs_add(a, "GPRINT:%s_t:%s\\l", var, w->pages);
	else
		no_data(a, w);
}

/*
 * Total, mono and colour of D per row (rate x step; the partial rows as the
 * finest archive has them): unknown where all three are, else an unknown part
 * counts 0, and "other" is what total has beyond mono + colour (a printer
 * that does not split). Whether any row is known.
 */
static int
defs_tmc(struct gargs *a, const struct gdef *d)
{
	static const char *const ds[] = { "total", "mono", "colour" };
	const char *allunk = "t,UN,m,UN,*,c,UN,*";
	char var[2] = "";
	int i, any = 0;

	for (i = 0; i < 3; i++) {
		var[0] = ds[i][0];
		any |= gdef_add(a, d, var, ds[i], 1) != 0;
	}
	gargs_add(a, "CDEF:tp=%s,UNKN,t,UN,0,t,IF,%d,*,IF", allunk, d->step);
	gargs_add(a, "CDEF:mp=%s,UNKN,m,UN,0,m,IF,%d,*,IF", allunk, d->step);
	gargs_add(a, "CDEF:cp=%s,UNKN,c,UN,0,c,IF,%d,*,IF", allunk, d->step);
	gargs_add(a, "CDEF:op=tp,mp,-,cp,-,0,MAX");
	return any;
}

/*
 * A department's mono limit per day, as a dashed line that autoscale keeps in
 * view when rows are days (STEP), else as its legend alone.
 */
static void
quota_line(struct gargs *a, const struct words *w, const struct gf_quota *q, time_t when,
    int step)
{
	char text[LEGEND_SZ], l[LEGEND_SZ], rate[32];
	struct gf_span sp;
	long days;
	double per_day;

	if (!q->enabled || q->mono <= 0 || quota_span(q->period, when, &sp) != 0)
		return;
	/* Rounded: a period with a DST change is a day longer or shorter by an hour. */
	days = (long)((sp.end - sp.start + DAY / 2) / DAY);
	per_day = (double)q->mono / (double)(days > 0 ? days : 1);
	/* Never "i.e. 0 a day": one decimal below 10, nothing below 0.05. */
	quota_rate_text(rate, sizeof(rate), per_day, w->en ? '.' : ',');
	if (rate[0] != '\0')
		snprintf(text, sizeof(text), w->en ? "Mono quota: %d pages per %s, i.e. %s a day" :
		    "Quota noir et blanc : %d pages par %s, soit %s par jour", q->mono,
		    w->period[q->period], rate);
	else
		snprintf(text, sizeof(text), w->en ? "Mono quota: %d pages per %s" :
		    "Quota noir et blanc : %d pages par %s", q->mono, w->period[q->period]);
	legend(l, sizeof(l), text, 0);
	if (step != DAY) {
		gargs_add(a, "COMMENT:%s\\l", l);
		return;
	}
	/* Any series gives the steps; "X,POP,N" is refused, so both branches are N. */
	gargs_add(a, "CDEF:quota=tp,UN,%.3f,%.3f,IF", per_day, per_day);
	gargs_add(a, "LINE2:quota#D62728:%s\\l:dashes", l);
}

static void
draw_pages(struct gargs *a, const struct words *w, const struct gdef *d,
    const struct gf_quota *q, time_t when)
{
	int known = defs_tmc(a, d);

	pages_area(a, w, "mp", palette[0], w->mono, 0, d->step, known);
	pages_area(a, w, "cp", palette[1], w->colour, 1, d->step, known);
	pages_area(a, w, "op", "999999", w->other, 1, d->step, known);
	if (q != NULL)
		quota_line(a, w, q, when, d->step);
}

/* Colour (or two-sided) pages as an area under the total as a line. */
static void
draw_part(struct gargs *a, const struct words *w, const struct gdef *d, int duplex)
{
	char l[LEGEND_SZ];
	int known = defs_tmc(a, d), part = known;

	if (duplex) {
		part = gdef_add(a, d, "d", "duplex", 1) != 0;
		gargs_add(a, "CDEF:dp=d,%d,*", d->step);
	}
	pages_area(a, w, duplex ? "dp" : "cp", palette[duplex ? 2 : 1],
	    duplex ? w->duplex : w->colour, 0, d->step, part);
	legend(l, sizeof(l), w->total, 20);
	gargs_add(a, "CDEF:tp_r=tp,%d,/", d->step);
	gargs_add(a, "VDEF:tp_t=tp_r,TOTAL");
	gargs_add(a, "LINE2:tp#%s:%s", palette[0], l);
	if (known)
		gargs_add(a, "GPRINT:tp_t:%s\\l", w->pages);
	else
		no_data(a, w);
}

/* A percentage (toner, disk, RAM) with its last, lowest and highest values. */
static void
draw_gauge(struct gargs *a, const struct words *w, const struct gdef *d, const char *ds,
    const char *name, const char *colour)
{
	char l[LEGEND_SZ];
	int known;

	legend(l, sizeof(l), name, 20);
	gargs_add(a, "--upper-limit=100");
	gargs_add(a, "--rigid");
	known = gdef_add(a, d, "v", ds, 0) != 0;
	gargs_add(a, "AREA:v#%s40", colour);
	gargs_add(a, "LINE2:v#%s:%s", colour, l);
	if (!known) {
		no_data(a, w);
		return;
	}
	gargs_add(a, "VDEF:v_last=v,LAST");
	gargs_add(a, "VDEF:v_min=v,MINIMUM");
	gargs_add(a, "VDEF:v_max=v,MAXIMUM");
	gargs_add(a, "GPRINT:v_last:%s", w->last);
	gargs_add(a, "GPRINT:v_min:%s", w->min);
	gargs_add(a, "GPRINT:v_max:%s", w->max);
}

/*
 * Pages per row of STEP of each department that has a file, stacked; -1 if
 * none has, -2 (ERR) if one is damaged.
 */
static int
draw_fleet(struct gargs *a, const struct gf_conf *conf, const struct words *w, struct gdef *d,
    char *err, size_t errsz)
{
	char path[PATH_SZ], file[PATH_SZ], name[LEGEND_SZ], var[32];
	struct stat st;
	size_t i;
	int n = 0, known;

	d->path = path;
	d->file = file;
	for (i = 0; i < conf->ndepts; i++) {
		if (gf_rrd_dept_path(path, sizeof(path), conf->data_dir, conf->depts[i].id) != 0 ||
		    stat(path, &st) != 0)
			continue;
		if (gargs_vet(path, &d->base, err, errsz) != 0)
			return -2;
		gargs_path(file, sizeof(file), path);
		d->last = gargs_last(conf, path);
		snprintf(var, sizeof(var), "d%zu", i);
		known = gdef_add(a, d, var, "total", 1) != 0;
		gargs_add(a, "CDEF:p%zu=d%zu,UN,0,d%zu,IF,%d,*", i, i, i, d->step);
		snprintf(name, sizeof(name), "%s", conf->depts[i].name ? conf->depts[i].name :
		    conf->depts[i].id);
		snprintf(var, sizeof(var), "p%zu", i);
		pages_area(a, w, var, palette[n % NPALETTE], name, n > 0, d->step, known);
		n++;
	}
	d->path = d->file = NULL;
	return n > 0 ? 0 : -1;
}

/*
 * Title text from S (a department's name): rrd_graph breaks a title at the two
 * characters "\n", whatever comes before, so backslashes are dropped, and so
 * are control characters (the configuration refuses them; this is the last guard).
 */
static void
title_text(char *dst, size_t sz, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < sz; s++)
		if (*s != '\\' && (unsigned char)*s >= 0x20 && *s != 0x7f)
			dst[n++] = *s;
	dst[n] = '\0';
}

/* The title of R, drawn in rows of STEP, in W's language. */
static void
title_for(char *dst, size_t sz, const struct gf_conf *conf, const struct gf_graph_req *r,
    const struct words *w, int step)
{
	char subject[LEGEND_SZ], name[LEGEND_SZ], unit[32];
	const struct gf_department *d;

	unit_text(unit, sizeof(unit), w, step);
	if (r->scope == GF_GRAPH_FLEET) {
		snprintf(dst, sz, "%s %s %s — %s", w->fleet_title[0], unit, w->fleet_title[1],
		    w->fleet);
		return;
	}
	if (r->scope == GF_GRAPH_DEPARTMENT) {
		d = &conf->depts[r->index];
		title_text(name, sizeof(name), d->name ? d->name : d->id);
		snprintf(subject, sizeof(subject), w->en ? "%s department (%s)" :
		    "service %s (%s)", name, d->id);
	} else {
		snprintf(subject, sizeof(subject), "%s", r->id);
	}
	if (r->metric <= GF_METRIC_DUPLEX)
		snprintf(dst, sz, "%s %s — %s", w->title[r->metric], unit, subject);
	else
		snprintf(dst, sz, "%s — %s", w->title[r->metric], subject);
}

int
graph_step(time_t span, int base, int width)
{
	long plot = width > 200 ? width - 100 : 100;	/* pixels the plot gets in width */

	if (base <= 0)
		base = 300;
	if (span > 3 * DAY)
		return base > DAY ? base : DAY;
	if (span > 3 * 3600)
		return base > 3600 ? base : 3600;
	/*
	 * No more rows than pixels: rrd_graph would average them, over their known
	 * part only. Then the 5-minute archive of a file polled more often.
	 */
	if (span / base <= plot)
		return base;
	if (base < 300 && span / 300 <= plot)
		return 300;
	return base > 3600 ? base : 3600;
}

/* The series of R from D (its file, or none for the fleet); -1 (ERR) if there is none. */
static int
draw_series(struct gargs *a, const struct gf_conf *conf, const struct gf_graph_req *r,
    const struct words *w, struct gdef *d, char *err, size_t errsz)
{
	int n;

	if (r->scope == GF_GRAPH_FLEET) {
		if ((n = draw_fleet(a, conf, w, d, err, errsz)) == -1)
			gf_errf(err, errsz, "no department has pages recorded in "
			    "%s/rrd/departments yet", conf->data_dir);
		return n == 0 ? 0 : -1;
	}
	if (r->metric == GF_METRIC_PAGES)
		draw_pages(a, w, d, r->scope == GF_GRAPH_DEPARTMENT ?
		    &conf->depts[r->index].quota : NULL, r->to - 1);
	else if (r->metric == GF_METRIC_COLOUR || r->metric == GF_METRIC_DUPLEX)
		draw_part(a, w, d, r->metric == GF_METRIC_DUPLEX);
	else if (r->metric == GF_METRIC_SUPPLIES)
		draw_gauge(a, w, d, "toner", w->toner, palette[2]);
	else
		draw_gauge(a, w, d, r->metric == GF_METRIC_DISK ? "disk" : "mem",
		    r->metric == GF_METRIC_DISK ? w->disk : w->ram,
		    palette[r->metric == GF_METRIC_DISK ? 0 : 3]);
	return 0;
}

/* Builds the argv of R's graph; -1 with ERR when there is nothing to draw from. */
static int
build_graph(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    struct gargs *a, char *err, size_t errsz)
{
	const struct words *w = words_for(conf);
	char path[PATH_SZ], file[PATH_SZ], title[2 * LEGEND_SZ], label[64], unit[32];
	struct gdef d = { NULL, NULL, 0, 0, r->from, r->to, 0 };
	int gauge = r->metric == GF_METRIC_SUPPLIES || r->metric == GF_METRIC_DISK ||
	    r->metric == GF_METRIC_RAM;

	d.base = conf->interval > 0 ? (unsigned long)conf->interval : 0;
	if (r->scope != GF_GRAPH_FLEET) {
		if (gargs_file(conf, r->scope == GF_GRAPH_DEPARTMENT, r->id, path, sizeof(path),
		    &d.base, err, errsz) != 0)
			return -1;
		gargs_path(file, sizeof(file), path);
		d.path = path;
		d.file = file;
		d.last = gargs_last(conf, path);
	}
	d.step = graph_step(r->to - r->from, (int)d.base, r->width);
	title_for(title, sizeof(title), conf, r, w, d.step);
	unit_text(unit, sizeof(unit), w, d.step);
	snprintf(label, sizeof(label), "pages %s", unit);
	common(a, conf, r, fmt, title, gauge ? w->percent : label);
	if (draw_series(a, conf, r, w, &d, err, errsz) != 0)
		return -1;
	range_comment(a, w, r);
	return 0;
}

/* Writes LEN bytes to PATH through a temporary file renamed into place. */
static int
write_whole(const char *path, const unsigned char *buf, size_t len, char *err, size_t errsz)
{
	char tmp[PATH_SZ];
	ssize_t n;
	size_t off = 0;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp)) {
		gf_errf(err, errsz, "%s: path too long", path);
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) == -1) {
		gf_errf(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, buf + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	if (off < len || fsync(fd) != 0 || close(fd) != 0) {
		gf_errf(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
		if (off < len)
			close(fd);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		gf_errf(err, errsz, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The blob of R's image as FMT in a fresh info list (*INFO, freed by the caller); -1 with ERR. */
static int
render_info(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    rrd_info_t **info, rrd_blob_t **img, char *err, size_t errsz)
{
	struct gargs a = { NULL, 0, 0 };
	rrd_info_t *i;

	*info = NULL;
	if (build_graph(conf, r, fmt, &a, err, errsz) != 0) {
		gargs_free(&a);
		return -1;
	}
	rrd_clear_error();
	/* With the file name "-", librrd 1.7 keeps the image in the list as "image". */
	*info = rrd_graph_v(a.n, a.v);
	gargs_free(&a);
	if (*info == NULL) {
		gargs_err_rrd(err, errsz, "rrd_graph");
		return -1;
	}
	for (i = *info; i != NULL; i = i->next)
		if (strcmp(i->key, "image") == 0 && i->type == RD_I_BLO && i->value.u_blo.size > 0) {
			*img = &i->value.u_blo;
			return 0;
		}
	gargs_err_rrd(err, errsz, "rrd_graph: no image");
	rrd_info_free(*info);
	*info = NULL;
	return -1;
}

int
graph_render(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    char **buf, size_t *len, char *err, size_t errsz)
{
	rrd_info_t *info;
	rrd_blob_t *img;

	*buf = NULL;
	*len = 0;
	if (render_info(conf, r, fmt, &info, &img, err, errsz) != 0)
		return -1;
	*buf = xmalloc(img->size);
	memcpy(*buf, img->ptr, img->size);
	*len = img->size;
	rrd_info_free(info);
	return 0;
}

int
graph_draw(const struct gf_conf *conf, const struct gf_graph_req *r, enum gf_img fmt,
    const char *path, char *err, size_t errsz)
{
	rrd_info_t *info;
	rrd_blob_t *img;
	int rc;

	if (render_info(conf, r, fmt, &info, &img, err, errsz) != 0)
		return -1;
	rc = write_whole(path, img->ptr, img->size, err, errsz);
	rrd_info_free(info);
	return rc;
}
