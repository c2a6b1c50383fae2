/* Walking a read plan: the PDUs of one poll and what their answers add to the reading. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "snmpwalk.h"

#define MAX_PDUS	64	/* per poll: bounds a walk on an agent that never ends its tables */
#define BULK_VARBINDS	40	/* varbinds per GETBULK answer, keeps answers under one MTU-ish */

static void table_begin(struct gf_walk *w, int ti);
static void table_cells(struct gf_walk *w, const netsnmp_variable_list *vb, int ok);

void
walk_begin(struct gf_walk *w, const struct gf_readplan *plan, int v1, int rows_hint,
    time_t now)
{
	memset(w, 0, offsetof(struct gf_walk, cursor));
	w->plan = plan;
	w->stage = WALK_SCALARS;
	w->v1 = v1;
	w->combine = !v1 && plan->ntables > 0;
	w->rows_hint = rows_hint;
	w->rows0 = -1;
	reading_init(&w->reading, now);
	w->reading.plan = plan;
}

const char *
walk_stage_name(const struct gf_walk *w)
{
	return w->stage >= 0 && w->stage < w->plan->ntables ? w->plan->tables[w->stage].name :
	    "scalar";
}

/*
 * Repetitions for the first table: one more row than it had last time, so a
 * known table ends in this very answer without the agent walking far past it.
 */
static long
first_repetitions(const struct gf_walk *w)
{
	long full = BULK_VARBINDS / w->nactive;
	long hint = w->rows_hint;

	return hint > 0 && hint < full ? hint : full;
}

/*
 * Adds an OID whose GETNEXT is SC: its parent for an instance ending in 0
 * (nothing sorts between), else the previous sibling followed by the largest
 * arc, so x.5.2 is asked as x.5.1.4294967295 and not as x.5, whose next is
 * x.5.1.
 */
static void
add_predecessor(netsnmp_pdu *pdu, const struct gf_plan_scalar *sc)
{
	oid o[GF_PLAN_OID + 1];
	size_t n = sc->len;

	memcpy(o, sc->o, n * sizeof(oid));
	if (o[n - 1] == 0) {
		n--;
	} else {
		o[n - 1]--;
		o[n++] = 4294967295UL;
	}
	snmp_add_null_var(pdu, o, n);
}

/*
 * The scalars: a GET, or with combine a GETBULK whose non-repeaters ask the
 * OID just before each scalar (so GETNEXT lands on it) and whose repeaters
 * start the first table: one round trip where there were two.
 */
static netsnmp_pdu *
scalars_pdu(struct gf_walk *w)
{
	netsnmp_pdu *pdu = snmp_pdu_create(w->combine ? SNMP_MSG_GETBULK : SNMP_MSG_GET);
	const struct gf_plan_scalar *sc;
	int i;

	w->nsent = 0;
	for (i = 0; i < w->plan->nscalars && i < WALK_MAX_SCALARS; i++) {
		if (w->absent[i])
			continue;
		sc = &w->plan->scalars[i];
		if (w->combine)
			add_predecessor(pdu, sc);
		else
			snmp_add_null_var(pdu, sc->o, sc->len);
		w->sent[w->nsent++] = i;
	}
	if (w->combine) {
		table_begin(w, 0);
		pdu->non_repeaters = w->nsent;
		pdu->max_repetitions = first_repetitions(w);
		for (i = 0; i < w->nactive; i++)
			snmp_add_null_var(pdu, w->cursor[i], w->cursor_len[i]);
	}
	return pdu;
}

static netsnmp_pdu *
table_pdu(struct gf_walk *w)
{
	netsnmp_pdu *pdu;
	int i, c;

	if (w->v1) {
		pdu = snmp_pdu_create(SNMP_MSG_GETNEXT);
	} else {
		pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
		pdu->non_repeaters = 0;
		pdu->max_repetitions = BULK_VARBINDS / w->nactive;
	}
	for (i = 0; i < w->nactive; i++) {
		c = w->active[i];
		snmp_add_null_var(pdu, w->cursor[c], w->cursor_len[c]);
	}
	return pdu;
}

/* Points every column cursor of table T at its column OID. */
static void
table_begin(struct gf_walk *w, int ti)
{
	const struct gf_plan_table *t = &w->plan->tables[ti];
	int c;

	w->nactive = t->ncols;
	w->cells = 0;
	for (c = 0; c < t->ncols; c++) {
		memcpy(w->cursor[c], t->entry, t->entry_len * sizeof(oid));
		w->cursor[c][t->entry_len] = t->cols[c];
		w->cursor_len[c] = t->entry_len + 1;
		w->active[c] = c;
	}
}

