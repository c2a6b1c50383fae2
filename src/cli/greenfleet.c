/* greenfleet: the command line for IT staff. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advice.h"
#include "conf.h"
#include "date.h"
#include "graph.h"
#include "log.h"
#include "output.h"
#include "quota.h"
#include "report.h"
#include "store.h"
#include "util.h"

#define DEFAULT_CONF GF_SYSCONFDIR "/greenfleet.conf"
#define DESCR_WIDTH 40

enum fmt { FMT_TEXT, FMT_TSV };

struct cmd {
	const char *name;
	int (*fn)(struct gf_conf *conf, int argc, char **argv);
	const char *help;
};

static struct gf_store *open_ro(const struct gf_conf *conf);

/* Each command's synopsis: printed on a usage error (stderr, exit 2) and for --help (stdout, 0). */
static const struct {
	const char *name, *text;
} synopses[] = {
	{ "status", "greenfleet status [--format text|tsv]" },
	{ "counters", "greenfleet counters DEVICE [--format text|tsv]" },
	{ "audit", "greenfleet audit [DEVICE] [--format text|tsv]" },
	{ "quota", "greenfleet quota [--period YYYY-MM|YYYY-Qn|YYYY] [--format text|csv|json]" },
	{ "report", "greenfleet report --from YYYY-MM-DD --to YYYY-MM-DD"
	    " [--by department|device] [--format text|csv|json]\n"
	    "       greenfleet report --sustainability --year YYYY [--format text|csv|json]\n"
	    "       greenfleet report --factors [--format text|csv|json]" },
	{ "fleet", "greenfleet fleet [--format text|csv|json]" },
	{ "graph", "greenfleet graph --device ID|--department ID|--fleet [--metric pages|"
	    "colour|duplex|supplies|disk|ram] [--from D] [--to D] [--width W] [--height H]"
	    " -o FILE.png" },
	{ "export", "greenfleet export --device ID|--department ID [--from D] [--to D]"
	    " [--step S] [--format csv|json]" },
	{ "repair", "greenfleet repair log DEVICE TEXT [--date YYYY-MM-DD] [--part P]\n"
	    "       greenfleet repair list [DEVICE]" },
};

/* Prints command NAME's synopsis to F; 0 if F is stdout (--help), else 2 (a usage error). */
static int
cmd_usage(const char *name, FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(synopses) / sizeof(synopses[0]); i++)
		if (strcmp(synopses[i].name, name) == 0)
			fprintf(f, "usage: %s\n", synopses[i].text);
	return f == stdout ? 0 : 2;
}

/*
 * Whether device ID is configured; if not, says so as `graph` and `export`
 * do and every device-taking command exits 2 after it.
 */
static int
known_device(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndevices; i++)
		if (strcmp(conf->devices[i].id, id) == 0)
			return 1;
	fprintf(stderr, "greenfleet: no device '%.64s' in %s\n", id, conf->path);
	return 0;
}

static void
fmt_time(char *dst, size_t sz, time_t t)
{
	struct tm tm;

	if (t <= 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(dst, sz, "-");
		return;
	}
	strftime(dst, sz, "%Y-%m-%d %H:%M", &tm);
}

static const char *
state_word(const struct gf_status *st)
{
	if (!st->known)
		return "never";
	return st->reachable ? "up" : "down";
}

/* A printer without a counter says so; it is never shown as 0 pages. */
static void
fmt_pages(char *dst, size_t sz, const struct gf_device *d, const struct gf_status *st)
{
	if (!st->known || st->last_ok == 0)
		snprintf(dst, sz, "-");
	else if (st->has_lifecount)
		snprintf(dst, sz, "%llu", (unsigned long long)st->lifecount);
	else
		snprintf(dst, sz, "%s", d->kind == GF_KIND_PRINTER ? "no-counter" : "-");
}

static void
print_status(const struct gf_conf *conf, const struct gf_device *d, const struct gf_status *st,
    enum fmt fmt)
{
	char when[32], pages[32], up[32], descr[DESCR_WIDTH + 1];

	fmt_pages(pages, sizeof(pages), d, st);
	if (fmt == FMT_TSV) {
		printf("%s\t%s\t%s\t%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", d->id,
		    conf_kind_name(d->kind), conf->depts[d->dept].id, (long long)st->last_poll,
		    state_word(st), pages, st->has_uptime ? (snprintf(up, sizeof(up), "%llu",
		    (unsigned long long)st->uptime_s), up) : "-", st->sys_descr,
		    st->serial[0] ? st->serial : "-", st->serial_src[0] ? st->serial_src : "-");
		return;
	}
	fmt_time(when, sizeof(when), st->last_poll);
	if (st->has_uptime)
		gf_fmt_uptime(up, sizeof(up), st->uptime_s);
	else
		snprintf(up, sizeof(up), "-");
	gf_clean_str(descr, sizeof(descr), (const unsigned char *)st->sys_descr,
	    strlen(st->sys_descr));
	printf("%-20s %-11s %-14s %-16s %-5s %10s %12s  %s\n", d->id, conf_kind_name(d->kind),
	    conf->depts[d->dept].id, when, state_word(st), pages, up, descr);
}

