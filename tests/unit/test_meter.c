/* Metering rules: every page counted once, resets and garbage counted never. */
#include "config.h"

#include <string.h>

#include "counter.h"
#include "meter.h"
#include "tap.h"

#define C32	(1ULL << 32)
#define I31	(1ULL << 31)
#define T0	1800000000

static struct gf_counter
raw(uint64_t v, uint64_t mod, int src)
{
	struct gf_counter c;

	memset(&c, 0, sizeof(c));
	c.present = 1;
	c.value = v;
	c.modulus = mod;
	c.src = src;
	return c;
}

/* One step at time T of value V (Counter32, Printer-MIB); returns the pages counted. */
static uint64_t
step(struct gf_meter_state *st, uint64_t v, time_t t, enum gf_meter_event *ev)
{
	struct gf_counter c = raw(v, C32, GF_SRC_PRTMIB);
	struct gf_meter_step out;

	meter_step(st, &c, t, 300, &out);
	if (ev)
		*ev = out.ev;
	return out.pages;
}

static void
test_growth(void)
{
	struct gf_meter_state st;
	enum gf_meter_event ev;

	memset(&st, 0, sizeof(st));
	ok(step(&st, 121104, T0, &ev) == 0 && ev == GF_EV_BASELINE, "first value is a baseline");
	ok(step(&st, 121150, T0 + 300, &ev) == 46 && ev == GF_EV_NONE, "46 pages in 5 minutes");
	ok(step(&st, 121150, T0 + 600, &ev) == 0 && ev == GF_EV_NONE, "no change, nothing");
	ok(st.odometer == 46 && st.last == 121150, "odometer 46, baseline moved");
	/* 300 ppm x 5 min = 1500 allowed. */
	ok(step(&st, 121150 + 1500, T0 + 900, &ev) == 1500, "exactly the allowance is counted");
	ok(step(&st, 121150 + 1500 + 300, T0 + 910, &ev) == 300, "10 s counts as a minute: 300 pages");
	ok(step(&st, 121150 + 1500 + 300 + 301, T0 + 920, &ev) == 0 && ev == GF_EV_GARBAGE,
	    "301 pages in 10 s are not");
	ok(st.odometer == 46 + 1500 + 300, "odometer sums every count");
}

static void
test_garbage(void)
{
	struct gf_meter_state st;
	enum gf_meter_event ev;

	memset(&st, 0, sizeof(st));
	step(&st, 1000, T0, NULL);
	ok(step(&st, 10884743, T0 + 300, &ev) == 0 && ev == GF_EV_GARBAGE,
	    "a jump beyond 300 ppm is garbage, not pages");
	ok(st.last == 1000 && st.has_suspect && st.suspect == 10884743, "baseline kept, suspect held");
	ok(step(&st, 1020, T0 + 600, &ev) == 20 && ev == GF_EV_NONE,
	    "back to normal: the 20 pages since the baseline are counted");
	ok(!st.has_suspect, "suspect forgotten");
	ok(st.odometer == 20, "the spike never reached the odometer");
	/* A real jump (new board that kept its serial) is confirmed by the next value. */
	ok(step(&st, 500000, T0 + 900, &ev) == 0 && ev == GF_EV_GARBAGE, "big jump held");
	ok(step(&st, 500010, T0 + 1200, &ev) == 10 && ev == GF_EV_CONFIRMED,
	    "continues from the jump: confirmed, only the 10 pages after it count");
	ok(st.last == 500010 && st.odometer == 30, "new baseline after confirmation");
}

