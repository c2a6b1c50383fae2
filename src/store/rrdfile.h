/*
 * A native RRD updater: what rrd_update_r does to a file, done with pread and
 * pwrite instead of mapping the whole file, for the files and updates
 * greenfleet writes. The bytes written are librrd's own (same arithmetic,
 * same order); tests/unit/test_rrdfile compares them byte for byte. Used only
 * by rrdw.c, which falls back to librrd for anything this does not take. Also
 * the check of a file's header that runs before librrd is given any file, and
 * what is done with a file that fails it (rrdcheck.c).
 */
#ifndef GF_RRDFILE_H
#define GF_RRDFILE_H

#include <stddef.h>

/*
 * Applies ARGC update strings "TIME:V:V..." to the file at PATH, like
 * rrd_update_r without a template. Returns 0 once written; -1 if librrd
 * would have failed too (ERR says why, as librrd would; updates before the
 * failing one are kept, as librrd keeps them); 1 if the file or an update
 * is not one this updater takes (another architecture, "N" or fractional
 * times, non-integer values, DCOUNTER or DDERIVE): nothing was written and
 * the caller should use librrd; 2 if the file is damaged (ERR says what is
 * wrong, without the path): nothing was written and librrd must not be
 * given the file either.
 */
int rrdfile_update(const char *path, int argc, const char **argv, char *err, size_t errsz);

/* What rrdfile_check_header learnt of a sound file. */
struct rrdfile_info {
	unsigned long ds_cnt, rra_cnt, pdp_step;
	long last_up;
	unsigned long long size;	/* header and archives: the size the file must have */
};

/* Bytes that hold the header of any file rrdfile_check_header accepts. */
#define RRDFILE_HEADER_MAX 50576

/*
 * Checks what librrd would trust in a file of FILE_SIZE bytes whose first
 * LEN bytes are BUF, before librrd maps it: cookies and version 0003 (what
 * librrd 1.7 writes for plain archives), counts, step, every data source
 * and archive definition, the live header, each archive's current row and
 * the exact size. Returns 0 if sound (INFO filled when not NULL); -1 if
 * damaged, ERR saying what is wrong ("pdp_step is 0"); or the number of
 * bytes of the file needed (more than LEN, at most RRDFILE_HEADER_MAX) to
 * judge it. No I/O. Where the layout is not LP64's, 0 without a look.
 */
long rrdfile_check_header(const unsigned char *buf, size_t len, unsigned long long file_size,
    struct rrdfile_info *info, char *err, size_t errsz);

/*
 * rrdfile_check_header on the file at PATH (one or two preads). 0 if sound,
 * -1 if damaged (ERR: what is wrong), -2 if it cannot be read (ERR: why).
 */
int rrdfile_check(const char *path, struct rrdfile_info *info, char *err, size_t errsz);

/*
 * Why rrd_create_r failed to make PATH from the ARGC definitions of ARGV:
 * librrd's error, or (librrd 1.7 says nothing when a write fails) what the
 * directory's free space, its inodes or the file-size limit tell; in BUF.
 */
const char *rrdfile_create_reason(char *buf, size_t sz, const char *path, int argc,
    const char **argv);

/*
 * Renames the damaged file PATH to PATH.damaged-YYYYMMDDTHHMMSS (UTC; -2,
 * -3... when taken) and logs it, for WHO, with WHY. 0 once renamed; -1
 * otherwise, logged unless QUIET.
 */
int rrdfile_set_aside(const char *who, const char *path, const char *why, int quiet);

#endif
