/*
 * greenfleet-web's HTTP server on libmicrohttpd: one internal thread serves
 * every connection (pages and librrd are not made for threads), with limits
 * on connections, memory per connection and idle time; GET and HEAD only.
 */
#ifndef GF_WEBSRV_H
#define GF_WEBSRV_H

#include <stddef.h>

#include "auth.h"
#include "conf.h"

struct web_body;
struct web_req;
struct web_server;

/*
 * Checks that CONF's web.listen resolves, and to loopback addresses only
 * when there is no users file. 0, or -1 with the reason in ERR.
 */
int web_listen_check(const struct gf_conf *conf, char *err, size_t errsz);

/*
 * Listens on CONF's web.listen (HTTPS when cert and key are set; they are
 * read now, before privileges are dropped). Takes CONF and USERS (NULL: no
 * login). NULL, logged, on failure (CONF and USERS are freed then).
 */
struct web_server *web_start(struct gf_conf *conf, struct web_users *users);

/*
 * Serves CONF and USERS (taken) from now on; listen, cert and key take
 * effect at the next start. -1 (logged, both freed) when the socket already
 * open would then serve a non-loopback address without login.
 */
int web_reload(struct web_server *w, struct gf_conf *conf, struct web_users *users);

/* Stops listening, waits for the request being served, frees everything. */
void web_stop(struct web_server *w);

/*
 * routes.c: serves URL for RQ (user and language set; store NULL: the route
 * opens it). Fills OUT;
 * LOC (LOCSZ bytes) gets the target of a redirect (status 303). Returns the status.
 */
int web_route(struct web_req *rq, const char *url,
    struct web_body *out, char *loc, size_t locsz);

#endif
