/* A discovery compared with the configuration: new, known, moved and missing devices, and proposals. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "discover_fleet.h"
#include "text.h"
#include "xmalloc.h"

#define ID_BASE_MAX	56	/* room left for a "-NNN" suffix */

static const char *const state_names[] = { "new", "known", "moved", "missing" };

void
disc_safe_id(const char *s, char id[65])
{
	size_t n = 0;
	int dash = 0;

	for (; *s != '\0' && n < ID_BASE_MAX; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '.' || c == '_') {
			if (dash && n > 0)
				id[n++] = '-';
			dash = 0;
			if (n < ID_BASE_MAX && !(n == 0 && c == '.'))
				id[n++] = (char)tolower(c);
		} else {
			dash = 1;		/* a run of anything else is one dash */
		}
	}
	while (n > 0 && (id[n - 1] == '.' || id[n - 1] == '-'))
		n--;
	id[n] = '\0';
}

/* 1 if ID is configured or already proposed in FL's first N entries. */
static int
id_taken(const struct gf_conf *conf, const struct disc_fleet *fl, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndevices; i++)
		if (conf->devices[i].id != NULL && strcmp(conf->devices[i].id, id) == 0)
			return 1;
	for (i = 0; i < n; i++)
		if (fl->v[i].state == DS_NEW && strcmp(fl->v[i].id, id) == 0)
			return 1;
	return 0;
}

/* Proposes entry N's id: its sysName made safe (else class-address), then -2, -3... until unique. */
static void
propose_id(const struct gf_conf *conf, struct disc_fleet *fl, size_t n)
{
	struct disc_prop *p = &fl->v[n];
	char base[65], a[16];
	int k;

	disc_safe_id(p->h->info.sys_name, base);
	if (base[0] == '\0' || !gf_id_is_safe(base)) {
		netrange_str(p->h->addr, a);
		snprintf(base, sizeof(base), "%s-%s", classify_name(p->h->info.cls), a);
		for (k = 0; base[k] != '\0'; k++)
			if (base[k] == '.')
				base[k] = '-';
	}
	snprintf(p->id, sizeof(p->id), "%s", base);
	for (k = 2; id_taken(conf, fl, n, p->id); k++)
		snprintf(p->id, sizeof(p->id), "%.56s-%d", base, k % 1000000);
}

/* The configured device whose host is address A written out, or -1. */
static int
dev_by_host(const struct gf_conf *conf, uint32_t a)
{
	uint32_t h;
	size_t i;

	for (i = 0; i < conf->ndevices; i++)
		if (netrange_addr(conf->devices[i].host, &h) == 0 && h == a)
			return (int)i;
	return -1;
}

/* The configured device whose stored serial is S, or -1. */
static int
dev_by_serial(const struct gf_conf *conf, const char *const *serials, const char *s)
{
	size_t i;

	if (serials == NULL || s[0] == '\0')
		return -1;
	for (i = 0; i < conf->ndevices; i++)
		if (serials[i] != NULL && strcmp(serials[i], s) == 0)
			return (int)i;
	return -1;
}

/* Fills entry P for answering host H: known, moved or new (with its proposals). */
static void
judge_host(const struct gf_conf *conf, struct disc_fleet *fl, const struct disc_host *h,
    const char *const *serials, int default_dept)
{
	struct disc_prop *p = &fl->v[fl->n];
	int dev, bys;
	uint32_t a;

	memset(p, 0, sizeof(*p));
	p->h = h;
	dev = dev_by_host(conf, h->addr);
	bys = dev_by_serial(conf, serials, h->info.serial);
	p->state = dev >= 0 ? DS_KNOWN : bys >= 0 ? DS_MOVED : DS_NEW;
	p->dev = dev >= 0 ? dev : bys;
	/* A device configured by name may well be at this address: known, not moved. */
	if (p->state == DS_MOVED && netrange_addr(conf->devices[bys].host, &a) != 0)
		p->state = DS_KNOWN;
	if (p->dev >= 0) {
		snprintf(p->id, sizeof(p->id), "%s", conf->devices[p->dev].id);
		p->dept = conf->devices[p->dev].dept;
		fl->n++;
		return;
	}
	p->dept = conf_discover_dept(conf, h->addr);
	if (p->dept < 0)
		p->dept = default_dept;
	propose_id(conf, fl, fl->n);
	p->configurable = h->info.cls != GF_CLASS_OTHER && p->dept >= 0;
	fl->n++;
}

/* 1 if configured device DEV was seen (known or moved) in FL. */
static int
dev_seen(const struct disc_fleet *fl, int dev)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		if (fl->v[i].dev == dev && fl->v[i].state != DS_MISSING)
			return 1;
	return 0;
}

void
disc_fleet_build(const struct gf_conf *conf, const struct disc_result *res,
    const struct gf_netrange *targets, size_t ntargets, const char *const *serials,
    int default_dept, struct disc_fleet *fl)
{
	size_t i, k;
	uint32_t a;

	fl->n = 0;
	fl->v = xcalloc(res->nhosts + conf->ndevices + 1, sizeof(*fl->v));
	for (i = 0; i < res->nhosts; i++)
		judge_host(conf, fl, &res->hosts[i], serials, default_dept);
	for (i = 0; i < conf->ndevices; i++) {
		if (netrange_addr(conf->devices[i].host, &a) != 0 || dev_seen(fl, (int)i))
			continue;
		for (k = 0; k < ntargets; k++)
			if (a >= targets[k].first && a <= targets[k].last)
				break;
		if (k == ntargets)
			continue;	/* outside the targets: nothing known of it */
		fl->v[fl->n] = (struct disc_prop){ NULL, DS_MISSING, (int)i, "",
			conf->devices[i].dept, 0 };
		snprintf(fl->v[fl->n].id, sizeof(fl->v[fl->n].id), "%s", conf->devices[i].id);
		fl->n++;
	}
}

