/*
 * Native RRD updater. librrd's rrd_update maps the whole file, advises the
 * kernel three times and unmaps it again for every sample: 25-45 us of CPU
 * per sample here, about half of the daemon's at 1,000 devices. The header
 * of one of our files is ~4 KB, and a sample changes the header and one row
 * per archive whose step ended, so open, lock, one pread, a pwrite or two
 * and close do the same work for 7-10 us.
 *
 * The file format is librrd's version 3 as laid out on LP64 Linux
 * (rrdformat.h), checked by rrdcheck.c before anything is read from it. The
 * arithmetic below is
 * rrd_update.c's, step for step and in the same order of operations, so
 * that every double written is the one librrd would write.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rrdfile.h"
#include "rrdformat.h"

#define FIRST_READ	4096
#define DIGITS_MAX	15	/* below 2^53: every value converts to a double exactly */

enum dst { DST_GAUGE, DST_COUNTER, DST_DERIVE, DST_ABSOLUTE };
enum cf { CF_AVERAGE, CF_MIN, CF_MAX, CF_LAST };

/* A data source: definition and its pdp_prep. */
struct ds {
	enum dst type;
	unsigned long mrhb;	/* heartbeat */
	double min, max;
	char last[LAST_DS_LEN];
	unsigned long unkn;	/* PDP_unkn_sec_cnt */
	double val;		/* PDP_val */
};

/* The part of cdp_prep that plain consolidation uses. */
struct cdp {
	double val, primary, secondary;
	unsigned long unkn;	/* CDP_unkn_pdp_cnt */
};

struct rra {
	enum cf cf;
	unsigned long rows, pdp_cnt, cur_row;
	double xff;
	off_t start;		/* file offset of its first row */
	unsigned long steps;	/* rows to write for the sample in hand */
};

/* An open file: the header as read, and its fields decoded. */
struct rrdf {
	int fd;
	const char *path;
	unsigned char hdr[HDR_MAX];
	size_t got;			/* bytes of the file in hdr */
	size_t live_off, pdp_off, cdp_off, ptr_off, hdr_len;
	unsigned long nds, nrra, step;
	long last_up;
	struct ds ds[NDS_MAX];
	struct rra rra[NRRA_MAX];
	struct cdp cdp[NRRA_MAX][NDS_MAX];
	char *err;
	size_t errsz;
};

/* One parsed update. */
struct sample {
	long t;
	const char *val[NDS_MAX];	/* as given ("U" or an integer) */
	size_t len[NDS_MAX];
	double num[NDS_MAX];		/* its value, when not U */
	int neg[NDS_MAX];
};

static void fail(struct rrdf *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail(struct rrdf *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, f->errsz, fmt, ap);
	va_end(ap);
}

static void
put_d(unsigned char *p, double d)
{
	memcpy(p, &d, sizeof(d));
}

static void
put_u(unsigned char *p, unsigned long u)
{
	memcpy(p, &u, sizeof(u));
}

/* librrd's unknown: 0.0/0.0 computed at run time, the x86 default NaN (sign bit set). */
static double
dnan(void)
{
	static volatile double zero = 0.0;

	return zero / zero;
}

/* Has the first N bytes of the file in f->hdr; 0, or -1 if the file is shorter. */
static int
read_upto(struct rrdf *f, size_t n)
{
	ssize_t got;

	if (f->got >= n)
		return 0;
	got = pread(f->fd, f->hdr + f->got, n - f->got, (off_t)f->got);
	if (got != (ssize_t)(n - f->got))
		return -1;
	f->got = n;
	return 0;
}

/* Decodes the definitions; -1 if the file is not one we take. */
static int
parse_defs(struct rrdf *f)
{
	static const char *const dst[] = { "GAUGE", "COUNTER", "DERIVE", "ABSOLUTE" };
	static const char *const cf[] = { "AVERAGE", "MIN", "MAX", "LAST" };
	const unsigned char *p;
	unsigned long i;
	int k;

	for (i = 0; i < f->nds; i++) {
		p = f->hdr + STAT_LEN + i * DSDEF_LEN;
		for (k = 0; k < 4 && strncmp((const char *)p + 20, dst[k], 20) != 0; k++)
			;
		if (k == 4)
			return -1;
		f->ds[i].type = (enum dst)k;
		f->ds[i].mrhb = rrd_get_u(p + 40);
		f->ds[i].min = rrd_get_d(p + 48);
		f->ds[i].max = rrd_get_d(p + 56);
	}
	for (i = 0; i < f->nrra; i++) {
		p = f->hdr + STAT_LEN + f->nds * DSDEF_LEN + i * RRADEF_LEN;
		for (k = 0; k < 4 && strncmp((const char *)p, cf[k], 20) != 0; k++)
			;
		f->rra[i].rows = rrd_get_u(p + 24);
		f->rra[i].pdp_cnt = rrd_get_u(p + 32);
		/* Bounded so that no offset computed from them overflows. */
		if (k == 4 || f->rra[i].rows == 0 || f->rra[i].rows > ROWS_MAX ||
		    f->rra[i].pdp_cnt == 0)
			return -1;
		f->rra[i].cf = (enum cf)k;
		f->rra[i].xff = rrd_get_d(p + 40);
	}
	return 0;
}

