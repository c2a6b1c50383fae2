/* Views that judge: quota use per department, and age, health and repair advice per device. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "quota.h"
#include "views.h"
#include "xmalloc.h"

static const struct gf_col quota_cols[] = {
	{ "department", GF_COL_STR }, { "period", GF_COL_STR }, { "used_mono", GF_COL_NUM },
	{ "used_colour", GF_COL_NUM }, { "limit_mono", GF_COL_NUM },
	{ "limit_colour", GF_COL_NUM }, { "budget_used", GF_COL_NUM }, { "budget", GF_COL_NUM },
	{ "percent", GF_COL_NUM }, { "state", GF_COL_STR }, { "projected_percent", GF_COL_NUM },
	{ "notified", GF_COL_NUM },
};

/* One department's row: use U of quota Q in span SP, FIRED the highest threshold mailed. */
static void
quota_row(struct gf_rows *out, const char *dept, const struct gf_quota *q,
    const struct gf_span *sp, const struct gf_quota_use *u, int fired)
{
	const char *c[12];
	char b[9][32];

	snprintf(b[0], 32, "%llu", (unsigned long long)u->mono);
	snprintf(b[1], 32, "%llu", (unsigned long long)u->colour);
	snprintf(b[2], 32, "%d", q->mono);
	snprintf(b[3], 32, "%d", q->colour);
	snprintf(b[4], 32, "%llu", (unsigned long long)u->weighted);
	snprintf(b[5], 32, "%d", q->budget);
	snprintf(b[6], 32, "%d", u->pct);
	snprintf(b[7], 32, "%d", u->projected_pct);
	snprintf(b[8], 32, "%d", fired);
	c[0] = dept;
	c[1] = sp->key;
	c[2] = b[0];
	c[3] = b[1];
	c[4] = q->mono ? b[2] : NULL;
	c[5] = q->colour ? b[3] : NULL;
	c[6] = q->budget ? b[4] : NULL;
	c[7] = q->budget ? b[5] : NULL;
	c[8] = b[6];
	c[9] = quota_state_word(q, u);
	c[10] = u->projected ? b[7] : NULL;	/* too early in the period: none */
	c[11] = b[8];
	rows_add(out, c);
}

int
view_quota(struct gf_store *s, const struct gf_conf *conf, const char *period, time_t now,
    struct gf_rows *out)
{
	const struct gf_quota *q;
	struct gf_quota_use u;
	struct gf_span sp;
	uint64_t mono, colour;
	time_t when;
	size_t i;
	int fired;

	rows_init(out, quota_cols, 12);
	for (i = 0; i < conf->ndepts; i++) {
		q = &conf->depts[i].quota;
		if (!q->enabled)
			continue;
		if (quota_span_at(q, period, now, &sp, &when) != 0)
			return -2;
		if (store_dept_span(s, conf->depts[i].id, sp.first, sp.last, &mono, &colour) != 0 ||
		    (fired = store_quota_last_fired(s, conf->depts[i].id, sp.key)) < 0)
			return -1;
		quota_use(q, mono, colour, &sp, when, &u);
		quota_row(out, conf->depts[i].id, q, &sp, &u, fired);
	}
	return 0;
}

int
view_quota_pct(struct gf_store *s, const struct gf_conf *conf, const char *dept, time_t t,
    time_t now)
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
	quota_use(q, mono, colour, &sp, sp.end < now ? sp.end : now, &u);
	return u.pct;
}

static const struct gf_col fleet_cols[] = {
	{ "device", GF_COL_STR }, { "kind", GF_COL_STR }, { "department", GF_COL_STR },
	{ "age_years", GF_COL_NUM }, { "age_source", GF_COL_STR }, { "since", GF_COL_STR },
	{ "state", GF_COL_STR }, { "component", GF_COL_STR }, { "reason", GF_COL_STR },
	{ "part", GF_COL_STR }, { "co2e_avoided_kg", GF_COL_NUM },
};

static int
cmp_by_id(const void *a, const void *b)
{
	return strcmp((*(const struct gf_device *const *)a)->id,
	    (*(const struct gf_device *const *)b)->id);
}

/*
 * Every configured device's health at NOW, by configuration index, read in
 * one scan of the store (devices in id order): a few queries for the whole
 * fleet, where one store_health per device costs six. NULL on a store error.
 */
static struct gf_device_health *
fleet_health(struct gf_store *s, const struct gf_conf *conf, time_t now)
{
	struct gf_device_health *dh = xcalloc(conf->ndevices + 1, sizeof(*dh));
	const struct gf_device **byid = xcalloc(conf->ndevices + 1, sizeof(*byid));
	struct gf_store_health raw;
	struct gf_store_scan *sc = NULL;
	char since[11];
	size_t i;
	int rc = -1;

	for (i = 0; i < conf->ndevices; i++)
		byid[i] = &conf->devices[i];
	qsort(byid, conf->ndevices, sizeof(*byid), cmp_by_id);
	if (advice_since(now, since) != 0 || (sc = store_health_scan(s, since)) == NULL)
		goto out;
	for (i = 0; i < conf->ndevices; i++) {
		if (store_health_next(sc, byid[i]->id, &raw) != 0)
			goto out;
		advice_health_from(&raw, &dh[byid[i] - conf->devices]);
	}
	rc = 0;
out:
	store_health_scan_free(sc);
	free(byid);
	if (rc != 0) {
		free(dh);
		return NULL;
	}
	return dh;
}

int
view_fleet(struct gf_store *s, const struct gf_conf *conf, time_t now, struct gf_rows *out)
{
	const struct gf_device *d;
	const char *c[11];
	char years[16], kg[32];
	struct gf_device_health *dh;
	struct gf_advice a;
	struct gf_age age;
	double y;
	size_t i;

	rows_init(out, fleet_cols, 11);
	if ((dh = fleet_health(s, conf, now)) == NULL)
		return -1;
	for (i = 0; i < conf->ndevices; i++) {
		d = &conf->devices[i];
		advice_eval(d, &dh[i].h, &conf->advice, &conf->factors, &a);
		advice_age(d, dh[i].mfg_date, dh[i].sw_oldest, dh[i].first_seen, &age);
		y = advice_years(age.date, now);
		snprintf(years, sizeof(years), "%.1f", y);
		snprintf(kg, sizeof(kg), "%.1f", a.avoided_kg);
		c[0] = d->id;
		c[1] = conf_kind_name(d->kind);
		c[2] = conf->depts[d->dept].id;
		c[3] = y >= 0 ? years : NULL;
		c[4] = age.source;
		c[5] = age.date[0] ? age.date : NULL;
		c[6] = advice_state_name(a.state);
		c[7] = a.component[0] ? a.component : NULL;
		c[8] = a.reason[0] ? a.reason : NULL;
		c[9] = a.part[0] ? a.part : NULL;
		c[10] = a.has_avoided ? kg : NULL;
		rows_add(out, c);
	}
	free(dh);
	return 0;
}