static int
parse_format(const char *s, enum fmt *f)
{
	if (strcmp(s, "text") == 0)
		*f = FMT_TEXT;
	else if (strcmp(s, "tsv") == 0)
		*f = FMT_TSV;
	else {
		fprintf(stderr, "greenfleet: unknown format '%s' (text or tsv)\n", s);
		return -1;
	}
	return 0;
}

static int
cmd_status(struct gf_conf *conf, int argc, char **argv)
{
	struct gf_store *s;
	struct gf_status st;
	enum fmt fmt = FMT_TEXT;
	size_t i;
	int rc = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < (size_t)argc) {
			if (parse_format(argv[++i], &fmt) != 0)
				return 2;
		} else {
			return cmd_usage("status", stderr);
		}
	}
	if ((s = open_ro(conf)) == NULL)
		return 1;
	if (fmt == FMT_TEXT)
		printf("%-20s %-11s %-14s %-16s %-5s %10s %12s  %s\n", "DEVICE", "KIND",
		    "DEPARTMENT", "LAST POLL", "STATE", "PAGES", "UPTIME", "DESCRIPTION");
	for (i = 0; i < conf->ndevices; i++) {
		if (store_get_status(s, conf->devices[i].id, &st) != 0) {
			rc = 1;
			break;
		}
		print_status(conf, &conf->devices[i], &st, fmt);
	}
	store_close(s);
	return rc;
}

/* Opens the state database (FLAGS as store_open's), or says why not: missing, damaged, unreadable. */
static struct gf_store *
open_state(const struct gf_conf *conf, int flags)
{
	char err[1024];
	struct gf_store *s = store_open_err(conf, flags, err, sizeof(err));

	if (s == NULL)
		fprintf(stderr, "greenfleet: %s\n", err);
	return s;
}

static struct gf_store *
open_ro(const struct gf_conf *conf)
{
	return open_state(conf, GF_STORE_RO);
}

/* Parses "[ID] [--format text|tsv]"; ID is required when NEED_ID. -1 on a usage error. */
static int
parse_id_format(int argc, char **argv, int need_id, const char **id, enum fmt *fmt)
{
	int i;

	*id = NULL;
	*fmt = FMT_TEXT;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (parse_format(argv[++i], fmt) != 0)
				return -1;
		} else if (argv[i][0] != '-' && *id == NULL) {
			*id = argv[i];
		} else {
			return -1;
		}
	}
	return need_id && *id == NULL ? -1 : 0;
}

struct counters_out {
	enum fmt fmt;
	int n;
	char check[192];	/* why the total has its source, "" if not cross-checked */
	char total_src[GF_SHORT];
};

/* The cross-check of the total, in words: the choice made and why. */
static void
xcheck_words(const struct gf_xcheck *x, char *dst, size_t sz)
{
	dst[0] = '\0';
	if (x->on_life)
		snprintf(dst, sz, "%s", x->reason);
	else if (x->known)
		snprintf(dst, sz, "agrees with the Printer-MIB life count %llu",
		    (unsigned long long)x->life);
}

static void
print_counter(void *arg, const struct gf_counter_row *c)
{
	struct counters_out *o = arg;
	int total = strcmp(c->counter, "total") == 0;

	o->n++;
	if (total)
		snprintf(o->total_src, sizeof(o->total_src), "%s", c->src);
	if (o->fmt == FMT_TSV) {
		printf("%s\t%llu\t%s\t%s\t%s\t%llu\t%s\n", c->counter, (unsigned long long)c->value,
		    c->unit, c->src, c->origin, (unsigned long long)c->odometer,
		    total ? o->check : "");
		return;
	}
	printf("%-13s %12llu %-12s %-12s %12llu  %s\n", c->counter,
	    (unsigned long long)c->value, c->unit, c->src, (unsigned long long)c->odometer,
	    c->origin);
}

/* Each page counter of a device: value, unit, source and where it is read, pages counted. */
static int
cmd_counters(struct gf_conf *conf, int argc, char **argv)
{
	struct counters_out o = { FMT_TEXT, 0, "", "" };
	struct gf_xcheck x;
	struct gf_store *s;
	const char *id;
	int rc;

	if (parse_id_format(argc, argv, 1, &id, &o.fmt) != 0)
		return cmd_usage("counters", stderr);
	if (!known_device(conf, id))
		return 2;
	if ((s = open_ro(conf)) == NULL)
		return 1;
	if (o.fmt == FMT_TEXT)
		printf("%-13s %12s %-12s %-12s %12s  %s\n", "COUNTER", "VALUE", "UNIT", "SOURCE",
		    "COUNTED", "READ FROM");
	rc = store_xcheck(s, id, &x) != 0;
	xcheck_words(&x, o.check, sizeof(o.check));
	rc |= store_counters(s, id, print_counter, &o) != 0;
	store_close(s);
	if (rc == 0 && o.n == 0 && o.fmt == FMT_TEXT)
		printf("%s: no page counter\n", id);
	else if (rc == 0 && o.check[0] != '\0' && o.total_src[0] != '\0' && o.fmt == FMT_TEXT)
		printf("total from %s: %s\n", o.total_src, o.check);
	return rc;
}