/* Decodes the live parts: last update, pdp_prep, cdp_prep and rra_ptr. */
static int
parse_live(struct rrdf *f)
{
	const unsigned char *p;
	unsigned long i, r;
	off_t start = (off_t)f->hdr_len;

	f->last_up = (long)rrd_get_u(f->hdr + f->live_off);
	if (rrd_get_u(f->hdr + f->live_off + 8) != 0)
		return -1;	/* written with sub-second times: librrd's business */
	for (i = 0; i < f->nds; i++) {
		p = f->hdr + f->pdp_off + i * PDP_LEN;
		memcpy(f->ds[i].last, p, LAST_DS_LEN);
		f->ds[i].unkn = rrd_get_u(p + 32);
		f->ds[i].val = rrd_get_d(p + 40);
	}
	for (r = 0; r < f->nrra; r++) {
		for (i = 0; i < f->nds; i++) {
			p = f->hdr + f->cdp_off + (r * f->nds + i) * CDP_LEN;
			f->cdp[r][i].val = rrd_get_d(p);
			f->cdp[r][i].unkn = rrd_get_u(p + 8);
			f->cdp[r][i].primary = rrd_get_d(p + 64);
			f->cdp[r][i].secondary = rrd_get_d(p + 72);
		}
		f->rra[r].cur_row = rrd_get_u(f->hdr + f->ptr_off + r * PTR_LEN);
		if (f->rra[r].cur_row >= f->rra[r].rows)
			return -1;
		f->rra[r].start = start;
		start += (off_t)(f->rra[r].rows * f->nds * sizeof(double));
	}
	return 0;
}

/* Reads and checks the header; 0, -1 (error set), 1 (not ours) or 2 (damaged, error set). */
static int
read_header(struct rrdf *f)
{
	struct rrdfile_info info;
	struct stat st;
	ssize_t got;
	long need;

	if (fstat(f->fd, &st) != 0) {
		fail(f, "fstat '%s': %s", f->path, strerror(errno));
		return -1;
	}
	/* One read takes the whole header of most files (ours: ~4 KB). */
	got = pread(f->fd, f->hdr, FIRST_READ, 0);
	f->got = got > 0 ? (size_t)got : 0;
	need = rrdfile_check_header(f->hdr, f->got, (unsigned long long)st.st_size, &info,
	    f->err, f->errsz);
	if (need > 0 && read_upto(f, (size_t)need) == 0)
		need = rrdfile_check_header(f->hdr, f->got, (unsigned long long)st.st_size, &info,
		    f->err, f->errsz);
	if (need > 0) {
		fail(f, "reading '%s': %s", f->path, errno ? strerror(errno) : "short read");
		return -1;
	}
	if (need < 0)
		return 2;
	f->nds = info.ds_cnt;
	f->nrra = info.rra_cnt;
	f->step = info.pdp_step;
	f->live_off = DEFS_END(f->nds, f->nrra);
	f->pdp_off = PDP_OFF(f->nds, f->nrra);
	f->cdp_off = CDP_OFF(f->nds, f->nrra);
	f->ptr_off = PTR_OFF(f->nds, f->nrra);
	f->hdr_len = HDR_LEN(f->nds, f->nrra);
	/* A DCOUNTER, a DDERIVE or sub-second times: librrd's business. */
	if (parse_defs(f) != 0 || parse_live(f) != 0)
		return 1;
	return 0;
}

/* Accepts "-?digits" of at most DIGITS_MAX digits; the value in *NUM. */
static int
parse_int(const char *s, size_t len, double *num, int *neg)
{
	size_t i = *s == '-';
	long long v = 0;

	*neg = (int)i;
	if (len == i || len - i > DIGITS_MAX)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*num = *neg ? -(double)v : (double)v;	/* "-0" is -0.0, as strtod has it */
	return 0;
}

