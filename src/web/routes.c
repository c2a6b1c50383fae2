/* Which page an address names, and whether the logged-in user may see it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "store.h"
#include "text.h"
#include "web.h"
#include "websrv.h"
#include "xmalloc.h"

#define MAX_SEGS	4

/* A path cut at its slashes: "/device/p1" is { "device", "p1" }. */
struct path {
	char buf[512];
	char *seg[MAX_SEGS];
	int n;			/* MAX_SEGS + 1: too many */
};

/* Cuts URL (already percent-decoded by libmicrohttpd) into P; -1 when it is too long. */
static int
split_path(const char *url, struct path *p)
{
	char *s, *save = NULL;

	p->n = 0;
	if (url[0] != '/' || strlen(url) >= sizeof(p->buf))
		return -1;
	strcpy(p->buf, url + 1);
	/* "/device/p1/" and "//device" are not the addresses pages link to. */
	if (p->buf[0] != '\0' && (strstr(p->buf, "//") != NULL ||
	    p->buf[strlen(p->buf) - 1] == '/'))
		return -1;
	for (s = strtok_r(p->buf, "/", &save); s != NULL; s = strtok_r(NULL, "/", &save)) {
		if (p->n == MAX_SEGS)
			return -1;
		p->seg[p->n++] = s;
	}
	return 0;
}

/* The department id of device ID, or NULL when there is no such device. */
static const char *
device_dept(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndevices; i++)
		if (strcmp(conf->devices[i].id, id) == 0)
			return conf->depts[conf->devices[i].dept].id;
	return NULL;
}

/* 1 if RQ may see department DEPT (NULL: a device of no known department). */
static int
may_see(const struct web_req *rq, const char *dept)
{
	return rq->only_dept == NULL || (dept != NULL && strcmp(dept, rq->only_dept) == 0);
}

/* /graph/SCOPE/ID.EXT: the id (in ID, IDSZ bytes) when SCOPE and EXT are ones we draw. */
static int
graph_id(const char *scope, const char *file, char *id, size_t idsz)
{
	const char *dot = strrchr(file, '.');

	if ((strcmp(scope, "device") != 0 && strcmp(scope, "department") != 0) || dot == NULL ||
	    (strcmp(dot, ".png") != 0 && strcmp(dot, ".svg") != 0) || (size_t)(dot - file) >= idsz)
		return -1;
	memcpy(id, file, dot - file);
	id[dot - file] = '\0';
	return gf_id_is_safe(id) ? 0 : -1;
}

/* /healthz: 200 "ok" when the state opens read-only, else 503 with the reason. */
static int
healthz(const struct web_req *rq, struct web_body *out)
{
	struct gf_store *s;
	char err[512] = "";

	out->type = "text/plain; charset=utf-8";
	if ((s = store_open_err(rq->conf, GF_STORE_RO, err, sizeof(err))) != NULL) {
		store_close(s);
		out->data = xstrdup("ok\n");
		out->len = 3;
		return out->status = 200;
	}
	if (asprintf(&out->data, "unavailable: %s\n", err) < 0)
		out->data = NULL;
	out->len = out->data != NULL ? strlen(out->data) : 0;
	return out->status = 503;
}

/* /metrics: the Prometheus exposition of the fleet, from the same views as the CLI. */
static int
metrics(const struct web_req *rq, struct web_body *out)
{
	FILE *f;
	int rc;

	if (rq->store == NULL)
		return page_error(rq, 503, out);
	if ((f = open_memstream(&out->data, &out->len)) == NULL)
		return page_error(rq, 500, out);
	rc = metrics_write(rq->store, rq->conf, rq->only_dept, rq->now, f);
	fclose(f);
	if (rc != 0) {
		free(out->data);
		out->data = NULL;
		return page_error(rq, 500, out);
	}
	out->type = "text/plain; version=0.0.4; charset=utf-8";
	return out->status = 200;
}

/* A page of one department's: the department itself, its devices and their graphs. */
static int
scoped(struct web_req *rq, const char *kind, const char *id, const char *file,
    struct web_body *out)
{
	const char *dept;

	if (!gf_id_is_safe(id))
		return page_error(rq, 404, out);
	dept = strcmp(kind, "device") == 0 ? device_dept(rq->conf, id) : id;
	if (!may_see(rq, dept))
		return page_error(rq, 403, out);
	if (file != NULL)
		return page_graph(rq, kind, file, out);
	return strcmp(kind, "device") == 0 ? page_device(rq, id, out) :
	    page_department(rq, id, out);
}

/* The pages of the whole fleet: not for a department head. */
static int
fleetwide(struct web_req *rq, int (*page)(const struct web_req *, struct web_body *),
    struct web_body *out)
{
	if (rq->only_dept != NULL)
		return page_error(rq, 403, out);
	return page(rq, out);
}

/* Routes P (SEG[0] named A) to its page; 404 for every address that is not one. */
static int
dispatch(struct web_req *rq, const struct path *p, struct web_body *out, char *loc,
    size_t locsz)
{
	const char *a = p->n > 0 ? p->seg[0] : "";
	char id[256];

	if (p->n == 0 && rq->only_dept != NULL) {
		snprintf(loc, locsz, "/department/%s", rq->only_dept);
		return 303;
	}
	if (p->n == 0)
		return page_fleet(rq, out);
	if (p->n == 2 && (strcmp(a, "device") == 0 || strcmp(a, "department") == 0))
		return scoped(rq, a, p->seg[1], NULL, out);
	if (p->n == 3 && strcmp(a, "graph") == 0) {
		if (graph_id(p->seg[1], p->seg[2], id, sizeof(id)) != 0)
			return page_error(rq, 404, out);
		return scoped(rq, p->seg[1], id, p->seg[2], out);
	}
	if (p->n == 2 && strcmp(a, "static") == 0)
		return gf_id_is_safe(p->seg[1]) ? page_static(rq, p->seg[1], out) :
		    page_error(rq, 404, out);
	if (p->n == 1 && strcmp(a, "repairs") == 0)
		return fleetwide(rq, page_repairs, out);
	if (p->n == 1 && strcmp(a, "report") == 0)
		return fleetwide(rq, page_report, out);
	if (p->n == 1 && strcmp(a, "pollers") == 0)
		return fleetwide(rq, page_pollers, out);
	if (p->n == 1 && strcmp(a, "metrics") == 0)
		return fleetwide(rq, metrics, out);
	return page_error(rq, 404, out);
}

int
web_route(struct web_req *rq, const char *url, struct web_body *out, char *loc,
    size_t locsz)
{
	struct path p;
	char err[512];
	int status;

	if (split_path(url, &p) != 0)
		return page_error(rq, 404, out);
	if (p.n == 1 && strcmp(p.seg[0], "healthz") == 0)
		return healthz(rq, out);
	/* Per request: a daemon restarted, a state file replaced, is seen at once. */
	if (p.n == 0 || strcmp(p.seg[0], "static") != 0)
		rq->store = store_open_err(rq->conf, GF_STORE_RO, err, sizeof(err));
	status = dispatch(rq, &p, out, loc, locsz);
	if (rq->store != NULL)
		store_close(rq->store);
	rq->store = NULL;
	return status;
}