static void
print_audit(void *arg, const struct gf_audit_row *a)
{
	enum fmt *fmt = arg;
	char when[32];

	if (*fmt == FMT_TSV) {
		printf("%lld\t%s\t%s\t%s\t%lld\t%lld\t%s\n", (long long)a->when, a->device,
		    a->counter, a->event, a->old, a->new, a->detail);
		return;
	}
	fmt_time(when, sizeof(when), a->when);
	printf("%-16s %-20s %-13s %-9s %12lld -> %-12lld %s\n", when, a->device, a->counter,
	    a->event, a->old, a->new, a->detail);
}

/* Baselines, resets, swaps, wraps and rejected values: what was not (or oddly) counted. */
static int
cmd_audit(struct gf_conf *conf, int argc, char **argv)
{
	struct gf_store *s;
	const char *id;
	enum fmt fmt;
	int rc;

	if (parse_id_format(argc, argv, 0, &id, &fmt) != 0)
		return cmd_usage("audit", stderr);
	if (id != NULL && !known_device(conf, id))
		return 2;
	if ((s = open_ro(conf)) == NULL)
		return 1;
	if (fmt == FMT_TEXT)
		printf("%-16s %-20s %-13s %-9s %12s    %-12s %s\n", "TIME", "DEVICE", "COUNTER",
		    "EVENT", "OLD", "NEW", "DETAIL");
	rc = store_audits(s, id, print_audit, &fmt) != 0;
	store_close(s);
	return rc;
}

/* The span of department quota Q that contains the start of the period KEY (any kind), or now. */
static int
quota_span_for(const struct gf_quota *q, const char *key, struct gf_span *sp, time_t *now)
{
	struct gf_span any;
	int p;

	*now = time(NULL);
	if (key == NULL)
		return quota_span(q->period, *now, sp);
	for (p = GF_PERIOD_MONTH; p <= GF_PERIOD_YEAR; p++)
		if (quota_span_parse((enum gf_period)p, key, &any) == 0)
			break;
	if (p > GF_PERIOD_YEAR || quota_span(q->period, any.start, sp) != 0)
		return -1;
	/* A past period is judged at its end; the current one now. */
	if (sp->end < *now)
		*now = sp->end;
	return 0;
}

static const char *
quota_state_word(const struct gf_quota *q, const struct gf_quota_use *u)
{
	int i, top = 0;

	for (i = 0; i < q->nthresholds; i++)
		if (quota_crossed(q, u, q->thresholds[i]))
			top = q->thresholds[i];
	return top >= 100 ? "over" : top > 0 ? "warning" : "ok";
}

/* Per department: pages used in the period, limits, percentage, state, projection. */
static int
cmd_quota(struct gf_conf *conf, int argc, char **argv)
{
	static const char *const cols[] = { "department", "period", "used_mono", "used_colour",
		"limit_mono", "limit_colour", "budget_used", "budget", "percent", "state",
		"projected_percent", "notified" };
	static const int widths[] = { -14, -8, 10, 11, 10, 12, 11, 8, 7, -7, 17, -8 };
	static const unsigned char num[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1 };
	struct gf_table t = { stdout, GF_FMT_TEXT, cols, widths, num, 12, 0 };
	const struct gf_quota *q;
	const char *key = NULL, *cells[12];
	char b[10][32];
	struct gf_quota_use u;
	struct gf_store *s;
	struct gf_span sp;
	uint64_t mono, colour;
	time_t now;
	size_t i;
	int k, fired, rc = 0;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--format") == 0 && k + 1 < argc &&
		    out_parse_format(argv[k + 1], 1u << GF_FMT_TEXT | 1u << GF_FMT_CSV |
		    1u << GF_FMT_JSON, &t.fmt) == 0)
			k++;
		else if (strcmp(argv[k], "--period") == 0 && k + 1 < argc)
			key = argv[++k];
		else {
			return cmd_usage("quota", stderr);
		}
	}
	if ((s = open_ro(conf)) == NULL)
		return 1;
	out_begin(&t);
	for (i = 0; i < conf->ndepts && rc == 0; i++) {
		q = &conf->depts[i].quota;
		if (!q->enabled)
			continue;
		if (quota_span_for(q, key, &sp, &now) != 0) {
			fprintf(stderr, "greenfleet: '%.32s' is not a period (YYYY-MM, YYYY-Qn or YYYY)\n",
			    key);
			rc = 2;
			break;
		}
		if (store_dept_span(s, conf->depts[i].id, sp.first, sp.last, &mono, &colour) != 0 ||
		    (fired = store_quota_last_fired(s, conf->depts[i].id, sp.key)) < 0) {
			rc = 1;
			break;
		}
		quota_use(q, mono, colour, &sp, now, &u);
		snprintf(b[0], 32, "%llu", (unsigned long long)u.mono);
		snprintf(b[1], 32, "%llu", (unsigned long long)u.colour);
		snprintf(b[2], 32, "%d", q->mono);
		snprintf(b[3], 32, "%d", q->colour);
		snprintf(b[4], 32, "%llu", (unsigned long long)u.weighted);
		snprintf(b[5], 32, "%d", q->budget);
		snprintf(b[6], 32, "%d", u.pct);
		snprintf(b[7], 32, "%d", u.projected_pct);
		snprintf(b[8], 32, "%d", fired);
		cells[0] = conf->depts[i].id;
		cells[1] = sp.key;
		cells[2] = b[0];
		cells[3] = b[1];
		cells[4] = q->mono ? b[2] : NULL;
		cells[5] = q->colour ? b[3] : NULL;
		cells[6] = q->budget ? b[4] : NULL;
		cells[7] = q->budget ? b[5] : NULL;
		cells[8] = b[6];
		cells[9] = quota_state_word(q, &u);
		cells[10] = u.projected ? b[7] : NULL;	/* too early in the period: none */
		cells[11] = b[8];
		out_row(&t, cells);
	}
	out_end(&t);
	store_close(s);
	return rc;
}