/* Splits "TIME:V:V..." into S; -1 unless every field is one we take. */
static int
parse_sample(const struct rrdf *f, const char *arg, struct sample *s)
{
	const char *p = arg, *end;
	double t;
	unsigned long i;
	int neg;

	end = strchr(p, ':');
	if (end == NULL || parse_int(p, (size_t)(end - p), &t, &neg) != 0 || neg || t == 0)
		return -1;
	s->t = (long)t;
	for (i = 0; i < f->nds; i++) {
		if (*end != ':')
			return -1;
		p = end + 1;
		end = p + strcspn(p, ":");
		s->val[i] = p;
		s->len[i] = (size_t)(end - p);
		if (s->len[i] == 1 && *p == 'U')
			continue;
		/* librrd refuses a negative COUNTER value: let it say so. */
		if (parse_int(p, s->len[i], &s->num[i], &s->neg[i]) != 0 ||
		    (s->neg[i] && f->ds[i].type == DST_COUNTER))
			return -1;
	}
	return *end == '\0' ? 0 : -1;
}

/*
 * librrd's rrd_diff for two integers: the difference of the magnitudes,
 * negated when both are negative (so -5 - -5 is -0.0), NaN when their signs
 * differ.
 */
static double
diff(double now, int now_neg, const char *last)
{
	double was, d;
	int was_neg;

	if (parse_int(last, strlen(last), &was, &was_neg) != 0)
		return NAN;	/* not reached: checked before any write */
	if (now_neg != was_neg)
		return dnan();
	d = fabs(now) - fabs(was);
	return now_neg ? -d : d;
}

/* What the sample adds to each source's PDP (update_pdp_prep); NaN for unknown. */
static void
pdp_prep(struct rrdf *f, const struct sample *s, double interval, double *pdp_new)
{
	struct ds *d;
	double rate;
	unsigned long i;

	for (i = 0; i < f->nds; i++) {
		d = &f->ds[i];
		if ((double)d->mrhb < interval)
			strcpy(d->last, "U");
		pdp_new[i] = dnan();
		if (s->val[i][0] != 'U' && (double)d->mrhb >= interval) {
			rate = dnan();
			if (d->type == DST_GAUGE) {
				pdp_new[i] = s->num[i] * interval;
				rate = s->num[i];
			} else if (d->type == DST_ABSOLUTE) {
				pdp_new[i] = s->num[i];
				rate = pdp_new[i] / interval;
			} else if (d->last[0] != 'U') {
				pdp_new[i] = diff(s->num[i], s->neg[i], d->last);
				if (d->type == DST_COUNTER && pdp_new[i] < 0.0)
					pdp_new[i] += 4294967295.0;
				if (d->type == DST_COUNTER && pdp_new[i] < 0.0)
					pdp_new[i] += 18446744069414584320.0;
				rate = pdp_new[i] / interval;
			}
			if (!isnan(rate) && ((!isnan(d->max) && rate > d->max) ||
			    (!isnan(d->min) && rate < d->min)))
				pdp_new[i] = dnan();
		}
		memset(d->last, 0, LAST_DS_LEN);
		memcpy(d->last, s->val[i], s->len[i]);
	}
}

/* No step boundary passed: accumulate (simple_update). */
static void
accumulate(struct rrdf *f, double interval, const double *pdp_new)
{
	struct ds *d;

	for (unsigned long i = 0; i < f->nds; i++) {
		d = &f->ds[i];
		if (isnan(pdp_new[i]))
			d->unkn = (unsigned long)((double)d->unkn + floor(interval));
		else if (isnan(d->val))
			d->val = pdp_new[i];
		else
			d->val += pdp_new[i];
	}
}

