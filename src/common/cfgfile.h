/*
 * Reading a libconfig file without handing libconfig anything that can stop
 * the process: libconfig 1.5's scanner exit(2)s on a read error (an @include
 * of a directory), blocks on a FIFO and reads a device for ever. The file and
 * every @include it would follow are checked first, with libconfig's own
 * lexical rules; only then does libconfig read them.
 */
#ifndef GF_CFGFILE_H
#define GF_CFGFILE_H

#include <stdio.h>

#include <libconfig.h>

#define GF_CFG_MAX_FILE		(8 * 1024 * 1024)	/* bytes in one file */
#define GF_CFG_MAX_TOTAL	(32 * 1024 * 1024)	/* bytes in a file and all it includes */
#define GF_CFG_MAX_FILES	256			/* files included, counting repeats */
#define GF_CFG_MAX_DEPTH	10			/* libconfig 1.5's MAX_INCLUDE_DEPTH */

#define GF_CFG_NOINCLUDE	0x01	/* every @include is an error (fuzzing, untrusted text) */

/*
 * Reads PATH into CFG (config_init'ed by the caller, who destroys it). Every
 * problem is printed to ERRS as "FILE:LINE: message" ("FILE: message" where
 * there is no line); FILE is PATH, or an included file named as its @include
 * line names it (as libconfig names it in settings). Returns the number of
 * errors: 0 when CFG holds the file.
 */
int cfgfile_read(config_t *cfg, const char *path, int flags, FILE *errs);

#endif
