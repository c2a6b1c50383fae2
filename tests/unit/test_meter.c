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

int
main(void)
{
	test_growth();
	test_garbage();
	test_wraps_and_resets();
	test_source_and_clock();
	test_derive();
	return tap_done();
}
