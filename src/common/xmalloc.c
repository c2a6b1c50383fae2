#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory allocating %zu bytes", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t n)
{
	void *p = calloc(nmemb ? nmemb : 1, n ? n : 1);

	if (p == NULL)
		fatal("out of memory allocating %zu x %zu bytes", nmemb, n);
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t n)
{
	if (n && nmemb > SIZE_MAX / n)
		fatal("allocation overflow: %zu x %zu", nmemb, n);
	p = realloc(p, (nmemb && n) ? nmemb * n : 1);
	if (p == NULL)
		fatal("out of memory allocating %zu x %zu bytes", nmemb, n);
	return p;
}

char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		fatal("out of memory duplicating a string");
	return d;
}
