/* Printer read plans: the Printer-MIB base, the PWG counter MIB, and one per vendor profile. */
#ifndef GF_PRINTER_H
#define GF_PRINTER_H

#include "readplan.h"

struct gf_profile;
struct gf_profiles;

/* The base plan (system group, Printer-MIB life count and supplies). */
const struct gf_readplan *printer_plan(void);

/* The base plan plus profile P's OIDs and tables; freed with printer_plan_free. */
struct gf_readplan *printer_plan_for_profile(const struct gf_profile *p);
void printer_plan_free(struct gf_readplan *rp);

/*
 * The vendor profiles' plans, built by the reading layer from the profiles
 * (which stay data) when a poller starts; PS must outlive them.
 */
struct gf_printer_plans;
struct gf_printer_plans *printer_plans_new(const struct gf_profiles *ps);
void printer_plans_free(struct gf_printer_plans *pp);

/* After a discovery poll: PWG if the device has it, else its vendor profile's plan, else the base. */
const struct gf_readplan *printer_choose_plan(const struct gf_reading *r,
    const struct gf_printer_plans *pp);

/*
 * Trims serial number S in place; 1 if it is one: not empty, not only
 * zeros, spaces, dashes or '?', not a placeholder such as "N/A" or "unknown".
 */
int printer_serial_ok(char *s);

#endif