/* Closes the PDPs of every source (process_pdp_st); their values in PDP_TEMP. */
static void
close_pdps(struct rrdf *f, double interval, double pre_int, double post_int,
    unsigned long elapsed, const double *pdp_new, double *pdp_temp)
{
	long span = (long)(elapsed * f->step);
	double pre_unknown;
	struct ds *d;

	for (unsigned long i = 0; i < f->nds; i++) {
		d = &f->ds[i];
		pre_unknown = 0.0;
		if (isnan(pdp_new[i])) {
			pre_unknown = pre_int;
		} else {
			if (isnan(d->val))
				d->val = 0;
			d->val += pdp_new[i] / interval * pre_int;
		}
		if (interval > (double)d->mrhb || (double)f->step / 2.0 < (double)(int)d->unkn)
			pdp_temp[i] = dnan();
		else
			pdp_temp[i] = d->val / ((double)((unsigned long)span - d->unkn) -
			    pre_unknown);
		if (isnan(pdp_new[i])) {
			d->unkn = (unsigned long)floor(post_int);
			d->val = dnan();
		} else {
			d->unkn = 0;
			d->val = pdp_new[i] / interval * post_int;
		}
	}
}

static double
ifnan(double x, double y)
{
	return isnan(x) ? y : x;
}

/* The CDP's value once it has all its PDPs (initialize_cdp_val). */
static double
cdp_primary(const struct cdp *c, enum cf cf, double temp, unsigned long start,
    unsigned long pdp_cnt)
{
	double cum, cur;

	switch (cf) {
	case CF_AVERAGE:
		cum = ifnan(c->val, 0.0);
		cur = ifnan(temp, 0.0);
		return (cum + cur * (double)start) / (double)(pdp_cnt - c->unkn);
	case CF_MAX:
		cum = ifnan(c->val, -INFINITY);
		cur = ifnan(temp, -INFINITY);
		return cur > cum ? cur : cum;
	case CF_MIN:
		cum = ifnan(c->val, INFINITY);
		cur = ifnan(temp, INFINITY);
		return cur < cum ? cur : cum;
	default:
		return temp;
	}
}

/* What a new CDP starts with (initialize_carry_over). */
static double
cdp_carry(enum cf cf, double temp, unsigned long elapsed, unsigned long start,
    unsigned long pdp_cnt)
{
	unsigned long into = (elapsed - start) % pdp_cnt;

	if (into == 0 || isnan(temp))
		return cf == CF_MAX ? -INFINITY : cf == CF_MIN ? INFINITY :
		    cf == CF_AVERAGE ? 0 : dnan();
	return cf == CF_AVERAGE ? temp * (double)into : temp;
}

/* Adds PDPs to a CDP that is not complete yet (calculate_cdp_val). */
static double
cdp_add(double val, double temp, unsigned long elapsed, enum cf cf)
{
	if (isnan(val))
		return cf == CF_AVERAGE ? temp * (double)elapsed : temp;
	if (cf == CF_AVERAGE)
		return val + temp * (double)elapsed;
	if (cf == CF_MIN)
		return temp < val ? temp : val;
	if (cf == CF_MAX)
		return temp > val ? temp : val;
	return temp;
}

/* Consolidates one PDP value into a CDP of an archive of several PDPs (update_cdp). */
static void
cdp_update(struct cdp *c, const struct rra *a, double temp, unsigned long elapsed,
    unsigned long start)
{
	if (a->steps == 0) {
		if (isnan(temp))
			c->unkn += elapsed;
		else
			c->val = cdp_add(c->val, temp, elapsed, a->cf);
		return;
	}
	if (isnan(temp)) {
		c->unkn += start;
		c->secondary = dnan();
	} else {
		c->secondary = temp;
	}
	if ((double)c->unkn > (double)a->pdp_cnt * a->xff)
		c->primary = dnan();
	else
		c->primary = cdp_primary(c, a->cf, temp, start, a->pdp_cnt);
	c->val = cdp_carry(a->cf, temp, elapsed, start, a->pdp_cnt);
	c->unkn = isnan(temp) ? (elapsed - start) % a->pdp_cnt : 0;
}

/*
 * Feeds ELAPSED closed PDPs to every archive (update_all_cdp_prep and, for
 * archives of one PDP per row, update_aberrant_cdps); sets each one's rows
 * to write.
 */
static void
consolidate(struct rrdf *f, unsigned long elapsed, unsigned long proc_cnt,
    const double *pdp_temp)
{
	struct rra *a;
	unsigned long r, i, start;

	for (r = 0; r < f->nrra; r++) {
		a = &f->rra[r];
		start = a->pdp_cnt - proc_cnt % a->pdp_cnt;
		a->steps = 0;
		if (start <= elapsed) {
			a->steps = (elapsed - start) / a->pdp_cnt + 1;
			if (a->steps > a->rows)
				a->steps = a->rows;
		}
		for (i = 0; i < f->nds; i++) {
			if (a->pdp_cnt > 1)
				cdp_update(&f->cdp[r][i], a, pdp_temp[i], elapsed, start);
			else if (elapsed > 2)
				f->cdp[r][i].primary = f->cdp[r][i].secondary = pdp_temp[i];
			else if (elapsed > 0) {
				f->cdp[r][i].primary = pdp_temp[i];
				if (elapsed == 2)
					f->cdp[r][i].secondary = pdp_temp[i];
			}
		}
	}
}

