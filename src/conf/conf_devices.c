/* The devices of the configuration and their SNMP settings (version 1, 2c or 3 with USM). */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "conf.h"
#include "confparse.h"
#include "date.h"
#include "text.h"
#include "xmalloc.h"

/* Value names, in the order of their enums. */
static const char *const kind_names[] = { "printer", "workstation", NULL };
static const char *const version_names[] = { "1", "2c", "3", NULL };
static const char *const level_names[] = { "noAuthNoPriv", "authNoPriv", "authPriv", NULL };
static const char *const auth_names[] = { "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384",
	"SHA-512", NULL };
static const char *const priv_names[] = { "DES", "AES", NULL };
const char *const conf_hw_names[] = { "desktop", "laptop", "server", "printer", NULL };

/* timeout_ms and retries defaults are the global values, set by the caller. */
#define D(m) offsetof(struct gf_device, m)
static const struct field device_fields[] = {
	{ "id", FT_STR, 1, 64, 0, NULL, D(id), 1 },
	{ "host", FT_STR, 1, 253, 0, NULL, D(host), 1 },
	{ "port", FT_INT, 1, 65535, 161, NULL, D(port), 0 },
	{ "kind", FT_STR, 1, 32, 0, NULL, NOSTORE, 1 },
	{ "department", FT_STR, 1, 64, 0, NULL, NOSTORE, 1 },
	{ "in_service", FT_STR, 1, 32, 0, NULL, NOSTORE, 0 },
	{ "timeout_ms", FT_INT, 10, 60000, 0, NULL, D(timeout_ms), 0 },
	{ "retries", FT_INT, 0, 10, 0, NULL, D(retries), 0 },
	{ "max_ppm", FT_INT, 1, 100000, 0, NULL, D(max_ppm), 0 },
	{ "type", FT_STR, 1, 16, 0, NULL, NOSTORE, 0 },
	{ "spare_parts", FT_BOOL, 0, 1, 1, NULL, D(spare_parts), 0 },
	{ "pooled", FT_BOOL, 0, 1, 1, NULL, D(pooled), 0 },
	{ "retired", FT_STR, 1, 32, 0, NULL, NOSTORE, 0 },
	{ "snmp", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 1 },
	{ "poller", FT_STR, 1, 64, 0, NULL, NOSTORE, 0 },
};


/* Passwords: net-snmp refuses pass phrases shorter than 8 characters; USM user names are 1..32. */
#define S(m) offsetof(struct gf_snmp_conf, m)
static const struct field snmp_fields[] = {
	{ "version", FT_STR, 1, 8, 0, NULL, NOSTORE, 1 },
	{ "community", FT_STR, 1, 255, 0, NULL, S(community), 0 },
	{ "user", FT_STR, 1, 32, 0, NULL, S(user), 0 },
	{ "level", FT_STR, 1, 32, 0, NULL, NOSTORE, 0 },
	{ "auth_protocol", FT_STR, 1, 32, 0, NULL, NOSTORE, 0 },
	{ "auth_password", FT_STR, 8, 255, 0, NULL, S(auth_pass), 0 },
	{ "priv_protocol", FT_STR, 1, 32, 0, NULL, NOSTORE, 0 },
	{ "priv_password", FT_STR, 8, 255, 0, NULL, S(priv_pass), 0 },
};


/* The version 3 keys, the lowest security level that uses each, and whether it then must be set. */
static const struct {
	const char *key;
	enum gf_sec_level min;
	int required;
} v3_keys[] = {
	{ "user", GF_SEC_NOAUTH, 0 },	/* required by every level, checked apart */
	{ "level", GF_SEC_NOAUTH, 0 },
	{ "auth_protocol", GF_SEC_AUTHNOPRIV, 0 },
	{ "auth_password", GF_SEC_AUTHNOPRIV, 1 },
	{ "priv_protocol", GF_SEC_AUTHPRIV, 0 },
	{ "priv_password", GF_SEC_AUTHPRIV, 1 },
};


