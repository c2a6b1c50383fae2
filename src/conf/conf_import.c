/*
 * The import group and the import file: what `greenfleet import` learnt from
 * an inventory (purchase date, type, department, retirement), kept apart
 * from the hand-written entries and merged into the devices by id. A value
 * the device's own entry gives is never replaced: both is an error.
 */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgfile.h"
#include "conf.h"
#include "confparse.h"
#include "date.h"
#include "text.h"
#include "xmalloc.h"

#define IMPORT_DEFAULT_FILE "imported.conf"

static const struct field import_fields[] = {
	{ "file", FT_STR, 1, 1024, 0, NULL, NOSTORE, 0 },
	{ "locations", FT_LIST, 0, 0, 0, NULL, NOSTORE, 0 },
};

#define L(m) offsetof(struct gf_import_loc, m)
static const struct field loc_fields[] = {
	{ "match", FT_STR, 1, 255, 0, NULL, L(match), 1 },
	{ "department", FT_STR, 1, 64, 0, NULL, NOSTORE, 1 },
};

#define O(m) offsetof(struct gf_override, m)
static const struct field over_fields[] = {
	{ "id", FT_STR, 1, 64, 0, NULL, O(id), 1 },
	{ "in_service", FT_STR, 1, 32, 0, NULL, NOSTORE, 0 },
	{ "type", FT_STR, 1, 16, 0, NULL, NOSTORE, 0 },
	{ "department", FT_STR, 1, 64, 0, NULL, NOSTORE, 0 },
	{ "retired", FT_STR, 1, 32, 0, NULL, NOSTORE, 0 },
};

static const struct field file_fields[] = {
	{ "overrides", FT_LIST, 0, 0, 0, NULL, NOSTORE, 0 },
};

/* The index of the department named by string member KEY of G, -1 if absent, -2 reported unknown. */
static int
dept_member(struct ctx *c, const config_setting_t *g, const char *key)
{
	const config_setting_t *s;
	char q[QUOTE_SIZE];
	size_t i;

	if ((s = conf_str_member(g, key)) == NULL)
		return -1;
	for (i = 0; i < c->conf->ndepts; i++)
		if (strcmp(c->conf->depts[i].id, config_setting_get_string(s)) == 0)
			return (int)i;
	conf_err(&c->e, s, "unknown department '%s'",
	    conf_quote(q, sizeof(q), config_setting_get_string(s)));
	return -2;
}

/* Reads import.locations: each a text to match and the department it stands for. */
static void
parse_locations(struct ctx *c, const config_setting_t *list)
{
	struct gf_conf *conf = c->conf;
	const config_setting_t *g;
	size_t i, n = (size_t)config_setting_length(list);

	conf->import_locs = xcalloc(n ? n : 1, sizeof(*conf->import_locs));
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(list, (unsigned)i);
		if (!config_setting_is_group(g)) {
			conf_err(&c->e, g, "locations: expected a group");
			continue;
		}
		conf_read_fields(c, g, "location", loc_fields, nitems(loc_fields),
		    &conf->import_locs[conf->nimport_locs]);
		conf->import_locs[conf->nimport_locs].dept = dept_member(c, g, "department");
		if (!gf_utf8_valid(conf->import_locs[conf->nimport_locs].match != NULL ?
		    conf->import_locs[conf->nimport_locs].match : ""))
			conf_err(&c->e, conf_str_member(g, "match"), "match: not valid UTF-8");
		conf->nimport_locs++;
	}
}

/* The import file's absolute path: FILE (NULL: the default) beside the configuration file. */
static char *
import_path(const char *conf_path, const char *file)
{
	const char *slash;
	char *p;
	size_t n;

	if (file == NULL)
		file = IMPORT_DEFAULT_FILE;
	if (file[0] == '/' || (slash = strrchr(conf_path, '/')) == NULL)
		return xstrdup(file);
	n = (size_t)(slash - conf_path) + 1 + strlen(file) + 1;
	p = xmalloc(n);
	snprintf(p, n, "%.*s/%s", (int)(slash - conf_path), conf_path, file);
	return p;
}

