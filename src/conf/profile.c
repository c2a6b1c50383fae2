/* Vendor profiles: libconfig files mapping private-MIB OIDs to page counters. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgfile.h"
#include "conferr.h"
#include "profile.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

#define MAX_FILES	256
#define MAX_MATCH	16

/* Member NAME of G as a string, or NULL (reported when present with another type). */
static const char *
get_str(struct conf_errs *c, const config_setting_t *g, const char *name, size_t max)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	const char *v;

	if (s == NULL)
		return NULL;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		conf_err(c, s, "%s: expected a string", name);
		return NULL;
	}
	v = config_setting_get_string(s);
	if (*v == '\0' || gf_text_has_ctrl(v) || strlen(v) > max) {
		conf_err(c, s, "%s: must be 1..%zu printable characters", name, max);
		return NULL;
	}
	return v;
}

/* Member NAME of G as an integer in LO..HI, or -1 (reported). */
static int
get_int(struct conf_errs *c, const config_setting_t *g, const char *name, int lo, int hi)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	long long v;

	if (s == NULL) {
		conf_err(c, g, "missing required key '%s'", name);
		return -1;
	}
	if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64) {
		conf_err(c, s, "%s: expected an integer", name);
		return -1;
	}
	v = config_setting_get_int64(s);
	if (v < lo || v > hi) {
		conf_err(c, s, "%s: %lld is out of range (%d..%d)", name, v, lo, hi);
		return -1;
	}
	return (int)v;
}

/* Reports members of G whose names are not in KEYS. */
static void
check_keys(struct conf_errs *c, const config_setting_t *g, const char *const *keys)
{
	const config_setting_t *m;
	int i, k;

	for (i = 0; i < config_setting_length(g); i++) {
		m = config_setting_get_elem(g, i);
		for (k = 0; keys[k] && strcmp(keys[k], config_setting_name(m)) != 0; k++)
			;
		if (keys[k] == NULL)
			conf_err(c, m, "unknown key '%s'", config_setting_name(m));
	}
}

/* A string or an array of strings, copied into OUT (at most MAX); returns the count. */
static int
str_list(struct conf_errs *c, const config_setting_t *s, const char *name, const char **out, int max)
{
	const config_setting_t *e;
	int i, n = 0;

	if (s == NULL)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		out[0] = config_setting_get_string(s);
		return 1;
	}
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		conf_err(c, s, "%s: expected a string or a list of strings", name);
		return -1;
	}
	for (i = 0; i < config_setting_length(s); i++) {
		e = config_setting_get_elem(s, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING || *config_setting_get_string(e) == 0) {
			conf_err(c, e, "%s: expected a non-empty string", name);
			return -1;
		}
		if (n == max) {
			conf_err(c, e, "%s: at most %d entries", name, max);
			return -1;
		}
		out[n++] = config_setting_get_string(e);
	}
	return n;
}

/* Checks a dotted OID string; a prefix may end with a dot. */
static int
oid_ok(const char *s)
{
	oid o[MAX_OID_LEN];

	return strspn(s, "0123456789.") == strlen(s) && gf_oid_parse(s, o, MAX_OID_LEN) >= 2;
}

static void
parse_match(struct conf_errs *c, const config_setting_t *g, struct gf_profile *p)
{
	static const char *const keys[] = { "sys_object_id", "sys_descr", NULL };
	const char *v[MAX_MATCH];
	int n, i;

	if (g == NULL || !config_setting_is_group(g)) {
		conf_err(c, g, "match: expected a group with sys_object_id and/or sys_descr");
		return;
	}
	check_keys(c, g, keys);
	n = str_list(c, config_setting_get_member(g, "sys_object_id"), "sys_object_id", v, MAX_MATCH);
	for (i = 0; i < n; i++) {
		if (!oid_ok(v[i])) {
			conf_err(c, config_setting_get_member(g, "sys_object_id"),
			    "sys_object_id: '%.40s' is not a dotted OID", v[i]);
			continue;
		}
		p->objids = xreallocarray(p->objids, p->nobjids + 1, sizeof(char *));
		p->objids[p->nobjids++] = xstrdup(v[i] + (v[i][0] == '.'));
	}
	n = str_list(c, config_setting_get_member(g, "sys_descr"), "sys_descr", v, MAX_MATCH);
	for (i = 0; i < n; i++) {
		p->descrs = xreallocarray(p->descrs, p->ndescrs + 1, sizeof(char *));
		p->descrs[p->ndescrs++] = xstrdup(v[i]);
	}
	if (p->nobjids == 0 && p->ndescrs == 0)
		conf_err(c, g, "match: give at least one sys_object_id prefix or sys_descr text");
}

