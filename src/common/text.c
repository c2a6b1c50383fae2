/* What may be shown of untrusted text, and the cleaner that enforces it. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include <string.h>

#include "text.h"

/* Code point of the valid N-byte UTF-8 sequence at S. */
static unsigned int
utf8_cp(const unsigned char *s, size_t n)
{
	static const unsigned char lead[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned int cp = s[0] & lead[n];
	size_t i;

	for (i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

size_t
gf_utf8_len(const unsigned char *s, size_t left)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	cp = utf8_cp(s, n);
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

size_t
gf_utf8_at(const char *s)
{
	/* A NUL is no continuation byte: gf_utf8_len stops there. */
	return gf_utf8_len((const unsigned char *)s, 4);
}

int
gf_utf8_valid(const char *s)
{
	size_t n;

	for (; *s != '\0'; s += n)
		if ((n = gf_utf8_at(s)) == 0)
			return 0;
	return 1;
}

int
gf_text_hidden(unsigned int cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||	/* C0, DEL, C1 (NEL, CSI, OSC) */
	    cp == 0x061c || cp == 0x200e || cp == 0x200f ||	/* bidi marks */
	    (cp >= 0x2028 && cp <= 0x202e) ||			/* separators, embeddings, overrides */
	    (cp >= 0x2066 && cp <= 0x2069);			/* bidi isolates */
}

/* Appends the N bytes at S to DST (room DSTSZ, used *O); -1 when they do not fit. */
static int
put(char *dst, size_t dstsz, size_t *o, const void *s, size_t n)
{
	if (*o + n >= dstsz)
		return -1;
	memcpy(dst + *o, s, n);
	*o += n;
	return 0;
}

size_t
gf_clean_str(char *dst, size_t dstsz, const unsigned char *src, size_t len)
{
	size_t i = 0, o = 0, n;
	int rc = 0;

	if (dstsz == 0)
		return 0;
	/* Agents pad strings with NULs as C does: those end the text, they are not in it. */
	while (len > 0 && src[len - 1] == '\0')
		len--;
	for (; i < len && rc == 0; i += n) {
		if ((n = gf_utf8_len(src + i, len - i)) == 0) {
			n = 1;
			rc = put(dst, dstsz, &o, "?", 1);
		} else if (src[i] == '\0') {
			rc = put(dst, dstsz, &o, GF_TEXT_NUL_MARK, 3);
		} else if (!gf_text_hidden(utf8_cp(src + i, n))) {
			rc = put(dst, dstsz, &o, src + i, n);
		}
	}
	dst[o] = '\0';
	return o;
}

int
gf_text_has_ctrl(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;

	while (left > 0) {
		n = gf_utf8_len(p, left);
		if (n == 0)
			n = 1;		/* not UTF-8: the caller decides about that */
		else if (gf_text_hidden(utf8_cp(p, n)))
			return 1;
		p += n;
		left -= n;
	}
	return 0;
}

/* An id names files (RRDs, exports), so it must not climb directories or hide itself. */
int
gf_id_is_safe(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 64 || s[0] == '.')
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
	    len;
}

void
gf_errf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}
