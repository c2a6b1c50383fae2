/*
 * Configuration: libconfig file -> owned, validated structs.
 * Every error is collected and reported as "FILE:LINE: message"; a config with
 * any error is rejected whole, so a reload can keep the old one.
 */
#ifndef GF_CONF_H
#define GF_CONF_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <libconfig.h>

#include "netrange.h"

struct gf_profiles;

/*
 * Default max_ppm: impressions per minute no office device exceeds (the
 * fastest production presses print ~150 two-sided sheets, 300 impressions).
 */
#define GF_DEFAULT_MAX_PPM 300

enum gf_kind { GF_KIND_PRINTER, GF_KIND_WORKSTATION };

enum gf_snmp_version { GF_SNMP_V1, GF_SNMP_V2C, GF_SNMP_V3 };

enum gf_sec_level { GF_SEC_NOAUTH, GF_SEC_AUTHNOPRIV, GF_SEC_AUTHPRIV };

enum gf_auth_proto { GF_AUTH_MD5, GF_AUTH_SHA, GF_AUTH_SHA224, GF_AUTH_SHA256,
	GF_AUTH_SHA384, GF_AUTH_SHA512 };

enum gf_priv_proto { GF_PRIV_DES, GF_PRIV_AES };

struct gf_snmp_conf {
	enum gf_snmp_version version;
	char *community;		/* v1/v2c */
	char *user;			/* v3 */
	enum gf_sec_level level;
	enum gf_auth_proto auth_proto;
	char *auth_pass;
	enum gf_priv_proto priv_proto;
	char *priv_pass;
};

enum gf_period { GF_PERIOD_MONTH, GF_PERIOD_QUARTER, GF_PERIOD_YEAR };

#define GF_MAX_THRESHOLDS 8

/*
 * A department's print quota over a calendar period (local time): limits on
 * mono and colour pages and/or one budget in which a colour page weighs
 * colour_weight mono pages. 0 means no such limit.
 */
struct gf_quota {
	int enabled;
	enum gf_period period;
	int mono;
	int colour;
	int budget;
	int colour_weight;
	int thresholds[GF_MAX_THRESHOLDS];	/* percent, ascending */
	int nthresholds;
};

/* Default colour_weight: see conf/greenfleet.conf.example for why 5. */
#define GF_DEFAULT_COLOUR_WEIGHT 5

/* Repair advice: when health turns into a repair (defaults in conf.c). */
struct gf_advice_rules {
	int disk_full_pct;		/* a fixed disk fuller than this: larger disk or SSD */
	int ram_pct;			/* RAM in use, average over 7 days: add RAM */
	int supply_low_pct;		/* toner, drum, fuser... below this: order the part */
	int jams_per_week;		/* paper jams counted in 7 days: service visit */
};

/* Carbon factors (kgCO2e) and their sources, overridable in the config. */
struct gf_factors {
	char *name;			/* the factor set's name, printed with every figure */
	double desktop_kg;		/* embodied: manufacture + distribution + end of life */
	double laptop_kg;
	double server_kg;
	double disk_kg;			/* a replacement disk */
	double ram_kg;			/* a memory module */
	double sheet_g;			/* mass of an A4 80 g/m2 sheet */
	double sheet_co2e_g;		/* paper production per sheet */
	double sheet_wh;		/* energy per sheet printed */
	double sheets_per_tree;
};

/* One factor as reports list it: key, value, unit and published source. */
struct gf_factor_info {
	const char *key;
	double value;
	const char *unit;
	const char *source;
};

/* The factors of F with their sources (defaults' sources; "configuration" when overridden). */
size_t conf_factor_list(const struct gf_factors *f, struct gf_factor_info *out, size_t max);

enum gf_hw_type { GF_HW_DESKTOP, GF_HW_LAPTOP, GF_HW_SERVER, GF_HW_PRINTER };

struct gf_department {
	char *id;
	char *name;
	char *head;			/* e-mail address, validated */
	struct gf_quota quota;
	int agents;			/* headcount, for pages per agent (0: unknown) */
	int line;
};

enum gf_digest { GF_DIGEST_NONE, GF_DIGEST_WEEKLY, GF_DIGEST_MONTHLY };

/* Where and how quota mails go; url NULL: no mail. */
struct gf_smtp_conf {
	char *url;			/* smtp://host:port or smtps://host:port */
	char *from;
	char *from_name;
	char **cc;			/* copies of every notice, e.g. to IT */
	size_t ncc;
	char *user;
	char *password;
	char *language;			/* "fr" or "en" */
	char *it;			/* IT's address: the fleet's repair digest */
	int starttls;			/* smtp://: 1 requires STARTTLS; 0 uses it when offered (always with a login) */
	char *ca_file;			/* PEM bundle that verifies the server; NULL: the system's CAs */
	int timeout_s;
	enum gf_digest digest;
};

