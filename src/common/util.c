/* Decoding of untrusted device values and small shared helpers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

int
gf_vb_int(const netsnmp_variable_list *vb, int64_t *out)
{
	switch (vb->type) {
	case ASN_INTEGER:
		*out = *vb->val.integer;
		return 0;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		/* net-snmp stores unsigned 32-bit values in a long. */
		*out = (int64_t)(uint32_t)*vb->val.integer;
		return 0;
	case ASN_COUNTER64:
		*out = (int64_t)(((uint64_t)vb->val.counter64->high << 32) |
		    (uint32_t)vb->val.counter64->low);
		return *out < 0 ? -1 : 0;
	default:
		return -1;
	}
}

uint64_t
gf_vb_modulus(const netsnmp_variable_list *vb)
{
	switch (vb->type) {
	case ASN_INTEGER:
		return 1ULL << 31;
	case ASN_COUNTER64:
		return UINT64_MAX;	/* 2^64 - 1: such a counter never wraps in practice */
	default:
		return 1ULL << 32;
	}
}

int
gf_vb_str(const netsnmp_variable_list *vb, char *dst, size_t dstsz)
{
	if (vb->type != ASN_OCTET_STR) {
		if (dstsz)
			dst[0] = '\0';
		return -1;
	}
	gf_clean_str(dst, dstsz, vb->val.string, vb->val_len);
	return 0;
}

void
gf_oid_fmt(char *dst, size_t dstsz, const oid *o, size_t len)
{
	size_t i, off = 0;
	int n;

	if (dstsz == 0)
		return;
	dst[0] = '\0';
	for (i = 0; i < len; i++) {
		n = snprintf(dst + off, dstsz - off, "%s%lu", i ? "." : "",
		    (unsigned long)o[i]);
		if (n < 0 || (size_t)n >= dstsz - off) {
			dst[off] = '\0';
			return;
		}
		off += n;
	}
}

size_t
gf_oid_parse(const char *s, oid *o, size_t max)
{
	size_t n = 0;
	unsigned long v;
	char *end;

	if (*s == '.')
		s++;
	while (*s) {
		if (n == max || *s < '0' || *s > '9')
			return 0;
		v = strtoul(s, &end, 10);
		o[n++] = v;
		s = end;
		if (*s == '.')
			s++;
		else if (*s)
			return 0;
	}
	return n;
}

/* DATA_DIR/rrd/SUB/ID.rrd (SUB "" or "departments/"); -1 if ID is unsafe or too long. */
static int
rrd_path_in(char *dst, size_t dstsz, const char *data_dir, const char *sub, const char *id)
{
	int n;

	if (!gf_id_is_safe(id))
		return -1;
	n = snprintf(dst, dstsz, "%s/rrd/%s%s.rrd", data_dir, sub, id);
	return (n < 0 || (size_t)n >= dstsz) ? -1 : 0;
}

int
gf_rrd_path(char *dst, size_t dstsz, const char *data_dir, const char *id)
{
	return rrd_path_in(dst, dstsz, data_dir, "", id);
}

int
gf_rrd_dept_path(char *dst, size_t dstsz, const char *data_dir, const char *id)
{
	return rrd_path_in(dst, dstsz, data_dir, "departments/", id);
}

int64_t
gf_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
gf_fmt_uptime(char *dst, size_t dstsz, uint64_t s)
{
	snprintf(dst, dstsz, "%llud %02u:%02u", (unsigned long long)(s / 86400),
	    (unsigned)(s % 86400 / 3600), (unsigned)(s % 3600 / 60));
}
