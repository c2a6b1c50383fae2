/*
 * Metering rules (the numbers people are billed and judged on):
 *
 * - The first value of a counter is a baseline; nothing is counted for it.
 * - A rise no larger than max_ppm x minutes since the baseline (at least
 *   one minute) is counted, on the local day the poll observed it. Pages
 *   printed during an outage are therefore counted once, on the day the
 *   device answers again.
 * - A fall is a wrap when passing the agent's modulus (2^31 for INTEGER,
 *   2^32 for Counter32) explains it within the allowance: the pages across
 *   the wrap are counted. Any other fall is a reset: new baseline, nothing
 *   counted for the unknowable interval.
 * - A rise beyond the allowance is garbage: not counted, the baseline stays,
 *   the value is held as suspect. If the next value continues plausibly from
 *   the suspect, the jump was real (a board swap that kept its serial): the
 *   suspect becomes the baseline and only what follows it is counted.
 * - A changed serial number or sysObjectID, or a counter that now comes from
 *   another source, starts a new baseline for every affected counter.
 * Every event other than a plain count is written to the audit table.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "meter.h"
#include "store.h"
#include "xmalloc.h"

static const char *const event_names[GF_NEVENTS] = {
	"none", "baseline", "wrap", "reset", "swap", "garbage", "confirmed", "source",
};

const char *
meter_event_name(int ev)
{
	return ev >= 0 && ev < GF_NEVENTS ? event_names[ev] : "?";
}

static void
rebase(struct gf_meter_state *st, const struct gf_counter *c, time_t now)
{
	st->known = 1;
	st->src = c->src;
	st->last = c->value;
	st->seen = now;
	st->has_suspect = 0;
	st->suspect = 0;
}

/* Counts PAGES and moves the baseline to C. */
static void
advance(struct gf_meter_state *st, const struct gf_counter *c, time_t now, uint64_t pages,
    struct gf_meter_step *out)
{
	out->pages = pages;
	st->odometer += pages;
	rebase(st, c, now);
}

void
meter_step(struct gf_meter_state *st, const struct gf_counter *c, time_t now, int max_ppm,
    struct gf_meter_step *out)
{
	uint64_t v = c->value, allow, d;
	time_t elapsed;

	memset(out, 0, sizeof(*out));
	out->old = st->last;
	out->new = v;
	if (!st->known || st->src != (int)c->src) {
		out->ev = st->known ? GF_EV_SOURCE : GF_EV_BASELINE;
		rebase(st, c, now);
		return;
	}
	elapsed = now - st->seen;
	if (elapsed < 60)
		elapsed = 60;	/* also a clock stepped back: one minute's worth */
	allow = (uint64_t)max_ppm * (uint64_t)elapsed / 60;
	if (v >= st->last) {
		d = v - st->last;
		if (d <= allow) {
			advance(st, c, now, d, out);
		} else if (st->has_suspect && v >= st->suspect && v - st->suspect <= allow) {
			out->ev = GF_EV_CONFIRMED;
			advance(st, c, now, v - st->suspect, out);
		} else {
			out->ev = GF_EV_GARBAGE;
			st->has_suspect = 1;
			st->suspect = v;
		}
		return;
	}
	/* A fall: across the modulus within the allowance, or a reset. */
	if (c->modulus > st->last && c->modulus - st->last <= allow &&
	    (d = c->modulus - st->last + v) <= allow) {
		out->ev = GF_EV_WRAP;
		advance(st, c, now, d, out);
		return;
	}
	out->ev = GF_EV_RESET;
	rebase(st, c, now);
}

/* Where the known serial was read; a database older than serial sources only had the Printer-MIB. */
static const char *
ident_src(const struct gf_meter_ident *id)
{
	return id->serial_src[0] ? id->serial_src : "printer-mib";
}

/*
 * Whether the device behind the counters changed: a new serial or
 * sysObjectID. Serials are compared only when read from the same source: two
 * MIBs of one device may spell it differently.
 */
