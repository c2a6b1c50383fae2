/*
 * What a discovered device is, from what it answered: a printer (Printer-MIB
 * marker table, or a HOST-RESOURCES printer), a workstation or server
 * (HOST-RESOURCES system and storage) or something else (switch, UPS,
 * access point: listed, never configured); its vendor, model and serial,
 * the vendor profile that matches it, whether it counts pages, and the best
 * evidence of its age.
 */
#ifndef GF_CLASSIFY_H
#define GF_CLASSIFY_H

#include "conf.h"
#include "reading.h"

struct gf_profiles;

enum gf_class { GF_CLASS_PRINTER, GF_CLASS_WORKSTATION, GF_CLASS_SERVER, GF_CLASS_OTHER };

struct gf_class_info {
	enum gf_class cls;
	char sys_name[GF_SHORT];	/* cleaned, as the agent gave it */
	char vendor[GF_SHORT];
	char model[128];
	char serial[GF_SHORT];		/* "" when none was valid */
	char serial_src[48];		/* "printer-mib", "entity-mib", "profile:NAME" */
	char profile[GF_SHORT];		/* the matching vendor profile's name, "" for none */
	int has_pages;			/* a page counter answered */
	char age[11];			/* YYYY-MM-DD of the best age evidence, "" for none */
	const char *age_src;		/* "entity-mib" (manufacturing date), "software" (oldest install) */
};

/*
 * Whether the first-contact reading R (readplan_first(GF_KIND_PRINTER)) is
 * surely a printer's: the Printer-MIB marker table (life count or
 * supplies), or a vendor printer profile of PS (may be NULL) that matches.
 * Then the printer plan reads it; else the full host plan does.
 */
int classify_is_printer(const struct gf_reading *r, const struct gf_profiles *ps);

/*
 * Classifies device reading R: PRINTER as classify_is_printer said (R is a
 * printer plan's reading, else the host plan's); HR_PRINTER: the first
 * contact found an hrPrinterTable row (hrDeviceType printer), which makes a
 * printer of a device that is no host (no HOST-RESOURCES system and
 * storage: a Windows host lists its print queues there too).
 */
void classify_reading(const struct gf_reading *r, int printer, int hr_printer,
    const struct gf_profiles *ps, struct gf_class_info *out);

/*
 * A printer's last question: hrDeviceDescr.1, the model as the printer
 * names itself (sysDescr is often its network card's). Its reading holds
 * the answer in sys_descr; classify_model takes it from there.
 */
const struct gf_readplan *classify_model_plan(void);
void classify_model(const struct gf_reading *r, struct gf_class_info *out);

/* "printer", "workstation", "server", "other". */
const char *classify_name(enum gf_class cls);

#endif
