/*
 * A reading: what one poll of one device found. Plain data, bounded sizes:
 * device answers are hostile, so every string is truncated and cleaned
 * before it lands here, and every number has a "present" flag.
 */
#ifndef GF_READING_H
#define GF_READING_H

#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "counter.h"
#include "storage.h"

#define GF_MAX_SUPPLIES	32
#define GF_MAX_STORAGE	32
#define GF_STR		256
#define GF_SHORT	64
#define GF_MAX_RAW	40	/* vendor scalars per poll (GF_PROF_OIDS) */
#define GF_MAX_ROWS	48	/* rows of vendor keyed tables per poll */
#define GF_MAX_PWG	8	/* PWG counter keys (services) per poll */
#define GF_MAX_DISKS	16
/* How a poll's error begins when the device never answered (a timeout, not an error). */
#define GF_NO_ANSWER	"no answer after"
#define GF_MAX_ENT	16	/* ENTITY-MIB rows a printer poll keeps */
#define GF_MAX_VSERIAL	4	/* vendor serial-number OIDs (GF_PROF_SERIALS) */

/* Printer-MIB prtMarkerSuppliesType (PrtMarkerSuppliesTypeTC, RFC 3805) values we judge. */
enum {
	GF_SUPPLY_TONER = 3, GF_SUPPLY_INK = 5, GF_SUPPLY_INK_CART = 6, GF_SUPPLY_OPC = 9,
	GF_SUPPLY_DEVELOPER = 10, GF_SUPPLY_FUSER = 15, GF_SUPPLY_TRANSFER = 20,
	GF_SUPPLY_TONER_CART = 21
};

struct gf_supply {
	int index;
	char descr[GF_SHORT];
	int type;		/* PrtMarkerSuppliesTypeTC, 0 unknown */
	int unit;
	long max;		/* -1 other, -2 unknown */
	long level;		/* -1 other, -2 unknown, -3 some remaining */
};

/* An hrFSTable row, kept until the poll ends to be joined to its hrStorage row. */
struct gf_fsrow {
	int index;		/* hrFSIndex */
	int storage;		/* hrFSStorageIndex, 0: none */
	int type;
	int access;
};

/* One row of a vendor table that names itself (value column + key column). */
struct gf_rawrow {
	unsigned char table;
	unsigned char has_value, has_key;
	uint64_t idx;			/* hash of the row index */
	uint64_t value;
	uint64_t modulus;
	char key[40];
};

/* PWG Imaging System Counter MIB: lifetime work totals of one counter key (service). */
struct gf_pwg_key {
	int key;			/* icKeyIndex */
	int service;			/* icKeyServiceType: 3 system totals, 4 copy, 11 print... */
	unsigned char have[5];		/* per PWG_* below */
	uint64_t v[5];
};
enum { PWG_IMPS, PWG_MONO, PWG_COLOUR, PWG_TWOSIDED, PWG_SHEETS };

/* One ENTITY-MIB entPhysicalEntry: is it the chassis, and its serial number. */
struct gf_ent {
	uint32_t index;
	unsigned char chassis;
	char serial[GF_SHORT];
};

struct gf_readplan;

struct gf_reading {
	time_t when;
	int64_t when_ms;		/* the same in milliseconds: which of two readings is newer */
	const struct gf_readplan *plan;	/* the plan that produced it */
	int reachable;
	char error[GF_SHORT];		/* why not reachable / partial */
	int poll_ms;			/* first request to last answer or timeout, -1 unknown */

	/* system group */
	char sys_descr[GF_STR];
	char sys_object_id[GF_SHORT];
	char sys_name[GF_SHORT];
	char sys_location[GF_SHORT];
	int has_sys_uptime;
	uint32_t sys_uptime;		/* TimeTicks, 1/100 s */