/* One line per device: kind, department, age and its source, state, reason, part, kgCO2e avoided. */
static int
cmd_fleet(struct gf_conf *conf, int argc, char **argv)
{
	static const char *const cols[] = { "device", "kind", "department", "age_years",
		"age_source", "since", "state", "component", "reason", "part", "co2e_avoided_kg" };
	static const int widths[] = { -20, -11, -13, 5, -10, -10, -11, -9, -40, -18, -8 };
	static const unsigned char num[] = { 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1 };
	struct gf_table t = { stdout, GF_FMT_TEXT, cols, widths, num, 11, 0 };
	const struct gf_device *d;
	const char *cells[11];
	char years[16], kg[32];
	struct gf_device_health dh;
	struct gf_advice a;
	struct gf_age age;
	struct gf_store *s;
	time_t now = time(NULL);
	double y;
	size_t i;
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--format") != 0 || k + 1 >= argc ||
		    out_parse_format(argv[++k], 1u << GF_FMT_TEXT | 1u << GF_FMT_CSV |
		    1u << GF_FMT_JSON, &t.fmt) != 0) {
			return cmd_usage("fleet", stderr);
		}
	}
	if ((s = open_ro(conf)) == NULL)
		return 1;
	out_begin(&t);
	for (i = 0; i < conf->ndevices; i++) {
		d = &conf->devices[i];
		if (advice_device_health(s, d->id, now, &dh) != 0) {
			store_close(s);
			return 1;
		}
		advice_eval(d, &dh.h, &conf->advice, &conf->factors, &a);
		advice_age(d, dh.mfg_date, dh.sw_oldest, dh.first_seen, &age);
		y = advice_years(age.date, now);
		snprintf(years, sizeof(years), "%.1f", y);
		snprintf(kg, sizeof(kg), "%.1f", a.avoided_kg);
		cells[0] = d->id;
		cells[1] = conf_kind_name(d->kind);
		cells[2] = conf->depts[d->dept].id;
		cells[3] = y >= 0 ? years : NULL;
		cells[4] = age.source;
		cells[5] = age.date[0] ? age.date : NULL;
		cells[6] = advice_state_name(a.state);
		cells[7] = a.component[0] ? a.component : NULL;
		cells[8] = a.reason[0] ? a.reason : NULL;
		cells[9] = a.part[0] ? a.part : NULL;
		cells[10] = a.has_avoided ? kg : NULL;
		out_row(&t, cells);
	}
	out_end(&t);
	store_close(s);
	if (t.fmt == GF_FMT_TEXT)
		printf("kgCO2e avoided: factor set \"%s\" (see greenfleet.conf(5) for each source)\n",
		    conf->factors.name);
	return 0;
}

static void
print_repair(void *arg, const char *device, const char *day, const char *part, const char *text)
{
	(void)arg;
	printf("%s  %-20s %-8s %s\n", day, device, part[0] ? part : "-", text);
}

