#include "config.h"

/* Configuration: a libconfig file turned into owned, validated structs; errors carry file:line. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgfile.h"
#include "conf.h"
#include "confparse.h"
#include "date.h"
#include "profile.h"
#include "text.h"
#include "xmalloc.h"

#define G(m) offsetof(struct gf_conf, m)
static const struct field global_fields[] = {
	{ "data_dir", FT_STR, 1, 1024, 0, "/var/lib/greenfleet", G(data_dir), 0 },
	{ "store", FT_STR, 1, 1024, 0, NULL, G(store), 0 },
	{ "interval", FT_INT, 10, 86400, 300, NULL, G(interval), 0 },
	{ "timeout_ms", FT_INT, 10, 60000, 1500, NULL, G(timeout_ms), 0 },
	{ "retries", FT_INT, 0, 10, 1, NULL, G(retries), 0 },
	{ "concurrency", FT_INT, 1, 65536, 256, NULL, G(concurrency), 0 },
	{ "rrdcached", FT_STR, 1, 1024, 0, NULL, G(rrdcached), 0 },
	{ "rrd_batch", FT_INT, 1, 12, 1, NULL, G(rrd_batch), 0 },
	{ "rrd_full_days", FT_INT, 1, 3660, GF_RRD_FULL_DAYS, NULL, G(rrd_keep.full_days), 0 },
	{ "rrd_hourly_days", FT_INT, 0, 3660, GF_RRD_HOURLY_DAYS, NULL, G(rrd_keep.hourly_days),
	    0 },
	{ "rrd_daily_days", FT_INT, 0, 36600, GF_RRD_DAILY_DAYS, NULL, G(rrd_keep.daily_days), 0 },
	{ "profiles_dir", FT_STR, 1, 1024, 0, GF_SYSCONFDIR "/profiles.d", G(profiles_dir), 0 },
	{ "max_ppm", FT_INT, 1, 100000, GF_DEFAULT_MAX_PPM, NULL, G(max_ppm), 0 },
	{ "mail_dir", FT_STR, 1, 1024, 0, GF_SYSCONFDIR "/mail", G(mail_dir), 0 },
	{ "user", FT_STR, 1, 32, 0, NULL, G(user), 0 },
	{ "smtp", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "advice", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "factors", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "web", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "departments", FT_LIST, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "devices", FT_LIST, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "devices_dir", FT_STR, 1, 1024, 0, NULL, G(devices_dir), 0 },
	{ "discover", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "import", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "pollers", FT_LIST, 0, 0, 0, NULL, NOSTORE, 0 },
};

#define A(m) offsetof(struct gf_advice_rules, m)
static const struct field advice_fields[] = {
	{ "disk_full_pct", FT_INT, 1, 100, 90, NULL, A(disk_full_pct), 0 },
	{ "ram_pct", FT_INT, 1, 100, 90, NULL, A(ram_pct), 0 },
	{ "supply_low_pct", FT_INT, 0, 100, 10, NULL, A(supply_low_pct), 0 },
	{ "jams_per_week", FT_INT, 1, 100000, 10, NULL, A(jams_per_week), 0 },
};

/*
 * Defaults: ADEME/Arcep 2022 (impactco2 data set), kgCO2e. Desktop without
 * screen 202.6 manufacture + 1.8 distribution + 6.6 end of life; laptop
 * 170.3 + 12.3 + 2.8. Server: Boavizta's median desktop manufacturing
 * figure (249) stands in, no ADEME figure. Disk: ADEME's external hard disk,
 * 11.6 (stand-in for a disk swap). RAM: the same 11.6 as an upper bound (no
 * ADEME figure for a memory module). Bounds and defaults in milli-units.
 */
