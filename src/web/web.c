/* greenfleet-web's HTTP server: libmicrohttpd, limits, access, language and response headers. */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "log.h"
#include "text.h"
#include "web.h"
#include "webcache.h"
#include "websrv.h"
#include "xmalloc.h"

#define REALM		"greenfleet"
#define MAX_CONNS	128		/* at once; more wait in the kernel's backlog */
#define CONN_MEMORY	(32 * 1024)	/* request line and headers: larger is refused (414, 431) */
#define CONN_TIMEOUT_S	30		/* an idle or slow client is dropped */
#define MAX_TLS_FILE	(1024 * 1024)
#define BIG_PAGE	(256 * 1024)

struct web_server {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;		/* conf and users: a reload swaps them between requests */
	struct gf_conf *conf;
	struct web_users *users;
	char *cert, *key;		/* PEM, read before privileges are dropped */
	struct webcache *cache;		/* responses built, under the lock */
};

/* Every response: no script from elsewhere, no sniffing, no framing, nothing cached or leaked. */
static const char *const sec_headers[][2] = {
	{ "Content-Security-Policy", "default-src 'self'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Cache-Control", "no-store" },
};

const char *
web_arg(const struct web_req *rq, const char *name)
{
	if (rq->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The q-value of one Accept-Language item's parameters (";q=0.8"); 1 when absent, 0 when bad. */
static double
qvalue(const char *params)
{
	const char *q = strstr(params, "q=");
	char *end;
	double v;

	if (q == NULL)
		return 1;
	v = strtod(q + 2, &end);
	return end == q + 2 || v < 0 || v > 1 ? 0 : v;
}

/* fr or en by Accept-Language H (the higher q wins, the first on a tie); -1 when neither is there. */
static int
accept_language(const char *h)
{
	char item[64];
	double best = 0, q;
	int lang = -1;
	size_t n;

	while (*h != '\0') {
		h += strspn(h, " ,");
		n = strcspn(h, ",");
		if (n > 0 && n < sizeof(item)) {
			memcpy(item, h, n);
			item[n] = '\0';
			q = qvalue(item);
			if (q > best && (strncasecmp(item, "fr", 2) == 0 ||
			    strncasecmp(item, "en", 2) == 0) && strchr("-; ", item[2]) != NULL) {
				best = q;
				lang = tolower((unsigned char)item[0]) == 'f' ? WEB_FR : WEB_EN;
			}
		}
		h += n;
	}
	return lang;
}

/* ?lang=fr|en, else Accept-Language, else smtp.language (French when unset). */
static enum web_lang
choose_lang(struct MHD_Connection *c, const struct gf_conf *conf)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	int l;

	if (v != NULL && (strcmp(v, "fr") == 0 || strcmp(v, "en") == 0))
		return v[0] == 'f' ? WEB_FR : WEB_EN;
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	if (v != NULL && (l = accept_language(v)) >= 0)
		return (enum web_lang)l;
	return conf->smtp.language != NULL && strcmp(conf->smtp.language, "en") == 0 ?
	    WEB_EN : WEB_FR;
}

/* The user whose Basic credentials C carries, or NULL. */
static const struct web_user *
login(const struct web_server *w, struct MHD_Connection *c)
{
	const struct web_user *u = NULL;
	char *pass = NULL, *name;

	name = MHD_basic_auth_get_username_password(c, &pass);
	if (name != NULL && pass != NULL)
		u = auth_check(w->users, name, pass);
	if (name != NULL && u == NULL)
		log_info("web: login refused (unknown user or wrong password)");
	if (pass != NULL) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (name != NULL)
		MHD_free(name);
	return u;
}

/* A download's file name, kept only when it is plain (it goes into a header). */
static int
add_disposition(struct MHD_Response *r, const char *name)
{
	char v[160];

	if (name == NULL || strlen(name) > 100 || !gf_id_is_safe(name))
		return 0;
	snprintf(v, sizeof(v), "attachment; filename=\"%s\"", name);
	return MHD_add_response_header(r, "Content-Disposition", v) == MHD_YES ? 0 : -1;
}

/* A response of B (taken) with STATUS and the headers every response carries; NULL on failure. */
static struct MHD_Response *
make_response(int status, struct web_body *b, const char *loc)
{
	struct MHD_Response *r;
	size_t i;
	int bad = 0;

	if (b->data == NULL)
		b->len = 0;
	r = MHD_create_response_from_buffer(b->len, b->data != NULL ? b->data : (void *)"",
	    b->data != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		free(b->data);
		return NULL;
	}
	for (i = 0; i < sizeof(sec_headers) / sizeof(sec_headers[0]); i++)
		bad |= MHD_add_response_header(r, sec_headers[i][0], sec_headers[i][1]) != MHD_YES;
	if (b->type != NULL)
		bad |= MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, b->type) != MHD_YES;
	bad |= add_disposition(r, b->filename) != 0;
	if (status == 303 && loc[0] != '\0')
		bad |= MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc) != MHD_YES;
	if (status == 401)
		bad |= MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Basic realm=\"" REALM "\", charset=\"UTF-8\"") != MHD_YES;
	if (status == 405)
		bad |= MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES;
	/* A response without its headers is not sent: the connection is closed instead. */
	if (bad) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* Queues R, which this request alone uses. */