/* "repair log DEVICE TEXT [--date D] [--part P]" records an intervention; "repair list [DEVICE]". */
static int
cmd_repair(struct gf_conf *conf, int argc, char **argv)
{
	const char *dev = NULL, *text = NULL, *date = NULL, *part = NULL;
	char today[16], why[80];
	struct gf_store *s;
	time_t now = time(NULL);
	int k, rc;

	if (argc >= 2 && strcmp(argv[1], "list") == 0 && argc <= 3) {
		if (argc == 3 && !known_device(conf, argv[2]))
			return 2;
		if ((s = open_ro(conf)) == NULL)
			return 1;
		rc = store_repairs(s, argc == 3 ? argv[2] : NULL, print_repair, NULL) != 0;
		store_close(s);
		return rc;
	}
	if (argc < 4 || strcmp(argv[1], "log") != 0)
		goto usage;
	dev = argv[2];
	text = argv[3];
	for (k = 4; k + 1 < argc; k += 2) {
		if (strcmp(argv[k], "--date") == 0)
			date = argv[k + 1];
		else if (strcmp(argv[k], "--part") == 0)
			part = argv[k + 1];
		else
			goto usage;
	}
	if (k != argc)
		goto usage;
	if (!known_device(conf, dev))
		return 2;
	if (*text == '\0' || strlen(text) > 500 || strpbrk(text, "\r\n\t") != NULL) {
		fprintf(stderr, "greenfleet: the text must be one line of 1 to 500 characters\n");
		return 2;
	}
	if (part != NULL && (!gf_id_is_safe(part) || strlen(part) > 32)) {
		fprintf(stderr, "greenfleet: --part takes a short word (disk, ram, fuser...)\n");
		return 2;
	}
	gf_date_day(now, today);
	if (date == NULL) {
		date = today;
	} else if (gf_date_parse(date, NULL, why, sizeof(why)) != 0) {
		fprintf(stderr, "greenfleet: --date %.32s: %s\n", date, why);
		return 2;
	} else if (strcmp(date, today) > 0) {
		fprintf(stderr, "greenfleet: --date %s: in the future (today is %s)\n", date, today);
		return 2;
	}
	if ((s = open_state(conf, 0)) == NULL)
		return 1;
	rc = store_repair_log(s, dev, date, part, text, now) != 0;
	store_close(s);
	if (rc == 0)
		printf("%s: repair logged on %s\n", dev, date);
	return rc;
usage:
	return cmd_usage("repair", stderr);
}

/* A real calendar day written "YYYY-MM-DD" (the ledger's own form); its local start in *T. */
static int
parse_day(const char *s, time_t *t)
{
	char why[80];

	if (gf_date_parse(s, NULL, why, sizeof(why)) != 0) {
		fprintf(stderr, "greenfleet: %.32s: %s\n", s, why);
		return -1;
	}
	return graph_parse_when(s, 0, time(NULL), t);
}

/* The factor set, each factor with its value, unit and source. */
static void
print_factors(const struct gf_conf *conf, enum gf_fmt fmt)
{
	struct gf_factor_info fi[16];
	size_t n = conf_factor_list(&conf->factors, fi, 16), i;
	char v[32];

	if (fmt == GF_FMT_JSON) {
		printf("\"factor_set\": ");
		out_json_str(stdout, conf->factors.name);
		printf(", \"factors\": {");
		for (i = 0; i < n; i++) {
			printf("%s\n  ", i ? "," : "");
			out_json_str(stdout, fi[i].key);
			printf(": {\"value\": %g, \"unit\": ", fi[i].value);
			out_json_str(stdout, fi[i].unit);
			printf(", \"source\": ");
			out_json_str(stdout, fi[i].source);
			printf("}");
		}
		printf("}");
		return;
	}
	if (fmt == GF_FMT_CSV)
		printf("factor_set,factor,value,unit,source\r\n");
	else
		printf("Factor set: %s\n", conf->factors.name);
	for (i = 0; i < n; i++) {
		snprintf(v, sizeof(v), "%g", fi[i].value);
		if (fmt == GF_FMT_CSV) {
			out_csv_cell(stdout, conf->factors.name);
			printf(",%s,%s,%s,", fi[i].key, v, fi[i].unit);
			out_csv_cell(stdout, fi[i].source);
			printf("\r\n");
		} else {
			printf("  %-16s %10s %-7s %s\n", fi[i].key, v, fi[i].unit, fi[i].source);
		}
	}
}

/* The display name of department ID, or NULL when it is no longer configured. */
static const char *
dept_name(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndepts; i++)
		if (strcmp(conf->depts[i].id, id) == 0)
			return conf->depts[i].name;
	return NULL;
}

/* A department's quota use in the quota period containing day T, or -1 without a quota. */
static int
report_quota_pct(struct gf_store *s, const struct gf_conf *conf, const char *dept, time_t t)
{
	const struct gf_quota *q = NULL;
	struct gf_quota_use u;
	struct gf_span sp;
	uint64_t mono, colour;
	size_t i;

	for (i = 0; i < conf->ndepts; i++)
		if (strcmp(conf->depts[i].id, dept) == 0 && conf->depts[i].quota.enabled)
			q = &conf->depts[i].quota;
	if (q == NULL || quota_span(q->period, t, &sp) != 0 ||
	    store_dept_span(s, dept, sp.first, sp.last, &mono, &colour) != 0)
		return -1;
	quota_use(q, mono, colour, &sp, sp.end < time(NULL) ? sp.end : time(NULL), &u);
	return u.pct;
}