static int
swapped(const struct gf_meter_ident *id, const struct gf_reading *r, char *why, size_t sz)
{
	if (!id->known)
		return 0;
	if (id->serial[0] && r->serial[0] && strcmp(ident_src(id), r->serial_src) == 0 &&
	    strcmp(id->serial, r->serial) != 0) {
		snprintf(why, sz, "serial %.24s -> %.24s (%.16s)", id->serial, r->serial,
		    r->serial_src);
		return 1;
	}
	if (id->objid[0] && r->sys_object_id[0] && strcmp(id->objid, r->sys_object_id) != 0) {
		snprintf(why, sz, "sysObjectID %.28s -> %.28s", id->objid, r->sys_object_id);
		return 1;
	}
	return 0;
}

/* The local calendar day of T, "YYYY-MM-DD": pages belong to the day they were seen. */
static void
day_of(time_t t, char day[11])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(day, 11, "%Y-%m-%d", &tm) == 0)
		snprintf(day, 11, "1970-01-01");
}

/* Meters the counters read from the device itself (not the derived sums). */
static int
meter_raw(struct gf_store *s, const struct gf_device *d, const struct gf_reading *r,
    struct gf_meter_state *st, int swap, const char *why, struct gf_metered *m)
{
	const struct gf_counter *c;
	struct gf_meter_step step;
	int i;

	for (i = 0; i < GF_NCOUNTERS; i++) {
		c = &r->counters[i];
		if (!c->present || c->src == GF_SRC_DERIVED)
			continue;
		if (swap && st[i].known) {
			memset(&step, 0, sizeof(step));
			step.ev = GF_EV_SWAP;
			step.old = st[i].last;
			step.new = c->value;
			rebase(&st[i], c, r->when);
		} else {
			meter_step(&st[i], c, r->when, d->max_ppm, &step);
		}
		m->have[i] = 1;
		m->pages[i] = step.pages;
		m->odometer[i] = st[i].odometer;
		/* An idle counter costs no write: most polls of most printers see no page. */
		if ((step.ev != GF_EV_NONE || step.pages > 0) &&
		    store_meter_save(s, d->id, i, &st[i], c) != 0)
			return -1;
		if (step.ev != GF_EV_NONE && store_audit(s, r->when, d->id, counter_name(i),
		    meter_event_name(step.ev), step.old, step.new,
		    step.ev == GF_EV_SWAP ? why : c->origin) != 0)
			return -1;
	}
	return 0;
}

/* Derived counters get the same sums of this poll's pages as their raw values got. */
static int
meter_derived(struct gf_store *s, const struct gf_device *d, const struct gf_reading *r,
    struct gf_meter_state *st, struct gf_metered *m)
{
	int present[GF_NCOUNTERS], derived[GF_NCOUNTERS], i;
	uint64_t v[GF_NCOUNTERS];

	for (i = 0; i < GF_NCOUNTERS; i++) {
		present[i] = m->have[i];
		v[i] = m->pages[i];
	}
	counter_derive(present, derived, v);
	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!derived[i] || !r->counters[i].present)
			continue;
		if (st[i].known && st[i].src == GF_SRC_DERIVED && v[i] == 0 &&
		    st[i].last == r->counters[i].value) {
			m->have[i] = 1;
			m->odometer[i] = st[i].odometer;
			continue;	/* nothing moved */
		}
		st[i].known = 1;
		st[i].src = GF_SRC_DERIVED;
		st[i].last = r->counters[i].value;
		st[i].seen = r->when;
		st[i].odometer += v[i];
		m->have[i] = 1;
		m->pages[i] = v[i];
		m->odometer[i] = st[i].odometer;
		if (store_meter_save(s, d->id, i, &st[i], &r->counters[i]) != 0)
			return -1;
	}
	return 0;
}

/*
 * Most polls of most printers see no page. For those, the memo spares the
 * store's reads: it keeps from the device's last metering each present
 * counter's value, source and odometer, which counters the result had, and
 * the serial and sysObjectID; and it is kept only when metering that same
 * answer again would count nothing and write nothing. An answer equal in
 * all of these is then metered from memory, with the result the store would
 * have given. Any difference goes the long way.
 */
struct memo_ctr {
	unsigned char counter;
	unsigned char src;
	uint64_t value;
	uint64_t odometer;
};

struct memo {
	unsigned have;			/* bit i: the result had counter i */
	int n;				/* present counters, in counter order */
	const char *serial, *objid;	/* in the same allocation, after c[] */
	struct memo_ctr c[];
};