static void
test_wraps_and_resets(void)
{
	struct gf_meter_state st;
	struct gf_counter c;
	struct gf_meter_step out;
	enum gf_meter_event ev;

	memset(&st, 0, sizeof(st));
	step(&st, 4294967000ULL, T0, NULL);
	ok(step(&st, 200, T0 + 300, &ev) == 496 && ev == GF_EV_WRAP, "Counter32 wrap: 296 + 200");
	memset(&st, 0, sizeof(st));
	c = raw(2147483000ULL, I31, GF_SRC_PROFILE);
	meter_step(&st, &c, T0, 300, &out);
	c = raw(300, I31, GF_SRC_PROFILE);
	meter_step(&st, &c, T0 + 300, 300, &out);
	ok(out.pages == 948 && out.ev == GF_EV_WRAP, "INTEGER wrap at 2^31: 648 + 300 (%llu)",
	    (unsigned long long)out.pages);
	memset(&st, 0, sizeof(st));
	step(&st, 50000, T0, NULL);
	ok(step(&st, 12, T0 + 300, &ev) == 0 && ev == GF_EV_RESET, "a fall far from the top is a reset");
	ok(st.last == 12, "counting goes on from the reset value");
	ok(step(&st, 40, T0 + 600, &ev) == 28, "and counts after it");
	/* A fall near the top that the allowance cannot explain is a reset too. */
	memset(&st, 0, sizeof(st));
	step(&st, 4294967000ULL, T0, NULL);
	ok(step(&st, 5000, T0 + 60, &ev) == 0 && ev == GF_EV_RESET,
	    "5296 pages in a minute is no wrap");
}

static void
test_source_and_clock(void)
{
	struct gf_meter_state st;
	struct gf_counter c;
	struct gf_meter_step out;
	enum gf_meter_event ev;

	memset(&st, 0, sizeof(st));
	step(&st, 1000, T0, NULL);
	c = raw(900, C32, GF_SRC_PROFILE);
	meter_step(&st, &c, T0 + 300, 300, &out);
	ok(out.ev == GF_EV_SOURCE && out.pages == 0, "another source: new baseline, nothing counted");
	ok(st.src == GF_SRC_PROFILE && st.last == 900, "baseline follows the new source");
	/* A clock stepped back: one minute's allowance, never a negative window. */
	memset(&st, 0, sizeof(st));
	step(&st, 1000, T0, NULL);
	ok(step(&st, 1200, T0 - 3600, &ev) == 200, "clock back an hour: 200 pages still fit a minute");
	ok(step(&st, 1200 + 400, T0 - 3590, &ev) == 0 && ev == GF_EV_GARBAGE,
	    "but not 400 in 10 s");
	/* A 3-day outage: everything printed meanwhile is counted once, when seen. */
	memset(&st, 0, sizeof(st));
	step(&st, 1000, T0, NULL);
	ok(step(&st, 1000 + 25000, T0 + 3 * 86400, &ev) == 25000 && ev == GF_EV_NONE,
	    "3 days away: 25000 pages counted once on return");
}

static void
test_derive(void)
{
	int present[GF_NCOUNTERS] = { 0 }, derived[GF_NCOUNTERS];
	uint64_t v[GF_NCOUNTERS] = { 0 };
	struct gf_counter c[GF_NCOUNTERS];

	present[GF_C_PRINT_MONO] = present[GF_C_COPY_MONO] = 1;
	present[GF_C_PRINT_COLOUR] = present[GF_C_COPY_COLOUR] = 1;
	v[GF_C_PRINT_MONO] = 22876;
	v[GF_C_COPY_MONO] = 3672;
	v[GF_C_PRINT_COLOUR] = 6711;
	v[GF_C_COPY_COLOUR] = 544;
	counter_derive(present, derived, v);
	ok(derived[GF_C_MONO] && v[GF_C_MONO] == 26548, "Konica mono = print + copy black");
	ok(derived[GF_C_COLOUR] && v[GF_C_COLOUR] == 7255, "Konica colour = print + copy colour");
	ok(derived[GF_C_TOTAL] && v[GF_C_TOTAL] == 33803, "Konica total = mono + colour, not 33810");
	memset(present, 0, sizeof(present));
	present[GF_C_TOTAL] = present[GF_C_MONO] = 1;
	v[GF_C_TOTAL] = 15232;
	v[GF_C_MONO] = 15232;
	counter_derive(present, derived, v);
	ok(!derived[GF_C_TOTAL] && !derived[GF_C_MONO] && !derived[GF_C_COLOUR],
	    "a vendor's own total and mono are never replaced");
	memset(c, 0, sizeof(c));
	c[GF_C_PRINT_MONO].present = c[GF_C_FAX].present = 1;
	ok(strcmp(counter_derive_origin(GF_C_MONO, c), "print_mono+fax") == 0,
	    "origin names the parts present");
	ok(counter_by_name("copy_colour") == GF_C_COPY_COLOUR && counter_by_name("pages") == -1,
	    "counter names");
}


