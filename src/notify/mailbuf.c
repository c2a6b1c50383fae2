/* The growable string of mail composition. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailbuf.h"
#include "xmalloc.h"

void
sb_add(struct sbuf *sb, const char *s, size_t n)
{
	size_t cap = sb->cap ? sb->cap : 256;

	while (cap < sb->len + n + 1)
		cap *= 2;
	if (cap != sb->cap) {
		sb->p = xreallocarray(sb->p, cap, 1);
		sb->cap = cap;
	}
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

void
sb_adds(struct sbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_addc(struct sbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}


void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	char *big;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sb_add(sb, small, (size_t)n);
		return;
	}
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(sb, big, (size_t)n);
	free(big);
}

/* Hands the string over to the caller; an empty buffer still gives "". */
char *
sb_done(struct sbuf *sb)
{
	return sb->p ? sb->p : xstrdup("");
}

/* The column the next character would go to: folding decisions need it. */
size_t
sb_col(const struct sbuf *sb)
{
	size_t i = sb->len;

	while (i > 0 && sb->p[i - 1] != '\n')
		i--;
	return sb->len - i;
}
