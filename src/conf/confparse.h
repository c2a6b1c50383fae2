/*
 * What the parts of the configuration parser share (conf.c: the file and
 * its globals; conf_devices.c: devices and their SNMP settings): the parse
 * state, and a reader driven by tables of keys, one row per key (name,
 * type, bounds, default, where it is stored), as redis describes its
 * options. Private to src/conf.
 */
#ifndef GF_CONFPARSE_H
#define GF_CONFPARSE_H

#include <stddef.h>

#include <libconfig.h>

#include "conferr.h"

#define NOSTORE		((size_t)-1)
#define QUOTE_SIZE	CONF_QUOTE_SIZE
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct gf_conf;
struct gf_device;
struct gf_web_conf;

enum ftype { FT_INT, FT_STR, FT_GROUP, FT_LIST, FT_ARRAY, FT_FLOAT, FT_BOOL };

/* One row per key: its type, bounds, default and where a plain value is stored. */
struct field {
	const char *name;
	enum ftype type;
	long long min;		/* integer bounds, or string length bounds */
	long long max;
	long long def;		/* integer default */
	const char *sdef;	/* string default, NULL for none */
	size_t off;		/* offset of the int or char * in the target, or NOSTORE */
	int required;
};

/* Parse state: where errors go, how many there were, and the config being built. */
struct ctx {
	struct conf_errs e;
	struct gf_conf *conf;
	const char *import_over;	/* conf_load_import(): the import file to read instead */
};

/* Returns the row of TAB named NAME, or NULL. */
const struct field *conf_find_field(const struct field *tab, size_t n, const char *name);

/* Stores the defaults of TAB into BASE. */
void conf_set_defaults(const struct field *tab, size_t n, void *base);

/* Reads the members of GROUP (WHAT names it) into BASE by TAB; reports unknown and missing keys. */
void conf_read_fields(struct ctx *c, const config_setting_t *group, const char *what,
    const struct field *tab, size_t n, void *base);

/* Returns member NAME of G if it is a string (other types were reported already), else NULL. */
const config_setting_t *conf_str_member(const config_setting_t *g, const char *name);

/* Reads member KEY of G as one of NAMES: 1 and *OUT set, 0 absent or reported, -1 bad value. */
int conf_read_choice(struct ctx *c, const config_setting_t *g, const char *key,
    const char *const *names, int *out);

/* 1 if S only uses host name, IPv4 and IPv6 literal characters. */
int conf_host_ok(const char *s);

/* 1 if S looks like a bare e-mail address that is safe inside a mail header. */
int conf_email_ok(const char *s);

/* Reports ID of group G if it is unsafe as a file name; WHAT is "device" or "department". */
void conf_check_id(struct ctx *c, const config_setting_t *g, const char *what, const char *id);

/* Reports every repeated id in LIST, in file order, naming the line of the first one. */
void conf_check_dups(struct ctx *c, const char *what, const config_setting_t *list);

/* conf_devices.c: reads device group G into DEV; departments are read already. */
void conf_parse_device(struct ctx *c, const config_setting_t *g, struct gf_device *dev);

/* conf_web.c: the web group G into W; its defaults; freeing it. */
void conf_parse_web(struct ctx *c, const config_setting_t *g, struct gf_web_conf *w);
void conf_web_defaults(struct gf_web_conf *w);
void conf_web_free(struct gf_web_conf *w);
/* conf_dir.c: the discover group G; departments are read already. */
void conf_parse_discover(struct ctx *c, const config_setting_t *g);
/* conf_pollers.c: the pollers list. */
void conf_parse_pollers(struct ctx *c, const config_setting_t *list);
void conf_pollers_free(struct gf_conf *conf);

/* conf_dir.c: the devices of every *.conf of devices_dir, after the main file's; FLAGS: conf_load_opts'. */
void conf_devices_dir(struct ctx *c, const config_setting_t *root, int flags);
/* Hardware type names, in the order of enum gf_hw_type (conf_devices.c). */
extern const char *const conf_hw_names[];

/* conf_import.c: the import group, then the imported values applied to the devices read. */
void conf_parse_import(struct ctx *c, const config_setting_t *root, int flags);
void conf_import_free(struct gf_conf *conf);

#endif
