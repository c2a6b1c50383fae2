/*
 * The check of an RRD file's header before librrd is given the file. librrd
 * maps a file and believes its header: a pdp_step of 0 divides by zero, a
 * huge rra_cnt walks off the map, a truncated file faults on its missing
 * rows. Such files come from a power cut, a full disk or a bad copy, and
 * one of them must not take the daemon (or the CLI) down: every field
 * librrd would trust is checked here first, with the reason in words. A
 * file that fails is set aside here too, and a failed create explained.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>

#include "log.h"
#include "rrdfile.h"
#include "rrdformat.h"
#include "text.h"

#define STEP_MAX	2147483647UL	/* seconds */
#define PDP_CNT_MAX	2147483647UL
#define SPAN_MAX	(1ULL << 40)	/* seconds an archive may cover: ~35,000 years */
#define LAST_UP_MAX	4102444800L	/* 2100-01-01: later is a damaged word, not a date */
#define FIRST_READ	16384	/* the header of any file greenfleet makes, in one read */

_Static_assert(HDR_MAX == RRDFILE_HEADER_MAX, "RRDFILE_HEADER_MAX is HDR_MAX");

/* The plain types and functions: what librrd computes without references to other parts. */
static const char *const dst_names[] = { "GAUGE", "COUNTER", "DERIVE", "ABSOLUTE",
	"DCOUNTER", "DDERIVE" };
static const char *const cf_names[] = { "AVERAGE", "MIN", "MAX", "LAST" };

/* A fixed-size name field as printable text (bytes outside ASCII shown as '?') for a reason. */
static const char *
shown(char *dst, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && p[i] != '\0'; i++)
		dst[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	dst[i] = '\0';
	return dst;
}

/* Index of the NUL-terminated name at P (LEN bytes) in NAMES, or -1. */
static int
lookup(const unsigned char *p, size_t len, const char *const *names, int n)
{
	if (memchr(p, '\0', len) == NULL)
		return -1;
	for (int k = 0; k < n; k++)
		if (strcmp((const char *)p, names[k]) == 0)
			return k;
	return -1;
}

/* Whether P holds a data source name librrd's create would take: [A-Za-z0-9_]{1,19}. */
static int
good_name(const unsigned char *p)
{
	size_t i;

	for (i = 0; i < NAME_LEN - 1 && p[i] != '\0'; i++)
		if (!(p[i] >= 'a' && p[i] <= 'z') && !(p[i] >= 'A' && p[i] <= 'Z') &&
		    !(p[i] >= '0' && p[i] <= '9') && p[i] != '_')
			return 0;
	return i > 0 && p[i] == '\0';
}

/* The fixed part: cookies, version, counts and step; -1 (ERR) if damaged. */
static int
check_stat(const unsigned char *b, unsigned long long size, char *err, size_t errsz)
{
	char v[8];
	unsigned long nds = rrd_get_u(b + 24), nrra = rrd_get_u(b + 32), step = rrd_get_u(b + 40);
	double cookie = rrd_get_d(b + 16);

	if (memcmp(b, "RRD", 4) != 0) {
		gf_errf(err, errsz, "not an RRD file (no RRD cookie)");
	} else if (memcmp(b + 4, "0003", 5) != 0) {
		gf_errf(err, errsz, "format version \"%s\" is not 0003", shown(v, b + 4, 5));
	} else if (cookie != FLOAT_COOKIE) {
		gf_errf(err, errsz, "float cookie %.7g is not %.7g (damaged, or another architecture)",
		    cookie, FLOAT_COOKIE);
	} else if (nds == 0 || nds > NDS_MAX) {
		gf_errf(err, errsz, "ds_cnt %lu out of range (1 to %d)", nds, NDS_MAX);
	} else if (nrra == 0 || nrra > NRRA_MAX) {
		gf_errf(err, errsz, "rra_cnt %lu out of range (1 to %d)", nrra, NRRA_MAX);
	} else if (step == 0) {
		gf_errf(err, errsz, "pdp_step is 0");
	} else if (step > STEP_MAX) {
		gf_errf(err, errsz, "pdp_step %lu out of range (1 to %lu)", step, STEP_MAX);
	} else if (size < HDR_LEN(nds, nrra)) {
		gf_errf(err, errsz, "file is %llu bytes, shorter than its header (%lu bytes)", size,
		    (unsigned long)HDR_LEN(nds, nrra));
	} else {
		return 0;
	}
	return -1;
}

