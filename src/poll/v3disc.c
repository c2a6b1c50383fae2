/* SNMPv3 engine discovery messages: a fixed request and a bounded BER reader for the answer. */
#include "config.h"

#include <string.h>

#include "v3disc.h"

/* A cursor over untrusted BER bytes; every read is bounds-checked. */
struct ber {
	const unsigned char *p;
	size_t left;
};

/* Reads one TLV of tag TAG; its contents become *IN. -1 on a wrong tag or a bad length. */
static int
ber_take(struct ber *b, unsigned char tag, struct ber *in)
{
	size_t len = 0, n, i;

	if (b->left < 2 || b->p[0] != tag)
		return -1;
	if (b->p[1] < 0x80) {
		len = b->p[1];
		n = 2;
	} else {
		n = b->p[1] & 0x7f;
		if (n == 0 || n > 3 || b->left < 2 + n)
			return -1;
		for (i = 0; i < n; i++)
			len = (len << 8) | b->p[2 + i];
		n += 2;
	}
	if (len > b->left - n)
		return -1;
	in->p = b->p + n;
	in->left = len;
	b->p += n + len;
	b->left -= n + len;
	return 0;
}

/* Reads a non-negative INTEGER of at most 32 bits. */
static int
ber_uint(struct ber *b, uint32_t *v)
{
	struct ber in;
	uint64_t x = 0;

	if (ber_take(b, 0x02, &in) != 0 || in.left == 0 || in.left > 5 || (in.p[0] & 0x80))
		return -1;
	while (in.left--) {
		x = (x << 8) | *in.p++;
		if (x > UINT32_MAX)
			return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

size_t
v3disc_request(unsigned char *buf, size_t sz, uint32_t msgid)
{
	/* msgID and request-id are patched in at offsets 9 and 52 (4 bytes each). */
	static const unsigned char tmpl[] = {
		0x30, 0x3e, 0x02, 0x01, 0x03,
		0x30, 0x11, 0x02, 0x04, 0, 0, 0, 0,		/* msgID */
		0x02, 0x03, 0x00, 0xff, 0xe3,			/* msgMaxSize 65507 */
		0x04, 0x01, 0x04,				/* flags: reportable */
		0x02, 0x01, 0x03,				/* USM */
		0x04, 0x10, 0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00,
		0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00,
		0x30, 0x14, 0x04, 0x00, 0x04, 0x00,
		0xa0, 0x0e, 0x02, 0x04, 0, 0, 0, 0,		/* request-id */
		0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00,
	};
	int i;

	if (sz < sizeof(tmpl))
		return 0;
	memcpy(buf, tmpl, sizeof(tmpl));
	msgid &= 0x7fffffff;
	for (i = 0; i < 4; i++) {
		buf[9 + i] = (unsigned char)(msgid >> (24 - 8 * i));
		buf[52 + i] = buf[9 + i];
	}
	return sizeof(tmpl);
}

int
v3disc_parse(const unsigned char *buf, size_t len, uint32_t msgid, struct v3disc_answer *a)
{
	struct ber b = { buf, len }, msg, hdr, sec, usm, eng;
	uint32_t version, id;

	if (ber_take(&b, 0x30, &msg) != 0 || ber_uint(&msg, &version) != 0 || version != 3 ||
	    ber_take(&msg, 0x30, &hdr) != 0 || ber_uint(&hdr, &id) != 0 ||
	    id != (msgid & 0x7fffffff) || ber_take(&msg, 0x04, &sec) != 0 ||
	    ber_take(&sec, 0x30, &usm) != 0 || ber_take(&usm, 0x04, &eng) != 0)
		return -1;
	/* RFC 3411: an engine ID is 5 to 32 octets. */
	if (eng.left < 5 || eng.left > V3DISC_ENGINE_MAX ||
	    ber_uint(&usm, &a->boots) != 0 || ber_uint(&usm, &a->time) != 0)
		return -1;
	memcpy(a->engine, eng.p, eng.left);
	a->engine_len = eng.left;
	return 0;
}
