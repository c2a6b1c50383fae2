/*
 * The fleet as Prometheus metrics (text format 0.0.4): one family after the
 * other, each with its HELP and TYPE, each read in one pass over the store
 * (the whole fleet's state, supplies or ledger in one query), so a scrape
 * of 10,000 devices costs a few queries, not a query per device and family.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "metrics.h"
#include "reading.h"
#include "text.h"
#include "views.h"
#include "xmalloc.h"

/* What one scrape knows of a configured device from the store. */
struct mx_dev {
	char known, up;
	char result;			/* of the last poll: MX_OK, MX_TIMEOUT, MX_ERROR */
	int poll_ms;			/* how long the last poll took; -1 unknown */
	long long failed;		/* polls without an answer since the last one answered */
	time_t last_poll, last_ok;
};

enum { MX_OK, MX_TIMEOUT, MX_ERROR, MX_NRESULTS };
static const char *const mx_results[MX_NRESULTS] = { "ok", "timeout", "error" };

struct mx {
	FILE *f;
	const struct gf_conf *conf;
	const char *only;		/* the one department shown, or NULL */
	time_t now;
	const struct gf_device **byid;	/* the configured devices sorted by id */
	struct mx_dev *dev;		/* by configuration index */
};

/* A label value as the format wants it: \ " and newline escaped, bytes that are no UTF-8 U+FFFD. */
static void
mx_esc(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p != '\0'; p += n) {
		if ((n = gf_utf8_at((const char *)p)) == 0) {
			fputs(GF_TEXT_NUL_MARK, f);
			n = 1;
		} else if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '"')
			fputs("\\\"", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fwrite(p, 1, n, f);
	}
}