/* Sets the kind of DEV from group G. */
static void
device_kind(struct ctx *c, const config_setting_t *g, struct gf_device *dev)
{
	int k;

	if (conf_read_choice(c, g, "kind", kind_names, &k) == 1)
		dev->kind = k;
}


/* Points DEV at the department named in group G. */
static void
device_dept(struct ctx *c, const config_setting_t *g, struct gf_device *dev)
{
	const config_setting_t *s;
	const char *name;
	char q[QUOTE_SIZE];
	size_t i;

	if ((s = conf_str_member(g, "department")) == NULL)
		return;
	name = config_setting_get_string(s);
	for (i = 0; i < c->conf->ndepts; i++) {
		if (c->conf->depts[i].id != NULL && strcmp(c->conf->depts[i].id, name) == 0) {
			dev->dept = (int)i;
			return;
		}
	}
	conf_err(&c->e, s, "unknown department '%s'", conf_quote(q, sizeof(q), name));
}


/*
 * Reads date KEY of G into DST[11] when it names a real day; reports it otherwise.
 * A device cannot have entered service after today; a retirement may be planned.
 */
static void
device_date(struct ctx *c, const config_setting_t *g, const char *key, char dst[11])
{
	const config_setting_t *s;
	const char *v;
	char q[QUOTE_SIZE], why[80], today[11];

	if ((s = conf_str_member(g, key)) == NULL)
		return;
	v = config_setting_get_string(s);
	if (gf_date_parse(v, NULL, why, sizeof(why)) != 0) {
		conf_err(&c->e, s, "%s: '%s': %s", key, conf_quote(q, sizeof(q), v), why);
		return;
	}
	if (strcmp(key, "in_service") == 0 && gf_date_today(today) == 0 && strcmp(v, today) > 0) {
		conf_err(&c->e, s, "%s: '%s' is in the future (today is %s)", key, v, today);
		return;
	}
	memcpy(dst, v, 11);
}


/* Reports the version 3 keys present in a version 1 or 2c group G; requires a community. */
static void
snmp_v12(struct ctx *c, const config_setting_t *g)
{
	const config_setting_t *s;
	size_t i;

	for (i = 0; i < nitems(v3_keys); i++)
		if ((s = config_setting_get_member(g, v3_keys[i].key)) != NULL)
			conf_err(&c->e, s, "snmp: '%s' is only for version 3", v3_keys[i].key);
	if (config_setting_get_member(g, "community") == NULL)
		conf_err(&c->e, g, "snmp: missing required key 'community'");
}


/*
 * Checks that version 3 group G has exactly the keys its security level uses:
 * a pass phrase ignored because of a mistyped level would silently drop security.
 */
static void
snmp_v3_keys(struct ctx *c, const config_setting_t *g, enum gf_sec_level level)
{
	const config_setting_t *s;
	const char *key;
	size_t i;

	if ((s = config_setting_get_member(g, "community")) != NULL)
		conf_err(&c->e, s, "snmp: 'community' is only for versions 1 and 2c");
	if (config_setting_get_member(g, "user") == NULL)
		conf_err(&c->e, g, "snmp: missing required key 'user' for version 3");
	for (i = 0; i < nitems(v3_keys); i++) {
		key = v3_keys[i].key;
		s = config_setting_get_member(g, key);
		if (s != NULL && level < v3_keys[i].min)
			conf_err(&c->e, s, "snmp: '%s' is not used with level %s", key,
			    level_names[level]);
		else if (s == NULL && level >= v3_keys[i].min && v3_keys[i].required)
			conf_err(&c->e, g, "snmp: missing required key '%s' for level %s", key,
			    level_names[level]);
	}
}


/* Reads the version 3 security level and protocols of group G into SN. */
static void
snmp_v3(struct ctx *c, const config_setting_t *g, struct gf_snmp_conf *sn)
{
	int v, r;

	if ((r = conf_read_choice(c, g, "level", level_names, &v)) == -1)
		return;
	if (r == 1)
		sn->level = v;
	if (conf_read_choice(c, g, "auth_protocol", auth_names, &v) == 1)
		sn->auth_proto = v;
	if (conf_read_choice(c, g, "priv_protocol", priv_names, &v) == 1)
		sn->priv_proto = v;
	snmp_v3_keys(c, g, sn->level);
}