static const char *
fmt_u64(char *b, uint64_t v, int known)
{
	if (!known)
		return NULL;
	snprintf(b, 32, "%llu", (unsigned long long)v);
	return b;
}

static const char *
fmt_share(char *b, uint64_t part, uint64_t whole, int known)
{
	if (!known || whole == 0)
		return NULL;
	snprintf(b, 32, "%.1f", (double)part * 100 / (double)whole);
	return b;
}

/* One figure of the yearly report: a text line, a CSV row or a JSON member. */
struct sus_out {
	enum gf_fmt fmt;
	int n;
};

static void
sus_put(struct sus_out *o, const char *section, const char *key, const char *metric,
    const char *value, const char *label)
{
	if (o->fmt == GF_FMT_CSV) {
		out_csv_cell(stdout, section);
		putchar(',');
		out_csv_cell(stdout, key);
		printf(",%s,%s\r\n", metric, value ? value : "");
	} else if (o->fmt == GF_FMT_JSON) {
		printf("%s\n  {\"section\": ", o->n ? "," : "");
		out_json_str(stdout, section);
		printf(", \"key\": ");
		out_json_str(stdout, key);
		printf(", \"metric\": \"%s\", \"value\": %s}", metric, value ? value : "null");
	} else {
		printf("  %-34s %12s  %s\n", label, value ? value : "-", key);
	}
	o->n++;
}

/* V with DIGITS decimals. */
static char *
sus_num(char *b, double v, int digits)
{
	snprintf(b, 32, "%.*f", digits, v);
	return b;
}

static void
sus_depts(struct sus_out *o, const struct gf_sustain *y, const struct gf_conf *conf)
{
	const struct gf_sustain_dept *sd;
	const struct gf_report_row *p;
	char b[6][32];
	size_t i;

	(void)conf;
	if (o->fmt == GF_FMT_TEXT)
		printf("Departments\n");
	for (i = 0; i < y->ndepts; i++) {
		sd = &y->depts[i];
		p = &sd->pages;
		sus_put(o, "department", sd->d->id, "pages", sus_num(b[0], (double)p->total, 0),
		    "pages");
		sus_put(o, "department", sd->d->id, "agents", sd->d->agents ?
		    sus_num(b[1], sd->d->agents, 0) : NULL, "agents");
		sus_put(o, "department", sd->d->id, "pages_per_agent", sd->d->agents ?
		    sus_num(b[2], (double)p->total / sd->d->agents, 1) : NULL,
		    "pages per agent");
		sus_put(o, "department", sd->d->id, "colour_share_pct", p->mono + p->colour ?
		    sus_num(b[3], (double)p->colour * 100 / (double)(p->mono + p->colour), 1) :
		    NULL, "colour share %");
		sus_put(o, "department", sd->d->id, "duplex_share_pct", p->has_duplex && p->total ?
		    sus_num(b[4], (double)p->duplex * 100 / (double)p->total, 1) : NULL,
		    "duplex share %");
		sus_put(o, "department", sd->d->id, "quota_compliance_pct", sd->periods ?
		    sus_num(b[5], (double)(sd->periods - sd->breached) * 100 / sd->periods, 0) :
		    NULL, "quota periods within quota %");
	}
}

static void
sus_fleet(struct sus_out *o, const struct gf_sustain *y, const struct gf_conf *conf)
{
	char b[12][32];
	int t;

	if (o->fmt == GF_FMT_TEXT)
		printf("Fleet\n");
	sus_put(o, "fleet", "printers", "pooled_printer_share_pct", y->printers ?
	    sus_num(b[0], (double)y->pooled_printers * 100 / y->printers, 1) : NULL,
	    "pooled printers %");
	sus_put(o, "fleet", "printers", "pooled_pages_share_pct", y->printer_pages ?
	    sus_num(b[1], (double)y->pooled_pages * 100 / (double)y->printer_pages, 1) : NULL,
	    "pages on pooled printers %");
	for (t = 0; t < GF_NTYPES; t++) {
		if (y->nage[t] == 0)
			continue;
		sus_put(o, "age", report_type_name(t), "count", sus_num(b[2], y->nage[t], 0),
		    "devices in service");
		sus_put(o, "age", report_type_name(t), "mean_years",
		    sus_num(b[3], y->age_mean[t], 1), "mean age (years)");
		sus_put(o, "age", report_type_name(t), "median_years",
		    sus_num(b[4], y->age_median[t], 1), "median age (years)");
		sus_put(o, "age", report_type_name(t), "oldest_years",
		    sus_num(b[5], y->age_oldest[t], 1), "oldest (years)");
	}
	sus_put(o, "lifespan", "retired", "mean_years", y->lifespans ?
	    sus_num(b[6], y->lifespan_mean, 1) : NULL, "mean lifespan of retired (years)");
	sus_put(o, "repairs", "year", "units_upgraded", sus_num(b[7], y->upgraded_units, 0),
	    "units upgraded (repair log)");
	sus_put(o, "repairs", "year", "units_replaced", sus_num(b[8], y->retired_this_year, 0),
	    "units retired this year");
	sus_put(o, "repairs", "year", "co2e_avoided_kg", sus_num(b[9], y->repairs_avoided_kg, 1),
	    "kgCO2e avoided by repairs");
	(void)conf;
}