/* Data source I's definition; -1 (ERR) if damaged. */
static int
check_ds(const unsigned char *b, unsigned long i, char *err, size_t errsz)
{
	const unsigned char *p = b + STAT_LEN + i * DSDEF_LEN;
	char n[NAME_LEN + 1], t[NAME_LEN + 1];

	if (!good_name(p)) {
		gf_errf(err, errsz, "data source %lu has no valid name (\"%s\")", i,
		    shown(n, p, NAME_LEN));
	} else if (lookup(p + NAME_LEN, NAME_LEN, dst_names, 6) < 0) {
		gf_errf(err, errsz, "data source %lu (%s) has unknown type \"%s\"", i, (const char *)p,
		    shown(t, p + NAME_LEN, NAME_LEN));
	} else if (rrd_get_u(p + 40) == 0) {
		gf_errf(err, errsz, "data source %lu (%s) has heartbeat 0", i, (const char *)p);
	} else {
		return 0;
	}
	return -1;
}

/* Archive R's definition; -1 (ERR) if damaged. Adds its rows to *ROWS. */
static int
check_rra(const unsigned char *b, unsigned long nds, unsigned long r, unsigned long *rows,
    char *err, size_t errsz)
{
	const unsigned char *p = b + STAT_LEN + nds * DSDEF_LEN + r * RRADEF_LEN;
	unsigned long n = rrd_get_u(p + 24), pdp = rrd_get_u(p + 32), step = rrd_get_u(b + 40);
	double xff = rrd_get_d(p + 40);
	char cf[NAME_LEN + 1];

	if (lookup(p, NAME_LEN, cf_names, 4) < 0) {
		gf_errf(err, errsz, "archive %lu has unknown consolidation function \"%s\"", r,
		    shown(cf, p, NAME_LEN));
	} else if (n == 0 || n > ROWS_MAX) {
		gf_errf(err, errsz, "archive %lu (%s) has row_cnt %lu out of range (1 to %lu)", r,
		    (const char *)p, n, ROWS_MAX);
	} else if (pdp == 0 || pdp > PDP_CNT_MAX) {
		gf_errf(err, errsz, "archive %lu (%s) has pdp_cnt %lu out of range (1 to %lu)", r,
		    (const char *)p, pdp, PDP_CNT_MAX);
	} else if ((unsigned long long)step * pdp > SPAN_MAX / n) {
		/* Both below 2^31: their product does not overflow, and neither does librrd's. */
		gf_errf(err, errsz, "archive %lu (%s) covers %lu rows of %lu steps of %lu s, more "
		    "than 2^40 s", r, (const char *)p, n, pdp, step);
	} else if (!(xff >= 0.0 && xff < 1.0)) {
		gf_errf(err, errsz, "archive %lu (%s) has xff %g out of range [0, 1)", r,
		    (const char *)p, xff);
	} else {
		*rows += n;
		return 0;
	}
	return -1;
}

