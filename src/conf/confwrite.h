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
 * preceded by COMMENT lines ("# ...") when not NULL. -1 if a value cannot be
 * written safely (a string with a NUL or a newline).
 */
int confwrite_device(FILE *f, const struct gf_conf *conf, const struct gf_device *d,
    const char *comment);

/* A libconfig string literal of S, quotes included: \\ \" and \xNN for controls. */
void confwrite_str(FILE *f, const char *s);

#endif
