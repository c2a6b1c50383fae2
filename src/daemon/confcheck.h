/* What starting greenfleetd needs beyond a valid configuration file. */
#ifndef GF_CONFCHECK_H
#define GF_CONFCHECK_H

#include <stdio.h>

#include <libconfig.h>

#include "conf.h"

/*
 * Checked by -t, at start and on reload alike (given to conf_load_opts):
 * the user exists (and is not root without GF_CONF_ALLOW_ROOT), data_dir is
 * or can be made a directory the daemon writes, and with smtp, mail_dir
 * holds every template in the language used. ROOT locates each error;
 * returns their count, each printed to ERRS.
 */
int conf_check_start(const struct gf_conf *conf, const config_setting_t *root, int flags,
    FILE *errs);

#endif