static enum MHD_Result
queue_once(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result rc = MHD_queue_response(c, status, r);

	MHD_destroy_response(r);
	return rc;
}

static void
free_response(void *r)
{
	MHD_destroy_response(r);	/* libmicrohttpd keeps it while a client still reads it */
}

/* A cache key being built: bounded, and "over" when a request's is too long to keep. */
struct keybuf {
	char s[WC_MAX_KEY];
	size_t n;
	int over;
};

/* Appends one query argument to the key in ARG. */
static enum MHD_Result
key_arg(void *arg, enum MHD_ValueKind kind, const char *k, const char *v)
{
	struct keybuf *kb = arg;
	int n;

	(void)kind;
	n = snprintf(kb->s + kb->n, sizeof(kb->s) - kb->n, "&%s=%s", k, v ? v : "");
	if (n < 0 || (size_t)n >= sizeof(kb->s) - kb->n) {
		kb->over = 1;
		return MHD_NO;
	}
	kb->n += (size_t)n;
	return MHD_YES;
}

/* The cache key of a request: everything its page depends on but the state. -1: not cached. */
static int
cache_key(struct MHD_Connection *c, const struct web_req *rq, const char *url, int gz,
    struct keybuf *kb)
{
	int n;

	kb->over = 0;
	n = snprintf(kb->s, sizeof(kb->s), "%d|%d|%s|%s?", (int)rq->lang, gz,
	    rq->only_dept ? rq->only_dept : "", url);
	if (n < 0 || (size_t)n >= sizeof(kb->s) || strcmp(url, "/healthz") == 0)
		return -1;
	kb->n = (size_t)n;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, key_arg, kb);
	return kb->over ? -1 : 0;
}

/*
 * B as gzip when the client TAKES it and it is worth it (a page, /metrics:
 * text that shrinks about tenfold); *GZ says whether it now is.
 */
static void
maybe_gzip(int takes, struct web_body *b, int *gz)
{
	char *z;
	size_t zlen;

	*gz = 0;
	if (!takes || b->len < 1024 || webcache_gzip(b->data, b->len, &z, &zlen) != 0)
		return;
	free(b->data);
	b->data = z;
	b->len = zlen;
	*gz = 1;
}

/*
 * Routes RQ, or serves what the cache kept for it (webcache.h). A 200 built
 * now is kept, compressed for a client that takes gzip: fifty clients of the
 * fleet page cost one computation.
 */
static enum MHD_Result
serve(struct web_server *w, struct MHD_Connection *c, struct web_req *rq, const char *url)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	unsigned long long stamp = 0;
	struct MHD_Response *r;
	struct web_body b;
	struct keybuf kb;
	char loc[320] = "";
	unsigned status;
	int takes = ae != NULL && webcache_takes_gzip(ae), ttl = 0, gz = 0;
	int cached = cache_key(c, rq, url, takes, &kb) == 0;

	if (cached) {
		ttl = webcache_stamp(rq->conf, &stamp);
		if ((r = webcache_get(w->cache, kb.s, stamp, rq->now, ttl, &status)) != NULL)
			return MHD_queue_response(c, status, r);
	}
	memset(&b, 0, sizeof(b));
	status = (unsigned)web_route(rq, url, &b, loc, sizeof(loc));
	if (status == 200)
		maybe_gzip(takes, &b, &gz);
	/* A large page (/metrics of 10,000 devices) leaves freed heap behind: give it back. */
	if (b.len > BIG_PAGE || (gz && b.len > BIG_PAGE / 16))
		malloc_trim(0);
	if ((r = make_response((int)status, &b, loc)) == NULL)
		return MHD_NO;
	if ((gz && MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") != MHD_YES) ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding") != MHD_YES) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	if (cached && status == 200 && webcache_put(w->cache, kb.s, stamp, rq->now, r, status,
	    b.len, free_response) == 0)
		return MHD_queue_response(c, status, r);
	return queue_once(c, status, r);
}

