/* Readings: initialisation, the system group shared by every plan, and derived figures. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "reading.h"
#include "storage.h"
#include "util.h"

_Static_assert(GF_STORAGE_DESCR == GF_SHORT, "a storage description is a short string");

void
reading_init(struct gf_reading *r, time_t when)
{
	struct timespec ts;

	memset(r, 0, sizeof(*r));
	r->when = when;
	/* Milliseconds when WHEN is now (a poll), else WHEN's second (a replay, a test). */
	r->when_ms = (int64_t)when * 1000;
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec == when)
		r->when_ms += ts.tv_nsec / 1000000;
	r->smart_hours = -1;
	r->poll_ms = -1;
}

int
reading_date(const unsigned char *b, size_t len, char day[11])
{
	int y, m, d;

	if (len != 8 && len != 11)
		return -1;
	y = b[0] << 8 | b[1];
	m = b[2];
	d = b[3];
	/* Hours, minutes, seconds and deci-seconds must be sane too: garbage is not a date. */
	if (y < 1980 || y > 2100 || d < 1 || d > gf_date_mdays(y, m) || b[4] > 23 || b[5] > 59 ||
	    b[6] > 60 || b[7] > 9)
		return -1;
	snprintf(day, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return 0;
}

#define GF_UNITS_MAX	(1ULL << 40)

/* USED as a percentage of SIZE (USED <= SIZE, SIZE > 0): agents may send 64-bit values, so no product may wrap. */
static int
pct_of(uint64_t used, uint64_t size)
{
	return (int)((unsigned __int128)used * 100 / size);
}

int
reading_worst_disk(const struct gf_reading *r, char *descr, size_t sz)
{
	const struct gf_storage *s;
	int i, pct, worst = -1;

	descr[0] = '\0';
	for (i = 0; i < r->nstorage; i++) {
		s = &r->storage[i];
		/* An empty drive (0 bytes) or more used than there is says nothing. */
		if (storage_excluded(s) != NULL || s->size == 0 || s->used > s->size)
			continue;
		pct = pct_of(s->used, s->size);
		if (pct > worst) {
			worst = pct;
			snprintf(descr, sz, "%s", s->descr);
		}
	}
	return worst;
}

int
reading_min_colorant_pct(const struct gf_reading *r)
{
	const struct gf_supply *s;
	int i, pct, min = -1;

	for (i = 0; i < r->nsupplies; i++) {
		s = &r->supplies[i];
		if (s->type != GF_SUPPLY_TONER && s->type != GF_SUPPLY_INK &&
		    s->type != GF_SUPPLY_INK_CART && s->type != GF_SUPPLY_TONER_CART)
			continue;
		/* Sentinels (-1 other, -2 unknown, -3 some left) carry no percentage. */
		if (s->max <= 0 || s->level < 0 || s->level > s->max)
			continue;
		pct = (int)(s->level * 100 / s->max);
		if (min < 0 || pct < min)
			min = pct;
	}
	return min;
}

int
reading_storage_pct(const struct gf_reading *r, int type)
{
	unsigned __int128 size = 0, used = 0;
	int i;

	for (i = 0; i < r->nstorage; i++) {
		/* An allocation unit past a terabyte is garbage; it also keeps the sums from wrapping. */
		if (r->storage[i].type != type || r->storage[i].used > r->storage[i].size ||
		    r->storage[i].units > GF_UNITS_MAX)
			continue;
		/* A disk figure only counts disks that can fill up (no ISO image, snap or tmpfs). */
		if (type == GF_STORAGE_FIXED_DISK && storage_excluded(&r->storage[i]) != NULL)
			continue;
		size += (unsigned __int128)r->storage[i].size * r->storage[i].units;
		used += (unsigned __int128)r->storage[i].used * r->storage[i].units;
	}
	return size ? (int)(used * 100 / size) : -1;
}

int
reading_cpu_pct(const struct gf_reading *r)
{
	return r->ncpu ? r->cpu_load_sum / r->ncpu : -1;
}

int
reading_ram_pct(const struct gf_reading *r)
{
	const uint64_t *m = r->ucd_mem;
	uint64_t free;

	/* All four, and sane: buffers and cache are part of what is not free. */
	if (r->ucd_have == 0xf && m[0] > 0 && (free = m[1] + m[2] + m[3]) <= m[0])
		return (int)((m[0] - free) * 100 / m[0]);
	return reading_storage_pct(r, GF_STORAGE_RAM);
}