/* Writes N rows from row FIRST of archive A, from BUF; -1 (error set) on failure. */
static int
write_rows(struct rrdf *f, const struct rra *a, unsigned long first, const double *buf,
    unsigned long n)
{
	size_t len = n * f->nds * sizeof(double);
	off_t off = a->start + (off_t)(first * f->nds * sizeof(double));

	if (pwrite(f->fd, buf, len, off) != (ssize_t)len) {
		fail(f, "writing rrd: %s", errno ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

/*
 * Writes each archive's new rows (write_to_rras): the first from its primary
 * value, any further ones (after a gap) from its secondary value, in at most
 * two writes per archive (the rows wrap around once at most).
 */
static int
write_archives(struct rrdf *f)
{
	double one[NDS_MAX], *buf;
	unsigned long r, i, k, first, n1;
	struct rra *a;
	int rc = 0;

	for (r = 0; r < f->nrra && rc == 0; r++) {
		a = &f->rra[r];
		if (a->steps == 0)
			continue;
		buf = a->steps == 1 ? one : malloc(a->steps * f->nds * sizeof(double));
		if (buf == NULL) {
			fail(f, "writing rrd: out of memory");
			return -1;
		}
		for (k = 0; k < a->steps; k++)
			for (i = 0; i < f->nds; i++)
				buf[k * f->nds + i] = k == 0 ? f->cdp[r][i].primary :
				    f->cdp[r][i].secondary;
		first = a->cur_row + 1 >= a->rows ? 0 : a->cur_row + 1;
		n1 = a->rows - first < a->steps ? a->rows - first : a->steps;
		rc = write_rows(f, a, first, buf, n1);
		if (rc == 0 && n1 < a->steps)
			rc = write_rows(f, a, 0, buf + n1 * f->nds, a->steps - n1);
		a->cur_row = (first + a->steps - 1) % a->rows;
		if (buf != one)
			free(buf);
	}
	return rc;
}

/* Passes ELAPSED step boundaries: close the PDPs, consolidate, write rows. */
static int
pass_steps(struct rrdf *f, double interval, double pre_int, double post_int,
    unsigned long elapsed, unsigned long proc_cnt, const double *pdp_new)
{
	double pdp_temp[NDS_MAX];

	close_pdps(f, interval, pre_int, post_int, elapsed, pdp_new, pdp_temp);
	consolidate(f, elapsed, proc_cnt, pdp_temp);
	return write_archives(f);
}

/* One sample (process_arg); -1 (error set) if it cannot be applied. */
static int
apply(struct rrdf *f, const struct sample *s)
{
	unsigned long proc_st, occu_st, elapsed, proc_cnt, open_sec, i;
	double interval, pre_int, post_int, pdp_new[NDS_MAX], open_new[NDS_MAX];

	if (s->t <= f->last_up) {
		fail(f, "%s: illegal attempt to update using time %ld when last update time "
		    "is %ld (minimum one second step)", f->path, s->t, f->last_up);
		return -1;
	}
	interval = (double)(s->t - f->last_up);
	pdp_prep(f, s, interval, pdp_new);
	proc_st = (unsigned long)f->last_up - (unsigned long)f->last_up % f->step;
	occu_st = (unsigned long)s->t - (unsigned long)s->t % f->step;
	pre_int = interval;
	post_int = 0;
	if (occu_st > proc_st) {
		pre_int = (double)((long)occu_st - f->last_up);
		post_int = (double)((unsigned long)s->t % f->step);
	}
	proc_cnt = proc_st / f->step;
	elapsed = (occu_st - proc_st) / f->step;
	f->last_up = s->t;
	if (elapsed == 0) {
		accumulate(f, interval, pdp_new);
		return 0;
	}
	/* The PDP open before the gap is closed on its own first (librrd's "JKammler" split). */
	if (elapsed > 1 && (open_sec = (unsigned long)pre_int % f->step) > 0) {
		for (i = 0; i < f->nds; i++) {
			open_new[i] = dnan();
			if (!isnan(pdp_new[i]) && interval > 0) {
				open_new[i] = pdp_new[i] * (double)open_sec / interval;
				pdp_new[i] -= open_new[i];
			}
		}
		if (pass_steps(f, (double)open_sec, (double)open_sec, 0.0, 1, proc_cnt,
		    open_new) != 0)
			return -1;
		interval -= (double)open_sec;
		pre_int -= (double)open_sec;
		elapsed--;
		proc_cnt++;
	}
	return pass_steps(f, interval, pre_int, post_int, elapsed, proc_cnt, pdp_new);
}

/* Encodes the live parts back into the header and writes them; -1 (error set). */
static int
write_live(struct rrdf *f)
{
	unsigned char *p;
	unsigned long i, r;
	size_t len = f->hdr_len - f->live_off;

	put_u(f->hdr + f->live_off, (unsigned long)f->last_up);
	for (i = 0; i < f->nds; i++) {
		p = f->hdr + f->pdp_off + i * PDP_LEN;
		memcpy(p, f->ds[i].last, LAST_DS_LEN);
		put_u(p + 32, f->ds[i].unkn);
		put_d(p + 40, f->ds[i].val);
	}
	for (r = 0; r < f->nrra; r++) {
		for (i = 0; i < f->nds; i++) {
			p = f->hdr + f->cdp_off + (r * f->nds + i) * CDP_LEN;
			put_d(p, f->cdp[r][i].val);
			put_u(p + 8, f->cdp[r][i].unkn);
			put_d(p + 64, f->cdp[r][i].primary);
			put_d(p + 72, f->cdp[r][i].secondary);
		}
		put_u(f->hdr + f->ptr_off + r * PTR_LEN, f->rra[r].cur_row);
	}
	if (pwrite(f->fd, f->hdr + f->live_off, len, (off_t)f->live_off) != (ssize_t)len) {
		fail(f, "writing rrd header: %s", errno ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

/* Whether every last value a counter will be compared with is an integer we parse. */
static int
lasts_usable(const struct rrdf *f)
{
	double v;
	int neg;

	for (unsigned long i = 0; i < f->nds; i++)
		if (f->ds[i].type != DST_GAUGE && f->ds[i].type != DST_ABSOLUTE &&
		    f->ds[i].last[0] != 'U' && (memchr(f->ds[i].last, 0, LAST_DS_LEN) == NULL ||
		    parse_int(f->ds[i].last, strlen(f->ds[i].last), &v, &neg) != 0))
			return 0;
	return 1;
}

/* Parses and applies the samples to the open file F; 0, -1 or 1 as rrdfile_update. */
static int
update_open(struct rrdf *f, int argc, const char **argv)
{
	struct sample *s;
	int i, rc;

	if ((rc = read_header(f)) != 0)
		return rc;
	if (!lasts_usable(f))
		return 1;
	if ((s = calloc((size_t)argc, sizeof(*s))) == NULL) {
		fail(f, "out of memory");
		return -1;
	}
	for (i = 0; i < argc; i++)
		if (parse_sample(f, argv[i], &s[i]) != 0) {
			free(s);
			return 1;
		}
	for (i = 0, rc = 0; i < argc && rc == 0; i++)
		rc = apply(f, &s[i]);
	/* Like librrd, the samples applied before a failing one stay. */
	if (i > 1 || rc == 0)
		rc = write_live(f) != 0 ? -1 : rc;
	free(s);
	return rc;
}

int
rrdfile_update(const char *path, int argc, const char **argv, char *err, size_t errsz)
{
	/*
	 * ~70 KB, static rather than on the caller's stack or allocated per
	 * call (glibc gave the pages back and faulted them in again each
	 * time); only the pages a file's header needs are ever touched. One
	 * caller at a time: the daemon's loop is single-threaded.
	 */
	static struct rrdf file;
	struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct rrdf *f = &file;
	int rc;

	if (argc < 1 || !LAYOUT_OK)
		return 1;
	f->path = path;
	f->err = err;
	f->errsz = errsz;
	if ((f->fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
		fail(f, "opening '%s': %s", path, strerror(errno));
		return -1;
	}
	/* The lock librrd takes, so that rrdtool and we never write the file at once. */
	if (fcntl(f->fd, F_SETLK, &lock) != 0) {
		fail(f, "could not lock RRD");
		rc = -1;
	} else {
		rc = update_open(f, argc, argv);
	}
	close(f->fd);
	return rc;
}
