/*
 * The fleet in the Prometheus text exposition format (version 0.0.4), for
 * /metrics of greenfleet-web and `greenfleet metrics`: every figure comes
 * from the same views and store queries the CLI prints. Label values are
 * escaped per the format (backslash, double quote, newline).
 */
#ifndef GF_METRICS_H
#define GF_METRICS_H

#include <stdio.h>
#include <time.h>

#include "conf.h"
#include "store.h"

/*
 * Writes every metric family (HELP, TYPE, samples) for CONF's fleet at NOW
 * onto F. ONLY_DEPT: only that department's devices and figures (NULL: all).
 * 0, or -1 on a store error (logged; what was written is then incomplete).
 */
int metrics_write(struct gf_store *s, const struct gf_conf *conf, const char *only_dept,
    time_t now, FILE *f);

#endif
