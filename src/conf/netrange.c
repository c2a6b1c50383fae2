/* IPv4 ranges as people write them: CIDR blocks, a.b.c.d-e, a.b.c.d-a.b.c.e and single addresses. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netrange.h"
#include "text.h"

/* Reads a decimal of 1..3 digits without a leading zero, at most MAX; advances *P. -1 if none. */
static int
dec_part(const char **p, int max)
{
	const char *s = *p;
	int v = 0, n = 0;

	while (s[n] >= '0' && s[n] <= '9' && n < 4)
		v = v * 10 + (s[n++] - '0');
	if (n == 0 || n > 3 || (n > 1 && s[0] == '0') || v > max)
		return -1;
	*p = s + n;
	return v;
}

/* Reads a dotted address at *P, advancing it; -1 if there is none. */
static int
addr_at(const char **p, uint32_t *a)
{
	int i, v;

	*a = 0;
	for (i = 0; i < 4; i++) {
		if (i > 0 && *(*p)++ != '.')
			return -1;
		if ((v = dec_part(p, 255)) < 0)
			return -1;
		*a = *a << 8 | (uint32_t)v;
	}
	return 0;
}

int
netrange_addr(const char *s, uint32_t *a)
{
	return addr_at(&s, a) == 0 && *s == '\0' ? 0 : -1;
}

/* The end of a range after '-': a full address, or the last part alone (same first three). */
static int
range_end(const char *p, uint32_t first, uint32_t *last)
{
	const char *q = p;
	int v;

	if (addr_at(&q, last) == 0 && *q == '\0')
		return 0;
	if ((v = dec_part(&p, 255)) < 0 || *p != '\0')
		return -1;
	*last = (first & 0xffffff00u) | (uint32_t)v;
	return 0;
}

int
netrange_parse(const char *s, struct gf_netrange *r, char *err, size_t errsz)
{
	const char *p = s;
	uint32_t mask;
	int bits;

	if (addr_at(&p, &r->first) != 0) {
		gf_errf(err, errsz, "not an IPv4 address, CIDR block or range");
		return -1;
	}
	r->last = r->first;
	if (*p == '\0')
		return 0;
	if (*p == '-') {
		if (range_end(p + 1, r->first, &r->last) != 0) {
			gf_errf(err, errsz, "a range ends with an address or its last number");
			return -1;
		}
		if (r->last < r->first) {
			gf_errf(err, errsz, "the range ends before it starts");
			return -1;
		}
		return 0;
	}
	p++;
	if (p[-1] != '/' || (bits = dec_part(&p, 32)) < 0 || *p != '\0') {
		gf_errf(err, errsz, "a CIDR prefix is /0 to /32");
		return -1;
	}
	mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	if ((r->first & ~mask) != 0) {
		gf_errf(err, errsz, "host bits set after the prefix (the block starts at %u.%u.%u.%u)",
		    (r->first & mask) >> 24, (r->first & mask) >> 16 & 255,
		    (r->first & mask) >> 8 & 255, r->first & mask & 255);
		return -1;
	}
	r->last = r->first | ~mask;
	return 0;
}

const char *
netrange_str(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
	return buf;
}

uint64_t
netrange_size(const struct gf_netrange *r)
{
	return (uint64_t)r->last - r->first + 1;
}
