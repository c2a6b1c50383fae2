/*
 * One reading through the pure meter: the prior state is loaded from the
 * store, meter_apply computes the step without I/O, and the step is written
 * in the open batch with the reading's state row, all or nothing.
 */
#include "config.h"

#include <string.h>

#include "counter.h"
#include "store.h"
#include "store_backend.h"

int
store_meter_prior(struct gf_store *s, const char *device, struct gf_meter_prior *p)
{
	memset(p, 0, sizeof(*p));
	/* Read inside the batch: the step is written in the same transaction it was made from. */
	if (store_batch_begin(s) != 0)
		return -1;
	return s->ops->meter_load(s, device, p);
}

/* Audit events are written in the order the step made them: the audit reads back by row order. */
int
store_meter_commit(struct gf_store *s, const char *device, const char *dept,
    const struct gf_meter_result *res)
{
	const struct gf_meter_audit *a;
	int i;

	if (store_batch_begin(s) != 0)
		return -1;
	for (i = 0; i < GF_NCOUNTERS; i++)
		if ((res->save & 1u << i) &&
		    s->ops->meter_save(s, device, i, &res->st[i], &res->shown[i]) != 0)
			return -1;
	for (i = 0; i < res->naudit; i++) {
		a = &res->audit[i];
		if (s->ops->audit(s, res->when, device, counter_name(a->counter),
		    meter_event_name(a->ev), a->old, a->new, a->detail) != 0)
			return -1;
	}
	if (res->save_xcheck && s->ops->xcheck_save(s, device, &res->x) != 0)
		return -1;
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (res->m.pages[i] > 0 && s->ops->ledger_add(s, res->day, device, dept,
		    counter_name(i), res->m.pages[i]) != 0)
			return -1;
	if (res->save_ident && s->ops->ident_save(s, device, res->serial, res->serial_src,
	    res->objid) != 0)
		return -1;
	return 0;
}

int
store_meter_reading(struct gf_store *s, struct gf_store_memo *m, const struct gf_device *d,
    const char *dept, const struct gf_reading *r, struct gf_metered *out)
{
	struct gf_meter_prior prior;
	struct gf_meter_result res;
	struct gf_metered hit;
	int claim;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (!meter_wanted(r))
		return 0;
	if (m != NULL && meter_memo_hit(store_memo_meter(s, m), r, &hit)) {
		if (out != NULL)
			*out = hit;
		return 0;
	}
	/* Another poller may meter this device too (a takeover): the newest reading wins, once. */
	if (store_batch_begin(s) != 0 || (claim = s->ops->meter_claim(s, d->id, r->when_ms)) < 0)
		return -1;
	if (claim == 0) {
		if (m != NULL)
			store_memo_clear(m);
		return 1;
	}
	if (store_meter_prior(s, d->id, &prior) != 0)
		return -1;
	meter_apply(&prior, d, r, &res);
	if (store_meter_commit(s, d->id, dept, &res) != 0)
		return -1;
	if (m != NULL) {
		meter_memo_free(m->meter);
		m->meter = meter_memo_make(&res, r);
	}
	if (out != NULL)
		*out = res.m;
	return 0;
}
