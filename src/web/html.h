/*
 * An HTML page being built in memory: every string that came from a device,
 * the configuration, the store or the request goes through html_text (or a
 * %s of html_printf, which escapes), never html_raw. Allocation failure
 * aborts (xmalloc), so no call here fails.
 */
#ifndef GF_HTML_H
#define GF_HTML_H

#include <stddef.h>

struct html {
	char *buf;
	size_t len, cap;
};

void html_init(struct html *h);
void html_free(struct html *h);
/* Hands the bytes over (NUL-terminated; the caller frees), leaving H empty. */
char *html_take(struct html *h, size_t *len);

/* Markup written by our own code: never untrusted text. */
void html_raw(struct html *h, const char *s);
/* Text: & < > " ' escaped; bytes that are not UTF-8 or are control characters become U+FFFD. */
void html_text(struct html *h, const char *s);
/*
 * FMT is our own markup; each %s argument is escaped as html_text does,
 * %d %u %ld %lu %lld %llu %zu %x and %.Nf are written as numbers. A NULL %s is "-".
 */
void html_printf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* S escaped for a URL path segment or query value (RFC 3986 unreserved kept, the rest %XX). */
void html_url(struct html *h, const char *s);

#endif
