/*
 * What a discovery means for the configuration: each answering address is
 * new, known (a configured device's host, or the serial of a device
 * configured by host name) or moved (a configured serial, last read from a
 * device configured at another IPv4 address); each configured device whose
 * IPv4 address is inside the targets and that was not seen is missing. New devices get
 * a proposed id (sysName made safe, unique among themselves and the
 * configured ids), a department (the discover map, else a default) and an
 * in_service day (the best age evidence). Nothing is ever proposed twice.
 */
#ifndef GF_DISCOVER_FLEET_H
#define GF_DISCOVER_FLEET_H

#include "conf.h"
#include "discover.h"
#include "output.h"

enum disc_state { DS_NEW, DS_KNOWN, DS_MOVED, DS_MISSING };

struct disc_prop {
	const struct disc_host *h;	/* NULL when missing */
	enum disc_state state;
	int dev;			/* the configured device (known, moved, missing), else -1 */
	char id[65];			/* proposed (new) or configured */
	int dept;			/* -1: none */
	int configurable;		/* a new printer or host with a department: written by -o */
};

struct disc_fleet {
	struct disc_prop *v;
	size_t n;
};

/*
 * Builds FL from the run RES over TARGETS: SERIALS[i] is the serial the
 * store last read for configured device i ("" or NULL unknown; SERIALS may
 * be NULL); DEFAULT_DEPT the department of new devices no map rule holds
 * (-1 none). Entries: answering addresses in order, then missing devices.
 */
void disc_fleet_build(const struct gf_conf *conf, const struct disc_result *res,
    const struct gf_netrange *targets, size_t ntargets, const char *const *serials,
    int default_dept, struct disc_fleet *fl);
void disc_fleet_free(struct disc_fleet *fl);

/* A safe id from sysName S into ID[65]: [a-z0-9._-], no leading dot or dash; "" if nothing is left. */
void disc_safe_id(const char *s, char id[65]);

/*
 * The configuration of new, configurable entry P, polled on PORT: CREDS as
 * the run had them; its host is written into HOST; strings point into
 * CONF, P, CREDS and HOST (nothing to free).
 */
void disc_fleet_device(const struct gf_conf *conf, const struct disc_prop *p,
    const struct gf_snmp_conf *creds, int port, char host[16], struct gf_device *d);

/* The rows of FL: address, state, class, id, department, vendor, model, serial... */
void disc_fleet_rows(const struct gf_conf *conf, const struct disc_fleet *fl,
    const struct gf_snmp_conf *creds, struct gf_rows *r);

#endif