/* The yearly responsible-IT report (REEN law; MiNumEco guidance's indicators). */
static int
report_sustainability(struct gf_conf *conf, int year, enum gf_fmt fmt)
{
	struct sus_out o = { fmt, 0 };
	struct gf_sustain y;
	struct gf_store *s;

	if ((s = open_ro(conf)) == NULL)
		return 1;
	if (report_sustain(s, conf, year, time(NULL), &y) != 0) {
		report_sustain_free(&y);
		store_close(s);
		return 1;
	}
	if (fmt == GF_FMT_CSV)
		printf("section,key,metric,value\r\n");
	else if (fmt == GF_FMT_JSON)
		printf("{\"year\": %d, ", year);
	else
		printf("Responsible IT report %d (REEN law, MiNumEco indicators)\n", year);
	if (fmt == GF_FMT_JSON) {
		print_factors(conf, GF_FMT_JSON);
		printf(", \"figures\": [");
	}
	sus_depts(&o, &y, conf);
	sus_fleet(&o, &y, conf);
	if (fmt == GF_FMT_JSON)
		printf("\n]}\n");
	else if (fmt == GF_FMT_TEXT)
		print_factors(conf, GF_FMT_TEXT);
	report_sustain_free(&y);
	store_close(s);
	return 0;
}

/* Exact page figures from the ledger with the paper's environmental figures. */
static int
cmd_report(struct gf_conf *conf, int argc, char **argv)
{
	static const char *const cols[] = { "department", "device", "impressions", "mono", "colour",
		"duplex", "sheets", "colour_share", "duplex_share", "quota_pct", "paper_kg", "co2e_kg",
		"energy_kwh", "trees", "department_name", "factor_set" };
	static const int widths[] = { -14, -20, 11, 9, 9, 9, 9, 12, 12, 9, 9, 9, 10, 7, -24, -20 };
	static const unsigned char num[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 };
	struct gf_table t = { stdout, GF_FMT_TEXT, cols, widths, num, 15, 0 };
	const char *from = NULL, *to = NULL, *c[16];
	char b[13][32];
	struct gf_report r;
	struct gf_report_row *w;
	struct gf_store *s;
	struct gf_env e;
	time_t tf, tt;
	size_t i;
	int k, by_device = 0, factors = 0, q, sustain = 0, year = 0;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--from") == 0 && k + 1 < argc)
			from = argv[++k];
		else if (strcmp(argv[k], "--to") == 0 && k + 1 < argc)
			to = argv[++k];
		else if (strcmp(argv[k], "--by") == 0 && k + 1 < argc &&
		    (strcmp(argv[k + 1], "device") == 0 || strcmp(argv[k + 1], "department") == 0))
			by_device = strcmp(argv[++k], "device") == 0;
		else if (strcmp(argv[k], "--format") == 0 && k + 1 < argc &&
		    out_parse_format(argv[k + 1], 1u << GF_FMT_TEXT | 1u << GF_FMT_CSV |
		    1u << GF_FMT_JSON, &t.fmt) == 0)
			k++;
		else if (strcmp(argv[k], "--factors") == 0)
			factors = 1;
		else if (strcmp(argv[k], "--sustainability") == 0)
			sustain = 1;
		else if (strcmp(argv[k], "--year") == 0 && k + 1 < argc &&
		    strspn(argv[k + 1], "0123456789") == 4 && strlen(argv[k + 1]) == 4)
			year = atoi(argv[++k]);
		else
			goto usage;
	}
	if (sustain) {
		if (year < 1970 || from != NULL || to != NULL || by_device)
			goto usage;
		return report_sustainability(conf, year, t.fmt);
	}
	if (factors) {
		if (t.fmt == GF_FMT_JSON)
			putchar('{');
		print_factors(conf, t.fmt);
		if (t.fmt == GF_FMT_JSON)
			printf("}\n");
		return 0;
	}
	if (from == NULL || to == NULL || parse_day(from, &tf) != 0 || parse_day(to, &tt) != 0 ||
	    tf > tt)
		goto usage;
	if ((s = open_ro(conf)) == NULL)
		return 1;
	if (report_build(s, from, to, by_device, &r) != 0) {
		store_close(s);
		return 1;
	}
	if (t.fmt == GF_FMT_CSV)
		t.ncols = 16;
	if (t.fmt == GF_FMT_JSON) {
		printf("{\"from\": \"%s\", \"to\": \"%s\", \"by\": \"%s\", ", from, to,
		    by_device ? "device" : "department");
		print_factors(conf, GF_FMT_JSON);
		printf(", \"rows\": ");
	}
	out_begin(&t);
	for (i = 0; i < r.n; i++) {
		w = &r.rows[i];
		report_env(w, &conf->factors, &e);
		q = by_device ? -1 : report_quota_pct(s, conf, w->department, tt);
		c[0] = w->department;
		c[1] = by_device ? w->key : NULL;
		c[2] = fmt_u64(b[0], w->total, w->has_total);
		c[3] = fmt_u64(b[1], w->mono, w->has_mono);
		c[4] = fmt_u64(b[2], w->colour, w->has_colour);
		c[5] = fmt_u64(b[3], w->duplex, w->has_duplex);
		c[6] = fmt_u64(b[4], w->sheets, w->has_sheets);
		c[7] = fmt_share(b[5], w->colour, w->mono + w->colour, w->has_colour);
		c[8] = fmt_share(b[6], w->duplex, w->total, w->has_duplex && w->has_total);
		c[9] = q >= 0 ? (snprintf(b[7], 32, "%d", q), b[7]) : NULL;
		snprintf(b[8], 32, "%.3f", e.paper_kg);
		snprintf(b[9], 32, "%.3f", e.co2e_kg);
		snprintf(b[10], 32, "%.3f", e.energy_kwh);
		snprintf(b[11], 32, "%.4f", e.trees);
		c[10] = b[8];
		c[11] = b[9];
		c[12] = b[10];
		c[13] = b[11];
		c[14] = dept_name(conf, w->department);
		c[15] = conf->factors.name;
		out_row(&t, c);
	}
	out_end(&t);
	if (t.fmt == GF_FMT_JSON)
		printf("}\n");
	else if (t.fmt == GF_FMT_TEXT)
		print_factors(conf, GF_FMT_TEXT);
	report_free(&r);
	store_close(s);
	return 0;