#define F(m) offsetof(struct gf_factors, m)
static const struct field factor_fields[] = {
	{ "name", FT_STR, 1, 128, 0, "ADEME/Arcep 2022", F(name), 0 },
	{ "desktop_kg", FT_FLOAT, 0, 100000000, 211000, NULL, F(desktop_kg), 0 },
	{ "laptop_kg", FT_FLOAT, 0, 100000000, 185400, NULL, F(laptop_kg), 0 },
	{ "server_kg", FT_FLOAT, 0, 100000000, 249000, NULL, F(server_kg), 0 },
	{ "disk_kg", FT_FLOAT, 0, 100000000, 11600, NULL, F(disk_kg), 0 },
	{ "ram_kg", FT_FLOAT, 0, 100000000, 11600, NULL, F(ram_kg), 0 },
	{ "sheet_g", FT_FLOAT, 0, 1000000, 4990, NULL, F(sheet_g), 0 },
	{ "sheet_co2e_g", FT_FLOAT, 0, 1000000, 4600, NULL, F(sheet_co2e_g), 0 },
	{ "sheet_wh", FT_FLOAT, 0, 1000000, 12500, NULL, F(sheet_wh), 0 },
	{ "sheets_per_tree", FT_FLOAT, 1, 1000000000, 8333000, NULL, F(sheets_per_tree), 0 },
};

/* Where each default comes from (../shared/reference/environment-factors.md). */
static const struct {
	const char *key;
	size_t off;
	const char *unit;
	const char *source;
} factor_sources[] = {
	{ "desktop_kg", F(desktop_kg), "kgCO2e", "ADEME/Arcep 2022 (impactco2): desktop without "
	    "screen, 202.6 manufacture + 1.8 distribution + 6.6 end of life" },
	{ "laptop_kg", F(laptop_kg), "kgCO2e", "ADEME/Arcep 2022 (impactco2): laptop, 170.3 + "
	    "12.3 + 2.8" },
	{ "server_kg", F(server_kg), "kgCO2e", "Boavizta environmental-footprint-data: median "
	    "desktop manufacturing, 249 (no ADEME figure)" },
	{ "disk_kg", F(disk_kg), "kgCO2e", "ADEME/Arcep 2022: external hard disk, stand-in for a "
	    "disk swap" },
	{ "ram_kg", F(ram_kg), "kgCO2e", "same as disk_kg, an upper bound (no ADEME figure for "
	    "a memory module)" },
	{ "sheet_g", F(sheet_g), "g", "ISO 216: A4 (0.0625 m2) x 80 g/m2" },
	{ "sheet_co2e_g", F(sheet_co2e_g), "gCO2e", "COPACEL via papiernat.com (2021): 2.29 "
	    "kgCO2e per 500-sheet ream" },
	{ "sheet_wh", F(sheet_wh), "Wh", "SavaPage default (PaperCut's former default: 17)" },
	{ "sheets_per_tree", F(sheets_per_tree), "sheets", "PaperCut >= 15.1; SavaPage default" },
};

size_t
conf_factor_list(const struct gf_factors *f, struct gf_factor_info *out, size_t max)
{
	size_t i, n = 0;
	const struct field *fd;
	double v;

	for (i = 0; i < nitems(factor_sources) && n < max; i++) {
		v = *(const double *)((const char *)f + factor_sources[i].off);
		fd = conf_find_field(factor_fields, nitems(factor_fields), factor_sources[i].key);
		out[n].key = factor_sources[i].key;
		out[n].value = v;
		out[n].unit = factor_sources[i].unit;
		/* A value other than the default is the operator's, whatever its source. */
		out[n].source = fd != NULL && v * 1000 == (double)fd->def ?
		    factor_sources[i].source : "configuration";
		n++;
	}
	return n;
}

#define P(m) offsetof(struct gf_department, m)
static const struct field dept_fields[] = {
	{ "id", FT_STR, 1, 64, 0, NULL, P(id), 1 },
	{ "name", FT_STR, 1, 255, 0, NULL, P(name), 1 },
	{ "head", FT_STR, 1, 254, 0, NULL, P(head), 0 },
	{ "quota", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "agents", FT_INT, 0, 1000000, 0, NULL, P(agents), 0 },
};

#define Q(m) offsetof(struct gf_quota, m)
static const struct field quota_fields[] = {
	{ "period", FT_STR, 1, 16, 0, NULL, NOSTORE, 1 },
	{ "mono", FT_INT, 0, 100000000, 0, NULL, Q(mono), 0 },
	{ "colour", FT_INT, 0, 100000000, 0, NULL, Q(colour), 0 },
	{ "budget", FT_INT, 0, 100000000, 0, NULL, Q(budget), 0 },
	{ "colour_weight", FT_INT, 1, 100, GF_DEFAULT_COLOUR_WEIGHT, NULL, Q(colour_weight), 0 },
	{ "thresholds", FT_ARRAY, 0, 0, 0, NULL, NOSTORE, 0 },
};