/* libmicrohttpd calls this once per request (GET and HEAD have no body to wait for). */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct web_server *w = cls;
	const struct web_user *u = NULL;
	struct MHD_Response *r;
	enum MHD_Result rc;
	struct web_body b;
	struct web_req rq;
	int status = 0;

	(void)version, (void)upload_data, (void)upload_size, (void)con_cls;
	memset(&b, 0, sizeof(b));
	memset(&rq, 0, sizeof(rq));
	pthread_mutex_lock(&w->lock);
	rq.conf = w->conf;
	rq.lang = choose_lang(c, w->conf);
	rq.now = time(NULL);
	rq.conn = c;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		status = page_error(&rq, 405, &b);
	else if (w->users != NULL && strcmp(url, "/healthz") != 0 && (u = login(w, c)) == NULL)
		status = page_error(&rq, 401, &b);
	if (status != 0) {
		pthread_mutex_unlock(&w->lock);
		r = make_response(status, &b, "");
		return r != NULL ? queue_once(c, (unsigned)status, r) : MHD_NO;
	}
	if (u != NULL) {
		rq.user = u->name;
		rq.only_dept = u->role == WEB_ROLE_HEAD ? u->dept : NULL;
	}
	rc = serve(w, c, &rq, url);
	pthread_mutex_unlock(&w->lock);
	return rc;
}

/* Resolves LISTEN into *RES (freeaddrinfo); 0, or -1 with the reason in ERR. */
static int
resolve(const char *listen, struct addrinfo **res, char *err, size_t errsz)
{
	struct addrinfo hints;
	char host[256], port[8];
	int p, rc;

	if (conf_split_listen(listen, host, sizeof(host), &p) != 0) {
		snprintf(err, errsz, "web.listen: '%s' is not host:port", listen);
		return -1;
	}
	snprintf(port, sizeof(port), "%d", p);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, res)) != 0) {
		snprintf(err, errsz, "web.listen: %s: %s", host, gai_strerror(rc));
		return -1;
	}
	return 0;
}

/* 1 if A is 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104. */
static int
is_loopback(const struct sockaddr *a)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)a;

	if (a->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
	if (a->sa_family != AF_INET6)
		return 0;
	return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ||
	    (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) && s6->sin6_addr.s6_addr[12] == 127);
}

/* Checks LISTEN for a server with (HAS_USERS) or without a users file. */
static int
listen_ok(const char *listen, int has_users, char *err, size_t errsz)
{
	struct addrinfo *res, *ai;
	int rc = 0;

	if (resolve(listen, &res, err, errsz) != 0)
		return -1;
	for (ai = res; ai != NULL && !has_users; ai = ai->ai_next)
		if (!is_loopback(ai->ai_addr)) {
			snprintf(err, errsz, "web.listen: '%s' is not a loopback address: without "
			    "web.users_file, greenfleet-web serves loopback only (see "
			    "greenfleet-web(8))", listen);
			rc = -1;
			break;
		}
	freeaddrinfo(res);
	return rc;
}

int
web_listen_check(const struct gf_conf *conf, char *err, size_t errsz)
{
	return listen_ok(conf->web.listen, conf->web.users_file != NULL, err, errsz);
}

/* Reads PEM file PATH whole (NUL-terminated); NULL, logged, on failure. */
static char *
read_pem(const char *path)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		log_err("web: %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(MAX_TLS_FILE + 1);
	n = fread(buf, 1, MAX_TLS_FILE + 1, f);
	if (ferror(f) || n == 0 || n > MAX_TLS_FILE) {
		log_err("web: %s: %s", path, ferror(f) ? strerror(errno) :
		    "empty or over 1 MB: not a PEM file");
		free(buf);
		buf = NULL;
	} else
		buf[n] = '\0';
	fclose(f);
	return buf;
}