static void
mx_family(struct mx *m, const char *name, const char *type, const char *help)
{
	fprintf(m->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample: NAME, its labels LAB (name, value pairs ending at a NULL name), VALUE. */
static void
mx_sample(struct mx *m, const char *name, const char *const *lab, const char *value)
{
	int i;

	fputs(name, m->f);
	for (i = 0; lab != NULL && lab[i] != NULL; i += 2) {
		fprintf(m->f, "%s%s=\"", i == 0 ? "{" : ",", lab[i]);
		mx_esc(m->f, lab[i + 1] != NULL ? lab[i + 1] : "");
		fputc('"', m->f);
	}
	fprintf(m->f, "%s %s\n", i > 0 ? "}" : "", value);
}

static void
mx_num(struct mx *m, const char *name, const char *const *lab, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	mx_sample(m, name, lab, b);
}

static void
mx_u64(struct mx *m, const char *name, const char *const *lab, uint64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	mx_sample(m, name, lab, b);
}

static void
mx_dbl(struct mx *m, const char *name, const char *const *lab, double v)
{
	char b[40];

	snprintf(b, sizeof(b), "%.15g", v);
	mx_sample(m, name, lab, b);
}

static int
mx_dept_ok(const struct mx *m, const char *dept)
{
	return m->only == NULL || (dept != NULL && strcmp(m->only, dept) == 0);
}

static const char *
mx_dept_of(const struct mx *m, const struct gf_device *d)
{
	return m->conf->depts[d->dept].id;
}

static int
cmp_dev(const void *a, const void *b)
{
	return strcmp((*(const struct gf_device *const *)a)->id,
	    (*(const struct gf_device *const *)b)->id);
}

/* The configured device with id ID, or NULL (a device the store still holds, no longer configured). */
static const struct gf_device *
mx_find(const struct mx *m, const char *id)
{
	struct gf_device key;
	const struct gf_device *kp = &key, *const *hit;

	key.id = (char *)id;
	hit = bsearch(&kp, m->byid, m->conf->ndevices, sizeof(*m->byid), cmp_dev);
	return hit != NULL ? *hit : NULL;
}

static void
build_info(struct mx *m)
{
	const char *lab[] = { "version", PACKAGE_VERSION, NULL };

	mx_family(m, "greenfleet_build_info", "gauge", "The greenfleet version that wrote these metrics.");
	mx_sample(m, "greenfleet_build_info", lab, "1");
}

/* The departments shown, with their names (only labels carry them). */
static void
dept_info(struct mx *m)
{
	const struct gf_department *d;
	const char *lab[] = { "department", NULL, "name", NULL, NULL };
	size_t i;

	mx_family(m, "greenfleet_department_info", "gauge",
	    "A configured department: its id and its name for people.");
	for (i = 0; i < m->conf->ndepts; i++) {
		d = &m->conf->depts[i];
		if (!mx_dept_ok(m, d->id))
			continue;
		lab[1] = d->id;
		lab[3] = d->name != NULL ? d->name : d->id;
		mx_sample(m, "greenfleet_department_info", lab, "1");
	}
}

/* ---- devices: up, polled, last poll ---- */

static void
on_status(void *arg, const char *id, const struct gf_status *st)
{
	struct mx *m = arg;
	const struct gf_device *d = mx_find(m, id);
	struct mx_dev *x;

	if (d == NULL)
		return;
	x = &m->dev[d - m->conf->devices];
	x->known = (char)st->known;
	x->up = (char)(st->known && st->reachable);
	x->last_poll = st->last_poll;
	x->last_ok = st->last_ok;
	x->poll_ms = st->poll_ms;
	x->failed = st->polls_failed;
	/* The poller words a poll nothing answered with GF_NO_ANSWER; other failures are errors. */
	x->result = st->reachable ? MX_OK : strncmp(st->error, GF_NO_ANSWER,
	    sizeof(GF_NO_ANSWER) - 1) == 0 ? MX_TIMEOUT : MX_ERROR;
}

static void
devices_up(struct mx *m)
{
	const struct gf_device *d;
	const char *lab[] = { "device", NULL, "department", NULL, "kind", NULL, NULL };
	size_t i;

	mx_family(m, "greenfleet_device_up", "gauge",
	    "1 if the device answered its last poll, 0 if it did not or was never polled.");
	for (i = 0; i < m->conf->ndevices; i++) {
		d = &m->conf->devices[i];
		if (!mx_dept_ok(m, mx_dept_of(m, d)))
			continue;
		lab[1] = d->id;
		lab[3] = mx_dept_of(m, d);
		lab[5] = conf_kind_name(d->kind);
		mx_sample(m, "greenfleet_device_up", lab, m->dev[i].up ? "1" : "0");
	}
}

/* What a per-device poll family shows (devices_poll). */
enum mx_poll { MX_POLLED, MX_LAST_POLL, MX_LAST_OK, MX_DURATION, MX_FAILURES };

/*
 * One per-device poll family: whether it was polled (every device), or, for
 * the polled ones, the last poll's time, the last answer's time, how long
 * the last poll took and the failed polls in a row (each only when known).
 */
static void
devices_poll(struct mx *m, enum mx_poll f, const char *name, const char *help)
{
	const struct gf_device *d;
	const struct mx_dev *x;
	const char *lab[] = { "device", NULL, "department", NULL, NULL };
	size_t i;

	mx_family(m, name, "gauge", help);
	for (i = 0; i < m->conf->ndevices; i++) {
		d = &m->conf->devices[i];
		x = &m->dev[i];
		if (!mx_dept_ok(m, mx_dept_of(m, d)) || (f != MX_POLLED && !x->known) ||
		    (f == MX_LAST_OK && x->last_ok == 0) || (f == MX_DURATION && x->poll_ms < 0))
			continue;
		lab[1] = d->id;
		lab[3] = mx_dept_of(m, d);
		if (f == MX_DURATION)
			mx_dbl(m, name, lab, x->poll_ms / 1000.0);
		else
			mx_num(m, name, lab, f == MX_POLLED ? x->known : f == MX_LAST_POLL ?
			    (long long)x->last_poll : f == MX_LAST_OK ? (long long)x->last_ok :
			    x->failed);
	}
}

/* Each polled device's last poll result: one series per result, 1 for its own (an enum). */
static void
devices_poll_result(struct mx *m)
{
	const struct gf_device *d;
	const struct mx_dev *x;
	const char *lab[] = { "device", NULL, "department", NULL, "result", NULL, NULL };
	size_t i;
	int k;

	mx_family(m, "greenfleet_device_poll_result", "gauge",
	    "1 for the result of the device's last poll (ok, timeout: no answer, error), 0 for the"
	    " others.");
	for (i = 0; i < m->conf->ndevices; i++) {
		d = &m->conf->devices[i];
		x = &m->dev[i];
		if (!mx_dept_ok(m, mx_dept_of(m, d)) || !x->known)
			continue;
		lab[1] = d->id;
		lab[3] = mx_dept_of(m, d);
		for (k = 0; k < MX_NRESULTS; k++) {
			lab[5] = mx_results[k];
			mx_sample(m, "greenfleet_device_poll_result", lab,
			    x->result == k ? "1" : "0");
		}
	}
}

/* How many devices are up, down, never polled. */
static void
devices_count(struct mx *m)
{
	long long n[3] = { 0, 0, 0 };
	const char *lab[] = { "state", NULL, NULL };
	static const char *const words[3] = { "up", "down", "never" };
	size_t i;
	int k;

	for (i = 0; i < m->conf->ndevices; i++)
		if (mx_dept_ok(m, mx_dept_of(m, &m->conf->devices[i])))
			n[!m->dev[i].known ? 2 : m->dev[i].up ? 0 : 1]++;
	mx_family(m, "greenfleet_devices", "gauge",
	    "Configured devices by the state of their last poll: up, down, never polled.");
	for (k = 0; k < 3; k++) {
		lab[1] = words[k];
		mx_num(m, "greenfleet_devices", lab, n[k]);
	}
}

static int
devices(struct mx *m, struct gf_store *s)
{
	if (store_statuses(s, on_status, m) != 0)
		return -1;
	devices_up(m);
	devices_poll(m, MX_POLLED, "greenfleet_device_polled",
	    "1 if the device was polled at least once, 0 if never.");
	devices_poll(m, MX_LAST_POLL, "greenfleet_device_last_poll_timestamp_seconds",
	    "When the device was last polled, answer or not (Unix time).");
	devices_poll(m, MX_LAST_OK, "greenfleet_device_last_success_timestamp_seconds",
	    "When the device last answered a poll (Unix time).");
	devices_poll_result(m);
	devices_poll(m, MX_DURATION, "greenfleet_device_poll_duration_seconds",
	    "How long the device's last poll took, from its first request to its last answer or"
	    " the timeout.");
	devices_poll(m, MX_FAILURES, "greenfleet_device_consecutive_poll_failures",
	    "Polls in a row the device did not answer, 0 once it answers.");
	devices_count(m);
	return 0;
}

/* ---- supplies ---- */

static void
on_supply(void *arg, const char *device, const struct gf_store_supply *sp)
{
	struct mx *m = arg;
	const struct gf_device *d = mx_find(m, device);
	const char *lab[] = { "device", device, "department", NULL, "index", NULL, "supply",
	    sp->descr, NULL };
	char idx[16];

	/* Negative levels and maxima are "unknown" or "some left" in the Printer-MIB: no figure. */
	if (d == NULL || !mx_dept_ok(m, mx_dept_of(m, d)) || sp->max <= 0 || sp->level < 0)
		return;
	snprintf(idx, sizeof(idx), "%d", sp->idx);
	lab[3] = mx_dept_of(m, d);
	lab[5] = idx;
	mx_dbl(m, "greenfleet_supply_level_percent", lab,
	    (double)(sp->level > sp->max ? sp->max : sp->level) * 100 / (double)sp->max);
}

static int
supplies(struct mx *m, struct gf_store *s)
{
	mx_family(m, "greenfleet_supply_level_percent", "gauge",
	    "A printer supply's level as last read, percent of its capacity.");
	return store_supplies(s, on_supply, m);
}

/* ---- pages, from the ledger's running totals ---- */

enum { P_TOTAL, P_MONO, P_COLOUR, P_DUPLEX, P_N };
static const char *const page_kinds[P_N] = { "total", "mono", "colour", "duplex" };

struct mx_sum {
	uint64_t v[P_N];
	unsigned have;			/* bit K: counter K exists */
};

/* The meter's counters read in device order: the device being summed, and each department's sums. */
struct mx_pages {
	struct mx *m;
	const struct gf_device *dev;	/* NULL: none yet, or not configured (skipped) */
	struct mx_sum cur;
	struct mx_sum *dept;		/* by department index */
};

/*
 * Writes the device summed so far, as `greenfleet report --by device` shows
 * it: mono and colour only for a device that splits them; its department
 * counts an unsplit total as mono, as quotas do.
 */
static void
pages_flush(struct mx_pages *p)
{
	const char *lab[] = { "device", NULL, "department", NULL, "kind", NULL, NULL };
	const struct mx_sum *c = &p->cur;
	int split = (c->have & (1u << P_MONO | 1u << P_COLOUR)) != 0;
	struct mx_sum *d;
	int k;

	if (p->dev == NULL)
		return;
	lab[1] = p->dev->id;
	lab[3] = mx_dept_of(p->m, p->dev);
	for (k = 0; k < P_N; k++) {
		if (!(c->have & 1u << k) && !(split && (k == P_MONO || k == P_COLOUR)))
			continue;
		lab[5] = page_kinds[k];
		mx_u64(p->m, "greenfleet_pages_total", lab, c->v[k]);
	}
	d = &p->dept[p->dev->dept];
	d->have |= c->have | 1u << P_MONO | 1u << P_COLOUR;
	d->v[P_TOTAL] += c->v[P_TOTAL];
	d->v[P_MONO] += split ? c->v[P_MONO] : c->v[P_TOTAL];
	d->v[P_COLOUR] += split ? c->v[P_COLOUR] : 0;
	d->v[P_DUPLEX] += c->v[P_DUPLEX];
}

static void
on_odometer(void *arg, const struct gf_odometer *o)
{
	struct mx_pages *p = arg;
	const struct gf_device *d;
	int k;

	if (p->dev == NULL || strcmp(p->dev->id, o->device) != 0) {
		pages_flush(p);
		memset(&p->cur, 0, sizeof(p->cur));
		d = mx_find(p->m, o->device);
		p->dev = d != NULL && mx_dept_ok(p->m, mx_dept_of(p->m, d)) ? d : NULL;
	}
	for (k = 0; k < P_N; k++)
		if (strcmp(o->counter, page_kinds[k]) == 0) {
			p->cur.v[k] = o->pages;
			p->cur.have |= 1u << k;
		}
}

static void
pages_depts(struct mx *m, const struct mx_pages *p)
{
	const char *lab[] = { "department", NULL, "kind", NULL, NULL };
	size_t i;
	int k;

	mx_family(m, "greenfleet_department_pages_total", "counter",
	    "Pages counted per department and kind, as greenfleet report sums them"
	    " (an unsplit total counts as mono).");
	for (i = 0; i < m->conf->ndepts; i++)
		for (k = 0; k < P_N; k++) {
			if (!(p->dept[i].have & 1u << k))
				continue;
			lab[1] = m->conf->depts[i].id;
			lab[3] = page_kinds[k];
			mx_u64(m, "greenfleet_department_pages_total", lab, p->dept[i].v[k]);
		}
}

/*
 * Each counter's odometer: the sum of its ledger rows, written in the same
 * transaction as each of them, so it is the ledger's figure without summing
 * every day of it at each scrape.
 */
static int
pages(struct mx *m, struct gf_store *s)
{
	struct mx_pages p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.m = m;
	p.dept = xcalloc(m->conf->ndepts + 1, sizeof(*p.dept));
	mx_family(m, "greenfleet_pages_total", "counter",
	    "Pages counted in the ledger since the device was first polled, per device"
	    " (under its configured department) and kind (total, mono, colour, duplex).");
	rc = store_odometers(s, on_odometer, &p);
	if (rc == 0) {
		pages_flush(&p);
		pages_depts(m, &p);
	}
	free(p.dept);
	return rc;
}

/* ---- quotas, from the quota view ---- */

/* A numeric cell of row I as a number; 0 when unknown (the caller checks). */
static long long
cell_num(const struct gf_rows *r, size_t i, const char *col)
{
	const char *c = rows_cell(r, i, col);

	return c != NULL ? strtoll(c, NULL, 10) : 0;
}

/* One quota family: per department, period and kind, the columns COLS (mono, colour, weighted). */
static void
quota_pages(struct mx *m, const struct gf_rows *r, const char *name, const char *help,
    const char *const cols[3])
{
	static const char *const kinds[3] = { "mono", "colour", "weighted" };
	const char *lab[] = { "department", NULL, "period", NULL, "kind", NULL, NULL };
	size_t i;
	int k;

	mx_family(m, name, "gauge", help);
	for (i = 0; i < r->nrows; i++)
		for (k = 0; k < 3; k++) {
			if (rows_cell(r, i, cols[k]) == NULL)
				continue;
			lab[1] = rows_cell(r, i, "department");
			lab[3] = rows_cell(r, i, "period");
			lab[5] = kinds[k];
			mx_num(m, name, lab, cell_num(r, i, cols[k]));
		}
}

/* Per department: a percentage column COL of the quota view as a ratio. */
static void
quota_ratio(struct mx *m, const struct gf_rows *r, const char *name, const char *help,
    const char *col)
{
	const char *lab[] = { "department", NULL, "period", NULL, NULL };
	size_t i;

	mx_family(m, name, "gauge", help);
	for (i = 0; i < r->nrows; i++) {
		if (rows_cell(r, i, col) == NULL)
			continue;
		lab[1] = rows_cell(r, i, "department");
		lab[3] = rows_cell(r, i, "period");
		mx_dbl(m, name, lab, (double)cell_num(r, i, col) / 100);
	}
}

/* Keeps the rows of the department shown. */
static void
rows_only(struct mx *m, struct gf_rows *r)
{
	size_t i, k = 0;
	int c;

	for (i = 0; i < r->nrows; i++) {
		if (!mx_dept_ok(m, rows_cell(r, i, "department"))) {
			for (c = 0; c < r->ncols; c++)
				free(r->cells[i * r->ncols + c]);
			continue;
		}
		memmove(&r->cells[k * r->ncols], &r->cells[i * r->ncols],
		    r->ncols * sizeof(*r->cells));
		k++;
	}
	r->nrows = k;
}

static int
quotas(struct mx *m, struct gf_store *s)
{
	static const char *const used[3] = { "used_mono", "used_colour", "budget_used" };
	static const char *const limit[3] = { "limit_mono", "limit_colour", "budget" };
	struct gf_rows r;

	if (view_quota(s, m->conf, NULL, m->now, &r) != 0) {
		rows_free(&r);
		return -1;
	}
	rows_only(m, &r);
	quota_pages(m, &r, "greenfleet_quota_used_pages",
	    "Pages used in the current quota period (weighted: the budget's units).", used);
	quota_pages(m, &r, "greenfleet_quota_limit_pages",
	    "The quota of the current period, where one is set.", limit);
	quota_ratio(m, &r, "greenfleet_quota_use_ratio",
	    "Quota use in the current period (1 = the whole quota).", "percent");
	quota_ratio(m, &r, "greenfleet_quota_projected_ratio",
	    "Quota use projected to the end of the period at the pace so far.",
	    "projected_percent");
	rows_free(&r);
	return 0;
}

/* ---- age and repair advice, from the fleet view ---- */

static void
fleet_age(struct mx *m, const struct gf_rows *r)
{
	const char *lab[] = { "device", NULL, "department", NULL, "source", NULL, NULL };
	const char *since;
	double y;
	size_t i;

	mx_family(m, "greenfleet_device_age_seconds", "gauge",
	    "The device's age, from its best evidence (the source label: in_service,"
	    " ENTITY-MIB, software, first seen).");
	for (i = 0; i < r->nrows; i++) {
		since = rows_cell(r, i, "since");
		if (since == NULL || (y = advice_years(since, m->now)) < 0)
			continue;
		lab[1] = rows_cell(r, i, "device");
		lab[3] = rows_cell(r, i, "department");
		lab[5] = rows_cell(r, i, "age_source");
		mx_num(m, "greenfleet_device_age_seconds", lab, (long long)(y * 365.2425 * 86400 + 0.5));
	}
}

static void
fleet_advice(struct mx *m, const struct gf_rows *r)
{
	const char *lab[] = { "device", NULL, "department", NULL, "component", NULL, "part", NULL,
	    NULL };
	const char *kg, *state;
	size_t i;

	mx_family(m, "greenfleet_repair_advised", "gauge",
	    "1 if repairing the device is advised (the part to order in the part label), else 0.");
	for (i = 0; i < r->nrows; i++) {
		state = rows_cell(r, i, "state");
		lab[1] = rows_cell(r, i, "device");
		lab[3] = rows_cell(r, i, "department");
		lab[5] = rows_cell(r, i, "component");
		lab[7] = rows_cell(r, i, "part");
		mx_sample(m, "greenfleet_repair_advised", lab,
		    state != NULL && strcmp(state, "repair") == 0 ? "1" : "0");
	}
	mx_family(m, "greenfleet_repair_avoided_co2e_grams", "gauge",
	    "Embodied CO2e (grams, the base unit) that repairing the device avoids, against"
	    " replacing it: the fleet view's kgCO2e times 1000.");
	lab[4] = NULL;
	for (i = 0; i < r->nrows; i++) {
		if ((kg = rows_cell(r, i, "co2e_avoided_kg")) == NULL)
			continue;
		lab[1] = rows_cell(r, i, "device");
		lab[3] = rows_cell(r, i, "department");
		mx_dbl(m, "greenfleet_repair_avoided_co2e_grams", lab, strtod(kg, NULL) * 1000);
	}
}

static int
fleet(struct mx *m, struct gf_store *s)
{
	struct gf_rows r;

	if (view_fleet(s, m->conf, m->now, &r) != 0) {
		rows_free(&r);
		return -1;
	}
	rows_only(m, &r);
	fleet_age(m, &r);
	fleet_advice(m, &r);
	rows_free(&r);
	return 0;
}

/* The mails waiting: fleet-wide, so not shown to one department. */
static int
outbox(struct mx *m, struct gf_store *s)
{
	long long n;

	if (m->only != NULL)
		return 0;
	if ((n = store_outbox_waiting(s)) < 0)
		return -1;
	mx_family(m, "greenfleet_outbox_mails", "gauge",
	    "Mails queued and not sent yet (quota notices, digests).");
	mx_num(m, "greenfleet_outbox_mails", NULL, n);
	return 0;
}

/* ---- pollers sharing the store, from the pollers view ---- */

/* What a per-poller family shows: a column of the pollers view, or a test of one. */
static const struct {
	const char *name, *type, *col, *is, *help;
} poller_families[] = {
	{ "greenfleet_poller_up", "gauge", "state", "alive",
	    "1 if the poller beat within its lease (it is polling), 0 if it stopped or lapsed." },
	{ "greenfleet_poller_leader", "gauge", "leader", "yes",
	    "1 for the leader: the poller that judges quotas, queues digests and writes department"
	    " series." },
	{ "greenfleet_poller_devices", "gauge", "devices", NULL,
	    "Devices the poller holds a lease on (those of a lapsed poller wait for a taker)." },
	{ "greenfleet_poller_polls_total", "counter", "polled", NULL,
	    "Readings the poller took since its current run began." },
	{ "greenfleet_poller_last_commit_timestamp_seconds", "gauge", "last_commit", NULL,
	    "When the poller last committed a batch of readings to the store (Unix time)." },
	{ "greenfleet_poller_lag_seconds", "gauge", "lag_s", NULL,
	    "Seconds between the poller's last commit and the store's clock at the scrape." },
	{ "greenfleet_poller_start_time_seconds", "gauge", "since", NULL,
	    "When the poller's current run began (Unix time)." },
};

/* Every poller family: fleet-wide, so not shown to one department. A cell unknown is no sample. */
static int
pollers(struct mx *m, struct gf_store *s)
{
	const char *lab[] = { "poller", NULL, NULL };
	const char *c;
	struct gf_rows r;
	size_t i, k;

	if (m->only != NULL)
		return 0;
	if (view_pollers(s, m->conf, &r) != 0) {
		rows_free(&r);
		return -1;
	}
	for (k = 0; k < sizeof(poller_families) / sizeof(poller_families[0]); k++) {
		mx_family(m, poller_families[k].name, poller_families[k].type,
		    poller_families[k].help);
		for (i = 0; i < r.nrows; i++) {
			if ((c = rows_cell(&r, i, poller_families[k].col)) == NULL)
				continue;
			lab[1] = rows_cell(&r, i, "poller");
			if (poller_families[k].is != NULL)
				mx_sample(m, poller_families[k].name, lab,
				    strcmp(c, poller_families[k].is) == 0 ? "1" : "0");
			else
				mx_num(m, poller_families[k].name, lab, strtoll(c, NULL, 10));
		}
	}
	rows_free(&r);
	return 0;
}

int
metrics_write(struct gf_store *s, const struct gf_conf *conf, const char *only_dept,
    time_t now, FILE *f)
{
	struct mx m;
	size_t i;
	int rc;

	memset(&m, 0, sizeof(m));
	m.f = f;
	m.conf = conf;
	m.only = only_dept;
	m.now = now;
	m.byid = xreallocarray(NULL, conf->ndevices + 1, sizeof(*m.byid));
	m.dev = xreallocarray(NULL, conf->ndevices + 1, sizeof(*m.dev));
	memset(m.dev, 0, (conf->ndevices + 1) * sizeof(*m.dev));
	for (i = 0; i < conf->ndevices; i++)
		m.byid[i] = &conf->devices[i];
	qsort(m.byid, conf->ndevices, sizeof(*m.byid), cmp_dev);
	build_info(&m);
	dept_info(&m);
	rc = devices(&m, s) || supplies(&m, s) || pages(&m, s) || quotas(&m, s) ||
	    fleet(&m, s) || outbox(&m, s) || pollers(&m, s) ? -1 : 0;
	free(m.byid);
	free(m.dev);
	return rc;
}
