/*
 * greenfleet-web: what the HTTP server (web.c, on libmicrohttpd) hands every
 * page, and the pages it serves. A page reads the configuration and the
 * state store (opened read-only) through the views every front end uses
 * (views.h) and renders HTML; it never writes anything.
 */
#ifndef GF_WEB_H
#define GF_WEB_H

#include <time.h>

#include "conf.h"
#include "html.h"
#include "store.h"

enum web_lang { WEB_FR, WEB_EN };

/* One request, as the server resolved it before calling a page. */
struct web_req {
	const struct gf_conf *conf;
	struct gf_store *store;		/* read-only; NULL when the state cannot be opened yet */
	enum web_lang lang;		/* from ?lang=, else Accept-Language, else smtp.language */
	const char *user;		/* authenticated user, NULL without a users file */
	const char *only_dept;		/* role head: the one department it may see; NULL: all */
	time_t now;
	void *conn;			/* the server's own (web_arg reads the query through it) */
};

/* Query argument NAME of the request, or NULL. Untrusted: validate before use. */
const char *web_arg(const struct web_req *rq, const char *name);

/* Word W in the request's language: W is the English, the table gives the French. */
const char *web_tr(const struct web_req *rq, const char *w);

/*
 * A response body: HTML from a page, or bytes (an image, CSV, JSON) with
 * their type. STATUS is the HTTP status (200, 404...).
 */
struct web_body {
	int status;
	const char *type;		/* "text/html; charset=utf-8", "image/png"... */
	char *data;			/* owned (free) */
	size_t len;
	const char *filename;		/* downloads: Content-Disposition attachment name */
};

/*
 * The pages (pages*.c). Each fills OUT and returns the HTTP status: 200, or
 * 404 for an unknown id, 403 for a department the user may not see, 400 for
 * a bad argument, 500 on a store error (the page says so).
 */
int page_fleet(const struct web_req *rq, struct web_body *out);
int page_device(const struct web_req *rq, const char *id, struct web_body *out);
int page_department(const struct web_req *rq, const char *id, struct web_body *out);
int page_repairs(const struct web_req *rq, struct web_body *out);
int page_report(const struct web_req *rq, struct web_body *out);
/* /pollers: the greenfleetd sharing the store, their devices, leader and lag. */
int page_pollers(const struct web_req *rq, struct web_body *out);
/* /graph/device/ID.png, /graph/department/ID.svg...: SCOPE "device" or "department". */
int page_graph(const struct web_req *rq, const char *scope, const char *file,
    struct web_body *out);
/* /static/NAME: the style sheet (no inline style or script: the CSP is default-src 'self'). */
int page_static(const struct web_req *rq, const char *name, struct web_body *out);
/* A short page for an error status (404, 403, 400...), in the request's language. */
int page_error(const struct web_req *rq, int status, struct web_body *out);

#endif
