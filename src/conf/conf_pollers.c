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

/* Parses the networks of poller P (called WHO in messages) from list N, as discover.networks are. */
static void
poller_nets(struct ctx *c, const config_setting_t *n, const char *who, struct gf_poller_conf *p)
{
	const config_setting_t *e;
	struct gf_netrange r;
	char q[QUOTE_SIZE], why[128];
	size_t len = 0;
	int i;

	if (!config_setting_is_array(n) && !config_setting_is_list(n)) {
		conf_err(&c->e, n, "poller '%s': networks: expected a list of strings"
		    " [ \"192.0.2.0/24\", ... ]", who);
		return;
	}
	p->nets = xcalloc((size_t)config_setting_length(n) + 1, sizeof(*p->nets));
	p->networks = xcalloc(1, 1);
	for (i = 0; i < config_setting_length(n); i++) {
		e = config_setting_get_elem(n, (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			conf_err(&c->e, e, "poller '%s': networks: expected a string such as"
			    " \"192.0.2.0/24\"", who);
			continue;
		}
		if (netrange_parse(config_setting_get_string(e), &r, why, sizeof(why)) != 0) {
			conf_err(&c->e, e, "poller '%s': networks: '%s': %s", who,
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

/*
 * One entry of the pollers list. Its name comes first, so that every later
 * message names the poller; an unsafe name is said once and quoted, and the
 * messages after it call the poller by its position instead.
 */
static void
parse_poller(struct ctx *c, const config_setting_t *g, size_t k, struct gf_poller_conf *p)
{
	const config_setting_t *s;
	char q[QUOTE_SIZE], pos[32];
	const char *who;
	int i;

	p->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		conf_err(&c->e, g, "pollers: entry %zu: expected a group"
		    " { name = \"site-nord\"; networks = [ \"192.0.2.0/24\" ]; }", k + 1);
		return;
	}
	snprintf(pos, sizeof(pos), "#%zu", k + 1);
	who = pos;
	if ((s = conf_str_member(g, "name")) == NULL)
		conf_err(&c->e, g, "pollers: entry %zu has no name (name = \"site-nord\";)", k + 1);
	else if (strlen(config_setting_get_string(s)) > 64 ||
	    !gf_id_is_safe(config_setting_get_string(s)))
		conf_err(&c->e, s, "poller name '%s': use 1 to 64 of [A-Za-z0-9._-],"
		    " not starting with a dot", conf_quote(q, sizeof(q), config_setting_get_string(s)));
	else
		who = config_setting_get_string(s);
	if (s != NULL)
		p->name = xstrdup(config_setting_get_string(s));
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL; i++)
		if (strcmp(config_setting_name(s), "name") != 0 &&
		    strcmp(config_setting_name(s), "networks") != 0)
			conf_err(&c->e, s, "poller '%s': unknown key '%s' (a poller has name"
			    " and networks)", who, config_setting_name(s));
	if ((s = config_setting_get_member(g, "networks")) != NULL)
		poller_nets(c, s, who, p);
}

/* The pollers list: each entry, then whether its name came earlier, in the file's order. */
void
conf_parse_pollers(struct ctx *c, const config_setting_t *list)
{
	struct gf_conf *conf = c->conf;
	char q[QUOTE_SIZE];
	size_t i, j;

	conf->npollers = (size_t)config_setting_length(list);
	if (conf->npollers > GF_MAX_POLLERS) {
		conf_err(&c->e, list, "pollers: %zu listed, at most %d share a store",
		    conf->npollers, GF_MAX_POLLERS);
		conf->npollers = GF_MAX_POLLERS;
	}
	conf->pollers = xcalloc(conf->npollers + 1, sizeof(*conf->pollers));
	for (i = 0; i < conf->npollers; i++) {
		parse_poller(c, config_setting_get_elem(list, (unsigned)i), i, &conf->pollers[i]);
		for (j = 0; conf->pollers[i].name != NULL && j < i; j++)
			if (conf->pollers[j].name != NULL &&
			    strcmp(conf->pollers[i].name, conf->pollers[j].name) == 0) {
				conf_err(&c->e, config_setting_get_elem(list, (unsigned)i),
				    "poller '%s' listed twice (first at line %d)",
				    conf_quote(q, sizeof(q), conf->pollers[i].name),
				    conf->pollers[j].line);
				break;
			}
	}
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

int
conf_lease_round_ms(const struct gf_conf *conf)
{
	return conf->interval * 250 < 1000 ? 1000 : conf->interval * 250;
}

int
conf_lease_s(const struct gf_conf *conf)
{
	return 3 * conf_lease_round_ms(conf) / 1000 + 1;
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
