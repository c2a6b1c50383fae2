/*
 * Views: the rows every front end shows (the CLI's tables today, a web page
 * or /metrics later), computed from the configuration and the state store.
 * Each fills a table of string cells under stable column names, the JSON
 * keys greenfleet(1) documents; printing is the caller's (out_rows). Each
 * returns 0, or -1 on a store error (logged by the store); OUT is then
 * still valid and freed with rows_free().
 */
#ifndef GF_VIEWS_H
#define GF_VIEWS_H

#include <time.h>

#include "conf.h"
#include "output.h"
#include "store.h"

/* One row per configured device: kind, department, last poll, state, pages, uptime, serial. */
int view_status(struct gf_store *s, const struct gf_conf *conf, struct gf_rows *out);

/* Each page counter of DEVICE: value, unit, source, where read, pages counted, cross-check. */
int view_counters(struct gf_store *s, const char *device, struct gf_rows *out);

/* Baselines, resets, swaps, wraps, rejected values: of DEVICE, or all when NULL. */
int view_audit(struct gf_store *s, const char *device, struct gf_rows *out);

/* The repair log: of DEVICE, or all when NULL. */
int view_repairs(struct gf_store *s, const char *device, struct gf_rows *out);

/*
 * Per department with a quota: use in the period PERIOD ("2026-11",
 * "2026-Q4", "2026"; NULL: the current one) at NOW, limits, percentage,
 * state, projection, the highest threshold notified. -2 if PERIOD is none.
 */
int view_quota(struct gf_store *s, const struct gf_conf *conf, const char *period, time_t now,
    struct gf_rows *out);

/* A department's quota use in the quota period that holds T, judged at NOW; -1 without one. */
int view_quota_pct(struct gf_store *s, const struct gf_conf *conf, const char *dept, time_t t,
    time_t now);

/* Per device: age and its evidence, health state, repair advice, kgCO2e a repair avoids. */
int view_fleet(struct gf_store *s, const struct gf_conf *conf, time_t now, struct gf_rows *out);

/*
 * Pages between days FROM and TO (YYYY-MM-DD), per department or device,
 * with shares, quota use at TO, and the paper's environmental figures.
 */
int view_report(struct gf_store *s, const struct gf_conf *conf, const char *from, const char *to,
    int by_device, time_t now, struct gf_rows *out);

/* Year YEAR's responsible-IT figures: section, key, metric, value (and a label for people). */
int view_sustain(struct gf_store *s, const struct gf_conf *conf, int year, time_t now,
    struct gf_rows *out);

/* The factor set: each factor with its value, unit and source. */
void view_factors(const struct gf_conf *conf, struct gf_rows *out);

/*
 * Every poller that ever beat on the store, by name: host, pid, state
 * (alive, stopped: a clean stop, lapsed: it stopped beating), leader,
 * devices held, readings polled, last commit and its lag behind the
 * store's clock, when its run began, its pinned networks.
 */
int view_pollers(struct gf_store *s, const struct gf_conf *conf, struct gf_rows *out);

#endif