/* The live parts: last update, each source's last value, each archive's row; -1 (ERR). */
static int
check_live(const unsigned char *b, unsigned long nds, unsigned long nrra, char *err,
    size_t errsz)
{
	const unsigned char *live = b + DEFS_END(nds, nrra), *p;
	long last = (long)rrd_get_u(live);
	unsigned long usec = rrd_get_u(live + 8), i, cur, rows;

	if (last < 1 || last > LAST_UP_MAX) {
		gf_errf(err, errsz, "last_up %ld out of range (1 to %ld)", last, LAST_UP_MAX);
		return -1;
	}
	if (usec > 999999) {
		gf_errf(err, errsz, "last_up_usec %lu out of range (0 to 999999)", usec);
		return -1;
	}
	for (i = 0; i < nds; i++) {
		p = b + PDP_OFF(nds, nrra) + i * PDP_LEN;
		if (memchr(p, '\0', LAST_DS_LEN) == NULL) {
			gf_errf(err, errsz, "data source %lu (%s) has an unterminated last value", i,
			    (const char *)b + STAT_LEN + i * DSDEF_LEN);
			return -1;
		}
	}
	for (i = 0; i < nrra; i++) {
		p = b + STAT_LEN + nds * DSDEF_LEN + i * RRADEF_LEN;
		cur = rrd_get_u(b + PTR_OFF(nds, nrra) + i * PTR_LEN);
		rows = rrd_get_u(p + 24);
		if (cur >= rows) {
			gf_errf(err, errsz, "archive %lu (%s) has cur_row %lu, not below row_cnt %lu", i,
			    (const char *)p, cur, rows);
			return -1;
		}
	}
	return 0;
}

long
rrdfile_check_header(const unsigned char *buf, size_t len, unsigned long long file_size,
    struct rrdfile_info *info, char *err, size_t errsz)
{
	unsigned long nds, nrra, i, rows = 0;
	unsigned long long need;

	if (!LAYOUT_OK)
		return 0;
	if (file_size < STAT_LEN) {
		gf_errf(err, errsz, "file is %llu bytes, too short for an RRD header (%d)", file_size,
		    STAT_LEN);
		return -1;
	}
	if (len < STAT_LEN)
		return STAT_LEN;
	if (check_stat(buf, file_size, err, errsz) != 0)
		return -1;
	nds = rrd_get_u(buf + 24);
	nrra = rrd_get_u(buf + 32);
	if (len < HDR_LEN(nds, nrra))
		return (long)HDR_LEN(nds, nrra);
	for (i = 0; i < nds; i++)
		if (check_ds(buf, i, err, errsz) != 0)
			return -1;
	for (i = 0; i < nrra; i++)
		if (check_rra(buf, nds, i, &rows, err, errsz) != 0)
			return -1;
	if (check_live(buf, nds, nrra, err, errsz) != 0)
		return -1;
	need = HDR_LEN(nds, nrra) + (unsigned long long)rows * nds * sizeof(double);
	if (file_size != need) {
		gf_errf(err, errsz, "file is %llu bytes, header and archives need %llu", file_size, need);
		return -1;
	}
	if (info != NULL)
		*info = (struct rrdfile_info){ nds, nrra, rrd_get_u(buf + 40), (long)rrd_get_u(buf +
		    DEFS_END(nds, nrra)), need };
	return 0;
}

/* Reads the first N bytes of FD into BUF; -1 (ERR) unless all came. */
static int
read_start(int fd, unsigned char *buf, size_t n, char *err, size_t errsz)
{
	ssize_t got = pread(fd, buf, n, 0);

	if (got == (ssize_t)n)
		return 0;
	gf_errf(err, errsz, "cannot read: %s", got < 0 ? strerror(errno) : "file shrank");
	return -1;
}

/* Opens PATH for reading, a regular file; -1 (ERR) otherwise. */
static int
open_file(const char *path, struct stat *st, char *err, size_t errsz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		gf_errf(err, errsz, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0)
		gf_errf(err, errsz, "cannot read: %s", strerror(errno));
	else if (!S_ISREG(st->st_mode))
		gf_errf(err, errsz, "cannot read: not a regular file");
	else
		return fd;
	close(fd);
	return -1;
}

int
rrdfile_check(const char *path, struct rrdfile_info *info, char *err, size_t errsz)
{
	unsigned char first[FIRST_READ], *more = NULL;
	struct stat st;
	long rc;
	size_t n;
	int fd;

	if ((fd = open_file(path, &st, err, errsz)) < 0)
		return -2;
	n = st.st_size < FIRST_READ ? (size_t)st.st_size : FIRST_READ;
	rc = read_start(fd, first, n, err, errsz) != 0 ? -2 :
	    rrdfile_check_header(first, n, (unsigned long long)st.st_size, info, err, errsz);
	/* A header past FIRST_READ (not one of ours) is read again whole. */
	if (rc > 0) {
		n = (size_t)rc;
		if ((more = malloc(n)) == NULL) {
			gf_errf(err, errsz, "cannot read: out of memory");
			rc = -2;
		} else {
			rc = read_start(fd, more, n, err, errsz) != 0 ? -2 : rrdfile_check_header(more,
			    n, (unsigned long long)st.st_size, info, err, errsz);
		}
	}
	if (rc > 0)
		gf_errf(err, errsz, "cannot read: file grew");
	free(more);
	close(fd);
	return rc > 0 ? -2 : (int)rc;
}