/* Index of OID S among the profile's scalars, adding it; -1 when full. */
static int
add_oid(struct gf_profile *p, const oid *o, size_t len)
{
	int i;

	for (i = 0; i < p->noids; i++)
		if (snmp_oid_compare(p->oids[i].o, p->oids[i].len, o, len) == 0)
			return i;
	if (p->noids == GF_PROF_OIDS)
		return -1;
	memcpy(p->oids[i].o, o, len * sizeof(oid));
	p->oids[i].len = len;
	return p->noids++;
}

static int
add_table(struct conf_errs *c, const config_setting_t *g, struct gf_profile *p, const char *entry)
{
	struct gf_prof_table t;
	int i;

	memset(&t, 0, sizeof(t));
	if (!oid_ok(entry) || (t.len = gf_oid_parse(entry, t.entry, GF_PROF_OID - 1)) == 0) {
		conf_err(c, config_setting_get_member(g, "table"), "table: '%.40s' is not a dotted OID",
		    entry);
		return -1;
	}
	if ((t.value_col = get_int(c, g, "value", 1, 1000000)) < 0 ||
	    (t.key_col = get_int(c, g, "key", 1, 1000000)) < 0)
		return -1;
	for (i = 0; i < p->ntables; i++)
		if (snmp_oid_compare(p->tables[i].entry, p->tables[i].len, t.entry, t.len) == 0 &&
		    p->tables[i].value_col == t.value_col && p->tables[i].key_col == t.key_col)
			return i;
	if (p->ntables == GF_PROF_TABLES) {
		conf_err(c, g, "at most %d keyed tables per profile", GF_PROF_TABLES);
		return -1;
	}
	p->tables[p->ntables] = t;
	return p->ntables++;
}

/* The OID or OIDs summed into a counter. */
static void
counter_oids(struct conf_errs *c, const config_setting_t *g, struct gf_profile *p,
    struct gf_prof_counter *pc)
{
	const config_setting_t *s = config_setting_get_member(g, "oid");
	const char *v[GF_PROF_PARTS];
	oid o[GF_PROF_OID];
	size_t len;
	int n, i, k;

	/* Nothing valid to read (the error, if any, is said): no origin from an unset v[0]. */
	if ((n = str_list(c, s, "oid", v, GF_PROF_PARTS)) == 0)
		conf_err(c, s, "oid: expected at least one OID");
	if (n <= 0)
		return;
	for (i = 0; i < n; i++) {
		if (!oid_ok(v[i]) || (len = gf_oid_parse(v[i], o, GF_PROF_OID)) == 0) {
			conf_err(c, s, "oid: '%.40s' is not a dotted OID (at most %d parts)", v[i],
			    GF_PROF_OID);
			return;
		}
		if ((k = add_oid(p, o, len)) < 0) {
			conf_err(c, s, "oid: at most %d OIDs per profile", GF_PROF_OIDS);
			return;
		}
		pc->part[pc->nparts++] = k;
	}
	snprintf(pc->origin, sizeof(pc->origin), "%s%s", v[0] + (v[0][0] == '.'),
	    n > 1 ? "+..." : "");
}

/* A keyed-table counter NAME of group G: its match keys and TABLE; -1 if reported. */
static int
counter_table(struct conf_errs *c, const config_setting_t *g, struct gf_profile *p,
    struct gf_prof_counter *pc, const char *name, const char *table)
{
	const char *keyv[GF_PROF_KEYS];
	int i;

	pc->nkeys = str_list(c, config_setting_get_member(g, "match"), "match", keyv,
	    GF_PROF_KEYS);
	if (pc->nkeys <= 0) {
		if (pc->nkeys == 0)
			conf_err(c, g, "counter '%s': a table counter needs match (the key's "
			    "value, or a list of them to sum)", name);
		return -1;
	}
	for (i = 0; i < pc->nkeys; i++) {
		if (strlen(keyv[i]) >= GF_PROF_KEY) {
			conf_err(c, config_setting_get_member(g, "match"),
			    "match: longer than %d characters", GF_PROF_KEY - 1);
			return -1;
		}
		snprintf(pc->keys[i], sizeof(pc->keys[i]), "%s", keyv[i]);
	}
	if ((pc->table = add_table(c, g, p, table)) < 0)
		return -1;
	snprintf(pc->origin, sizeof(pc->origin), "%s:%.40s%s", p->name, keyv[0],
	    pc->nkeys > 1 ? "+..." : "");
	return 0;
}