/* One cross-check poll: the other total and the life count (0: absent), what must follow. */
struct xc_poll {
	uint64_t vendor, life;
	enum gf_xcheck_choice want;
	int changed;
	const char *reason;	/* NULL: not checked */
};

static void
xc_run(const char *name, int src, const struct xc_poll *p, int n)
{
	struct gf_xcheck x;
	struct gf_counter v, l;
	enum gf_xcheck_choice ch;
	int i, changed;

	memset(&x, 0, sizeof(x));
	for (i = 0; i < n; i++) {
		v = raw(p[i].vendor, I31, src);
		l = raw(p[i].life, C32, GF_SRC_PRTMIB);
		ch = meter_xcheck(&x, p[i].vendor ? &v : NULL, p[i].life ? &l : NULL, &changed);
		ok(ch == p[i].want && changed == p[i].changed &&
		    (p[i].reason == NULL || strcmp(x.reason, p[i].reason) == 0),
		    "%s, poll %d: choice %d (want %d), changed %d, '%s'", name, i, ch, p[i].want,
		    changed, x.reason);
	}
}

static void
test_xcheck(void)
{
	/* Epson-like: the profile's OID holds 2 beside a life count of 7389. */
	static const struct xc_poll epson[] = {
		{ 2, 7389, GF_XC_LIFECOUNT, 1,
		    "profile total 2 is below half the Printer-MIB life count 7389" },
		{ 2, 7401, GF_XC_LIFECOUNT, 0, NULL },
		{ 7401, 7401, GF_XC_LIFECOUNT, 0, NULL },	/* rejected for good */
		{ 0, 7405, GF_XC_LIFECOUNT, 0, NULL },
		{ 2, 0, GF_XC_HOLD, 0, NULL },			/* life count missing: held */
		{ 2, 7410, GF_XC_LIFECOUNT, 0, NULL },
	};
	/* Real figures that differ and agree: Kyocera 76064 beside 76498, then rises. */
	static const struct xc_poll kyocera[] = {
		{ 76064, 76498, GF_XC_VENDOR, 0, NULL },
		{ 76064, 76498, GF_XC_VENDOR, 0, NULL },
		{ 76164, 76598, GF_XC_VENDOR, 0, NULL },	/* same 100 */
		{ 76364, 76698, GF_XC_VENDOR, 0, NULL },	/* 200 impressions, 100 sheets */
		{ 76464, 76698, GF_XC_VENDOR, 0, NULL },	/* life count still: not judged */
		{ 76464, 76600, GF_XC_VENDOR, 0, NULL },	/* life count fell: not judged */
		{ 76478, 76600, GF_XC_VENDOR, 0, NULL },
		{ 76478, 76615, GF_XC_VENDOR, 0, NULL },	/* 0 against 15: within the slack */
		{ 76478, 76715, GF_XC_LIFECOUNT, 1,
		    "profile total rose 0 while the Printer-MIB life count rose 100" },
	};
	/* A life count that lags: compared over the same span once it catches up. */
	static const struct xc_poll lag[] = {
		{ 1000, 1000, GF_XC_VENDOR, 0, NULL },
		{ 1100, 1000, GF_XC_VENDOR, 0, NULL },
		{ 1100, 1100, GF_XC_VENDOR, 0, NULL },
		{ 1100, 1200, GF_XC_LIFECOUNT, 1,
		    "profile total rose 0 while the Printer-MIB life count rose 100" },
	};
	/* A total rising far faster than the life count, then one that fell. */
	static const struct xc_poll faster[] = {
		{ 1000, 1000, GF_XC_VENDOR, 0, NULL },
		{ 1300, 1100, GF_XC_LIFECOUNT, 1,
		    "pwg total rose 300 while the Printer-MIB life count rose 100" },
	};
	static const struct xc_poll fell[] = {
		{ 5000, 5000, GF_XC_VENDOR, 0, NULL },
		{ 12, 5010, GF_XC_LIFECOUNT, 1, NULL },
	};
	/* The other total blinks: held one answer, then the life count takes over. */
	static const struct xc_poll blink[] = {
		{ 15232, 15232, GF_XC_VENDOR, 0, NULL },
		{ 0, 15240, GF_XC_HOLD, 0, NULL },
		{ 15240, 15240, GF_XC_VENDOR, 0, NULL },	/* back: counted from its baseline */
		{ 0, 15250, GF_XC_HOLD, 0, NULL },
		{ 0, 15260, GF_XC_LIFECOUNT, 1, "the other total is missing from two answers running" },
		{ 15260, 15260, GF_XC_VENDOR, 1, "profile total is back" },
	};
	/* Nothing to compare: whatever is there is used. */
	static const struct xc_poll alone[] = {
		{ 700, 0, GF_XC_VENDOR, 0, NULL },
		{ 0, 777, GF_XC_LIFECOUNT, 0, NULL },
		{ 700, 777, GF_XC_VENDOR, 0, NULL },		/* above half: believed */
		{ 33803, 33810, GF_XC_VENDOR, 0, NULL },	/* a jump of the other total */
	};
	/* The unit does not matter: sheets are at least half the impressions. */
	static const struct xc_poll half[] = {
		{ 3695, 7389, GF_XC_VENDOR, 0, NULL },
		{ 3694, 7389, GF_XC_LIFECOUNT, 1,
		    "profile total 3694 is below half the Printer-MIB life count 7389" },
	};

	xc_run("epson", GF_SRC_PROFILE, epson, 6);
	xc_run("kyocera", GF_SRC_PROFILE, kyocera, 9);
	xc_run("lag", GF_SRC_PROFILE, lag, 4);
	xc_run("faster", GF_SRC_PWG, faster, 2);
	xc_run("fell", GF_SRC_PROFILE, fell, 2);
	xc_run("blink", GF_SRC_PROFILE, blink, 6);
	xc_run("alone", GF_SRC_PROFILE, alone, 4);
	xc_run("half", GF_SRC_PROFILE, half, 2);
}