usage:
	return cmd_usage("report", stderr);
}

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
static int
cmd_graph(struct gf_conf *conf, int argc, char **argv)
{
	struct gf_graph_req r = { GF_GRAPH_FLEET, NULL, GF_METRIC_DEFAULT, 0, 0, GF_GRAPH_WIDTH,
		GF_GRAPH_HEIGHT, 0, -1 };
	const char *from = "-30d", *to = "now", *out = NULL;
	char err[512];
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
	if (graph_draw(conf, &r, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "greenfleet: %s\n", err);
		return 1;
	}
	return 0;
usage:
	return cmd_usage("graph", stderr);
}

/* A device's or department's time series from its RRD file, one row per step, CSV or JSON. */
static int
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
	return cmd_usage("export", stderr);
}

static const struct cmd cmds[] = {
	{ "status", cmd_status, "one line per device: last poll, state, pages, uptime" },
	{ "counters", cmd_counters, "DEVICE: each page counter, its unit, source and pages counted" },
	{ "audit", cmd_audit, "[DEVICE]: resets, swaps, wraps and rejected counter values" },
	{ "quota", cmd_quota, "quota use per department: pages, limits, percentage, projection" },
	{ "report", cmd_report, "--from D --to D [--by department|device]: pages and paper's impact" },
	{ "fleet", cmd_fleet, "age, health state and repair advice per device, with kgCO2e avoided" },
	{ "graph", cmd_graph, "--device ID|--department ID|--fleet -o FILE.png: pages, supplies, disk, RAM" },
	{ "export", cmd_export, "--device ID|--department ID [--format csv|json]: RRD series per step" },
	{ "repair", cmd_repair, "log DEVICE TEXT [--date D] [--part P] | list [DEVICE]" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: greenfleet [-c file] command [args]\n"
	    "       greenfleet -h|--help, greenfleet command --help, greenfleet -V\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = DEFAULT_CONF;
	struct gf_conf *conf;
	size_t i;
	int ch, rc;

	log_init(0, LOG_LVL_WARN);
	log_for_cli();
	while ((ch = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'V': printf("greenfleet %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[optind], cmds[i].name) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		fprintf(stderr, "greenfleet: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	/* "greenfleet CMD --help" needs no configuration. */
	if (optind + 1 < argc && (strcmp(argv[optind + 1], "--help") == 0 ||
	    strcmp(argv[optind + 1], "-h") == 0))
		return cmd_usage(cmds[i].name, stdout);
	if ((conf = conf_load(path, stderr)) == NULL)
		return 1;
	rc = cmds[i].fn(conf, argc - optind, argv + optind);
	conf_free(conf);
	return rc;
}
