/* Views of devices: status, page counters, the audit of counter events, the repair log. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "views.h"

static const struct gf_col status_cols[] = {
	{ "device", GF_COL_STR }, { "kind", GF_COL_STR }, { "department", GF_COL_STR },
	{ "last_poll", GF_COL_TIME }, { "state", GF_COL_STR }, { "pages", GF_COL_NUM },
	{ "uptime_s", GF_COL_SECS }, { "description", GF_COL_STR }, { "serial", GF_COL_STR },
	{ "serial_source", GF_COL_STR },
};

static const char *
state_word(const struct gf_status *st)
{
	if (!st->known)
		return "never";
	return st->reachable ? "up" : "down";
}

/* A printer without a counter says so; it is never shown as 0 pages. NULL: unknown. */
static const char *
pages_cell(char *b, size_t sz, const struct gf_device *d, const struct gf_status *st)
{
	if (!st->known || st->last_ok == 0)
		return NULL;
	if (!st->has_lifecount)
		return d->kind == GF_KIND_PRINTER ? "no-counter" : NULL;
	snprintf(b, sz, "%llu", (unsigned long long)st->lifecount);
	return b;
}

int
view_status(struct gf_store *s, const struct gf_conf *conf, struct gf_rows *out)
{
	const struct gf_device *d;
	const char *c[10];
	char when[32], pages[32], up[32];
	struct gf_status st;
	size_t i;

	rows_init(out, status_cols, 10);
	for (i = 0; i < conf->ndevices; i++) {
		d = &conf->devices[i];
		if (store_get_status(s, d->id, &st) != 0)
			return -1;
		snprintf(when, sizeof(when), "%lld", (long long)st.last_poll);
		snprintf(up, sizeof(up), "%llu", (unsigned long long)st.uptime_s);
		c[0] = d->id;
		c[1] = conf_kind_name(d->kind);
		c[2] = conf->depts[d->dept].id;
		c[3] = when;
		c[4] = state_word(&st);
		c[5] = pages_cell(pages, sizeof(pages), d, &st);
		c[6] = st.has_uptime ? up : NULL;
		c[7] = st.sys_descr;
		c[8] = st.serial[0] ? st.serial : NULL;
		c[9] = st.serial_src[0] ? st.serial_src : NULL;
		rows_add(out, c);
	}
	return 0;
}

static const struct gf_col counter_cols[] = {
	{ "counter", GF_COL_STR }, { "value", GF_COL_NUM }, { "unit", GF_COL_STR },
	{ "source", GF_COL_STR }, { "read_from", GF_COL_STR }, { "counted", GF_COL_NUM },
	{ "check", GF_COL_STR },
};

struct counters_arg {
	struct gf_rows *out;
	struct gf_xcheck x;
	char check[192];	/* why the total has its source, "" if not cross-checked */
};

static void
on_counter(void *arg, const struct gf_counter_row *r)
{
	struct counters_arg *a = arg;
	char v[32], n[32];
	const char *c[7];

	snprintf(v, sizeof(v), "%llu", (unsigned long long)r->value);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)r->odometer);
	c[0] = r->counter;
	c[1] = v;
	c[2] = r->unit;
	c[3] = r->src;
	c[4] = r->origin;
	c[5] = n;
	c[6] = strcmp(r->counter, "total") == 0 ? a->check : "";
	if (meter_distrusted(&a->x, counter_by_name(r->counter), counter_src_by_name(r->src)))
		c[6] = "not counted: it goes with the rejected total";
	rows_add(a->out, c);
}

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

int
view_counters(struct gf_store *s, const char *device, struct gf_rows *out)
{
	struct counters_arg a;

	rows_init(out, counter_cols, 7);
	memset(&a, 0, sizeof(a));
	a.out = out;
	if (store_xcheck(s, device, &a.x) != 0)
		return -1;
	xcheck_words(&a.x, a.check, sizeof(a.check));
	return store_counters(s, device, on_counter, &a) != 0 ? -1 : 0;
}

static const struct gf_col audit_cols[] = {
	{ "time", GF_COL_TIME }, { "device", GF_COL_STR }, { "counter", GF_COL_STR },
	{ "event", GF_COL_STR }, { "old", GF_COL_NUM }, { "new", GF_COL_NUM },
	{ "detail", GF_COL_STR },
};

static void
on_audit(void *arg, const struct gf_audit_row *a)
{
	char when[32], old[32], new[32];
	const char *c[7];

	snprintf(when, sizeof(when), "%lld", (long long)a->when);
	snprintf(old, sizeof(old), "%lld", a->old);
	snprintf(new, sizeof(new), "%lld", a->new);
	c[0] = when;
	c[1] = a->device;
	c[2] = a->counter;
	c[3] = a->event;
	c[4] = old;
	c[5] = new;
	c[6] = a->detail;
	rows_add(arg, c);
}

int
view_audit(struct gf_store *s, const char *device, struct gf_rows *out)
{
	rows_init(out, audit_cols, 7);
	return store_audits(s, device, on_audit, out) != 0 ? -1 : 0;
}

static const struct gf_col repair_cols[] = {
	{ "day", GF_COL_STR }, { "device", GF_COL_STR }, { "part", GF_COL_STR },
	{ "text", GF_COL_STR },
};

static void
on_repair(void *arg, const char *device, const char *day, const char *part, const char *text)
{
	const char *c[4] = { day, device, part[0] ? part : NULL, text };

	rows_add(arg, c);
}

int
view_repairs(struct gf_store *s, const char *device, struct gf_rows *out)
{
	rows_init(out, repair_cols, 4);
	return store_repairs(s, device, on_repair, out) != 0 ? -1 : 0;
}
