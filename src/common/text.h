/*
 * Text from devices and files: valid UTF-8 without the characters that move
 * the cursor, end a line or reorder what a terminal, a CSV reader or a mail
 * client shows (C0 and C1 controls, DEL, line and paragraph separators, bidi
 * overrides, isolates and marks).
 */
#ifndef GF_TEXT_H
#define GF_TEXT_H

#include <stddef.h>

/* The UTF-8 bytes that stand for a NUL inside a device string: U+FFFD. */
#define GF_TEXT_NUL_MARK "\xef\xbf\xbd"

/* Length of the valid UTF-8 sequence at S (at most LEFT bytes), 0 if invalid. */
size_t gf_utf8_len(const unsigned char *s, size_t left);

/* The same for a NUL-terminated string: never reads past its NUL. */
size_t gf_utf8_at(const char *s);

/* 1 if the NUL-terminated S is all valid UTF-8 (no overlong form, no surrogate), else 0. */
int gf_utf8_valid(const char *s);

/* 1 if code point CP is one that must not be shown (see above), else 0. */
int gf_text_hidden(unsigned int cp);

/*
 * Copies LEN untrusted bytes into DST (always NUL-terminated): hidden
 * characters are dropped, invalid UTF-8 becomes '?', NULs at the end (C
 * padding) are ignored and a NUL before other bytes becomes U+FFFD, so
 * nothing after it is lost; truncation never splits a UTF-8 sequence.
 * Returns the length written. Cleaning cleaned text changes nothing.
 */
size_t gf_clean_str(char *dst, size_t dstsz, const unsigned char *src, size_t len);

/* 1 if S is a safe id (a file name: no directory, not hidden, 1..64 of [A-Za-z0-9._-]), else 0. */
int gf_id_is_safe(const char *s);

/* 1 if the string S holds a hidden character (bytes that are no UTF-8 are let be), else 0. */
int gf_text_has_ctrl(const char *s);

/* One line of error text, printf-style, into ERR[ERRSZ] (nothing if ERRSZ is 0):
 * the one way a function that returns -1 says why. */
void gf_errf(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