/* One step of a derived counter: its value and parts now, the parts' pages this poll. */
struct dv_poll {
	uint64_t value;
	const char *parts;
	uint64_t pages;
	enum gf_meter_event ev;
	uint64_t counted, last;
};

static void
test_derived_blink(void)
{
	/* Sharp: colour rows missing from one answer (+5 mono), then back (+10 colour). */
	static const struct dv_poll sharp[] = {
		{ 121104, "mono+colour", 0, GF_EV_BASELINE, 0, 121104 },
		{ 91169, "mono", 5, GF_EV_HELD, 0, 121104 },
		{ 121119, "mono+colour", 10, GF_EV_NONE, 15, 121119 },
		{ 121119, "mono+colour", 0, GF_EV_NONE, 0, 121119 },
	};
	/* A part gone for two answers: the sum goes on without it, every page counted. */
	static const struct dv_poll gone[] = {
		{ 300, "mono+colour", 0, GF_EV_BASELINE, 0, 300 },
		{ 203, "mono", 3, GF_EV_HELD, 0, 300 },
		{ 204, "mono", 1, GF_EV_SOURCE, 4, 204 },
		{ 210, "mono", 6, GF_EV_NONE, 6, 210 },
		{ 310, "mono+colour", 2, GF_EV_NONE, 2, 310 },	/* a part back: its own pages */
	};
	static const struct { const char *name; const struct dv_poll *p; int n; } runs[] = {
		{ "sharp", sharp, 4 }, { "gone", gone, 5 },
	};
	struct gf_meter_state st;
	struct gf_meter_step out;
	struct gf_counter c;
	size_t r;
	int i;

	for (r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		memset(&st, 0, sizeof(st));
		for (i = 0; i < runs[r].n; i++) {
			const struct dv_poll *p = &runs[r].p[i];

			c = raw(p->value, 0, GF_SRC_DERIVED);
			snprintf(c.origin, sizeof(c.origin), "%s", p->parts);
			meter_derived_step(&st, &c, p->pages, T0 + 300 * i, &out);
			ok(out.ev == p->ev && out.pages == p->counted && st.last == p->last,
			    "%s, poll %d: %s, %llu counted, baseline %llu", runs[r].name, i,
			    meter_event_name(out.ev), (unsigned long long)out.pages,
			    (unsigned long long)st.last);
		}
	}
	ok(meter_parts_cover("mono+colour", "mono") && meter_parts_cover("colour+mono", "mono+colour") &&
	    !meter_parts_cover("mono", "mono+colour") && !meter_parts_cover("mono+fax", "mono+f") &&
	    meter_parts_cover("print_mono+copy_mono", "") && !meter_parts_cover("", "mono"),
	    "parts: every part named before must be named now, whole names only");
}

