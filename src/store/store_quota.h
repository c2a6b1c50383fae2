/* The state store's quota state: which thresholds of which period already fired. */
#ifndef GF_STORE_QUOTA_H
#define GF_STORE_QUOTA_H

#include <time.h>

struct gf_store;

/* 1 if threshold THR of DEPT already fired in PERIOD, 0 if not, -1 on error. */
int store_quota_fired(struct gf_store *s, const char *dept, const char *period, int thr);
/* The highest threshold that fired for DEPT in PERIOD, 0 if none, -1 on error. */
int store_quota_last_fired(struct gf_store *s, const char *dept, const char *period);
/* Records the crossing, in the open batch (with the notice it queues). */
int store_quota_fire(struct gf_store *s, const char *dept, const char *period, int thr,
    time_t when, int pct);

#endif
