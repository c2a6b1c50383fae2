/*
 * Page counters: the fixed vocabulary every source (PWG counter MIB, vendor
 * profile, Printer-MIB) is mapped onto, so that the ledger, quotas and
 * reports never need to know which vendor a number came from.
 */
#ifndef GF_COUNTER_H
#define GF_COUNTER_H

#include <stdint.h>

enum gf_counter_id {
	GF_C_TOTAL,		/* every impression (or sheet, see unit) */
	GF_C_MONO,
	GF_C_COLOUR,
	GF_C_DUPLEX,		/* two-sided impressions or sheets */
	GF_C_SHEETS,		/* sheets of paper, where the device counts them apart */
	GF_C_PRINT_MONO,
	GF_C_PRINT_COLOUR,
	GF_C_COPY_MONO,
	GF_C_COPY_COLOUR,
	GF_C_FAX,		/* received faxes printed (monochrome) */
	GF_C_SCAN,		/* scanned pages: not printed, never part of a total */
	GF_C_JAMS,		/* paper jams: wear, not pages */
	GF_NCOUNTERS
};

/* Where a counter's value came from, best first. */
enum gf_counter_src {
	GF_SRC_NONE,
	GF_SRC_PWG,		/* PWG Imaging System Counter MIB */
	GF_SRC_PROFILE,		/* a vendor profile from profiles.d */
	GF_SRC_PRTMIB,		/* Printer-MIB prtMarkerLifeCount (total only) */
	GF_SRC_DERIVED		/* sum of other counters of the same source; not metered itself */
};

/* Printer-MIB prtMarkerLifeCount of the first marker. */
#define GF_LIFECOUNT_OID	"1.3.6.1.2.1.43.10.2.1.4.1.1"

enum gf_unit { GF_UNIT_UNKNOWN, GF_UNIT_IMPRESSIONS, GF_UNIT_SHEETS };

/* What one poll read of one counter. */
struct gf_counter {
	int present;
	enum gf_counter_src src;
	enum gf_unit unit;
	uint64_t value;
	uint64_t modulus;	/* where the agent's value wraps: 2^31, 2^32 or 2^64 */
	char origin[64];	/* OID, "profile:name" or the parts of a sum */
};

const char *counter_name(int id);
int counter_by_name(const char *name);		/* -1 if unknown */
const char *counter_src_name(int src);
int counter_src_by_name(const char *name);	/* GF_SRC_NONE if unknown */
const char *counter_unit_name(int unit);
int counter_unit_by_name(const char *name);	/* -1 if unknown */

/*
 * Fills counters the source lacks from their parts, in this order:
 * mono = print_mono + copy_mono + fax, colour = print_colour + copy_colour,
 * total = mono + colour. PRESENT says which V are known; DERIVED (output)
 * marks the sums made. Applied alike to raw values and to metered deltas,
 * so a department's mono pages are the same sums the device shows.
 */
void counter_derive(int present[GF_NCOUNTERS], int derived[GF_NCOUNTERS],
    uint64_t v[GF_NCOUNTERS]);

/* "print_mono+copy_mono" for derived counter ID, naming the parts present in C. */
const char *counter_derive_origin(int id, const struct gf_counter *c);

/* Printer-MIB prtMarkerCounterUnit (7 impressions, 8 sheets) to our unit. */
enum gf_unit counter_unit_from_prtmib(int unit);

#endif