#define M(m) offsetof(struct gf_smtp_conf, m)
static const struct field smtp_fields[] = {
	{ "url", FT_STR, 8, 1024, 0, NULL, M(url), 1 },
	{ "from", FT_STR, 3, 254, 0, NULL, M(from), 1 },
	{ "from_name", FT_STR, 1, 128, 0, "greenfleet", M(from_name), 0 },
	{ "cc", FT_ARRAY, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "user", FT_STR, 1, 255, 0, NULL, M(user), 0 },
	{ "password", FT_STR, 1, 255, 0, NULL, M(password), 0 },
	{ "language", FT_STR, 2, 2, 0, "fr", M(language), 0 },
	{ "it", FT_STR, 3, 254, 0, NULL, M(it), 0 },
	{ "starttls", FT_INT, 0, 1, 0, NULL, M(starttls), 0 },
	{ "ca_file", FT_STR, 1, 4096, 0, NULL, M(ca_file), 0 },
	{ "timeout_s", FT_INT, 1, 600, 30, NULL, M(timeout_s), 0 },
	{ "digest", FT_STR, 1, 16, 0, NULL, NOSTORE, 0 },
};

/* Value names, in the order of their enums. */
static const char *const period_names[] = { "month", "quarter", "year", NULL };
static const char *const digest_names[] = { "none", "weekly", "monthly", NULL };
static const char *const language_names[] = { "fr", "en", NULL };

/* Returns the configuration spelling of KIND. */
const char *
conf_kind_name(enum gf_kind kind)
{
	return kind == GF_KIND_WORKSTATION ? "workstation" : "printer";
}

/* Reads the thresholds array: percents 1..1000, strictly ascending, at most GF_MAX_THRESHOLDS. */
static void
quota_thresholds(struct ctx *c, const config_setting_t *a, struct gf_quota *qt)
{
	const config_setting_t *e;
	int i, n = config_setting_length(a), v;

	if (n == 0 || n > GF_MAX_THRESHOLDS) {
		conf_err(&c->e, a, "thresholds: give 1 to %d percentages", GF_MAX_THRESHOLDS);
		return;
	}
	qt->nthresholds = 0;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(a, i);
		if (config_setting_type(e) != CONFIG_TYPE_INT) {
			conf_err(&c->e, e, "thresholds: expected integers (percent)");
			return;
		}
		v = config_setting_get_int(e);
		if (v < 1 || v > 1000 || (i > 0 && v <= qt->thresholds[i - 1])) {
			conf_err(&c->e, e, "thresholds: %d is out of range or order (1..1000, ascending)",
			    v);
			return;
		}
		qt->thresholds[qt->nthresholds++] = v;
	}
}

/* Parses a department's quota group; a quota limits something or it is an error. */
static void
parse_quota(struct ctx *c, const config_setting_t *g, struct gf_quota *qt)
{
	const config_setting_t *a;
	int v;

	conf_set_defaults(quota_fields, nitems(quota_fields), qt);
	qt->thresholds[0] = 80;
	qt->thresholds[1] = 100;
	qt->nthresholds = 2;
	conf_read_fields(c, g, "quota", quota_fields, nitems(quota_fields), qt);
	if (conf_read_choice(c, g, "period", period_names, &v) == 1)
		qt->period = (enum gf_period)v;
	if ((a = config_setting_get_member(g, "thresholds")) != NULL &&
	    (config_setting_is_array(a) || config_setting_is_list(a)))
		quota_thresholds(c, a, qt);
	if (qt->mono == 0 && qt->colour == 0 && qt->budget == 0)
		conf_err(&c->e, g, "quota: set mono, colour and/or budget (a number of pages above 0)");
	qt->enabled = 1;
}

/* Parses one element of the departments list. */
static void
parse_department(struct ctx *c, const config_setting_t *g, struct gf_department *d)
{
	const config_setting_t *s;
	char q[QUOTE_SIZE];

	d->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		conf_err(&c->e, g, "departments: expected a group");
		return;
	}
	conf_read_fields(c, g, "department", dept_fields, nitems(dept_fields), d);
	conf_check_id(c, g, "department", d->id);
	if (d->name != NULL && !gf_utf8_valid(d->name))
		conf_err(&c->e, conf_str_member(g, "name"), "name: not valid UTF-8");
	if (d->head != NULL && !conf_email_ok(d->head))
		conf_err(&c->e, conf_str_member(g, "head"), "head: '%s' is not a valid e-mail address",
		    conf_quote(q, sizeof(q), d->head));
	if ((s = config_setting_get_member(g, "quota")) != NULL && config_setting_is_group(s))
		parse_quota(c, s, &d->quota);
}

