/*
 * The pollers list: greenfleetd processes that share one store, and the
 * networks a poller is pinned to (sites only it can reach). The same file
 * serves every poller; each knows itself by its name (greenfleetd
 * --poller, or the host name). A device in a pinned poller's networks, or
 * whose `poller` key names one, is polled by that poller alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "confparse.h"
#include "netrange.h"
#include "text.h"
#include "xmalloc.h"

/* Parses the networks of poller P from list N, as discover.networks are written. */
static void
poller_nets(struct ctx *c, const config_setting_t *n, struct gf_poller_conf *p)
{
	const config_setting_t *e;
	struct gf_netrange r;
	char q[QUOTE_SIZE], why[128];
	size_t len = 0;
	int i;

	if (!config_setting_is_array(n) && !config_setting_is_list(n)) {
		conf_err(&c->e, n, "networks: expected a list of strings [ \"192.0.2.0/24\", ... ]");
		return;
	}
	p->nets = xcalloc((size_t)config_setting_length(n) + 1, sizeof(*p->nets));
	p->networks = xcalloc(1, 1);
	for (i = 0; i < config_setting_length(n); i++) {
		e = config_setting_get_elem(n, (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			conf_err(&c->e, e, "networks: expected a string");
			continue;
		}
		if (netrange_parse(config_setting_get_string(e), &r, why, sizeof(why)) != 0) {
			conf_err(&c->e, e, "networks: '%s': %s",
			    conf_quote(q, sizeof(q), config_setting_get_string(e)), why);
			continue;
		}
		p->nets[p->nnets++] = r;
		len += strlen(config_setting_get_string(e)) + 2;
		p->networks = xreallocarray(p->networks, len + 1, 1);
		if (p->networks[0] != '\0')
			strcat(p->networks, ",");
		strcat(p->networks, config_setting_get_string(e));
	}
}

static void
parse_poller(struct ctx *c, const config_setting_t *g, struct gf_poller_conf *p)
{
	const config_setting_t *s;
	char q[QUOTE_SIZE];
	int i;

	p->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		conf_err(&c->e, g, "pollers: expected a group { name = \"...\"; networks = [...]; }");
		return;
	}
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL; i++)
		if (strcmp(config_setting_name(s), "name") != 0 &&
		    strcmp(config_setting_name(s), "networks") != 0)
			conf_err(&c->e, s, "poller: unknown key '%s'", config_setting_name(s));
	if ((s = conf_str_member(g, "name")) == NULL) {
		conf_err(&c->e, g, "poller: give its name (a string)");
		return;
	}
	p->name = xstrdup(config_setting_get_string(s));
	if (!gf_id_is_safe(p->name) || strlen(p->name) > 64)
		conf_err(&c->e, s, "poller name '%s': use 1 to 64 of [A-Za-z0-9._-], no leading dot",
		    conf_quote(q, sizeof(q), p->name));
	if ((s = config_setting_get_member(g, "networks")) != NULL)
		poller_nets(c, s, p);
}

void
conf_parse_pollers(struct ctx *c, const config_setting_t *list)
{
	struct gf_conf *conf = c->conf;
	size_t i, j;

	conf->npollers = (size_t)config_setting_length(list);
	if (conf->npollers > GF_MAX_POLLERS) {
		conf_err(&c->e, list, "pollers: %zu listed, at most %d", conf->npollers,
		    GF_MAX_POLLERS);
		conf->npollers = GF_MAX_POLLERS;
	}
	conf->pollers = xcalloc(conf->npollers + 1, sizeof(*conf->pollers));
	for (i = 0; i < conf->npollers; i++)
		parse_poller(c, config_setting_get_elem(list, (unsigned)i), &conf->pollers[i]);
	for (i = 0; i < conf->npollers; i++)
		for (j = 0; j < i; j++)
			if (conf->pollers[i].name != NULL && conf->pollers[j].name != NULL &&
			    strcmp(conf->pollers[i].name, conf->pollers[j].name) == 0)
				conf_err(&c->e, config_setting_get_elem(list, (unsigned)i),
				    "poller '%s' listed twice (first at line %d)",
				    conf->pollers[i].name, conf->pollers[j].line);
}

int
conf_poller_index(const struct gf_conf *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->npollers; i++)
		if (conf->pollers[i].name != NULL && strcmp(conf->pollers[i].name, name) == 0)
			return (int)i;
	return -1;
}

uint64_t
conf_device_pollers(const struct gf_conf *conf, const struct gf_device *d)
{
	uint64_t mask = 0;
	uint32_t a;
	size_t i, k;

	if (d->poller >= 0)
		return (uint64_t)1 << d->poller;
	if (d->host == NULL || netrange_addr(d->host, &a) != 0)
		return 0;
	for (i = 0; i < conf->npollers; i++)
		for (k = 0; k < conf->pollers[i].nnets; k++)
			if (a >= conf->pollers[i].nets[k].first && a <= conf->pollers[i].nets[k].last)
				mask |= (uint64_t)1 << i;
	return mask;
}

void
conf_pollers_free(struct gf_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->npollers; i++) {
		free(conf->pollers[i].name);
		free(conf->pollers[i].nets);
		free(conf->pollers[i].networks);
	}
	free(conf->pollers);
}
