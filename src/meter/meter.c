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
 * - A counter missing from one answer keeps its baseline: its rise is counted
 *   when it is back. A derived counter (a sum) missing a part it had is held
 *   for that answer: nothing counted, the parts' pages counted meanwhile are
 *   added when it is whole again. Missing from two answers running, the part
 *   is gone: the sum goes on without it (a source event).
 * - A total that is not the Printer-MIB's is cross-checked against the
 *   Printer-MIB life count at every answer that gives both: below half of it,
 *   or rising differently (see meter_xcheck), it is rejected for good (until
 *   a swap) and the life count is the total. A source switch counts nothing
 *   itself: the interval is counted by the source trusted for it, and the
 *   new source's baseline is its value of the poll before, or now. The
 *   mono and colour counters of a rejected total go unmetered with it
 *   (meter_distrusted); quotas put the life count's pages they do not
 *   explain on the mono side (meter_split).
 * Every event other than a plain count is written to the audit table.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "meter.h"

static const char *const event_names[GF_NEVENTS] = {
	"none", "baseline", "wrap", "reset", "swap", "garbage", "confirmed", "source",
	"held",
};

/* Rises that differ by more than this plus half the larger one are not the same pages. */
#define XC_SLACK	10

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
	snprintf(st->origin, sizeof(st->origin), "%s", c->origin);
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

int
meter_parts_cover(const char *now, const char *before)
{
	const char *p = before, *e, *q;
	size_t n;

	while (*p != '\0') {
		n = (e = strchr(p, '+')) != NULL ? (size_t)(e - p) : strlen(p);
		for (q = now; q != NULL; q = strchr(q, '+') != NULL ? strchr(q, '+') + 1 : NULL)
			if (strncmp(q, p, n) == 0 && (q[n] == '\0' || q[n] == '+'))
				break;
		if (q == NULL)
			return 0;
		p += n + (e != NULL);
	}
	return 1;
}

void
meter_derived_step(struct gf_meter_state *st, const struct gf_counter *c, uint64_t pages,
    time_t now, struct gf_meter_step *out)
{
	memset(out, 0, sizeof(*out));
	out->old = st->last;
	out->new = c->value;
	if (st->known && st->src == GF_SRC_DERIVED && !meter_parts_cover(c->origin, st->origin)) {
		if (!st->has_suspect) {
			/* One answer without a part: held, its parts' pages wait. */
			st->has_suspect = 1;
			st->suspect = pages;
			out->ev = GF_EV_HELD;
			return;
		}
		out->ev = GF_EV_SOURCE;	/* two answers running: the part is gone */
	}
	if (st->known && st->has_suspect && st->src == GF_SRC_DERIVED)
		pages += st->suspect;
	if (!st->known)
		out->ev = GF_EV_BASELINE;
	else if (st->src != GF_SRC_DERIVED)
		out->ev = GF_EV_SOURCE;
	out->pages = pages;
	st->odometer += pages;
	rebase(st, c, now);
}

/* The rise of a counter from OLD to NEW, across MOD when it fell; -1 when nothing explains a fall. */
static int
rise(uint64_t old, uint64_t new, uint64_t mod, uint64_t *d)
{
	if (new >= old)
		*d = new - old;
	else if (mod > old && mod - old <= UINT64_MAX - new)
		*d = mod - old + new;
	else
		return -1;
	return 0;
}

/* Why VENDOR is not a believable total beside LIFE, into X->reason; 0 if it is. */
static int
implausible(struct gf_xcheck *x, const struct gf_counter *vendor, const struct gf_counter *life)
{
	const char *src = counter_src_name(vendor->src);
	uint64_t dv, dl, big;

	/* Impressions are at most twice the sheets: half the life count whatever the units. */
	if (vendor->value < life->value / 2 + life->value % 2) {
		snprintf(x->reason, sizeof(x->reason), "%s total %llu is below half the"
		    " Printer-MIB life count %llu", src, (unsigned long long)vendor->value,
		    (unsigned long long)life->value);
		return 1;
	}
	/* A life count that did not rise (or fell) says nothing: some agents update it late. */
	if (!x->known || life->value <= x->life)
		return 0;
	dl = life->value - x->life;
	if (rise(x->vendor, vendor->value, vendor->modulus, &dv) != 0) {
		snprintf(x->reason, sizeof(x->reason), "%s total fell from %llu to %llu while the"
		    " Printer-MIB life count rose %llu", src, (unsigned long long)x->vendor,
		    (unsigned long long)vendor->value, (unsigned long long)dl);
		return 1;
	}
	big = dv > dl ? dv : dl;
	if ((dv > dl ? dv - dl : dl - dv) > XC_SLACK + big / 2) {
		snprintf(x->reason, sizeof(x->reason), "%s total rose %llu while the Printer-MIB"
		    " life count rose %llu", src, (unsigned long long)dv, (unsigned long long)dl);
		return 1;
	}
	return 0;
}