void
disc_fleet_free(struct disc_fleet *fl)
{
	free(fl->v);
	fl->v = NULL;
	fl->n = 0;
}

void
disc_fleet_device(const struct gf_conf *conf, const struct disc_prop *p,
    const struct gf_snmp_conf *creds, int port, char host[16], struct gf_device *d)
{
	const struct gf_class_info *in = &p->h->info;
	char today[11];

	memset(d, 0, sizeof(*d));
	d->id = (char *)p->id;
	d->host = (char *)netrange_str(p->h->addr, host);
	d->port = port;
	d->kind = in->cls == GF_CLASS_PRINTER ? GF_KIND_PRINTER : GF_KIND_WORKSTATION;
	d->dept = p->dept;
	d->timeout_ms = conf->timeout_ms;
	d->retries = conf->retries;
	d->max_ppm = conf->max_ppm;
	d->hw_type = in->cls == GF_CLASS_PRINTER ? GF_HW_PRINTER :
	    in->cls == GF_CLASS_SERVER ? GF_HW_SERVER : GF_HW_DESKTOP;
	d->spare_parts = 1;
	d->pooled = 1;
	if (in->age[0] != '\0' && gf_date_parse(in->age, NULL, NULL, 0) == 0 &&
	    gf_date_today(today) == 0 && strcmp(in->age, today) <= 0)
		memcpy(d->in_service, in->age, sizeof(d->in_service));
	d->snmp = creds[p->h->cred];
}

/* Row columns: what `greenfleet discover` prints in every format. */
static const struct gf_col fleet_cols[] = {
	{ "address", GF_COL_STR }, { "state", GF_COL_STR }, { "class", GF_COL_STR },
	{ "id", GF_COL_STR }, { "department", GF_COL_STR }, { "vendor", GF_COL_STR },
	{ "model", GF_COL_STR }, { "serial", GF_COL_STR }, { "serial_source", GF_COL_STR },
	{ "profile", GF_COL_STR }, { "pages", GF_COL_STR }, { "in_service", GF_COL_STR },
	{ "age_source", GF_COL_STR }, { "snmp", GF_COL_STR }, { "sys_name", GF_COL_STR },
	{ "configured_host", GF_COL_STR },
};
#define NCOLS ((int)(sizeof(fleet_cols) / sizeof(fleet_cols[0])))

/* "" becomes NULL (unknown). */
static const char *
nz(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* The credential that answered, without its secret: "2c #1", "1 #2". */
static void
cred_label(const struct gf_snmp_conf *creds, int i, char *buf, size_t sz)
{
	static const char *const v[] = { "1", "2c", "3" };

	snprintf(buf, sz, "%s #%d", v[creds[i].version], i + 1);
}

/* One row of entry P. */
static void
prop_row(const struct gf_conf *conf, const struct disc_prop *p, const struct gf_snmp_conf *creds,
    struct gf_rows *r)
{
	const struct gf_class_info *in = p->h != NULL ? &p->h->info : NULL;
	const char *c[NCOLS];
	char a[16], snmp[16], day[11] = "";

	memset(c, 0, sizeof(c));
	c[0] = p->h != NULL ? netrange_str(p->h->addr, a) : conf->devices[p->dev].host;
	c[1] = state_names[p->state];
	c[3] = p->id;
	c[15] = p->dev >= 0 ? conf->devices[p->dev].host : NULL;
	c[4] = p->dept >= 0 ? conf->depts[p->dept].id : NULL;
	if (in != NULL) {
		c[2] = classify_name(in->cls);
		c[5] = nz(in->vendor);
		c[6] = nz(in->model);
		c[7] = nz(in->serial);
		c[8] = nz(in->serial_src);
		c[9] = nz(in->profile);
		c[10] = in->cls == GF_CLASS_PRINTER ? (in->has_pages ? "yes" : "no") : NULL;
		if (p->dev >= 0 && conf->devices[p->dev].in_service[0] != '\0')
			snprintf(day, sizeof(day), "%s", conf->devices[p->dev].in_service);
		else
			snprintf(day, sizeof(day), "%s", in->age);
		c[11] = nz(day);
		c[12] = p->dev < 0 || conf->devices[p->dev].in_service[0] == '\0' ? in->age_src :
		    "configuration";
		cred_label(creds, p->h->cred, snmp, sizeof(snmp));
		c[13] = snmp;
		c[14] = nz(in->sys_name);
	} else {
		c[2] = conf_kind_name(conf->devices[p->dev].kind);
	}
	rows_add(r, c);
}

void
disc_fleet_rows(const struct gf_conf *conf, const struct disc_fleet *fl,
    const struct gf_snmp_conf *creds, struct gf_rows *r)
{
	size_t i;

	rows_init(r, fleet_cols, NCOLS);
	for (i = 0; i < fl->n; i++)
		prop_row(conf, &fl->v[i], creds, r);
}
