/*
 * One poll's walk of a read plan, apart from sockets and time: which PDU
 * to send next (the scalars, alone or riding in the first GETBULK, then
 * each table column by column) and what an answer adds to the reading.
 * Hostile agents are bounded here: OIDs must grow, rows and PDUs are capped.
 */
#ifndef GF_SNMPWALK_H
#define GF_SNMPWALK_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "reading.h"
#include "readplan.h"

#define WALK_MAX_SCALARS	64
#define WALK_SCALARS		(-1)	/* the stage before the first table */

struct gf_walk {
	const struct gf_readplan *plan;
	int stage;			/* WALK_SCALARS, then a table index */
	int npdus;
	int v1;				/* SNMPv1: GETNEXT, no GETBULK */
	int combine;			/* v2c/v3: scalars ride as non-repeaters in the first GETBULK */
	int rows_hint;			/* 1 + rows of the first table last time, 0 unknown */
	unsigned char absent[WALK_MAX_SCALARS];
	int sent[WALK_MAX_SCALARS];	/* scalar index of each varbind sent */
	int nsent;
	size_t cursor_len[GF_PLAN_COLS];
	int active[GF_PLAN_COLS];
	int nactive;
	int cells;
	int rows0;			/* rows walked in the first table, -1 until it ends */
	/* Not cleared for a new walk (8 KB): a walk sets a column's cursor before using it. */
	oid cursor[GF_PLAN_COLS][MAX_OID_LEN];
	struct gf_reading reading;
};

/* Starts a walk of PLAN at time NOW for a device answering SNMPv1 or not, ROWS_HINT as above. */
void walk_begin(struct gf_walk *w, const struct gf_readplan *plan, int v1, int rows_hint,
    time_t now);

/* The next request (ours until sent); NULL when the walk is over (all asked, or PDUs capped). */
netsnmp_pdu *walk_pdu(struct gf_walk *w);

/* Adds answer PDU to the reading and moves the walk on. */
void walk_answer(struct gf_walk *w, const netsnmp_pdu *pdu);

/* The name of the stage a timeout hit, for the reading's error. */
const char *walk_stage_name(const struct gf_walk *w);

#endif