	/* printers */
	int has_lifecount;
	uint64_t lifecount;		/* prtMarkerLifeCount (Counter32) */
	uint64_t lifecount_mod;		/* where it wraps, by its SNMP type */
	int counter_unit;		/* prtMarkerCounterUnit, 0 if not given */
	char serial[GF_SHORT];		/* the first valid serial number of the sources below */
	char serial_src[48];		/* where: "printer-mib", "entity-mib", "profile:NAME" */
	char vserial[GF_MAX_VSERIAL][GF_SHORT];	/* the profile's serial OIDs, in its order */
	struct gf_ent ent[GF_MAX_ENT];
	int nent;
	int has_printer_status;
	int printer_status;		/* hrPrinterStatus: 1 other .. 5 warmup */
	int has_device_status;
	int device_status;		/* hrDeviceStatus: 1 unknown .. 5 down */
	uint32_t error_state;		/* hrPrinterDetectedErrorState bits, first 2 bytes */
	int has_error_state;
	struct gf_supply supplies[GF_MAX_SUPPLIES];
	int nsupplies;
	int jam_alerts;			/* prtAlertTable rows with code jam(8) */
	/* raw vendor values, turned into counters when the poll ends */
	uint64_t raw[GF_MAX_RAW];
	uint64_t raw_mod[GF_MAX_RAW];	/* 0: absent */
	struct gf_rawrow rows[GF_MAX_ROWS];
	int nrows;
	struct gf_pwg_key pwg[GF_MAX_PWG];
	int npwg;
	/* page counters, by enum gf_counter_id */
	struct gf_counter counters[GF_NCOUNTERS];
	int ncounters;			/* how many are present */

	/* workstations */
	int has_hr_uptime;
	uint32_t hr_uptime;		/* hrSystemUptime, 1/100 s */
	int has_memory_kb;
	uint64_t memory_kb;		/* hrMemorySize */
	uint64_t ucd_mem[4];		/* UCD-SNMP memTotalReal, memAvailReal, memBuffer, memCached (kB) */
	unsigned ucd_have;		/* bit per ucd_mem entry answered */
	struct gf_storage storage[GF_MAX_STORAGE];
	int nstorage;
	struct gf_fsrow fs[GF_MAX_STORAGE];
	int nfs;
	int ncpu;
	int cpu_load_sum;		/* sum of hrProcessorLoad over ncpu */
	int ndevices;			/* hrDeviceTable rows */
	int ndevices_bad;		/* hrDeviceStatus warning(3) or down(5) */
	int disk_index[GF_MAX_DISKS];	/* hrDevice rows of type diskStorage */
	int ndisks;
	int ndisks_down;		/* of those, status down(5) */
	/* read once a day (the full plan): age evidence and disk health */
	int full;
	char sw_oldest[11];		/* oldest hrSWInstalledDate, YYYY-MM-DD, "" if none */
	char mfg_date[11];		/* ENTITY-MIB entPhysicalMfgDate, YYYY-MM-DD, "" if none */
	char ent_serial[GF_SHORT];
	int has_smart;			/* the greenfleet-smart extend answered */
	int smart_bad;			/* failure predictors (5, 187, 188, 197, 198) above 0 */
	char smart_disk[16];		/* the disk they were seen on */
	long smart_hours;		/* highest power-on hours, -1 unknown */
};

void reading_init(struct gf_reading *r, time_t when);

/* Worst fixed disk that can fill up (storage_excluded): percent used and its description; -1 when none. */
int reading_worst_disk(const struct gf_reading *r, char *descr, size_t sz);

/*
 * A DateAndTime (RFC 2579: 8 or 11 octets) as "YYYY-MM-DD" into DAY[11];
 * -1 if it is not a real date between 1980 and 2100.
 */
int reading_date(const unsigned char *b, size_t len, char day[11]);

/* Lowest colorant level in percent of its capacity, or -1 if none is known. */
int reading_min_colorant_pct(const struct gf_reading *r);

/* Percent used of RAM / fixed disks (those that can fill up), or -1 when the device gave none. */
int reading_storage_pct(const struct gf_reading *r, int type);

/* RAM really in use in percent: UCD-SNMP (cache excluded) when given, else hrStorage; -1. */
int reading_ram_pct(const struct gf_reading *r);

/* Average processor load in percent, or -1. */
int reading_cpu_pct(const struct gf_reading *r);

#endif
