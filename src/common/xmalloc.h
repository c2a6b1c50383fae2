/* Allocation that exits on failure: an out-of-memory poller cannot do anything useful. */
#ifndef GF_XMALLOC_H
#define GF_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t n);
char *xstrdup(const char *s);

#endif