/* Reads smtp.cc: bare addresses, each safe in a header. */
static void
smtp_cc(struct ctx *c, const config_setting_t *a, struct gf_smtp_conf *m)
{
	const config_setting_t *e;
	char q[QUOTE_SIZE];
	int i, n = config_setting_length(a);

	m->cc = xcalloc(n ? n : 1, sizeof(*m->cc));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(a, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING ||
		    !conf_email_ok(config_setting_get_string(e))) {
			conf_err(&c->e, e, "cc: '%s' is not a valid e-mail address",
			    config_setting_type(e) == CONFIG_TYPE_STRING ?
			    conf_quote(q, sizeof(q), config_setting_get_string(e)) : "?");
			continue;
		}
		m->cc[m->ncc++] = xstrdup(config_setting_get_string(e));
	}
}

/* Parses the smtp group: where notices go, from whom, in which language. */
static void
parse_smtp(struct ctx *c, const config_setting_t *g, struct gf_smtp_conf *m)
{
	const config_setting_t *s;
	char q[QUOTE_SIZE];
	int v;

	conf_set_defaults(smtp_fields, nitems(smtp_fields), m);
	conf_read_fields(c, g, "smtp", smtp_fields, nitems(smtp_fields), m);
	if (m->url != NULL && strncmp(m->url, "smtp://", 7) != 0 &&
	    strncmp(m->url, "smtps://", 8) != 0)
		conf_err(&c->e, conf_str_member(g, "url"), "url: '%s' must start with smtp:// or smtps://",
		    conf_quote(q, sizeof(q), m->url));
	if (m->it != NULL && !conf_email_ok(m->it))
		conf_err(&c->e, conf_str_member(g, "it"), "it: '%s' is not a valid e-mail address",
		    conf_quote(q, sizeof(q), m->it));
	if (m->from != NULL && !conf_email_ok(m->from))
		conf_err(&c->e, conf_str_member(g, "from"), "from: '%s' is not a valid e-mail address",
		    conf_quote(q, sizeof(q), m->from));
	if (m->from_name != NULL && (!gf_utf8_valid(m->from_name) || strpbrk(m->from_name, "\"<>") != NULL))
		conf_err(&c->e, conf_str_member(g, "from_name"),
		    "from_name: must be UTF-8 text without quotes or angle brackets");
	if ((m->user == NULL) != (m->password == NULL))
		conf_err(&c->e, g, "smtp: give both user and password, or neither");
	/* Read when a mail is sent, maybe hours later: a typo is better found now. */
	if (m->ca_file != NULL && access(m->ca_file, R_OK) != 0)
		conf_err(&c->e, conf_str_member(g, "ca_file"), "ca_file: cannot read '%s': %s",
		    conf_quote(q, sizeof(q), m->ca_file), strerror(errno));
	(void)conf_read_choice(c, g, "language", language_names, &v);	/* errors are reported */
	if (conf_read_choice(c, g, "digest", digest_names, &v) == 1)
		m->digest = (enum gf_digest)v;
	if ((s = config_setting_get_member(g, "cc")) != NULL &&
	    (config_setting_is_array(s) || config_setting_is_list(s)))
		smtp_cc(c, s, m);
	if (m->password != NULL)
		c->conf->has_secrets = 1;
}

/* Returns the list KEY of ROOT, or NULL when it is absent or not a list (reported already). */
static const config_setting_t *
get_list(const config_setting_t *root, const char *key)
{
	const config_setting_t *s = config_setting_get_member(root, key);

	if (s == NULL || (!config_setting_is_list(s) && !config_setting_is_array(s)))
		return NULL;
	return s;
}

/* 1 if the PostgreSQL connection string V carries a password (URI user:pass@, or password=). */
static int
store_has_password(const char *v)
{
	const char *a, *at, *end;

	if (strstr(v, "password") != NULL)
		return 1;
	if ((a = strstr(v, "://")) == NULL)
		return 0;
	a += 3;
	end = a + strcspn(a, "/?");
	at = memchr(a, '@', (size_t)(end - a));
	return at != NULL && memchr(a, ':', (size_t)(at - a)) != NULL;
}

