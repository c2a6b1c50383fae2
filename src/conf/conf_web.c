/* The web group: what greenfleet-web listens on, who may log in, its TLS files and its address. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "confparse.h"
#include "text.h"

#define W(m) offsetof(struct gf_web_conf, m)
static const struct field web_fields[] = {
	{ "listen", FT_STR, 3, 300, 0, "127.0.0.1:8080", W(listen), 0 },
	{ "users_file", FT_STR, 1, 4096, 0, NULL, W(users_file), 0 },
	{ "cert", FT_STR, 1, 4096, 0, NULL, W(cert), 0 },
	{ "key", FT_STR, 1, 4096, 0, NULL, W(key), 0 },
	{ "url", FT_STR, 8, 1024, 0, NULL, W(url), 0 },
};

/* Splits "host:port" or "[v6]:port"; the host is a name or an address literal, the port 1..65535. */
int
conf_split_listen(const char *listen, char *host, size_t hostsz, int *port)
{
	const char *colon, *h = listen, *end;
	char *p;
	long v;

	if (listen[0] == '[') {
		h = listen + 1;
		if ((end = strchr(h, ']')) == NULL || end[1] != ':')
			return -1;
		colon = end + 1;
	} else {
		if ((colon = strrchr(listen, ':')) == NULL || strchr(listen, ':') != colon)
			return -1;
		end = colon;
	}
	if (end == h || (size_t)(end - h) >= hostsz || colon[1] < '0' || colon[1] > '9')
		return -1;
	v = strtol(colon + 1, &p, 10);
	if (*p != '\0' || v < 1 || v > 65535)
		return -1;
	memcpy(host, h, end - h);
	host[end - h] = '\0';
	if (!conf_host_ok(host) || (listen[0] != '[' && strchr(host, ':') != NULL))
		return -1;
	*port = (int)v;
	return 0;
}

/* Reports member KEY of G unless its value is an absolute path. */
static void
check_abs(struct ctx *c, const config_setting_t *g, const char *key, const char *v)
{
	char q[QUOTE_SIZE];

	if (v != NULL && v[0] != '/')
		conf_err(&c->e, conf_str_member(g, key), "%s: '%s' is not an absolute path", key,
		    conf_quote(q, sizeof(q), v));
}

/* web.url: http(s)://, printable ASCII without quotes or spaces (it goes into mails); no trailing /. */
static void
check_url(struct ctx *c, const config_setting_t *g, struct gf_web_conf *w)
{
	const unsigned char *p;
	char q[QUOTE_SIZE];
	size_t n;

	if (w->url == NULL)
		return;
	for (p = (const unsigned char *)w->url; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"'<>\\`{}", *p) != NULL)
			break;
	if (*p != '\0' || (strncmp(w->url, "https://", 8) != 0 &&
	    strncmp(w->url, "http://", 7) != 0) || strlen(w->url) <= 8) {
		conf_err(&c->e, conf_str_member(g, "url"), "url: '%s' must be an http:// or https:// "
		    "address without spaces or quotes", conf_quote(q, sizeof(q), w->url));
		return;
	}
	while ((n = strlen(w->url)) > 8 && w->url[n - 1] == '/')
		w->url[n - 1] = '\0';
}

/* Parses the web group into W (defaults set by the caller's conf_set_defaults too). */
void
conf_parse_web(struct ctx *c, const config_setting_t *g, struct gf_web_conf *w)
{
	char q[QUOTE_SIZE], host[256];
	int port;

	conf_read_fields(c, g, "web", web_fields, nitems(web_fields), w);
	if (w->listen != NULL && conf_split_listen(w->listen, host, sizeof(host), &port) != 0)
		conf_err(&c->e, conf_str_member(g, "listen"), "listen: '%s' is not host:port "
		    "(e.g. \"127.0.0.1:8080\", \"[::1]:8080\"; port 1..65535)",
		    conf_quote(q, sizeof(q), w->listen));
	check_abs(c, g, "users_file", w->users_file);
	check_abs(c, g, "cert", w->cert);
	check_abs(c, g, "key", w->key);
	if ((w->cert == NULL) != (w->key == NULL))
		conf_err(&c->e, g, "web: give both cert and key (HTTPS), or neither (HTTP)");
	check_url(c, g, w);
}

/* Sets the defaults of the web group (a file without one listens on 127.0.0.1:8080). */
void
conf_web_defaults(struct gf_web_conf *w)
{
	conf_set_defaults(web_fields, nitems(web_fields), w);
}

/* Frees the strings of W. */
void
conf_web_free(struct gf_web_conf *w)
{
	free(w->listen);
	free(w->users_file);
	free(w->cert);
	free(w->key);
	free(w->url);
}