/* One entry of counters: a named counter from summed OIDs or keyed table rows. */
static void
parse_counter(struct conf_errs *c, const config_setting_t *g, struct gf_profile *p, int defunit)
{
	static const char *const keys[] = { "counter", "oid", "table", "value", "key", "match",
		"unit", NULL };
	struct gf_prof_counter pc;
	const char *name, *unit, *table;
	int i;

	if (!config_setting_is_group(g)) {
		conf_err(c, g, "counters: expected a group");
		return;
	}
	check_keys(c, g, keys);
	memset(&pc, 0, sizeof(pc));
	pc.table = -1;
	pc.unit = defunit;
	if ((name = get_str(c, g, "counter", 32)) == NULL) {
		if (config_setting_get_member(g, "counter") == NULL)
			conf_err(c, g, "missing required key 'counter'");
		return;
	}
	if ((pc.id = counter_by_name(name)) < 0) {
		conf_err(c, config_setting_get_member(g, "counter"), "counter: '%s' is not one of total, "
		    "mono, colour, duplex, sheets, print_mono, print_colour, copy_mono, "
		    "copy_colour, fax, scan, jams", name);
		return;
	}
	for (i = 0; i < p->ncounters; i++)
		if (p->counters[i].id == pc.id) {
			conf_err(c, g, "counter '%s' is defined twice", name);
			return;
		}
	if ((unit = get_str(c, g, "unit", 16)) != NULL && (pc.unit = counter_unit_by_name(unit)) < 0) {
		conf_err(c, config_setting_get_member(g, "unit"), "unit: '%s' is not impressions or sheets",
		    unit);
		return;
	}
	table = get_str(c, g, "table", 200);
	if ((config_setting_get_member(g, "oid") != NULL) == (table != NULL)) {
		conf_err(c, g, "counter '%s': give either oid or table (with value, key and match)", name);
		return;
	}
	if (table == NULL) {
		counter_oids(c, g, p, &pc);
		if (pc.nparts == 0)
			return;
	} else if (counter_table(c, g, p, &pc, name, table) != 0) {
		return;
	}
	p->counters[p->ncounters++] = pc;
}

/* The serial-number OIDs, tried in order after the Printer-MIB and ENTITY-MIB. */
static void
parse_serials(struct conf_errs *c, const config_setting_t *s, struct gf_profile *p)
{
	const char *v[GF_PROF_SERIALS];
	oid o[GF_PROF_OID];
	size_t len;
	int n, i, k;

	n = str_list(c, s, "serial", v, GF_PROF_SERIALS);
	for (i = 0; i < n; i++) {
		if (!oid_ok(v[i]) || (len = gf_oid_parse(v[i], o, GF_PROF_OID)) == 0) {
			conf_err(c, s, "serial: '%.40s' is not a dotted OID (at most %d parts)", v[i],
			    GF_PROF_OID);
			return;
		}
		if ((k = add_oid(p, o, len)) < 0) {
			conf_err(c, s, "serial: at most %d OIDs per profile", GF_PROF_OIDS);
			return;
		}
		p->serial[p->nserials++] = k;
	}
}

static void
parse_profile(struct conf_errs *c, const config_setting_t *root, struct gf_profile *p)
{
	static const char *const keys[] = { "name", "match", "unit", "counters", "serial", NULL };
	const config_setting_t *list;
	const char *name, *unit;
	int defunit = GF_UNIT_IMPRESSIONS, i;

	check_keys(c, root, keys);
	if ((name = get_str(c, root, "name", 32)) == NULL) {
		if (config_setting_get_member(root, "name") == NULL)
			conf_err(c, root, "missing required key 'name'");
		name = "?";
	}
	p->name = xstrdup(name);
	parse_match(c, config_setting_get_member(root, "match"), p);
	if ((unit = get_str(c, root, "unit", 16)) != NULL &&
	    (defunit = counter_unit_by_name(unit)) < 0)
		conf_err(c, config_setting_get_member(root, "unit"),
		    "unit: '%s' is not impressions or sheets", unit);
	parse_serials(c, config_setting_get_member(root, "serial"), p);
	list = config_setting_get_member(root, "counters");
	/* A profile may only say where the serial number is. */
	if (list == NULL && config_setting_get_member(root, "serial") != NULL)
		return;
	if (list == NULL || (!config_setting_is_list(list) && !config_setting_is_array(list)) ||
	    config_setting_length(list) == 0) {
		conf_err(c, list ? list : root, "counters: expected a non-empty list of groups%s",
		    list == NULL ? " (or a serial)" : "");
		return;
	}
	for (i = 0; i < config_setting_length(list); i++)
		parse_counter(c, config_setting_get_elem(list, i), p, defunit < 0 ? 0 : defunit);
}