/*
 * The `store` key: "sqlite:PATH" or an absolute PATH (another SQLite file);
 * a postgresql:// or postgres:// URI, or "postgresql:" and a libpq
 * connection string ("postgresql:service=gf"), a PostgreSQL database
 * (store_pg.c checks the rest when it connects). A password in it makes
 * the file secret, as an SNMP community does.
 */
static void
check_store(struct ctx *c, const config_setting_t *root)
{
	const char *v = c->conf->store, *path = v;
	char q[QUOTE_SIZE];

	if (v == NULL)
		return;
	if (strncmp(v, "postgresql:", 11) == 0 || strncmp(v, "postgres://", 11) == 0) {
		if (store_has_password(v))
			c->conf->has_secrets = 1;
		return;
	}
	if (strncmp(v, "sqlite:", 7) == 0)
		path = v + (strncmp(v + 7, "///", 3) == 0 ? 9 : 7);
	else if (strstr(v, "://") != NULL)
		path = "";
	if (path[0] != '/')
		conf_err(&c->e, conf_str_member(root, "store"), "store: '%s' is neither sqlite:PATH, a"
		    " postgresql:// URI nor an absolute path", conf_quote(q, sizeof(q), v));
}

/* Parses the whole file: globals, then departments, then the devices that refer to them. */
static void
parse_root(struct ctx *c, const config_setting_t *root)
{
	struct gf_conf *conf = c->conf;
	const config_setting_t *list;
	char q[QUOTE_SIZE];
	size_t i;

	conf_read_fields(c, root, "config", global_fields, nitems(global_fields), conf);
	if ((list = config_setting_get_member(root, "smtp")) != NULL && config_setting_is_group(list))
		parse_smtp(c, list, &conf->smtp);
	if ((list = config_setting_get_member(root, "advice")) != NULL && config_setting_is_group(list))
		conf_read_fields(c, list, "advice", advice_fields, nitems(advice_fields), &conf->advice);
	if ((list = config_setting_get_member(root, "factors")) != NULL && config_setting_is_group(list))
		conf_read_fields(c, list, "factors", factor_fields, nitems(factor_fields), &conf->factors);
	if ((list = config_setting_get_member(root, "web")) != NULL && config_setting_is_group(list))
		conf_parse_web(c, list, &conf->web);
	if (conf->data_dir[0] != '/')
		conf_err(&c->e, conf_str_member(root, "data_dir"), "data_dir: '%s' is not an absolute path",
		    conf_quote(q, sizeof(q), conf->data_dir));
	check_store(c, root);
	if ((list = get_list(root, "departments")) != NULL) {
		conf->ndepts = config_setting_length(list);
		conf->depts = xcalloc(conf->ndepts, sizeof(*conf->depts));
		for (i = 0; i < conf->ndepts; i++)
			parse_department(c, config_setting_get_elem(list, i), &conf->depts[i]);
		conf_check_dups(c, "department", list);
	}
	/* Before the devices: a device's `poller` key names one. */
	if ((list = get_list(root, "pollers")) != NULL)
		conf_parse_pollers(c, list);
	if ((list = get_list(root, "devices")) != NULL) {
		conf->ndevices = config_setting_length(list);
		conf->devices = xcalloc(conf->ndevices, sizeof(*conf->devices));
		for (i = 0; i < conf->ndevices; i++)
			conf_parse_device(c, config_setting_get_elem(list, i), &conf->devices[i]);
		conf_check_dups(c, "device", list);
	}
	if ((list = config_setting_get_member(root, "discover")) != NULL && config_setting_is_group(list))
		conf_parse_discover(c, list);
}

/*
 * Loads the vendor profiles of profiles_dir; the default directory may be
 * absent (no profiles), one that was asked for must exist, named with its line.
 */
static void
load_profiles(struct ctx *c, const config_setting_t *root, int flags)
{
	const config_setting_t *s = conf_str_member(root, "profiles_dir");
	const char *file;
	char where[4200];

	if (s != NULL) {
		file = config_setting_source_file(s);
		snprintf(where, sizeof(where), "%s:%u", file != NULL ? file : c->e.path,
		    (unsigned)config_setting_source_line(s));
	}
	c->conf->profiles = profiles_load(c->conf->profiles_dir, s != NULL ? where : NULL,
	    flags & GF_CONF_NOINCLUDE ? GF_CFG_NOINCLUDE : 0, c->e.out, &c->e.n);
}

