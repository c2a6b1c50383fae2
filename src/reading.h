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

#define GF_MAX_SUPPLIES	32
#define GF_MAX_STORAGE	32
#define GF_STR		256
#define GF_SHORT	64

/* Printer-MIB prtMarkerSuppliesType values that hold colorant. */
enum { GF_SUPPLY_TONER = 3, GF_SUPPLY_INK = 21, GF_SUPPLY_INK_CART = 32 };

struct gf_supply {
	int index;
	char descr[GF_SHORT];
	int type;		/* PrtMarkerSuppliesTypeTC, 0 unknown */
	int unit;
	long max;		/* -1 other, -2 unknown */
	long level;		/* -1 other, -2 unknown, -3 some remaining */
};

/* hrStorageType leaf under 1.3.6.1.2.1.25.2.1 */
enum { GF_STORAGE_OTHER = 1, GF_STORAGE_RAM = 2, GF_STORAGE_VIRTUAL = 3,
	GF_STORAGE_FIXED_DISK = 4 };

struct gf_storage {
	int index;
	char descr[GF_SHORT];
	int type;
	uint64_t units;		/* bytes per allocation unit */
	uint64_t size;		/* in units */
	uint64_t used;		/* in units */
};

struct gf_reading {
	time_t when;
	int reachable;
	char error[GF_SHORT];		/* why not reachable / partial */

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
	int counter_unit;		/* prtMarkerCounterUnit, 0 if not given */
	char serial[GF_SHORT];
	int has_printer_status;
	int printer_status;		/* hrPrinterStatus: 1 other .. 5 warmup */
	int has_device_status;
	int device_status;		/* hrDeviceStatus: 1 unknown .. 5 down */
	uint32_t error_state;		/* hrPrinterDetectedErrorState bits, first 2 bytes */
	struct gf_supply supplies[GF_MAX_SUPPLIES];
	int nsupplies;

	/* workstations */
	int has_hr_uptime;
	uint32_t hr_uptime;		/* hrSystemUptime, 1/100 s */
	int has_memory_kb;
	uint64_t memory_kb;		/* hrMemorySize */
	struct gf_storage storage[GF_MAX_STORAGE];
	int nstorage;
	int ncpu;
	int cpu_load_sum;		/* sum of hrProcessorLoad over ncpu */
	int ndevices;			/* hrDeviceTable rows */
	int ndevices_bad;		/* hrDeviceStatus warning(3) or down(5) */
};

void reading_init(struct gf_reading *r, time_t when);

/* Lowest colorant level in percent of its capacity, or -1 if none is known. */
int reading_min_colorant_pct(const struct gf_reading *r);

/* Percent used of RAM / fixed disks, or -1 when the device gave none. */
int reading_storage_pct(const struct gf_reading *r, int type);

/* Average processor load in percent, or -1. */
int reading_cpu_pct(const struct gf_reading *r);

#endif
