/*
 * Judging: turns a department's use of its quota into crossed thresholds
 * and queued notices. A threshold fires once per period: the crossing and
 * its notice are written in the same transaction as the pages that caused
 * them, so a crash can lose neither one without the other.
 */
#ifndef GF_JUDGE_H
#define GF_JUDGE_H

#include <time.h>

#include "conf.h"
#include "store.h"

/*
 * Judges department DEPT (an index into conf->depts) at NOW, in the store's
 * open batch. Returns how many notices it queued, or -1 on a store error.
 */
int judge_quota(struct gf_store *s, const struct gf_conf *conf, size_t dept, time_t now);

/*
 * Queues department DEPT's periodic digest (weekly or monthly, smtp.digest)
 * unless this week's or month's is queued already. 1 if queued, 0, or -1.
 */
int judge_digest(struct gf_store *s, const struct gf_conf *conf, size_t dept, time_t now);

/*
 * Queues the fleet's repair digest to smtp.it (weekly or monthly, once per
 * period): every device to repair or watch, with the carbon repairs avoid,
 * and FOUND, the daemon's last discovery sweep ("  - ..." lines; "" nothing
 * new; NULL no sweep configured).
 */
int judge_fleet_digest(struct gf_store *s, const struct gf_conf *conf, time_t now,
    const char *found);

/* "novembre 2026" / "November 2026", "4e trimestre 2026" / "Q4 2026", "2026". */
void judge_period_label(char *dst, size_t sz, enum gf_period p, const char *key,
    const char *lang);

#endif
