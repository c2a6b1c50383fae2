/* Repair-first advice rules. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "date.h"
#include "store.h"

#define WATCH_MARGIN	10	/* points below a repair threshold that earn a "watch" */
#define SMART_OLD_HOURS	35000	/* four years powered on: worth watching */

static const char *const state_names[] = { "unknown", "ok", "watch", "repair", "end-of-life",
	"retired" };

const char *
advice_state_name(enum gf_state s)
{
	return s <= GF_ST_RETIRED ? state_names[s] : "?";
}

/* The embodied carbon of what repairing device D avoids buying. */
static double
embodied(const struct gf_device *d, const struct gf_factors *f)
{
	switch (d->hw_type) {
	case GF_HW_LAPTOP:
		return f->laptop_kg;
	case GF_HW_SERVER:
		return f->server_kg;
	case GF_HW_DESKTOP:
		return f->desktop_kg;
	default:
		return 0;
	}
}

static void
set(struct gf_advice *a, enum gf_state st, const char *component, const char *part,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
set(struct gf_advice *a, enum gf_state st, const char *component, const char *part,
    const char *fmt, ...)
{
	va_list ap;

	a->state = st;
	snprintf(a->component, sizeof(a->component), "%s", component);
	snprintf(a->part, sizeof(a->part), "%s", part);
	va_start(ap, fmt);
	vsnprintf(a->reason, sizeof(a->reason), fmt, ap);
	va_end(ap);
}

/* Windows' "C:\ Label:...  Serial Number ..." reads better as "C:\"; a mount point stays whole. */
static void
short_name(char *dst, size_t sz, const char *name)
{
	char *label;
	size_t n;

	snprintf(dst, sz, "%s", name);
	if ((label = strstr(dst, " Label:")) != NULL)
		*label = '\0';
	for (n = strlen(dst); n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == '\t'); n--)
		dst[n - 1] = '\0';
}

/* Workstations, most urgent first: a failing disk, a full disk, too little RAM. */
static int
workstation_repair(const struct gf_health *h, const struct gf_advice_rules *r,
    struct gf_advice *a)
{
	char disk[64];

	if (h->has_smart && h->smart_bad > 0) {
		set(a, GF_ST_REPAIR, "disk", "replace the disk",
		    "%s: %d SMART failure predictor(s) above 0", h->smart_disk, h->smart_bad);
		return 1;
	}
	if (h->disks_down > 0) {
		set(a, GF_ST_REPAIR, "disk", "replace the disk", "%d disk(s) reported down",
		    h->disks_down);
		return 1;
	}
	short_name(disk, sizeof(disk), h->disk_name);
	if (h->disk_pct > r->disk_full_pct) {
		set(a, GF_ST_REPAIR, "disk", "larger disk or SSD", "%s %d %% full (rule: > %d %%)",
		    disk, h->disk_pct, r->disk_full_pct);
		return 1;
	}
	if (h->mem_week_pct > r->ram_pct) {
		set(a, GF_ST_REPAIR, "ram", "add RAM", "RAM %d %% in use over 7 days (rule: > %d %%)",
		    h->mem_week_pct, r->ram_pct);
		return 1;
	}
	return 0;
}

static int
workstation_watch(const struct gf_health *h, const struct gf_advice_rules *r,
    struct gf_advice *a)
{
	char disk[64];

	short_name(disk, sizeof(disk), h->disk_name);
	if (h->disk_pct > r->disk_full_pct - WATCH_MARGIN) {
		set(a, GF_ST_WATCH, "disk", "", "%s %d %% full", disk, h->disk_pct);
		return 1;
	}
	if (h->mem_week_pct > r->ram_pct - WATCH_MARGIN) {
		set(a, GF_ST_WATCH, "ram", "", "RAM %d %% in use over 7 days", h->mem_week_pct);
		return 1;
	}
	if (h->smart_hours >= SMART_OLD_HOURS) {
		set(a, GF_ST_WATCH, "disk", "", "%s powered on %ld hours", h->smart_disk[0] ?
		    h->smart_disk : "disk", h->smart_hours);
		return 1;
	}
	return 0;
}

/* Printers: worn parts and jams; the part is ordered, the printer kept. */
static void
printer_advice(const struct gf_health *h, const struct gf_advice_rules *r, struct gf_advice *a)
{
	if (h->supply_pct >= 0 && h->supply_pct <= r->supply_low_pct)
		set(a, GF_ST_REPAIR, "supply", "order the part", "%s at %d %% (rule: <= %d %%)",
		    h->supply_name, h->supply_pct, r->supply_low_pct);
	else if (h->error_state > 0 && (h->error_state & GF_ERR_SERVICE))
		set(a, GF_ST_REPAIR, "printer", "service visit", "the printer requests service "
		    "(hrPrinterDetectedErrorState)");
	else if (h->jams_week >= r->jams_per_week)
		set(a, GF_ST_REPAIR, "printer", "service visit", "%ld paper jams in 7 days "
		    "(rule: >= %d)", h->jams_week, r->jams_per_week);
	else if (h->supply_pct >= 0 && h->supply_pct <= 2 * r->supply_low_pct)
		set(a, GF_ST_WATCH, "supply", "", "%s at %d %%", h->supply_name, h->supply_pct);
	else if (h->jams_week >= (r->jams_per_week + 1) / 2)
		set(a, GF_ST_WATCH, "printer", "", "%ld paper jams in 7 days", h->jams_week);
	else if (h->jam_alerts > 0)
		set(a, GF_ST_WATCH, "printer", "", "%d paper jam alert(s) standing (prtAlertTable)",
		    h->jam_alerts);
	else if (h->error_state > 0 && (h->error_state & GF_ERR_JAMMED))
		set(a, GF_ST_WATCH, "printer", "", "paper jammed now");
}

