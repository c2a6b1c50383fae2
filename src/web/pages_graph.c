/*
 * /graph/device/ID.svg, /graph/department/ID.png: one graph drawn in memory
 * by graph_render from the RRD files, for the range (?range= or ?from=&to=)
 * and metric asked, in the request's language. Every argument is checked
 * before it reaches librrd.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "log.h"
#include "pages.h"
#include "text.h"

/* Seconds back from now that ?range= names; 0 if it names none. */
static time_t
graph_range(const char *r)
{
	static const struct {
		const char *name;
		time_t secs;
	} t[] = { { "hour", 3600 }, { "day", 86400 }, { "week", 7 * 86400 },
		{ "month", 31 * 86400 }, { "year", 366 * 86400 } };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(r, t[i].name) == 0)
			return t[i].secs;
	return 0;
}

/* Splits FILE "ID.png" or "ID.svg" into ID (at most 64 bytes, safe) and the format. */
static int
graph_file(const char *file, char *id, size_t idsz, enum gf_img *fmt)
{
	size_t n = strlen(file);

	if (n < 5 || n - 4 >= idsz)
		return -1;
	if (strcmp(file + n - 4, ".png") == 0)
		*fmt = GF_IMG_PNG;
	else if (strcmp(file + n - 4, ".svg") == 0)
		*fmt = GF_IMG_SVG;
	else
		return -1;
	memcpy(id, file, n - 4);
	id[n - 4] = '\0';
	return gf_id_is_safe(id) ? 0 : -1;
}

/* The range and metric of the query into R; -1 if one is not ours. */
static int
graph_query(const struct web_req *rq, struct gf_graph_req *r)
{
	const char *range = web_arg(rq, "range"), *metric = web_arg(rq, "metric");
	const char *from = web_arg(rq, "from"), *to = web_arg(rq, "to");
	time_t back;

	r->to = rq->now;
	r->from = rq->now - 86400;
	if (range != NULL) {
		if ((back = graph_range(range)) == 0 || from != NULL || to != NULL)
			return -1;
		r->from = rq->now - back;
	}
	if (from != NULL && (strlen(from) > 32 ||
	    graph_parse_when(from, 0, rq->now, &r->from) != 0))
		return -1;
	if (to != NULL && (strlen(to) > 32 || graph_parse_when(to, 1, rq->now, &r->to) != 0))
		return -1;
	if (metric != NULL && graph_parse_metric(metric, &r->metric) != 0)
		return -1;
	return 0;
}

int
page_graph(const struct web_req *rq, const char *scope, const char *file,
    struct web_body *out)
{
	struct gf_graph_req r;
	struct gf_conf c;
	enum gf_img fmt;
	char id[72], err[256];
	char *buf = NULL;
	size_t len = 0;
	int dept = scope != NULL && strcmp(scope, "department") == 0;

	memset(&r, 0, sizeof(r));
	if (scope == NULL || (!dept && strcmp(scope, "device") != 0) || file == NULL ||
	    graph_file(file, id, sizeof(id), &fmt) != 0)
		return page_error(rq, 404, out);
	r.scope = dept ? GF_GRAPH_DEPARTMENT : GF_GRAPH_DEVICE;
	r.id = id;
	r.width = GF_GRAPH_WIDTH;
	r.height = GF_GRAPH_HEIGHT;
	if (dept ? page_dept_index(rq, id) < 0 : page_device_index(rq, id) < 0)
		return page_error(rq, 404, out);
	if (!page_may_see(rq, dept ? id :
	    rq->conf->depts[rq->conf->devices[page_device_index(rq, id)].dept].id))
		return page_error(rq, 403, out);
	if (graph_query(rq, &r) != 0 || graph_check(rq->conf, &r, err, sizeof(err)) != 0)
		return page_error(rq, 400, out);
	/* The graph's words follow the language: a shallow copy, read only. */
	c = *rq->conf;
	c.smtp.language = rq->lang == WEB_FR ? "fr" : "en";
	if (graph_render(&c, &r, fmt, &buf, &len, err, sizeof(err)) != 0) {
		log_warnx("web: graph %s/%s: %s", scope, id, err);
		return page_error(rq, 500, out);
	}
	return page_bytes(out, 200, fmt == GF_IMG_SVG ? "image/svg+xml" : "image/png", buf, len);
}
