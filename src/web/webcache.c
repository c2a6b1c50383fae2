/*
 * The server's response cache (webcache.h). Small and plain: a fixed array
 * searched in order, the least recently used entry dropped first. The
 * state's mark is cheap (two stat calls) next to opening the store.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/stat.h>
#include <zlib.h>

#include "store.h"
#include "webcache.h"
#include "xmalloc.h"

struct wc_entry {
	char *key;
	void *resp;
	void (*free_fn)(void *);
	unsigned status;
	size_t bytes;
	time_t made;
	unsigned long long stamp;
	unsigned long used;
};

struct webcache {
	struct wc_entry e[WC_MAX];
	int n;
	size_t bytes;
	unsigned long tick;
};

struct webcache *
webcache_new(void)
{
	return xcalloc(1, sizeof(struct webcache));
}

static void
drop(struct webcache *c, int i)
{
	struct wc_entry *e = &c->e[i];

	e->free_fn(e->resp);
	free(e->key);
	c->bytes -= e->bytes;
	c->e[i] = c->e[--c->n];
}

void
webcache_clear(struct webcache *c, int free_it)
{
	if (c == NULL)
		return;
	while (c->n > 0)
		drop(c, c->n - 1);
	if (free_it)
		free(c);
}

/* Folds a file's change time and size into *H (FNV-1a style); a missing file counts too. */
static void
mark_file(const char *path, unsigned long long *h)
{
	unsigned long long v[3] = { 0, 0, 0 };
	struct stat st;
	size_t i;

	if (stat(path, &st) == 0) {
		v[0] = (unsigned long long)st.st_mtim.tv_sec;
		v[1] = (unsigned long long)st.st_mtim.tv_nsec;
		v[2] = (unsigned long long)st.st_size;
	}
	for (i = 0; i < 3; i++)
		*h = (*h ^ v[i]) * 1099511628211ULL;
}

int
webcache_stamp(const struct gf_conf *conf, unsigned long long *stamp)
{
	char path[4096], wal[4200];

	*stamp = 14695981039346656037ULL;
	/* PostgreSQL: no file to look at; the time-to-live alone bounds the age. */
	if (store_local_file(conf, path, sizeof(path)) != 0)
		return WC_TTL;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	mark_file(path, stamp);
	mark_file(wal, stamp);
	return WC_TTL_FILE;
}

int
webcache_takes_gzip(const char *h)
{
	const char *p, *q;

	for (p = h; p != NULL && (p = strcasestr(p, "gzip")) != NULL; p += 4) {
		if ((p != h && strchr(", \t", p[-1]) == NULL) || (p[4] != '\0' &&
		    strchr(",; \t", p[4]) == NULL))
			continue;	/* x-gzip and the like, not the token */
		q = p + 4 + strspn(p + 4, " \t");
		if (*q != ';')
			return 1;
		q += 1 + strspn(q + 1, " \t");
		/* "gzip;q=0" refuses it; any other weight takes it. */
		return strncasecmp(q, "q=", 2) != 0 || strtod(q + 2, NULL) > 0;
	}
	return 0;
}

int
webcache_gzip(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	/* Level 1: a scrape's 13 MB in tens of milliseconds, about ten times smaller. */
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	*outlen = deflateBound(&z, len);
	*out = xmalloc(*outlen);
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = len;
	z.next_out = (unsigned char *)*out;
	z.avail_out = *outlen;
	rc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void *
webcache_get(struct webcache *c, const char *key, unsigned long long stamp, time_t now,
    int ttl, unsigned *status)
{
	struct wc_entry *e;
	int i;

	for (i = 0; i < c->n; i++) {
		e = &c->e[i];
		if (strcmp(e->key, key) != 0)
			continue;
		/* A clock set back, a state changed, or too old: built again. */
		if (e->stamp != stamp || now < e->made || now - e->made >= ttl) {
			drop(c, i);
			return NULL;
		}
		e->used = ++c->tick;
		*status = e->status;
		return e->resp;
	}
	return NULL;
}

/* Index of the least recently used entry. */
static int
oldest(const struct webcache *c)
{
	int i, o = 0;

	for (i = 1; i < c->n; i++)
		if (c->e[i].used < c->e[o].used)
			o = i;
	return o;
}

int
webcache_put(struct webcache *c, const char *key, unsigned long long stamp, time_t now,
    void *resp, unsigned status, size_t bytes, void (*free_fn)(void *))
{
	struct wc_entry *e;

	if (bytes > WC_MAX_BYTES / 2 || strlen(key) >= WC_MAX_KEY)
		return -1;
	while (c->n > 0 && (c->n == WC_MAX || c->bytes + bytes > WC_MAX_BYTES))
		drop(c, oldest(c));
	e = &c->e[c->n++];
	e->key = xstrdup(key);
	e->resp = resp;
	e->free_fn = free_fn;
	e->status = status;
	e->bytes = bytes;
	e->made = now;
	e->stamp = stamp;
	e->used = ++c->tick;
	c->bytes += bytes;
	return 0;
}
