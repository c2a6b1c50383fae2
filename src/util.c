/* Decoding of untrusted device values and small shared helpers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "util.h"

/* Length of the valid UTF-8 sequence at S (at most LEFT bytes), 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s, size_t left)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

size_t
gf_clean_str(char *dst, size_t dstsz, const unsigned char *src, size_t len)
{
	size_t i = 0, o = 0, n;

	if (dstsz == 0)
		return 0;
	while (i < len && src[i] != '\0') {
		n = utf8_seq_len(src + i, len - i);
		if (n == 0) {
			if (o + 1 >= dstsz)
				break;
			dst[o++] = '?';
			i++;
			continue;
		}
		if (n == 1 && (src[i] < 0x20 || src[i] == 0x7f)) {
			i++;
			continue;
		}
		if (o + n >= dstsz)
			break;
		memcpy(dst + o, src + i, n);
		o += n;
		i += n;
	}
	dst[o] = '\0';
	return o;
}

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

int
gf_rrd_path(char *dst, size_t dstsz, const char *data_dir, const char *id)
{
	int n;

	if (!conf_id_is_safe(id))
		return -1;
	n = snprintf(dst, dstsz, "%s/rrd/%s.rrd", data_dir, id);
	return (n < 0 || (size_t)n >= dstsz) ? -1 : 0;
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