/* Remembers both figures of this answer. */
static void
xcheck_seen(struct gf_xcheck *x, const struct gf_counter *vendor, const struct gf_counter *life)
{
	x->known = 1;
	x->vendor = vendor->value;
	x->life = life->value;
	x->held = 0;
}

enum gf_xcheck_choice
meter_xcheck(struct gf_xcheck *x, const struct gf_counter *vendor, const struct gf_counter *life,
    int *changed)
{
	int was = x->on_life;

	*changed = 0;
	if (vendor != NULL && life != NULL) {
		if (!x->rejected && implausible(x, vendor, life)) {
			x->rejected = 1;
			x->on_life = 1;
		} else if (!x->rejected && x->on_life) {
			x->on_life = 0;	/* the vendor total is back and agrees */
			snprintf(x->reason, sizeof(x->reason), "%s total is back",
			    counter_src_name(vendor->src));
		}
		/*
		 * Rises are measured from the last answer in which the life count
		 * moved: one that lags behind is not taken for a total that differs.
		 */
		if (!x->known || life->value != x->life || x->on_life)
			xcheck_seen(x, vendor, life);
		x->held = 0;
		*changed = was != x->on_life;
		return x->on_life ? GF_XC_LIFECOUNT : GF_XC_VENDOR;
	}
	if (life != NULL) {
		/* The other total is missing: held for one answer, then the life count. */
		if (!x->known || x->on_life)
			return GF_XC_LIFECOUNT;
		if (x->held++ == 0)
			return GF_XC_HOLD;
		x->on_life = 1;
		x->known = 0;
		snprintf(x->reason, sizeof(x->reason), "the other total is missing from two"
		    " answers running");
		*changed = 1;
		return GF_XC_LIFECOUNT;
	}
	/* No life count: a rejected total is never used, a believed one goes on. */
	if (vendor != NULL && x->rejected) {
		x->held++;
		return GF_XC_HOLD;
	}
	return GF_XC_VENDOR;
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
	if (gf_date_day(t, day) != 0)
		snprintf(day, 11, "1970-01-01");
}

/* Records an audit event of the step. */
static void
audit(struct gf_meter_result *res, int counter, enum gf_meter_event ev, uint64_t old,
    uint64_t new, const char *detail)
{
	struct gf_meter_audit *a;

	if (res->naudit == GF_METER_MAX_AUDIT)
		return;		/* cannot happen: two per counter at most, and the total's source */
	a = &res->audit[res->naudit++];
	a->counter = counter;
	a->ev = ev;
	a->old = old;
	a->new = new;
	snprintf(a->detail, sizeof(a->detail), "%s", detail);
}

/* Counter I's row is to be written as C shows it. */
static void
save(struct gf_meter_result *res, int i, const struct gf_counter *c)
{
	res->save |= 1u << i;
	res->shown[i] = *c;
}

int
meter_distrusted(const struct gf_xcheck *x, int id, int src)
{
	static const int parts[] = { GF_C_MONO, GF_C_COLOUR, GF_C_PRINT_MONO, GF_C_PRINT_COLOUR,
		GF_C_COPY_MONO, GF_C_COPY_COLOUR, GF_C_FAX };
	size_t k;

	if (!x->rejected || src == GF_SRC_PRTMIB)
		return 0;
	for (k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
		if (parts[k] == id)
			return 1;
	return 0;
}

/* Says once, when the total is rejected, which of its parts are no longer counted. */
static void
audit_distrusted(const struct gf_xcheck *was, struct gf_meter_result *res)
{
	char detail[160];
	int i;

	if (was->rejected || !res->x.rejected)
		return;
	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!res->cur[i].present || !meter_distrusted(&res->x, i, res->cur[i].src))
			continue;
		snprintf(detail, sizeof(detail), "not counted: it goes with the rejected total (%.100s)",
		    res->x.reason);
		audit(res, i, GF_EV_SOURCE, res->st[i].last, res->cur[i].value, detail);
	}
}

/* Meters the counters read from the device itself (not the derived sums); DIRTY: save anyway. */
static void
meter_raw(const struct gf_device *d, const struct gf_reading *r, int swap, const char *why,
    unsigned dirty, struct gf_meter_result *res)
{
	struct gf_meter_state *st = res->st;
	struct gf_metered *m = &res->m;
	const struct gf_counter *c;
	struct gf_meter_step step;
	int i;

	for (i = 0; i < GF_NCOUNTERS; i++) {
		c = &res->cur[i];
		if (!c->present || c->src == GF_SRC_DERIVED || meter_distrusted(&res->x, i, c->src))
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
		m->pages[i] += step.pages;
		m->odometer[i] = st[i].odometer;
		/* An idle counter costs no write: most polls of most printers see no page. */
		if (step.ev != GF_EV_NONE || step.pages > 0 || (dirty & 1u << i))
			save(res, i, c);
		if (step.ev != GF_EV_NONE)
			audit(res, i, step.ev, step.old, step.new,
			    step.ev == GF_EV_SWAP ? why : c->origin);
	}
}