/* Reads date KEY of G into DST[11]: a real day, and for in_service not after today. */
static int
over_date(struct ctx *c, const config_setting_t *g, const char *key, char dst[11])
{
	const config_setting_t *s;
	char q[QUOTE_SIZE], why[80], today[11];
	const char *v;

	if ((s = conf_str_member(g, key)) == NULL)
		return 0;
	v = config_setting_get_string(s);
	if (gf_date_parse(v, NULL, why, sizeof(why)) != 0) {
		conf_err(&c->e, s, "%s: '%s': %s", key, conf_quote(q, sizeof(q), v), why);
		return 0;
	}
	if (strcmp(key, "in_service") == 0 && gf_date_today(today) == 0 && strcmp(v, today) > 0) {
		conf_err(&c->e, s, "%s: '%s' is in the future (today is %s)", key, v, today);
		return 0;
	}
	memcpy(dst, v, 11);
	return 1;
}

/* Reads one overrides entry G into O: which keys it gives and their values. */
static void
parse_override(struct ctx *c, const config_setting_t *g, struct gf_override *o)
{
	int v;

	o->line = config_setting_source_line(g);
	o->dept = -1;
	if (!config_setting_is_group(g)) {
		conf_err(&c->e, g, "overrides: expected a group");
		return;
	}
	conf_read_fields(c, g, "override", over_fields, nitems(over_fields), o);
	if (over_date(c, g, "in_service", o->in_service))
		o->keys |= GF_SET_IN_SERVICE;
	if (over_date(c, g, "retired", o->retired))
		o->keys |= GF_SET_RETIRED;
	if (conf_read_choice(c, g, "type", conf_hw_names, &v) == 1) {
		o->hw_type = (enum gf_hw_type)v;
		o->keys |= GF_SET_TYPE;
	}
	if ((o->dept = dept_member(c, g, "department")) >= 0)
		o->keys |= GF_SET_DEPT;
}

/* The configured device named ID, or NULL. */
static struct gf_device *
find_device(struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndevices; i++)
		if (conf->devices[i].id != NULL && strcmp(conf->devices[i].id, id) == 0)
			return &conf->devices[i];
	return NULL;
}

/* Gives device D the values of O; a key D's own entry sets, or another entry gave, is an error. */
static void
apply_override(struct ctx *c, const config_setting_t *g, const struct gf_override *o,
    struct gf_device *d)
{
	static const char *const names[] = { "in_service", "type", "department", "retired" };
	unsigned clash = o->keys & (d->set | d->imported);
	size_t i;

	for (i = 0; i < nitems(names); i++) {
		if (!(clash & (1u << i)))
			continue;
		if (d->set & (1u << i))
			conf_err(&c->e, g, "device '%s': %s is also written in its entry (%s:%d);"
			    " remove one of them", d->id, names[i], d->file != NULL ? d->file :
			    c->conf->path, d->line);
		else
			conf_err(&c->e, g, "device '%s': %s is given twice", d->id, names[i]);
	}
	if (clash)
		return;
	if (o->keys & GF_SET_IN_SERVICE)
		memcpy(d->in_service, o->in_service, 11);
	if (o->keys & GF_SET_RETIRED)
		memcpy(d->retired, o->retired, 11);
	if (o->keys & GF_SET_TYPE)
		d->hw_type = o->hw_type;
	if (o->keys & GF_SET_DEPT)
		d->dept = o->dept;
	d->imported |= o->keys;
	if (d->retired[0] && d->in_service[0] && strcmp(d->retired, d->in_service) < 0)
		conf_err(&c->e, g, "device '%s': retired is before in_service", d->id);
}