static int mhd_starting;

/* libmicrohttpd's own messages: why it could not start, else debug (a client's bad request). */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (mhd_starting)
		log_warnx("web: %s", buf);
	else
		log_debug("web: %s", buf);
}

/* Starts libmicrohttpd on address AI for W. */
static struct MHD_Daemon *
start_mhd(struct web_server *w, const struct addrinfo *ai)
{
	struct MHD_OptionItem o[12];
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d;
	int n = 0;

	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The logger first: options before it would log through libmicrohttpd's own. */
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, ai->ai_addr };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, MAX_CONNS, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONN_MEMORY, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, CONN_TIMEOUT_S, NULL };
	/* HTTP/1.1 without Host, spaces in header names...: 400, not guessed at. */
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL };
	if (w->cert != NULL) {
		flags |= MHD_USE_TLS;
		o[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, w->cert };
		o[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, w->key };
	}
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	mhd_starting = 1;
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w, MHD_OPTION_ARRAY, o,
	    MHD_OPTION_END);
	mhd_starting = 0;
	return d;
}

/* Frees what W holds (not the daemon). */
static void
server_free(struct web_server *w)
{
	conf_free(w->conf);
	auth_free(w->users);
	if (w->key != NULL)
		explicit_bzero(w->key, strlen(w->key));
	free(w->key);
	free(w->cert);
	pthread_mutex_destroy(&w->lock);
	webcache_clear(w->cache, 1);
	free(w);
}

struct web_server *
web_start(struct gf_conf *conf, struct web_users *users)
{
	struct web_server *w = xcalloc(1, sizeof(*w));
	struct addrinfo *res = NULL;
	char err[512];

	pthread_mutex_init(&w->lock, NULL);
	w->conf = conf;
	w->users = users;
	w->cache = webcache_new();
	if (web_listen_check(conf, err, sizeof(err)) != 0 ||
	    resolve(conf->web.listen, &res, err, sizeof(err)) != 0) {
		log_err("%s", err);
		goto fail;
	}
	if (conf->web.cert != NULL && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		log_err("web: this libmicrohttpd has no TLS: serve HTTP behind a reverse proxy");
		goto fail;
	}
	if (conf->web.cert != NULL && ((w->cert = read_pem(conf->web.cert)) == NULL ||
	    (w->key = read_pem(conf->web.key)) == NULL))
		goto fail;
	if ((w->d = start_mhd(w, res)) == NULL) {
		log_err("web: cannot serve on %s (address in use, or a bad certificate or key?)",
		    conf->web.listen);
		goto fail;
	}
	freeaddrinfo(res);
	return w;
fail:
	if (res != NULL)
		freeaddrinfo(res);
	server_free(w);
	return NULL;
}

/* 1 if strings A and B differ (NULL being a value). */
static int
differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0);
}

int
web_reload(struct web_server *w, struct gf_conf *conf, struct web_users *users)
{
	struct gf_conf *old;
	struct web_users *oldu;
	char err[512];

	/* The socket stays where it is: no login there must still mean loopback. */
	if (listen_ok(w->conf->web.listen, users != NULL, err, sizeof(err)) != 0) {
		log_warnx("reload: %s: still running on the previous configuration", err);
		conf_free(conf);
		auth_free(users);
		return -1;
	}
	if (differ(w->conf->web.listen, conf->web.listen) ||
	    differ(w->conf->web.cert, conf->web.cert) || differ(w->conf->web.key, conf->web.key))
		log_warnx("reload: web.listen, cert and key take effect at the next start");
	pthread_mutex_lock(&w->lock);
	old = w->conf;
	oldu = w->users;
	w->conf = conf;
	w->users = users;
	webcache_clear(w->cache, 0);	/* pages of the old configuration */
	pthread_mutex_unlock(&w->lock);
	conf_free(old);
	auth_free(oldu);
	return 0;
}

void
web_stop(struct web_server *w)
{
	if (w == NULL)
		return;
	MHD_stop_daemon(w->d);
	server_free(w);
}