/* Derived counter I whose parts counted no page and whose state is as it was. */
static int
derived_idle(const struct gf_meter_state *st, const struct gf_counter *c, uint64_t pages)
{
	return st->known && st->src == GF_SRC_DERIVED && pages == 0 && !st->has_suspect &&
	    st->last == c->value && strcmp(st->origin, c->origin) == 0;
}

/* Derived counters get the same sums of this poll's pages as their raw values got. */
static void
meter_derived(const struct gf_reading *r, unsigned dirty, struct gf_meter_result *res)
{
	int present[GF_NCOUNTERS], derived[GF_NCOUNTERS], i, was;
	struct gf_meter_state *st = res->st;
	const struct gf_counter *cur = res->cur;
	struct gf_metered *m = &res->m;
	uint64_t v[GF_NCOUNTERS];
	struct gf_meter_step step;
	struct gf_counter shown;
	char detail[160];

	for (i = 0; i < GF_NCOUNTERS; i++) {
		present[i] = m->have[i];
		v[i] = m->pages[i];
	}
	counter_derive(present, derived, v);
	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!derived[i] || !cur[i].present || cur[i].src != GF_SRC_DERIVED)
			continue;
		if (derived_idle(&st[i], &cur[i], v[i]) && !(dirty & 1u << i)) {
			m->have[i] = 1;
			m->odometer[i] = st[i].odometer;
			continue;	/* nothing moved */
		}
		snprintf(detail, sizeof(detail), "%s -> %s", st[i].origin, cur[i].origin);
		was = st[i].known && st[i].src == GF_SRC_DERIVED;
		meter_derived_step(&st[i], &cur[i], v[i], r->when, &step);
		m->have[i] = 1;
		m->pages[i] = step.pages;
		m->odometer[i] = st[i].odometer;
		/* A held sum shows the value it is held at, not the partial one. */
		shown = cur[i];
		if (step.ev == GF_EV_HELD) {
			shown.value = st[i].last;
			snprintf(shown.origin, sizeof(shown.origin), "%s", st[i].origin);
			res->held = 1;
		}
		save(res, i, &shown);
		/* A hold, and a part gone for good, are audited; a sum's baseline is not. */
		if (step.ev == GF_EV_HELD || (step.ev == GF_EV_SOURCE && was))
			audit(res, i, step.ev, step.old, step.new, detail);
	}
}

/* Puts the Printer-MIB life count of R as a counter into C; NULL if R has none. */
static const struct gf_counter *
life_counter(const struct gf_reading *r, struct gf_counter *c)
{
	if (!r->has_lifecount)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->present = 1;
	c->src = GF_SRC_PRTMIB;
	c->unit = counter_unit_from_prtmib(r->counter_unit);
	c->value = r->lifecount;
	c->modulus = r->lifecount_mod;
	snprintf(c->origin, sizeof(c->origin), "%s", GF_LIFECOUNT_OID);
	return c;
}

/*
 * Re-bases total T after the cross-check changed its source: onto the life
 * count's value PRIOR of the poll before, or, back to VENDOR, after the life
 * count's rise up to now is counted (into RES). *LEFT: the value left.
 */
static void
switch_total(const struct gf_device *d, const struct gf_reading *r, enum gf_xcheck_choice ch,
    int had, uint64_t prior, const struct gf_counter *vendor, const struct gf_counter *life,
    struct gf_meter_result *res, unsigned *dirty, uint64_t *left)
{
	struct gf_meter_state *t = &res->st[GF_C_TOTAL];
	struct gf_meter_step step;

	if (t->known && ch == GF_XC_LIFECOUNT) {
		if (had && t->src != GF_SRC_PRTMIB) {
			t->src = GF_SRC_PRTMIB;
			t->last = prior;
			t->has_suspect = 0;
		} else if (t->src != GF_SRC_PRTMIB) {
			rebase(t, life, r->when);
		}
		*dirty |= 1u << GF_C_TOTAL;
	} else if (t->known && t->src == GF_SRC_PRTMIB && life != NULL) {
		/* A sum is counted from its parts' pages (meter_derived), a total from now on. */
		if (vendor->src != GF_SRC_DERIVED) {
			meter_step(t, life, r->when, d->max_ppm, &step);
			res->m.pages[GF_C_TOTAL] += step.pages;
		}
		*left = life->value;
		rebase(t, vendor, r->when);
		*dirty |= 1u << GF_C_TOTAL;
	}
}