/* Parses the snmp group G of a device. */
static void
parse_snmp(struct ctx *c, const config_setting_t *g, struct gf_snmp_conf *sn)
{
	int v;

	sn->level = GF_SEC_AUTHPRIV;
	sn->auth_proto = GF_AUTH_SHA;
	sn->priv_proto = GF_PRIV_AES;
	conf_read_fields(c, g, "snmp", snmp_fields, nitems(snmp_fields), sn);
	if (conf_read_choice(c, g, "version", version_names, &v) != 1)
		return;
	sn->version = v;
	if (sn->version == GF_SNMP_V3)
		snmp_v3(c, g, sn);
	else
		snmp_v12(c, g);
	if ((sn->community != NULL && strcmp(sn->community, "public") != 0) ||
	    sn->auth_pass != NULL || sn->priv_pass != NULL)
		c->conf->has_secrets = 1;
}


/* Returns the configuration spelling of hardware type T. */
const char *
conf_hw_name(enum gf_hw_type t)
{
	return (unsigned)t < nitems(conf_hw_names) - 1 ? conf_hw_names[t] : "desktop";
}


/* Notes which keys an import may also give were written in the entry G itself. */
static unsigned
device_set_keys(const config_setting_t *g)
{
	static const struct {
		const char *key;
		unsigned bit;
	} keys[] = { { "in_service", GF_SET_IN_SERVICE }, { "type", GF_SET_TYPE },
		{ "department", GF_SET_DEPT }, { "retired", GF_SET_RETIRED } };
	unsigned set = 0;
	size_t i;

	for (i = 0; i < nitems(keys); i++)
		if (config_setting_get_member(g, keys[i].key) != NULL)
			set |= keys[i].bit;
	return set;
}


/* Parses one element of the devices list. */
void
conf_parse_device(struct ctx *c, const config_setting_t *g, struct gf_device *dev)
{
	const config_setting_t *s;
	char q[QUOTE_SIZE];
	int v;

	conf_set_defaults(device_fields, nitems(device_fields), dev);
	/* Inherited; read_fields overrides them only with a valid value. */
	dev->timeout_ms = c->conf->timeout_ms;
	dev->retries = c->conf->retries;
	dev->max_ppm = c->conf->max_ppm;
	dev->dept = -1;
	dev->poller = -1;
	dev->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		conf_err(&c->e, g, "devices: expected a group");
		return;
	}
	conf_read_fields(c, g, "device", device_fields, nitems(device_fields), dev);
	dev->set = device_set_keys(g);
	conf_check_id(c, g, "device", dev->id);
	if (dev->host != NULL && !conf_host_ok(dev->host))
		conf_err(&c->e, conf_str_member(g, "host"), "host: '%s' is not a host name or IP address",
		    conf_quote(q, sizeof(q), dev->host));
	device_kind(c, g, dev);
	dev->hw_type = dev->kind == GF_KIND_PRINTER ? GF_HW_PRINTER : GF_HW_DESKTOP;
	if (conf_read_choice(c, g, "type", conf_hw_names, &v) == 1)
		dev->hw_type = (enum gf_hw_type)v;
	device_dept(c, g, dev);
	device_date(c, g, "in_service", dev->in_service);
	device_date(c, g, "retired", dev->retired);
	if (dev->retired[0] && dev->in_service[0] && strcmp(dev->retired, dev->in_service) < 0)
		conf_err(&c->e, conf_str_member(g, "retired"), "retired: before in_service");
	if ((s = config_setting_get_member(g, "snmp")) != NULL && config_setting_is_group(s))
		parse_snmp(c, s, &dev->snmp);
	if ((s = conf_str_member(g, "poller")) != NULL &&
	    (dev->poller = conf_poller_index(c->conf, config_setting_get_string(s))) < 0)
		conf_err(&c->e, s, "poller: '%s' is not in the pollers list",
		    conf_quote(q, sizeof(q), config_setting_get_string(s)));
}

