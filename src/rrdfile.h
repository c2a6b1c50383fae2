/*
 * A native RRD updater: what rrd_update_r does to a file, done with pread and
 * pwrite instead of mapping the whole file, for the files and updates
 * greenfleet writes. The bytes written are librrd's own (same arithmetic,
 * same order); tests/unit/test_rrdfile compares them byte for byte. Used only
 * by rrdw.c, which falls back to librrd for anything this does not take.
 */
#ifndef GF_RRDFILE_H
#define GF_RRDFILE_H

#include <stddef.h>

/*
 * Applies ARGC update strings "TIME:V:V..." to the file at PATH, like
 * rrd_update_r without a template. Returns 0 once written; -1 if librrd
 * would have failed too (ERR says why, as librrd would; updates before the
 * failing one are kept, as librrd keeps them); 1 if the file or an update
 * is not one this updater takes (another format version or architecture,
 * COMPUTE or Holt-Winters, "N" or fractional times, non-integer values):
 * nothing was written and the caller should use librrd.
 */
int rrdfile_update(const char *path, int argc, const char **argv, char *err, size_t errsz);

#endif
