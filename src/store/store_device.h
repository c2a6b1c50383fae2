/* The state store, by device: its last state, its health and age evidence. */
#ifndef GF_STORE_DEVICE_H
#define GF_STORE_DEVICE_H

#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "reading.h"

struct gf_store;
struct gf_meter_memo;

/* What `greenfleet status` shows of a device. */
struct gf_status {
	int known;			/* polled at least once */
	time_t last_poll;
	time_t last_ok;
	int reachable;
	char error[GF_SHORT];
	char sys_descr[GF_STR];
	int has_lifecount;
	uint64_t lifecount;
	int counter_unit;
	int has_uptime;
	uint64_t uptime_s;
	int toner_min;			/* -1 unknown */
	char serial[GF_SHORT];		/* "" unknown */
	char serial_src[48];		/* where it was read, as gf_reading's */
	int poll_ms;			/* how long the last poll took; -1 unknown */
	long long polls_failed;		/* polls without an answer since the last answer */
};

/*
 * What the caller remembers of one device between its readings, so that an
 * answer like the last costs no read or write: the meter's memo and a hash
 * of the supplies written. Zeroed at first; void, and dropped, once the
 * store rolled back since it was made. Free with store_memo_clear().
 */
struct gf_store_memo {
	unsigned long epoch;		/* the store's rollbacks when it was made */
	struct gf_meter_memo *meter;
	int has_supplies;
	uint64_t supplies;
};

void store_memo_clear(struct gf_store_memo *m);
/* M's meter memo if it is still valid for S, else NULL (and M cleared). */
const struct gf_meter_memo *store_memo_meter(const struct gf_store *s, struct gf_store_memo *m);

/* Records a reading inside the open batch (opened on demand); M may be NULL. -1 (logged) on failure. */
int store_put_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, struct gf_store_memo *m);

/* Reads a device's last state; -1 on a database error. */
int store_get_status(struct gf_store *s, const char *id, struct gf_status *st);

typedef void (*store_status_fn)(void *arg, const char *id, const struct gf_status *st);

/* Calls FN with each stored device's last state, the whole fleet in one pass. -1 on error. */
int store_statuses(struct gf_store *s, store_status_fn fn, void *arg);

/* One supply of a printer, as last read. */
struct gf_store_supply {
	int idx;
	int type;			/* PrtMarkerSuppliesTypeTC */
	long long max, level;
	char descr[64];
};

typedef void (*store_supply_fn)(void *arg, const char *device, const struct gf_store_supply *sp);

/* Calls FN with each supply of every printer, by device and index, in one pass. -1 on error. */
int store_supplies(struct gf_store *s, store_supply_fn fn, void *arg);

/* What the store holds of one device's health and age, raw (-1: unknown). */
struct gf_store_health {
	int known;			/* answered at least once */
	int error_state;
	time_t first_seen;		/* 0 unknown */
	int disk_pct;
	char disk_name[64];
	int disks_down;
	int jam_alerts;
	char sw_oldest[11];		/* age evidence, "" unknown */
	char mfg_date[11];
	int has_smart;
	int smart_bad;
	char smart_disk[16];
	long smart_hours;
	long long mem_sum, mem_n;	/* RAM samples (percent) from day SINCE on */
	long jams;			/* jams counted from day SINCE on, -1 none */
	int nsupplies;
	struct gf_store_supply supplies[GF_MAX_SUPPLIES];	/* by index */
};

/* DEVICE's health as stored, the daily figures from day SINCE (YYYY-MM-DD) on. -1 on error. */
int store_health(struct gf_store *s, const char *device, const char *since,
    struct gf_store_health *out);

/*
 * The same for many devices in one pass (a few queries for the whole fleet,
 * not six per device): open a scan, ask for devices in ascending strcmp
 * order, free it. NULL (logged) on failure.
 */
struct gf_store_scan;
struct gf_store_scan *store_health_scan(struct gf_store *s, const char *since);
/* DEVICE's health as store_health gives it; DEVICE must not sort before the last one asked. */
int store_health_next(struct gf_store_scan *sc, const char *device, struct gf_store_health *out);
void store_health_scan_free(struct gf_store_scan *sc);

#endif
