/*
 * Devices written back as configuration: what `greenfleet discover -o` and
 * `greenfleet import` produce, a libconfig file that greenfleetd -t accepts
 * as it is. Strings are quoted and escaped for libconfig; a value that could
 * not be read back the same is refused, never written.
 */
#ifndef GF_CONFWRITE_H
#define GF_CONFWRITE_H

#include <stdio.h>

#include "conf.h"

/*
 * Writes D as one element of a `devices = ( ... );` list (without the
 * separating comma), only the keys that differ from the defaults CONF gives,
 * preceded by COMMENT lines ("# ...") when not NULL. -1 (nothing written) if a
 * value cannot be written safely (a required one missing, a
 * control byte in one: conf_load refuses them).
 */
int confwrite_device(FILE *f, const struct gf_conf *conf, const struct gf_device *d,
    const char *comment);

/*
 * Writes a whole devices file, `devices = ( ... );`, one group per device of
 * DEVS with COMMENTS[i] (or no comment: COMMENTS or its entry NULL) above
 * it. A device that cannot be written safely is left out and makes it -1.
 */
int confwrite_devices(FILE *f, const struct gf_conf *conf, const struct gf_device *devs,
    size_t n, const char *const *comments);

/* A libconfig string literal of S, quotes included: \\ \" and \xNN for controls. */
void confwrite_str(FILE *f, const char *s);

#endif