/*
 * Cross-checks the total of RES->cur against the life count (meter_xcheck)
 * and makes cur[total] the one to meter: the life count, or absent when
 * held. A switch of source is audited with the reason and re-bases the
 * total (switch_total).
 */
static void
choose_total(const struct gf_device *d, const struct gf_reading *r, struct gf_meter_result *res,
    unsigned *dirty)
{
	struct gf_meter_state *t = &res->st[GF_C_TOTAL];
	struct gf_counter lc, *vendor = NULL, *cur = res->cur;
	const struct gf_counter *life = life_counter(r, &lc);
	uint64_t prior = res->x.life, left = t->last;
	int had = res->x.known, changed;
	enum gf_xcheck_choice ch;
	char detail[160];

	if (cur[GF_C_TOTAL].present && cur[GF_C_TOTAL].src != GF_SRC_PRTMIB)
		vendor = &cur[GF_C_TOTAL];
	/* A sum missing a part is held this answer (meter_derived): nothing to check. */
	if (vendor != NULL && vendor->src == GF_SRC_DERIVED && t->known &&
	    t->src == GF_SRC_DERIVED && !meter_parts_cover(vendor->origin, t->origin))
		return;
	if (vendor != NULL)
		left = vendor->value;
	ch = meter_xcheck(&res->x, vendor, life, &changed);
	if (ch == GF_XC_HOLD) {
		cur[GF_C_TOTAL].present = 0;
		res->held = 1;
		return;
	}
	if (ch == GF_XC_LIFECOUNT)
		cur[GF_C_TOTAL] = *life;
	if (!changed)
		return;
	switch_total(d, r, ch, had, prior, vendor, life, res, dirty, &left);
	snprintf(detail, sizeof(detail), "%s: %s", counter_src_name(cur[GF_C_TOTAL].src),
	    res->x.reason);
	audit(res, GF_C_TOTAL, GF_EV_SOURCE, left, cur[GF_C_TOTAL].value, detail);
}

/* Whether two cross-check states differ (the row must be written). */
static int
xcheck_differs(const struct gf_xcheck *a, const struct gf_xcheck *b)
{
	return a->known != b->known || a->rejected != b->rejected || a->on_life != b->on_life ||
	    a->vendor != b->vendor || a->life != b->life || a->held != b->held ||
	    strcmp(a->reason, b->reason) != 0;
}

/* The identity to keep: an answer that lacks the serial this time does not erase the one known. */
static void
keep_ident(const struct gf_meter_ident *id, const struct gf_reading *r,
    struct gf_meter_result *res)
{
	const char *serial = r->serial[0] ? r->serial : id->serial;
	const char *src = r->serial[0] ? r->serial_src : id->serial_src;
	const char *objid = r->sys_object_id[0] ? r->sys_object_id : id->objid;

	res->save_ident = !id->known || strcmp(id->serial, serial) != 0 ||
	    strcmp(id->serial_src, src) != 0 || strcmp(id->objid, objid) != 0;
	snprintf(res->serial, sizeof(res->serial), "%s", serial);
	snprintf(res->serial_src, sizeof(res->serial_src), "%s", src);
	snprintf(res->objid, sizeof(res->objid), "%s", objid);
}

int
meter_wanted(const struct gf_reading *r)
{
	return r->reachable && r->ncounters > 0;
}

void
meter_apply(const struct gf_meter_prior *p, const struct gf_device *d,
    const struct gf_reading *r, struct gf_meter_result *out)
{
	char why[80] = "";
	unsigned dirty = 0;
	int swap, i;

	memset(out, 0, sizeof(*out));
	if (!meter_wanted(r))
		return;
	memcpy(out->st, p->st, sizeof(out->st));
	out->x = p->x;
	/* An idle counter still read its baseline at the previous poll. */
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (out->st[i].known && p->id.last_ok > out->st[i].seen && p->id.last_ok < r->when)
			out->st[i].seen = p->id.last_ok;
	swap = swapped(&p->id, r, why, sizeof(why));
	if (swap)
		memset(&out->x, 0, sizeof(out->x));	/* another device: totals checked afresh */
	memcpy(out->cur, r->counters, sizeof(out->cur));
	choose_total(d, r, out, &dirty);
	audit_distrusted(&p->x, out);
	meter_raw(d, r, swap, why, dirty, out);
	meter_derived(r, dirty, out);
	out->save_xcheck = xcheck_differs(&p->x, &out->x);
	out->when = r->when;
	day_of(r->when, out->day);
	keep_ident(&p->id, r, out);
}

void
meter_split(uint64_t total, uint64_t mono, uint64_t colour, uint64_t *m, uint64_t *c)
{
	uint64_t split = mono + colour;

	*m = mono + (total > split ? total - split : 0);
	*c = colour;
}