void
advice_eval(const struct gf_device *d, const struct gf_health *h,
    const struct gf_advice_rules *r, const struct gf_factors *f, struct gf_advice *a)
{
	memset(a, 0, sizeof(*a));
	if (d->retired[0]) {
		a->state = GF_ST_RETIRED;
		snprintf(a->reason, sizeof(a->reason), "out of service since %s", d->retired);
		return;
	}
	if (!h->known) {
		a->state = GF_ST_UNKNOWN;
		snprintf(a->reason, sizeof(a->reason), "never answered");
		return;
	}
	a->state = GF_ST_OK;
	if (d->kind == GF_KIND_PRINTER)
		printer_advice(h, r, a);
	else if (!workstation_repair(h, r, a))
		workstation_watch(h, r, a);
	if (a->state != GF_ST_REPAIR)
		return;
	if (!d->spare_parts) {
		a->state = GF_ST_EOL;
		snprintf(a->part, sizeof(a->part), "replace the %s", d->kind == GF_KIND_PRINTER ?
		    "printer" : "machine");
		strncat(a->reason, "; no spare parts (IT)", sizeof(a->reason) - strlen(a->reason) - 1);
		return;
	}
	/* What the repair saves: the replacement not bought, minus the part fitted. */
	if (d->kind == GF_KIND_WORKSTATION) {
		a->has_avoided = 1;
		a->avoided_kg = embodied(d, f) - (strcmp(a->component, "ram") == 0 ? f->ram_kg :
		    f->disk_kg);
	}
}

void
advice_age(const struct gf_device *d, const char *mfg_date, const char *sw_oldest,
    time_t first_seen, struct gf_age *out)
{

	memset(out, 0, sizeof(*out));
	if (d->in_service[0]) {
		snprintf(out->date, sizeof(out->date), "%s", d->in_service);
		out->source = "in_service";
	} else if (mfg_date && mfg_date[0]) {
		snprintf(out->date, sizeof(out->date), "%s", mfg_date);
		out->source = "entity-mib";
	} else if (sw_oldest && sw_oldest[0]) {
		snprintf(out->date, sizeof(out->date), "%s", sw_oldest);
		out->source = "software";
	} else if (first_seen > 0 && gf_date_day(first_seen, out->date) == 0) {
		out->source = "first-seen";
	} else {
		out->source = "-";
	}
}

double
advice_years(const char *date, time_t now)
{
	struct gf_day day;
	struct tm tm;
	time_t t;

	/* A day that does not exist (stored by an older version) is no age. */
	if (gf_date_parse(date, &day, NULL, 0) != 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = day.y - 1900;
	tm.tm_mon = day.m - 1;
	tm.tm_mday = day.d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || t > now)
		return t > now ? 0 : -1;
	return (double)(now - t) / (365.2425 * 86400);
}

/* Days back from today that "a week" of RAM samples and jams covers, today included. */
#define WEEK_DAYS	7

/* Waste receptacles (toner, ink, staples...) fill up: their level is no wear. */
static int
supply_wears(int type)
{
	return type != 4 && type != 8 && type != 14 && type != 24 && type != 26;
}

/* The worn supply lowest in percent (the first by index among equals) into H, if any. */
static void
lowest_supply(const struct gf_store_health *raw, struct gf_health *h)
{
	const struct gf_store_supply *sp;
	int i, pct;

	for (i = 0; i < raw->nsupplies; i++) {
		sp = &raw->supplies[i];
		if (sp->max <= 0 || sp->level < 0 || sp->level > sp->max || !supply_wears(sp->type))
			continue;
		pct = (int)(sp->level * 100 / sp->max);
		if (h->supply_pct >= 0 && pct >= h->supply_pct)
			continue;
		h->supply_pct = pct;
		snprintf(h->supply_name, sizeof(h->supply_name), "%s", sp->descr);
	}
}

int
advice_since(time_t now, char day[11])
{
	return gf_date_day(now - (WEEK_DAYS - 1) * 86400, day);
}

void
advice_health_from(const struct gf_store_health *raw, struct gf_device_health *out)
{
	struct gf_health *h = &out->h;

	memset(out, 0, sizeof(*out));
	h->known = raw->known;
	h->error_state = raw->error_state;
	h->disk_pct = raw->disk_pct;
	snprintf(h->disk_name, sizeof(h->disk_name), "%s", raw->disk_name);
	h->disks_down = raw->disks_down;
	h->jam_alerts = raw->jam_alerts;
	h->has_smart = raw->has_smart;
	h->smart_bad = raw->smart_bad;
	snprintf(h->smart_disk, sizeof(h->smart_disk), "%s", raw->smart_disk);
	h->smart_hours = raw->smart_hours;
	h->mem_week_pct = raw->mem_n > 0 ? (int)(raw->mem_sum / raw->mem_n) : -1;
	h->jams_week = raw->jams;
	h->supply_pct = -1;
	lowest_supply(raw, h);
	snprintf(out->sw_oldest, sizeof(out->sw_oldest), "%s", raw->sw_oldest);
	snprintf(out->mfg_date, sizeof(out->mfg_date), "%s", raw->mfg_date);
	out->first_seen = raw->first_seen;
}

int
advice_device_health(struct gf_store *s, const char *device, time_t now,
    struct gf_device_health *out)
{
	struct gf_store_health raw;
	char since[11];

	memset(out, 0, sizeof(*out));
	if (advice_since(now, since) != 0 || store_health(s, device, since, &raw) != 0)
		return -1;
	advice_health_from(&raw, out);
	return 0;
}