/* greenfleet-web's settings (greenfleetd reads and ignores them). */
struct gf_web_conf {
	char *listen;			/* "host:port" or "[v6]:port", validated */
	char *users_file;		/* absolute; NULL: no login, loopback only */
	char *cert;			/* PEM certificate and key (absolute): HTTPS; NULL: HTTP */
	char *key;
	char *url;			/* the dashboard as users reach it (mail links); no trailing / */
};

struct gf_device {
	char *id;			/* safe as a file name: [A-Za-z0-9._-], no leading dot */
	char *host;
	int port;
	enum gf_kind kind;
	int dept;			/* index into gf_conf.depts */
	char in_service[11];		/* "YYYY-MM-DD", or "" when not given */
	int timeout_ms;			/* per device; inherits the global value */
	int retries;			/* per device; inherits the global value */
	int max_ppm;			/* pages per minute beyond which a delta is garbage */
	enum gf_hw_type hw_type;	/* what replacing it would mean (embodied carbon) */
	int spare_parts;		/* 0: IT says it cannot be repaired sensibly */
	int pooled;			/* printers: shared by a service, not someone's own */
	char retired[11];		/* "YYYY-MM-DD": out of service since (not polled), or "" */
	struct gf_snmp_conf snmp;
	int line;
	unsigned set;			/* GF_SET_*: keys written in the device's own entry */
	unsigned imported;		/* GF_SET_*: keys given by the import file (overrides) */
	char *file;			/* the devices_dir file it was read from; NULL: the main file */
	int poller;			/* index in gf_conf.pollers of its `poller` key, -1 none */
};

/* Keys an import may give a device: bits of gf_device.set and .imported. */
#define GF_SET_IN_SERVICE	0x01
#define GF_SET_TYPE		0x02
#define GF_SET_DEPT		0x04
#define GF_SET_RETIRED		0x08

/* import.locations: an inventory's location or entity text, and the department it means. */
struct gf_import_loc {
	char *match;
	int dept;			/* index into gf_conf.depts */
};

/* One entry of the import file: values for a device defined elsewhere, merged by id. */
struct gf_override {
	char *id;
	int line;
	unsigned keys;			/* GF_SET_* given */
	char in_service[11];
	enum gf_hw_type hw_type;
	int dept;
	char retired[11];
};

/* A discover map rule: discovered addresses FIRST..LAST (IPv4, host order) go to DEPT. */
struct gf_netmap {
	uint32_t first;
	uint32_t last;
	int dept;			/* index into gf_conf.depts */
	int line;
};

/* The discover group: how `greenfleet discover` names what it finds. */
struct gf_discover_conf {
	struct gf_netmap *map;		/* in file order: the first rule that holds an address wins */
	size_t nmap;
	/* greenfleetd's periodic sweep: off when interval is 0 */
	int interval;			/* seconds between sweeps: 0, or GF_DISCOVER_MIN_INTERVAL.. */
	uint32_t *nets;			/* networks: first, last pairs (IPv4, host order) */
	size_t nnets;
	char **communities;		/* tried in order; default "public" */
	size_t ncommunities;
	int port;			/* UDP port asked (default 161) */
};

#define GF_DISCOVER_MIN_INTERVAL	3600	/* a sweep an hour at most */
#define GF_DISCOVER_MAX_ADDRS		65536	/* networks hold a /16 at most */

/* One of the pollers list: a greenfleetd sharing the store, and where only it may poll. */
struct gf_poller_conf {
	char *name;
	struct gf_netrange *nets;	/* pinned: devices in these are its own; none: the pool */
	size_t nnets;
	char *networks;			/* as written, comma-separated ("" or NULL: none) */
	int line;
};

#define GF_MAX_POLLERS	64

/*
 * How long a new RRD file keeps each resolution, in days (files made before
 * keep their layout): samples at the polling interval (under 5 min: 2 days
 * of them, the rest as 5-minute averages), hourly and daily averages (0:
 * none). The defaults, 14, 400 and 3660, make 0.7 MB a printer file.
 */
struct gf_rrd_keep {
	int full_days;
	int hourly_days;
	int daily_days;
};
#define GF_RRD_FULL_DAYS	14
#define GF_RRD_HOURLY_DAYS	400
#define GF_RRD_DAILY_DAYS	3660