static int
is_exception(const netsnmp_variable_list *vb)
{
	return vb->type == SNMP_NOSUCHOBJECT || vb->type == SNMP_NOSUCHINSTANCE ||
	    vb->type == SNMP_ENDOFMIBVIEW;
}

/* Handles a GET answer; on v1's noSuchName drops that varbind and asks again. */
static void
scalars_answer(struct gf_walk *w, const netsnmp_pdu *pdu)
{
	const netsnmp_variable_list *vb = pdu->variables;
	const struct gf_plan_scalar *sc;
	int k = 0, i;

	if (w->combine && pdu->errstat != SNMP_ERR_NOERROR) {
		w->combine = 0;		/* an agent unhappy with GETBULK gets a plain GET */
		return;
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex >= 1 &&
	    pdu->errindex <= w->nsent) {
		w->absent[w->sent[pdu->errindex - 1]] = 1;
		if (w->nsent > 1)
			return;		/* same stage, one varbind fewer */
	} else if (pdu->errstat != SNMP_ERR_NOERROR) {
		snprintf(w->reading.error, sizeof(w->reading.error), "agent error %ld",
		    pdu->errstat);
	} else {
		for (; vb && k < w->nsent; vb = vb->next_variable, k++) {
			i = w->sent[k];
			sc = &w->plan->scalars[i];
			/* An agent answering another OID than asked is not believed. */
			if (is_exception(vb) || snmp_oid_compare(vb->name, vb->name_length,
			    sc->o, sc->len) != 0)
				continue;
			w->plan->scalar(&w->reading, i, vb);
		}
	}
	w->stage = 0;
	if (w->combine && pdu->errstat == SNMP_ERR_NOERROR)
		table_cells(w, vb, 1);
	else if (w->plan->ntables > 0)
		table_begin(w, 0);
}

/* Stores one walked varbind of column slot C; 0 if the column goes on, -1 if it ended. */
static int
table_cell(struct gf_walk *w, int c, const netsnmp_variable_list *vb)
{
	const struct gf_plan_table *t = &w->plan->tables[w->stage];
	size_t plen = t->entry_len + 1;

	if (is_exception(vb) || vb->name_length <= plen ||
	    snmp_oidtree_compare(vb->name, vb->name_length, w->cursor[c], plen) != 0)
		return -1;
	/* OIDs must grow, or a broken agent would make us walk forever. */
	if (snmp_oid_compare(vb->name, vb->name_length, w->cursor[c], w->cursor_len[c]) <= 0 ||
	    vb->name_length > MAX_OID_LEN)
		return -1;
	w->plan->cell(&w->reading, w->stage, t->cols[c], vb->name + plen,
	    vb->name_length - plen, vb);
	memcpy(w->cursor[c], vb->name, vb->name_length * sizeof(oid));
	w->cursor_len[c] = vb->name_length;
	w->cells++;
	return 0;
}

/* Walks answered cells from VB on: advances the cursors, drops ended columns. OK: no error. */
static void
table_cells(struct gf_walk *w, const netsnmp_variable_list *vb, int ok)
{
	const struct gf_plan_table *t = &w->plan->tables[w->stage];
	unsigned char ended[GF_PLAN_COLS] = { 0 };
	int k = 0, i, n = 0, c;

	if (ok) {
		for (; vb; vb = vb->next_variable, k++) {
			c = w->active[k % w->nactive];
			if (!ended[c] && table_cell(w, c, vb) != 0)
				ended[c] = 1;
		}
	}
	/* v1 ends a walk with noSuchName; any error ends this table. */
	for (i = 0; i < w->nactive; i++)
		if (ok && k > 0 && !ended[w->active[i]])
			w->active[n++] = w->active[i];
	w->nactive = n;
	if (n == 0 || w->cells >= t->max_rows * t->ncols) {
		if (w->stage == 0)
			w->rows0 = w->cells / t->ncols;
		/* A plan may skip a table given what it read so far (alerts of a printer in no trouble). */
		while (++w->stage < w->plan->ntables && w->plan->want != NULL &&
		    !w->plan->want(&w->reading, w->stage))
			;
		if (w->stage < w->plan->ntables)
			table_begin(w, w->stage);
	}
}

/* Adds answer PDU to the reading and moves the walk on. */
void
walk_answer(struct gf_walk *w, const netsnmp_pdu *pdu)
{
	if (w->stage == WALK_SCALARS)
		scalars_answer(w, pdu);
	else
		table_cells(w, pdu->variables, pdu->errstat == SNMP_ERR_NOERROR);
}

netsnmp_pdu *
walk_pdu(struct gf_walk *w)
{
	if (w->stage >= w->plan->ntables || w->npdus >= MAX_PDUS)
		return NULL;
	w->npdus++;
	return w->stage == WALK_SCALARS ? scalars_pdu(w) : table_pdu(w);
}
