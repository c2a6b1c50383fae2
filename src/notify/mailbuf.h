/* A growable NUL-terminated string, for composing messages and filling templates. */
#ifndef GF_MAILBUF_H
#define GF_MAILBUF_H

#include <stddef.h>

/* A growable NUL-terminated string. */
struct sbuf {
	char *p;
	size_t len, cap;
};

/* Appends N bytes of S. */
void sb_add(struct sbuf *sb, const char *s, size_t n);
void sb_adds(struct sbuf *sb, const char *s);
void sb_addc(struct sbuf *sb, char c);
void sb_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hands the string over to the caller; an empty buffer still gives "". */
char *sb_done(struct sbuf *sb);

/* The column the next character would go to: folding decisions need it. */
size_t sb_col(const struct sbuf *sb);

#endif