struct gf_conf {
	char *path;
	char *data_dir;
	char *store;			/* the state store: NULL = state.db in data_dir */
	int interval;			/* seconds between two polls of a device */
	int timeout_ms;
	int retries;
	int concurrency;		/* requests in flight at once */
	char *rrdcached;		/* NULL: write RRD files directly */
	int rrd_batch;			/* samples held per RRD file before one write (1: none) */
	struct gf_rrd_keep rrd_keep;	/* what a new RRD file keeps, in days */
	char *profiles_dir;		/* vendor profiles (*.conf) */
	char *mail_dir;			/* mail templates (NAME.LANG.txt) */
	char *user;			/* drop to this user once what needs root is open */
	struct gf_advice_rules advice;
	struct gf_factors factors;
	struct gf_smtp_conf smtp;
	struct gf_web_conf web;
	int max_ppm;			/* default for devices */
	struct gf_profiles *profiles;
	struct gf_department *depts;
	size_t ndepts;
	struct gf_device *devices;
	size_t ndevices;
	int has_secrets;		/* some device carries a community or v3 passphrase */
	char *devices_dir;		/* every *.conf in it adds devices; NULL: none */
	struct gf_discover_conf discover;
	char *import_file;		/* import.file, made absolute: imported values (may not exist) */
	struct gf_import_loc *import_locs;
	size_t nimport_locs;
	struct gf_override *overrides;	/* what import_file held, applied to devices */
	size_t noverrides;
	struct gf_poller_conf *pollers;	/* the pollers list (may be empty) */
	size_t npollers;
};

/* The index of poller NAME in CONF's pollers list, -1 if it is not listed. */
int conf_poller_index(const struct gf_conf *conf, const char *name);

/*
 * The listed pollers that alone may poll D, as bits of their indexes: the
 * one its `poller` key names, else those pinned to networks holding its
 * address. 0: any poller of the pool (those not pinned) may.
 */
uint64_t conf_device_pollers(const struct gf_conf *conf, const struct gf_device *d);

/*
 * Pollers sharing a store beat every lease round: a quarter interval, at
 * least 1 s (in ms). A row and its leases outlive the last beat by
 * conf_lease_s: three missed rounds and a second.
 */
int conf_lease_round_ms(const struct gf_conf *conf);
int conf_lease_s(const struct gf_conf *conf);

/*
 * Parses and validates PATH. On error prints every problem to ERRS, one
 * "FILE:LINE: message" per line, and returns NULL. Warnings (a secret-bearing
 * file readable by group/others) go to ERRS too but do not fail.
 */
struct gf_conf *conf_load(const char *path, FILE *errs);
void conf_free(struct gf_conf *conf);

#define GF_CONF_ALLOW_ROOT	0x02	/* greenfleetd --allow-root */
#define GF_CONF_NOINCLUDE	0x04	/* refuse every @include (fuzzing) */
#define GF_CONF_RELOAD		0x08	/* a reload: files are checked for the running identity */

/*
 * A check of a parsed file beyond its syntax and values, given by the caller
 * (greenfleetd's conf_check_start: what starting the daemon needs). ROOT
 * locates each error, printed to ERRS; returns their count.
 */
typedef int (*conf_check_fn)(const struct gf_conf *conf, const config_setting_t *root,
    int flags, FILE *errs);

/* conf_load() with FLAGS, then CHECK (NULL: none) with FLAGS; its errors fail the load too. */
struct gf_conf *conf_load_opts(const char *path, int flags, conf_check_fn check, FILE *errs);

/*
 * conf_load_opts() reading the imported values from IMPORT_FILE instead of
 * the configured import.file: how `greenfleet import` checks a file it wrote
 * before it replaces the old one.
 */
struct gf_conf *conf_load_import(const char *path, const char *import_file, FILE *errs);

const char *conf_kind_name(enum gf_kind kind);

/*
 * Splits web.listen LISTEN ("host:port", "[v6]:port") into HOST (brackets
 * removed) and PORT. 0, or -1 when it is not that shape or the port is not 1..65535.
 */
int conf_split_listen(const char *listen, char *host, size_t hostsz, int *port);
/* The department discover's map gives IPv4 address A (host order), or -1 when no rule holds it. */
int conf_discover_dept(const struct gf_conf *conf, uint32_t a);
/* The configuration spelling of hardware type T ("desktop", "laptop", "server", "printer"). */
const char *conf_hw_name(enum gf_hw_type t);

#endif