/* Quota sides: what mono and colour do not explain of the total is mono; nothing is lost. */
static void
test_split(void)
{
	static const struct { uint64_t t, mo, co, m, c; const char *name; } cases[] = {
		{ 100, 0, 0, 100, 0, "no split: the total is mono" },
		{ 100, 70, 30, 70, 30, "a split that explains the total" },
		{ 150, 40, 0, 150, 0, "split counters stopped with a rejected total" },
		{ 100, 40, 20, 80, 20, "colour kept, the rest mono" },
		{ 50, 40, 30, 40, 30, "a total below its split (sheets): the split" },
		{ 0, 12, 3, 12, 3, "no total: the split" },
	};
	struct gf_xcheck x;
	uint64_t m, c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		meter_split(cases[i].t, cases[i].mo, cases[i].co, &m, &c);
		ok(m == cases[i].m && c == cases[i].c, "split: %s (%llu, %llu)", cases[i].name,
		    (unsigned long long)m, (unsigned long long)c);
	}
	memset(&x, 0, sizeof(x));
	ok(!meter_distrusted(&x, GF_C_MONO, GF_SRC_PROFILE), "split: trusted while the total is");
	x.rejected = 1;
	ok(meter_distrusted(&x, GF_C_MONO, GF_SRC_PROFILE) &&
	    meter_distrusted(&x, GF_C_COPY_COLOUR, GF_SRC_PWG) &&
	    meter_distrusted(&x, GF_C_COLOUR, GF_SRC_DERIVED) &&
	    !meter_distrusted(&x, GF_C_DUPLEX, GF_SRC_PROFILE) &&
	    !meter_distrusted(&x, GF_C_TOTAL, GF_SRC_PRTMIB) &&
	    !meter_distrusted(&x, GF_C_SCAN, GF_SRC_PROFILE),
	    "split: a rejected total takes its mono and colour parts, not duplex or scans");
}

int
main(void)
{
	test_growth();
	test_garbage();
	test_wraps_and_resets();
	test_source_and_clock();
	test_derive();
	test_xcheck();
	test_derived_blink();
	test_split();
	return tap_done();
}
