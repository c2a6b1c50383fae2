/* The state store's repair log: interventions recorded by hand. */
#ifndef GF_STORE_REPAIR_H
#define GF_STORE_REPAIR_H

#include <time.h>

struct gf_store;

/* Records an intervention (the store must be opened writable). */
int store_repair_log(struct gf_store *s, const char *device, const char *day, const char *part,
    const char *text, time_t now);

typedef void (*store_repair_fn)(void *arg, const char *device, const char *day, const char *part,
    const char *text);
int store_repairs(struct gf_store *s, const char *device, store_repair_fn fn, void *arg);

#endif