/*
 * Why rrd_create_r failed. librrd 1.7 says nothing when a write fails (and
 * its clean-up overwrites errno): then the directory tells, from its free
 * space against the ~size of the ARGC definitions in ARGV, or its inodes,
 * or the process's file-size limit does.
 */
const char *
rrdfile_create_reason(char *buf, size_t sz, const char *path, int argc, const char **argv)
{
	const char *e = rrd_get_error(), *slash;
	unsigned long long rows = 0, need;
	struct statvfs vfs;
	struct rlimit fsz;
	char dir[4096];
	int nds = 0, i;

	if (e != NULL && *e != '\0')
		return e;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "DS:", 3) == 0)
			nds++;
		else if ((slash = strrchr(argv[i], ':')) != NULL)
			rows += strtoull(slash + 1, NULL, 10);
	}
	need = rows * (unsigned long long)nds * sizeof(double);
	slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (statvfs(dir, &vfs) == 0 && (unsigned long long)vfs.f_bavail * vfs.f_frsize < need)
		snprintf(buf, sz, "%s (%llu bytes free, the file needs %llu)", strerror(ENOSPC),
		    (unsigned long long)vfs.f_bavail * vfs.f_frsize, need);
	else if (statvfs(dir, &vfs) == 0 && vfs.f_files > 0 && vfs.f_favail == 0)
		snprintf(buf, sz, "%s (no free inodes)", strerror(ENOSPC));
	else if (getrlimit(RLIMIT_FSIZE, &fsz) == 0 && fsz.rlim_cur != RLIM_INFINITY &&
	    fsz.rlim_cur < need)
		snprintf(buf, sz, "%s (the file-size limit is %llu bytes, the file needs %llu)",
		    strerror(EFBIG), (unsigned long long)fsz.rlim_cur, need);
	else if (access(dir, W_OK) != 0)
		snprintf(buf, sz, "%s", strerror(errno));
	else
		snprintf(buf, sz, "unknown error");
	return buf;
}

/*
 * Renames the damaged file PATH to PATH.damaged-YYYYMMDDTHHMMSS (UTC; -2,
 * -3... when taken: an earlier one is never overwritten) and logs it with
 * WHY. 0 once renamed; -1 otherwise, logged unless QUIET.
 */
int
rrdfile_set_aside(const char *who, const char *path, const char *why, int quiet)
{
	char to[4200], stamp[32];
	time_t now = time(NULL);
	struct stat st;
	struct tm tm;
	int k, e;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	for (k = 1; k < 100; k++) {
		snprintf(to, sizeof(to), k == 1 ? "%s.damaged-%s" : "%s.damaged-%s-%d", path, stamp,
		    k);
		/* link() fails on a taken name, where rename() would replace it. */
		if (link(path, to) == 0) {
			if (unlink(path) == 0)
				break;
			e = errno;
			unlink(to);
			errno = e;
		} else if (errno == EEXIST || lstat(to, &st) == 0) {
			continue;
		} else if (rename(path, to) == 0) {	/* a file system without hard links */
			break;
		}
		if (!quiet)
			log_err("rrd: %s: %s is damaged (%s) and cannot be set aside: %s", who, path,
			    why, strerror(errno));
		return -1;
	}
	if (k == 100) {
		if (!quiet)
			log_err("rrd: %s: %s is damaged (%s) and cannot be set aside: 99 copies "
			    "already", who, path, why);
		return -1;
	}
	log_err("rrd: %s: %s is damaged (%s): set aside as %s, a new file is started", who, path,
	    why, to);
	return 0;
}