/* Reads the overrides list of the import file's ROOT and merges each into its device. */
static void
parse_overrides(struct ctx *c, const config_setting_t *root)
{
	struct gf_conf *conf = c->conf;
	const config_setting_t *list, *g;
	struct gf_device *d;
	char q[QUOTE_SIZE];
	size_t i, n;

	conf_read_fields(c, root, "import file", file_fields, nitems(file_fields), NULL);
	if ((list = config_setting_get_member(root, "overrides")) == NULL ||
	    !config_setting_is_list(list))
		return;
	n = (size_t)config_setting_length(list);
	conf->overrides = xcalloc(n ? n : 1, sizeof(*conf->overrides));
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(list, (unsigned)i);
		parse_override(c, g, &conf->overrides[conf->noverrides]);
		if (conf->overrides[conf->noverrides].id == NULL) {
			conf->noverrides++;
			continue;
		}
		if ((d = find_device(conf, conf->overrides[conf->noverrides].id)) == NULL)
			conf_err(&c->e, g, "no device '%s' in the configuration", conf_quote(q,
			    sizeof(q), conf->overrides[conf->noverrides].id));
		else
			apply_override(c, g, &conf->overrides[conf->noverrides], d);
		conf->noverrides++;
	}
}

/* Reads import file PATH, if there is one (an import file asked for by name must exist). */
static void
load_import_file(struct ctx *c, const char *path, int must_exist)
{
	const char *saved = c->e.path;
	config_t cfg;
	int n;

	if (!must_exist && access(path, F_OK) != 0 && errno == ENOENT)
		return;
	config_init(&cfg);
	c->e.path = path;	/* errors in this file name it, whatever libconfig recorded */
	if ((n = cfgfile_read(&cfg, path, GF_CFG_NOINCLUDE, c->e.out)) != 0)
		c->e.n += n;
	else
		parse_overrides(c, config_root_setting(&cfg));
	c->e.path = saved;
	config_destroy(&cfg);
}

/* 1 if the import file is a *.conf of devices_dir, which holds only devices lists. */
static int
in_devices_dir(const struct gf_conf *conf)
{
	const char *f = conf->import_file, *dir = conf->devices_dir;
	size_t n, len = strlen(f);

	if (dir == NULL)
		return 0;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(f, dir, n) == 0 && f[n] == '/' && strchr(f + n + 1, '/') == NULL &&
	    len > n + 6 && strcmp(f + len - 5, ".conf") == 0 && f[n + 1] != '.';
}

void
conf_parse_import(struct ctx *c, const config_setting_t *root, int flags)
{
	const config_setting_t *g, *s;
	const char *file = NULL;

	if ((g = config_setting_get_member(root, "import")) != NULL && config_setting_is_group(g)) {
		conf_read_fields(c, g, "import", import_fields, nitems(import_fields), NULL);
		if ((s = conf_str_member(g, "file")) != NULL)
			file = config_setting_get_string(s);
		if ((s = config_setting_get_member(g, "locations")) != NULL &&
		    config_setting_is_list(s))
			parse_locations(c, s);
	}
	c->conf->import_file = import_path(c->conf->path, file);
	if (in_devices_dir(c->conf)) {
		conf_err(&c->e, g != NULL ? conf_str_member(g, "file") : NULL, "import.file: '%s' would"
		    " be read as a devices file of devices_dir; put it beside the configuration",
		    c->conf->import_file);
		return;
	}
	/* Fuzzing and untrusted text: no other file is read. */
	if (flags & GF_CONF_NOINCLUDE)
		return;
	if (c->import_over != NULL)
		load_import_file(c, c->import_over, 1);
	else
		load_import_file(c, c->conf->import_file, 0);
}

void
conf_import_free(struct gf_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->nimport_locs; i++)
		free(conf->import_locs[i].match);
	free(conf->import_locs);
	for (i = 0; i < conf->noverrides; i++)
		free(conf->overrides[i].id);
	free(conf->overrides);
	free(conf->import_file);
}
