/*
 * The meter's memo of a device: metering an answer equal to the last one
 * without the store. The caller keeps it (one per device) and drops it when
 * the store rolls back.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "meter.h"
#include "xmalloc.h"

/*
 * Most polls of most printers see no page. For those, the memo spares the
 * store's reads: it keeps from the device's last metering each present
 * counter's value, source and odometer, which counters the result had, the
 * life count, and the serial and sysObjectID; and it is kept only when
 * metering that same answer again would count nothing and write nothing. An
 * answer equal in all of these is then metered from memory, with the result
 * the store would have given. Any difference goes the long way.
 */
struct memo_ctr {
	unsigned char counter;
	unsigned char src;
	uint64_t value;
	uint64_t odometer;
};

struct gf_meter_memo {
	unsigned have;			/* bit i: the result had counter i */
	int n;				/* present counters, in counter order */
	int has_life;
	uint64_t life;			/* the Printer-MIB life count */
	const char *serial, *objid;	/* in the same allocation, after c[] */
	struct memo_ctr c[];
};

int
meter_memo_hit(const struct gf_meter_memo *mm, const struct gf_reading *r, struct gf_metered *out)
{
	const struct gf_counter *c;
	int i, k = 0;

	if (mm == NULL)
		return 0;
	if (strcmp(mm->serial, r->serial) != 0 || strcmp(mm->objid, r->sys_object_id) != 0 ||
	    mm->has_life != r->has_lifecount || (mm->has_life && mm->life != r->lifecount))
		return 0;
	for (i = 0; i < GF_NCOUNTERS; i++) {
		c = &r->counters[i];
		if (!c->present)
			continue;
		if (k == mm->n || mm->c[k].counter != i || mm->c[k].src != c->src ||
		    mm->c[k].value != c->value)
			return 0;
		k++;
	}
	if (k != mm->n)
		return 0;
	memset(out, 0, sizeof(*out));
	for (k = 0; k < mm->n; k++) {
		i = mm->c[k].counter;
		if (mm->have & 1u << i) {
			out->have[i] = 1;
			out->odometer[i] = mm->c[k].odometer;
		}
	}
	return 1;
}

/*
 * Not kept when metering R again would not be a no-op: a counter whose
 * baseline is not its value (held as suspect, held, or not metered).
 */
struct gf_meter_memo *
meter_memo_make(const struct gf_meter_result *res, const struct gf_reading *r)
{
	size_t ls = strlen(r->serial) + 1, lo = strlen(r->sys_object_id) + 1;
	struct gf_meter_memo *mm;
	char *p;
	const struct gf_meter_state *st = res->st;
	const struct gf_counter *cur = res->cur;
	const struct gf_metered *m = &res->m;
	int i, n = 0;

	if (res->held)
		return NULL;
	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!r->counters[i].present)
			continue;
		if (!cur[i].present || !st[i].known || st[i].src != (int)cur[i].src ||
		    st[i].last != cur[i].value || (st[i].has_suspect && st[i].src == GF_SRC_DERIVED))
			return NULL;
		n++;
	}
	mm = xmalloc(sizeof(*mm) + n * sizeof(mm->c[0]) + ls + lo);
	mm->have = 0;
	mm->n = 0;
	mm->has_life = r->has_lifecount;
	mm->life = r->lifecount;
	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!r->counters[i].present)
			continue;
		mm->c[mm->n].counter = (unsigned char)i;
		mm->c[mm->n].src = (unsigned char)r->counters[i].src;
		mm->c[mm->n].value = r->counters[i].value;
		mm->c[mm->n].odometer = m->odometer[i];
		mm->n++;
		if (m->have[i])
			mm->have |= 1u << i;
	}
	p = (char *)&mm->c[n];
	memcpy(p, r->serial, ls);
	mm->serial = p;
	memcpy(p + ls, r->sys_object_id, lo);
	mm->objid = p + ls;
	return mm;
}

void
meter_memo_free(struct gf_meter_memo *mm)
{
	free(mm);
}
