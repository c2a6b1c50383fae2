/*
 * Responses already built, served again while the state they were built
 * from has not changed: a page costs one computation per change of the
 * state (a poll's commit) or per WC_TTL seconds, not one per request, so
 * fifty clients on the fleet page or /metrics cost what one does. Only
 * 200 responses to GET or HEAD are kept, under a key that holds everything
 * a page depends on besides the state: path, query, language, the user's
 * department limit. Used by the server's one request thread only.
 */
#ifndef GF_WEBCACHE_H
#define GF_WEBCACHE_H

#include <stddef.h>
#include <time.h>

#include "conf.h"

/*
 * Seconds a page is kept: on a SQLite state, whose file tells when it changed,
 * a minute (only "now" ages); on PostgreSQL, whose commits cannot be seen
 * from here, a few seconds.
 */
#define WC_TTL_FILE	60
#define WC_TTL		5
#define WC_MAX		64	/* entries */
#define WC_MAX_BYTES	(48u << 20)	/* their bodies together */
#define WC_MAX_KEY	1024

struct webcache;

struct webcache *webcache_new(void);
/* Forgets every entry (a reload: the configuration may have changed) and frees C if FREE. */
void webcache_clear(struct webcache *c, int free_it);

/*
 * The state's mark now: the SQLite file's and its journal's change times and
 * sizes. Returns how long a page may be kept on such a state (seconds).
 */
int webcache_stamp(const struct gf_conf *conf, unsigned long long *stamp);

/* Whether a request's Accept-Encoding H takes gzip (not refused with q=0). */
int webcache_takes_gzip(const char *h);

/* IN (LEN bytes) gzip-compressed into *OUT (the caller frees), *OUTLEN; -1 on failure. */
int webcache_gzip(const char *in, size_t len, char **out, size_t *outlen);

/* The response kept under KEY (an opaque pointer: the server's), or NULL; *STATUS its status. */
void *webcache_get(struct webcache *c, const char *key, unsigned long long stamp, time_t now,
    int ttl, unsigned *status);

/*
 * Keeps RESP (BYTES long) under KEY; the cache owns it from now on and hands
 * it to FREE when it is dropped. Returns 0, or -1 when it was not kept (too
 * big), RESP still the caller's.
 */
int webcache_put(struct webcache *c, const char *key, unsigned long long stamp, time_t now,
    void *resp, unsigned status, size_t bytes, void (*free_fn)(void *));

#endif