struct gf_conf *
conf_load(const char *path, FILE *errs)
{
	return conf_load_opts(path, 0, NULL, errs);
}

static struct gf_conf *load(const char *path, const char *import_file, int flags,
    conf_check_fn check, FILE *errs);

struct gf_conf *
conf_load_opts(const char *path, int flags, conf_check_fn check, FILE *errs)
{
	return load(path, NULL, flags, check, errs);
}

struct gf_conf *
conf_load_import(const char *path, const char *import_file, FILE *errs)
{
	return load(path, import_file, 0, NULL, errs);
}

/* Reads, validates and copies PATH; the libconfig tree is freed before returning. */
static struct gf_conf *
load(const char *path, const char *import_file, int flags, conf_check_fn check, FILE *errs)
{
	struct ctx c = { { path, errs, 0 }, NULL, import_file };
	struct stat st;
	config_t cfg;

	c.conf = xcalloc(1, sizeof(*c.conf));
	c.conf->path = xstrdup(path);
	conf_set_defaults(global_fields, nitems(global_fields), c.conf);
	conf_set_defaults(advice_fields, nitems(advice_fields), &c.conf->advice);
	conf_set_defaults(factor_fields, nitems(factor_fields), &c.conf->factors);
	conf_web_defaults(&c.conf->web);
	config_init(&cfg);
	/* A file libconfig could not read says all there is to say: no profiles, no checks. */
	if ((c.e.n = cfgfile_read(&cfg, path, flags & GF_CONF_NOINCLUDE ? GF_CFG_NOINCLUDE : 0,
	    errs)) == 0) {
		parse_root(&c, config_root_setting(&cfg));
		conf_devices_dir(&c, config_root_setting(&cfg), flags);
		conf_parse_import(&c, config_root_setting(&cfg), flags);
		load_profiles(&c, config_root_setting(&cfg), flags);
		if (check != NULL)
			c.e.n += check(c.conf, config_root_setting(&cfg), flags, errs);
	}
	config_destroy(&cfg);
	if (c.e.n > 0) {
		conf_free(c.conf);
		return NULL;
	}
	if (c.conf->has_secrets && stat(path, &st) == 0 && (st.st_mode & 077) != 0)
		fprintf(errs, "%s: warning: file holds SNMP secrets but is readable by group or "
		    "others (chmod 600)\n", path);
	return c.conf;
}

/* Frees the strings of one SNMP setting. */
static void
snmp_free(struct gf_snmp_conf *sn)
{
	free(sn->community);
	free(sn->user);
	free(sn->auth_pass);
	free(sn->priv_pass);
}

/* Frees CONF and everything it owns; NULL is fine. */
void
conf_free(struct gf_conf *conf)
{
	size_t i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->smtp.ncc; i++)
		free(conf->smtp.cc[i]);
	free(conf->smtp.cc);
	free(conf->smtp.url);
	free(conf->smtp.from);
	free(conf->smtp.from_name);
	free(conf->smtp.user);
	free(conf->smtp.password);
	free(conf->smtp.ca_file);
	free(conf->smtp.language);
	free(conf->smtp.it);
	conf_web_free(&conf->web);
	free(conf->mail_dir);
	free(conf->user);
	free(conf->factors.name);
	for (i = 0; i < conf->ndepts; i++) {
		free(conf->depts[i].id);
		free(conf->depts[i].name);
		free(conf->depts[i].head);
	}
	for (i = 0; i < conf->ndevices; i++) {
		free(conf->devices[i].id);
		free(conf->devices[i].host);
		free(conf->devices[i].file);
		snmp_free(&conf->devices[i].snmp);
	}
	conf_import_free(conf);
	free(conf->depts);
	free(conf->devices);
	free(conf->path);
	free(conf->data_dir);
	free(conf->store);
	free(conf->rrdcached);
	free(conf->profiles_dir);
	free(conf->devices_dir);
	conf_pollers_free(conf);
	free(conf->discover.map);
	free(conf->discover.nets);
	for (i = 0; i < conf->discover.ncommunities; i++)
		free(conf->discover.communities[i]);
	free(conf->discover.communities);
	profiles_free(conf->profiles);
	free(conf);
}