static void
profile_clear(struct gf_profile *p)
{
	int i;

	for (i = 0; i < p->nobjids; i++)
		free(p->objids[i]);
	for (i = 0; i < p->ndescrs; i++)
		free(p->descrs[i]);
	free(p->objids);
	free(p->descrs);
	free(p->name);
	free(p->file);
}

/* Reads one file into a new profile of PS; a file with errors adds nothing. */
static void
load_file(struct gf_profiles *ps, const char *path, int flags, FILE *errs, int *nerr)
{
	struct conf_errs c = { path, errs, 0 };
	struct gf_profile p;
	config_t cfg;
	size_t i;

	memset(&p, 0, sizeof(p));
	config_init(&cfg);
	if ((c.n = cfgfile_read(&cfg, path, flags, errs)) == 0) {
		parse_profile(&c, config_root_setting(&cfg), &p);
		for (i = 0; i < ps->n && c.n == 0; i++)
			if (strcmp(ps->v[i].name, p.name) == 0)
				conf_err(&c, config_setting_get_member(config_root_setting(&cfg), "name"),
				    "profile '%s' is already defined in %s", p.name, ps->v[i].file);
	}
	config_destroy(&cfg);
	*nerr += c.n;
	if (c.n > 0) {
		profile_clear(&p);
		return;
	}
	p.file = xstrdup(path);
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof(*ps->v));
	ps->v[ps->n++] = p;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct gf_profiles *
profiles_load(const char *dir, const char *where, int flags, FILE *errs, int *nerr)
{
	struct gf_profiles *ps = xcalloc(1, sizeof(*ps));
	char *names[MAX_FILES], path[4096];
	struct dirent *de;
	size_t len, n = 0, i;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		if (where != NULL || errno != ENOENT) {
			fprintf(errs, "%s: profiles_dir: cannot read '%s': %s\n",
			    where != NULL ? where : dir, dir, strerror(errno));
			(*nerr)++;
		}
		return ps;
	}
	while ((de = readdir(d)) != NULL && n < MAX_FILES) {
		len = strlen(de->d_name);
		if (de->d_name[0] != '.' && len > 5 && strcmp(de->d_name + len - 5, ".conf") == 0)
			names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		load_file(ps, path, flags, errs, nerr);
		free(names[i]);
	}
	return ps;
}

void
profiles_free(struct gf_profiles *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++)
		profile_clear(&ps->v[i]);
	free(ps->v);
	free(ps);
}

/* Length of PREFIX if it is a prefix of OBJID on an arc boundary, else 0. */
static size_t
objid_prefix(const char *prefix, const char *objid)
{
	size_t n = strlen(prefix);

	if (strncmp(prefix, objid, n) != 0)
		return 0;
	if (prefix[n - 1] == '.' || objid[n] == '\0' || objid[n] == '.')
		return n;
	return 0;
}

const struct gf_profile *
profiles_match(const struct gf_profiles *ps, const char *objid, const char *descr)
{
	const struct gf_profile *best = NULL;
	size_t i, bestlen = 0, len;
	int k;

	if (ps == NULL)
		return NULL;
	if (objid[0] == '.')
		objid++;
	for (i = 0; i < ps->n; i++) {
		for (k = 0; k < ps->v[i].nobjids; k++)
			if ((len = objid_prefix(ps->v[i].objids[k], objid)) > bestlen) {
				best = &ps->v[i];
				bestlen = len;
			}
	}
	for (i = 0; i < ps->n && best == NULL; i++)
		for (k = 0; k < ps->v[i].ndescrs; k++)
			if (strcasestr(descr, ps->v[i].descrs[k]) != NULL)
				return &ps->v[i];
	return best;
}