/* Fills OUT from MM if R is the answer MM was made from. */
static int
memo_matches(const struct memo *mm, const struct gf_reading *r, struct gf_metered *out)
{
	const struct gf_counter *c;
	int i, k = 0;

	if (strcmp(mm->serial, r->serial) != 0 || strcmp(mm->objid, r->sys_object_id) != 0)
		return 0;
	for (i = 0; i < GF_NCOUNTERS; i++) {
		c = &r->counters[i];
		if (!c->present)
			continue;
		if (k == mm->n || mm->c[k].counter != i || mm->c[k].src != c->src ||
		    mm->c[k].value != c->value)
			return 0;
		k++;
	}
	if (k != mm->n)
		return 0;
	memset(out, 0, sizeof(*out));
	for (k = 0; k < mm->n; k++) {
		i = mm->c[k].counter;
		if (mm->have & 1u << i) {
			out->have[i] = 1;
			out->odometer[i] = mm->c[k].odometer;
		}
	}
	return 1;
}

/*
 * The memo of metering R into ST with result M, or NULL when metering R
 * again would not be a no-op: a counter whose baseline is not R's value
 * (held as suspect, or not metered).
 */
static struct memo *
memo_make(const struct gf_meter_state *st, const struct gf_reading *r, const struct gf_metered *m)
{
	size_t ls = strlen(r->serial) + 1, lo = strlen(r->sys_object_id) + 1;
	struct memo *mm;
	char *p;
	int i, n = 0;

	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!r->counters[i].present)
			continue;
		if (!st[i].known || st[i].src != (int)r->counters[i].src ||
		    st[i].last != r->counters[i].value)
			return NULL;
		n++;
	}
	mm = xmalloc(sizeof(*mm) + n * sizeof(mm->c[0]) + ls + lo);
	mm->have = 0;
	mm->n = 0;
	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!r->counters[i].present)
			continue;
		mm->c[mm->n].counter = (unsigned char)i;
		mm->c[mm->n].src = (unsigned char)r->counters[i].src;
		mm->c[mm->n].value = r->counters[i].value;
		mm->c[mm->n].odometer = m->odometer[i];
		mm->n++;
		if (m->have[i])
			mm->have |= 1u << i;
	}
	p = (char *)&mm->c[n];
	memcpy(p, r->serial, ls);
	mm->serial = p;
	memcpy(p + ls, r->sys_object_id, lo);
	mm->objid = p + ls;
	return mm;
}

int
meter_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, struct gf_metered *out)
{
	struct gf_meter_state st[GF_NCOUNTERS];
	struct gf_meter_ident id;
	struct gf_metered m;
	struct memo *mm;
	char why[80] = "", day[11];
	const char *serial, *src, *objid;
	int swap, i;

	memset(&m, 0, sizeof(m));
	if (out != NULL)
		*out = m;
	if (!r->reachable || r->ncounters == 0)
		return 0;
	if ((mm = store_meter_memo(s, d->id)) != NULL && memo_matches(mm, r, &m)) {
		if (out != NULL)
			*out = m;
		return 0;
	}
	if (store_meter_load(s, d->id, st, &id) != 0)
		return -1;
	/* An idle counter still read its baseline at the previous poll. */
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (st[i].known && id.last_ok > st[i].seen && id.last_ok < r->when)
			st[i].seen = id.last_ok;
	swap = swapped(&id, r, why, sizeof(why));
	if (meter_raw(s, d, r, st, swap, why, &m) != 0 || meter_derived(s, d, r, st, &m) != 0)
		return -1;
	day_of(r->when, day);
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (m.pages[i] > 0 && store_ledger_add(s, day, d->id, dept, counter_name(i),
		    m.pages[i]) != 0)
			return -1;
	/* An answer that lacks the serial this time does not erase the one we know. */
	serial = r->serial[0] ? r->serial : id.serial;
	src = r->serial[0] ? r->serial_src : id.serial_src;
	objid = r->sys_object_id[0] ? r->sys_object_id : id.objid;
	if ((!id.known || strcmp(id.serial, serial) != 0 || strcmp(id.serial_src, src) != 0 ||
	    strcmp(id.objid, objid) != 0) && store_ident_save(s, d->id, serial, src, objid) != 0)
		return -1;
	store_set_meter_memo(s, d->id, memo_make(st, r, &m));
	if (out != NULL)
		*out = m;
	return 0;
}
