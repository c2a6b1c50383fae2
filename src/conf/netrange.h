/*
 * IPv4 address ranges as people write them: a CIDR block (192.0.2.0/24), a
 * range (192.0.2.10-20 or 192.0.2.10-192.0.2.20) or one address. Used by the
 * discover map of the configuration and by `greenfleet discover` targets.
 */
#ifndef GF_NETRANGE_H
#define GF_NETRANGE_H

#include <stddef.h>
#include <stdint.h>

/* An inclusive range of IPv4 addresses, in host byte order. */
struct gf_netrange {
	uint32_t first;
	uint32_t last;
};

/*
 * Parses S into R. -1 with the reason in ERR (ERRSZ bytes) when it is none of
 * the forms above, a prefix beyond 32, a CIDR block with host bits set, or a
 * range that ends before it starts.
 */
int netrange_parse(const char *s, struct gf_netrange *r, char *err, size_t errsz);

/* Parses one dotted IPv4 address (four decimal parts, no leading zeros); -1 if it is not one. */
int netrange_addr(const char *s, uint32_t *a);

/* Writes A in dotted form into BUF (16 bytes). */
const char *netrange_str(uint32_t a, char buf[16]);

/* How many addresses R holds (up to 2^32). */
uint64_t netrange_size(const struct gf_netrange *r);

#endif
