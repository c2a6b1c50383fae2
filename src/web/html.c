/*
 * HTML built in memory with escaping by default: a page never concatenates
 * untrusted text by hand, so a sysDescr of "<script>" is shown as text.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "text.h"
#include "xmalloc.h"

void
html_init(struct html *h)
{
	h->buf = NULL;
	h->len = h->cap = 0;
}

void
html_free(struct html *h)
{
	free(h->buf);
	html_init(h);
}

/* Appends N bytes of S. */
static void
put(struct html *h, const char *s, size_t n)
{
	if (h->len + n + 1 > h->cap) {
		h->cap = h->cap ? h->cap : 4096;
		while (h->len + n + 1 > h->cap)
			h->cap *= 2;
		h->buf = xreallocarray(h->buf, h->cap, 1);
	}
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

char *
html_take(struct html *h, size_t *len)
{
	char *b;

	if (h->buf == NULL)
		put(h, "", 0);
	b = h->buf;
	if (len != NULL)
		*len = h->len;
	html_init(h);
	return b;
}

void
html_raw(struct html *h, const char *s)
{
	put(h, s, strlen(s));
}

/* The entity for byte C, or NULL when it is written as it is. */
static const char *
entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

void
html_text(struct html *h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "-");
	const char *e;
	size_t n;

	while (*p) {
		if (*p < 0x80) {
			if ((e = entity((char)*p)) != NULL)
				html_raw(h, e);
			else if (*p < 0x20 && *p != '\t' && *p != '\n')
				html_raw(h, GF_TEXT_NUL_MARK);
			else if (*p == 0x7f)
				html_raw(h, GF_TEXT_NUL_MARK);
			else
				put(h, (const char *)p, 1);
			p++;
			continue;
		}
		if ((n = gf_utf8_at((const char *)p)) == 0) {
			html_raw(h, GF_TEXT_NUL_MARK);	/* not UTF-8: one byte replaced */
			p++;
			continue;
		}
		put(h, (const char *)p, n);
		p += n;
	}
}

/* Length of the conversion spec at F ("%5.1f", "%llu"): up to and including its letter. */
static size_t
spec_len(const char *f)
{
	size_t n = 1;

	while (f[n] && strchr("-+ #0123456789.hlzjt", f[n]) != NULL)
		n++;
	return f[n] ? n + 1 : n;
}

/*
 * Writes one numeric conversion SPEC taking its argument from AP. The spec is
 * cut from html_printf's format, a literal the compiler checked against its
 * arguments (the format attribute), hence no literal here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
put_num(struct html *h, const char *spec, size_t n, va_list *ap)
{
	char fmt[32], out[128];
	char conv = spec[n - 1];
	int ll = n >= 3 && spec[n - 2] == 'l' && spec[n - 3] == 'l';
	int l = !ll && n >= 2 && spec[n - 2] == 'l';
	int z = n >= 2 && spec[n - 2] == 'z';

	if (n >= sizeof(fmt))
		return;
	memcpy(fmt, spec, n);
	fmt[n] = '\0';
	if (conv == 'f' || conv == 'g' || conv == 'e')
		snprintf(out, sizeof(out), fmt, va_arg(*ap, double));
	else if (ll)
		snprintf(out, sizeof(out), fmt, va_arg(*ap, long long));
	else if (l)
		snprintf(out, sizeof(out), fmt, va_arg(*ap, long));
	else if (z)
		snprintf(out, sizeof(out), fmt, va_arg(*ap, size_t));
	else
		snprintf(out, sizeof(out), fmt, va_arg(*ap, int));
	html_raw(h, out);
}
#pragma GCC diagnostic pop

void
html_printf(struct html *h, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *pct;
	size_t n;

	va_start(ap, fmt);
	while ((pct = strchr(p, '%')) != NULL) {
		put(h, p, (size_t)(pct - p));
		n = spec_len(pct);
		if (pct[n - 1] == '%')
			put(h, "%", 1);
		else if (pct[n - 1] == 's')
			html_text(h, va_arg(ap, const char *));
		else
			put_num(h, pct, n, &ap);
		p = pct + n;
	}
	html_raw(h, p);
	va_end(ap);
}

void
html_url(struct html *h, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char esc[3];

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			put(h, (const char *)p, 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		put(h, esc, 3);
	}
}
