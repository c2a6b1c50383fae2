/*
 * librrd's file format version 3 as laid out on LP64 Linux (rrd_format.h of
 * rrdtool 1.7): stat_head, ds_def[ds_cnt], rra_def[rra_cnt], live_head,
 * pdp_prep[ds_cnt], cdp_prep[rra_cnt*ds_cnt], rra_ptr[rra_cnt], then the
 * rows of each archive. Private to rrdfile.c and rrdcheck.c.
 */
#ifndef GF_RRDFORMAT_H
#define GF_RRDFORMAT_H

#include <limits.h>
#include <string.h>

/* The layout below is LP64's; elsewhere every file is left to librrd. */
#define LAYOUT_OK	(ULONG_MAX == 0xffffffffffffffffUL && __SIZEOF_DOUBLE__ == 8)

/* Sizes of librrd's on-disk structures (LP64). */
#define STAT_LEN	128
#define DSDEF_LEN	120
#define RRADEF_LEN	120
#define LIVE_LEN	16
#define PDP_LEN		112
#define CDP_LEN		80
#define PTR_LEN		8
#define NAME_LEN	20	/* ds_nam, dst, cf_nam */
#define LAST_DS_LEN	30
#define FLOAT_COOKIE	8.642135E130

/* Bounds of what we take: greenfleet's files have at most 24 sources and 4 archives. */
#define NDS_MAX		32
#define NRRA_MAX	16
#define HDR_MAX		(STAT_LEN + NDS_MAX * (DSDEF_LEN + PDP_LEN) + \
			 NRRA_MAX * (RRADEF_LEN + PTR_LEN + NDS_MAX * CDP_LEN) + LIVE_LEN)
#define ROWS_MAX	(1UL << 28)

/* Where the parts of a header of NDS sources and NRRA archives start. */
#define DEFS_END(nds, nrra)	(STAT_LEN + (nds) * DSDEF_LEN + (nrra) * RRADEF_LEN)
#define PDP_OFF(nds, nrra)	(DEFS_END(nds, nrra) + LIVE_LEN)
#define CDP_OFF(nds, nrra)	(PDP_OFF(nds, nrra) + (nds) * PDP_LEN)
#define PTR_OFF(nds, nrra)	(CDP_OFF(nds, nrra) + (nrra) * (nds) * CDP_LEN)
#define HDR_LEN(nds, nrra)	(PTR_OFF(nds, nrra) + (nrra) * PTR_LEN)

/* A native word and a double at P, which may be unaligned (a header read into bytes). */
static inline unsigned long
rrd_get_u(const unsigned char *p)
{
	unsigned long u;

	memcpy(&u, p, sizeof(u));
	return u;
}

static inline double
rrd_get_d(const unsigned char *p)
{
	double d;

	memcpy(&d, p, sizeof(d));
	return d;
}

#endif
