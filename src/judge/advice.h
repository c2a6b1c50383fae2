/*
 * Repair advice: turns a device's age and health into one state and, where
 * something needs doing, the part to change and the carbon a repair saves
 * against buying a replacement. Repair first: age alone never condemns a
 * machine; only IT's "no spare parts" flag makes a repair end-of-life.
 */
#ifndef GF_ADVICE_H
#define GF_ADVICE_H

#include <time.h>

#include "conf.h"

enum gf_state { GF_ST_UNKNOWN, GF_ST_OK, GF_ST_WATCH, GF_ST_REPAIR, GF_ST_EOL, GF_ST_RETIRED };

/* What the store knows of one device's health (-1: unknown). */
struct gf_health {
	int known;			/* answered at least once */
	int disk_pct;
	char disk_name[64];
	int disks_down;
	int mem_week_pct;		/* RAM in use, average over the last 7 days */
	int has_smart;
	int smart_bad;
	char smart_disk[16];
	long smart_hours;
	int supply_pct;			/* printers: the lowest supply (toner, drum, fuser...) */
	char supply_name[64];
	long jams_week;			/* printers: jams counted in the last 7 days */
	int error_state;		/* printers: hrPrinterDetectedErrorState, first 2 bytes */
	int jam_alerts;			/* printers: prtAlertTable jam alerts standing */
};

struct gf_advice {
	enum gf_state state;
	char component[16];		/* disk, ram, supply, printer */
	char reason[192];
	char part[64];			/* what to order or do */
	int has_avoided;
	double avoided_kg;		/* embodied CO2e of a replacement minus the part's */
};

const char *advice_state_name(enum gf_state s);

/* Judges device D's health H with the configured rules and factors. */
void advice_eval(const struct gf_device *d, const struct gf_health *h,
    const struct gf_advice_rules *rules, const struct gf_factors *f, struct gf_advice *out);

/* hrPrinterDetectedErrorState bits as stored (first octet high): jammed(5), serviceRequested(7). */
#define GF_ERR_JAMMED		0x0400
#define GF_ERR_SERVICE		0x0100

/* A device's age evidence, best first: in_service, ENTITY-MIB, software, first seen. */
struct gf_age {
	char date[11];			/* YYYY-MM-DD, "" unknown */
	const char *source;		/* "in_service", "entity-mib", "software", "first-seen" */
};

void advice_age(const struct gf_device *d, const char *mfg_date, const char *sw_oldest,
    time_t first_seen, struct gf_age *out);

/* Years between DATE (YYYY-MM-DD) and NOW, one decimal; -1 if unknown. */
double advice_years(const char *date, time_t now);

struct gf_store;
struct gf_store_health;

/* What advice is made of for one device: its health, and its age evidence. */
struct gf_device_health {
	struct gf_health h;
	char sw_oldest[11];		/* age evidence, "" unknown */
	char mfg_date[11];
	time_t first_seen;		/* 0 unknown */
};

/*
 * DEVICE's health at NOW from what the store holds (store_health): RAM and
 * jams over the 7 days before, the lowest supply that wears. -1 on error.
 */
int advice_device_health(struct gf_store *s, const char *device, time_t now,
    struct gf_device_health *out);

/* The first day (YYYY-MM-DD) of the week of RAM samples and jams that advice weighs at NOW. */
int advice_since(time_t now, char day[11]);

/* A device's health from RAW as the store read it from day advice_since() on (store_health or a scan). */
void advice_health_from(const struct gf_store_health *raw, struct gf_device_health *out);

#endif
