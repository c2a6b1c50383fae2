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
#include "date.h"
#include "profile.h"
#include "text.h"
#include "xmalloc.h"

#define NOSTORE		((size_t)-1)
#define QUOTE_SIZE	80
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

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
	const char *path;
	FILE *errs;
	int nerr;
	struct gf_conf *conf;
};

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
	{ "profiles_dir", FT_STR, 1, 1024, 0, GF_SYSCONFDIR "/profiles.d", G(profiles_dir), 0 },
	{ "max_ppm", FT_INT, 1, 100000, GF_DEFAULT_MAX_PPM, NULL, G(max_ppm), 0 },
	{ "mail_dir", FT_STR, 1, 1024, 0, GF_SYSCONFDIR "/mail", G(mail_dir), 0 },
	{ "user", FT_STR, 1, 32, 0, NULL, G(user), 0 },
	{ "smtp", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "advice", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "factors", FT_GROUP, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "departments", FT_LIST, 0, 0, 0, NULL, NOSTORE, 0 },
	{ "devices", FT_LIST, 0, 0, 0, NULL, NOSTORE, 0 },
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

static const struct field *find_field(const struct field *tab, size_t n, const char *name);

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
		fd = find_field(factor_fields, nitems(factor_fields), factor_sources[i].key);
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

/* Value names, in the order of their enums. */
static const char *const kind_names[] = { "printer", "workstation", NULL };
static const char *const version_names[] = { "1", "2c", "3", NULL };
static const char *const level_names[] = { "noAuthNoPriv", "authNoPriv", "authPriv", NULL };
static const char *const auth_names[] = { "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384",
	"SHA-512", NULL };
static const char *const priv_names[] = { "DES", "AES", NULL };
static const char *const period_names[] = { "month", "quarter", "year", NULL };
static const char *const digest_names[] = { "none", "weekly", "monthly", NULL };
static const char *const language_names[] = { "fr", "en", NULL };
static const char *const hw_names[] = { "desktop", "laptop", "server", "printer", NULL };

static void conf_err(struct ctx *, const config_setting_t *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

void
conf_vreport(FILE *errs, const char *path, const config_setting_t *s, const char *fmt,
    va_list ap)
{
	const char *file = s != NULL ? config_setting_source_file(s) : NULL;

	fprintf(errs, "%s:%u: ", file != NULL ? file : path,
	    s != NULL ? (unsigned)config_setting_source_line(s) : 0);
	vfprintf(errs, fmt, ap);
	fputc('\n', errs);
}

/* Prints one "FILE:LINE: message" error located at setting S and counts it. */
static void
conf_err(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vreport(c->errs, c->path, s, fmt, ap);
	va_end(ap);
	c->nerr++;
}

/* Copies S into BUF for a message, escaping control bytes so that one error stays one line. */
static const char *
quote(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	unsigned char ch;

	for (; *s != '\0' && n + 8 < size; s++) {
		ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			n += snprintf(buf + n, size - n, "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	if (*s != '\0')
		strcpy(buf + n, "...");
	return buf;
}

int
conf_has_ctrl(const char *s)
{
	return gf_text_has_ctrl(s);
}

/* Returns the row of TAB named NAME, or NULL. */
static const struct field *
find_field(const struct field *tab, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

/* Stores the defaults of TAB into BASE. */
static void
set_defaults(const struct field *tab, size_t n, void *base)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (tab[i].off == NOSTORE)
			continue;
		if (tab[i].type == FT_INT || tab[i].type == FT_BOOL)
			*(int *)((char *)base + tab[i].off) = (int)tab[i].def;
		else if (tab[i].type == FT_FLOAT)
			*(double *)((char *)base + tab[i].off) = (double)tab[i].def / 1000;
		else if (tab[i].type == FT_STR && tab[i].sdef != NULL)
			*(char **)((char *)base + tab[i].off) = xstrdup(tab[i].sdef);
	}
}

/*
 * Checks an integer against its row. libconfig 1.5 silently truncates literals
 * beyond 32 bits (4294967596 reads as 300), so that case cannot be caught here.
 */
static void
read_int(struct ctx *c, const config_setting_t *s, const struct field *f, void *base)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		conf_err(c, s, "%s: expected an integer", f->name);
		return;
	}
	v = config_setting_get_int64(s);
	if (v < f->min || v > f->max) {
		conf_err(c, s, "%s: %lld is out of range (%lld..%lld)", f->name, v, f->min,
		    f->max);
		return;
	}
	if (f->off != NOSTORE)
		*(int *)((char *)base + f->off) = (int)v;
}

/* Checks a string against its row and stores a copy; libconfig keeps owning the original. */
static void
read_str(struct ctx *c, const config_setting_t *s, const struct field *f, void *base)
{
	const char *v;
	size_t len;
	char **dst;

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		conf_err(c, s, "%s: expected a string", f->name);
		return;
	}
	v = config_setting_get_string(s);
	len = strlen(v);
	if (len == 0 && f->min == 1)
		conf_err(c, s, "%s: must not be empty", f->name);
	else if (len < (size_t)f->min)
		conf_err(c, s, "%s: must be at least %lld characters", f->name, f->min);
	else if (len > (size_t)f->max)
		conf_err(c, s, "%s: longer than %lld characters", f->name, f->max);
	else if (conf_has_ctrl(v))
		conf_err(c, s, "%s: contains control characters", f->name);
	else if (f->off != NOSTORE) {
		dst = (char **)((char *)base + f->off);
		free(*dst);
		*dst = xstrdup(v);
	}
}

/* A number of kilograms (or any non-negative decimal); bounds are in milli-units. */
static void
read_float(struct ctx *c, const config_setting_t *s, const struct field *f, void *base)
{
	double v;

	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		v = config_setting_get_float(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64)
		v = (double)config_setting_get_int64(s);
	else {
		conf_err(c, s, "%s: expected a number", f->name);
		return;
	}
	if (!(v * 1000 >= f->min && v * 1000 <= f->max)) {
		conf_err(c, s, "%s: %g is out of range (%g..%g)", f->name, v, f->min / 1000.0,
		    f->max / 1000.0);
		return;
	}
	*(double *)((char *)base + f->off) = v;
}

/* Checks one setting against its row. */
static void
read_value(struct ctx *c, const config_setting_t *s, const struct field *f, void *base)
{
	switch (f->type) {
	case FT_FLOAT:
		read_float(c, s, f, base);
		break;
	case FT_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			conf_err(c, s, "%s: expected true or false", f->name);
		else
			*(int *)((char *)base + f->off) = config_setting_get_bool(s);
		break;
	case FT_INT:
		read_int(c, s, f, base);
		break;
	case FT_STR:
		read_str(c, s, f, base);
		break;
	case FT_GROUP:
		if (!config_setting_is_group(s))
			conf_err(c, s, "%s: expected a group", f->name);
		break;
	case FT_LIST:
		if (!config_setting_is_list(s) && !config_setting_is_array(s))
			conf_err(c, s, "%s: expected a list of groups", f->name);
		break;
	case FT_ARRAY:
		if (!config_setting_is_list(s) && !config_setting_is_array(s))
			conf_err(c, s, "%s: expected a list [ ... ]", f->name);
		break;
	}
}

/* Checks every member of GROUP against TAB (unknown keys, types, bounds, required keys). */
static void
read_fields(struct ctx *c, const config_setting_t *group, const char *what,
    const struct field *tab, size_t n, void *base)
{
	const config_setting_t *m;
	const struct field *f;
	size_t i;
	int k;

	for (k = 0; k < config_setting_length(group); k++) {
		m = config_setting_get_elem(group, k);
		if ((f = find_field(tab, n, config_setting_name(m))) == NULL)
			conf_err(c, m, "unknown key '%s'", config_setting_name(m));
		else
			read_value(c, m, f, base);
	}
	for (i = 0; i < n; i++)
		if (tab[i].required && config_setting_get_member(group, tab[i].name) == NULL)
			conf_err(c, group, "%s: missing required key '%s'", what, tab[i].name);
}

/* Returns member NAME of G if it is a string (other types were reported already), else NULL. */
static const config_setting_t *
str_member(const config_setting_t *g, const char *name)
{
	const config_setting_t *s = config_setting_get_member(g, name);

	if (s == NULL || config_setting_type(s) != CONFIG_TYPE_STRING)
		return NULL;
	return s;
}

/* Reads member KEY of G as one of NAMES: 1 and *OUT set, 0 absent or reported, -1 bad value. */
static int
read_choice(struct ctx *c, const config_setting_t *g, const char *key,
    const char *const *names, int *out)
{
	const config_setting_t *s;
	const char *v;
	char list[128] = "", q[QUOTE_SIZE];
	int i;

	if ((s = str_member(g, key)) == NULL)
		return 0;
	v = config_setting_get_string(s);
	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(v, names[i]) == 0) {
			*out = i;
			return 1;
		}
		if (i > 0)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	conf_err(c, s, "%s: '%s' is not one of %s", key, quote(q, sizeof(q), v), list);
	return -1;
}

/* Returns 1 if S only uses host name, IPv4 and IPv6 literal characters. */
static int
host_ok(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.:-") ==
	    strlen(s);
}

/* Returns 1 if S looks like a bare e-mail address that is safe inside a mail header. */
static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	const unsigned char *p;

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>\",;()[]\\:", *p) != NULL)
			return 0;
	return 1;
}

/* An id names files (RRDs, exports), so it must not climb directories or hide itself. */
int
conf_id_is_safe(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 64 || s[0] == '.')
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
	    len;
}

/* Returns the configuration spelling of KIND. */
const char *
conf_kind_name(enum gf_kind kind)
{
	return kind == GF_KIND_WORKSTATION ? "workstation" : "printer";
}

/* Reports ID of group G if it is unsafe as a file name; WHAT is "device" or "department". */
static void
check_id(struct ctx *c, const config_setting_t *g, const char *what, const char *id)
{
	char q[QUOTE_SIZE];

	if (id != NULL && !conf_id_is_safe(id))
		conf_err(c, str_member(g, "id"),
		    "%s id '%s' is unsafe as a file name (use [A-Za-z0-9._-], no leading dot)",
		    what, quote(q, sizeof(q), id));
}

/* Reads the thresholds array: percents 1..1000, strictly ascending, at most GF_MAX_THRESHOLDS. */
static void
quota_thresholds(struct ctx *c, const config_setting_t *a, struct gf_quota *qt)
{
	const config_setting_t *e;
	int i, n = config_setting_length(a), v;

	if (n == 0 || n > GF_MAX_THRESHOLDS) {
		conf_err(c, a, "thresholds: give 1 to %d percentages", GF_MAX_THRESHOLDS);
		return;
	}
	qt->nthresholds = 0;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(a, i);
		if (config_setting_type(e) != CONFIG_TYPE_INT) {
			conf_err(c, e, "thresholds: expected integers (percent)");
			return;
		}
		v = config_setting_get_int(e);
		if (v < 1 || v > 1000 || (i > 0 && v <= qt->thresholds[i - 1])) {
			conf_err(c, e, "thresholds: %d is out of range or order (1..1000, ascending)",
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

	set_defaults(quota_fields, nitems(quota_fields), qt);
	qt->thresholds[0] = 80;
	qt->thresholds[1] = 100;
	qt->nthresholds = 2;
	read_fields(c, g, "quota", quota_fields, nitems(quota_fields), qt);
	if (read_choice(c, g, "period", period_names, &v) == 1)
		qt->period = (enum gf_period)v;
	if ((a = config_setting_get_member(g, "thresholds")) != NULL &&
	    (config_setting_is_array(a) || config_setting_is_list(a)))
		quota_thresholds(c, a, qt);
	if (qt->mono == 0 && qt->colour == 0 && qt->budget == 0)
		conf_err(c, g, "quota: set mono, colour and/or budget (a number of pages above 0)");
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
		conf_err(c, g, "departments: expected a group");
		return;
	}
	read_fields(c, g, "department", dept_fields, nitems(dept_fields), d);
	check_id(c, g, "department", d->id);
	if (d->name != NULL && !gf_utf8_valid(d->name))
		conf_err(c, str_member(g, "name"), "name: not valid UTF-8");
	if (d->head != NULL && !email_ok(d->head))
		conf_err(c, str_member(g, "head"), "head: '%s' is not a valid e-mail address",
		    quote(q, sizeof(q), d->head));
	if ((s = config_setting_get_member(g, "quota")) != NULL && config_setting_is_group(s))
		parse_quota(c, s, &d->quota);
}

/* One id of a list, remembered with its position so that sorting keeps file order for ties. */
struct idref {
	const config_setting_t *s;
	int pos;
};

/* Orders id references by id, then by position in the file. */
static int
idref_cmp(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	int r;

	r = strcmp(config_setting_get_string(x->s), config_setting_get_string(y->s));
	if (r != 0)
		return r;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Reports every repeated id in LIST, in file order, naming the line of the first one. */
static void
check_dups(struct ctx *c, const char *what, const config_setting_t *list)
{
	int i, n = config_setting_length(list), nref = 0;
	struct idref *refs = xcalloc(n, sizeof(*refs));
	const config_setting_t **first = xcalloc(n, sizeof(*first));
	const config_setting_t *s;
	char q[QUOTE_SIZE];

	for (i = 0; i < n; i++)
		if ((s = str_member(config_setting_get_elem(list, i), "id")) != NULL)
			refs[nref++] = (struct idref){ s, i };
	qsort(refs, nref, sizeof(*refs), idref_cmp);
	/* Within a run of equal ids, every later one points at the run's first. */
	for (i = 1; i < nref; i++) {
		if (strcmp(config_setting_get_string(refs[i].s),
		    config_setting_get_string(refs[i - 1].s)) != 0)
			continue;
		s = first[refs[i - 1].pos];
		first[refs[i].pos] = s != NULL ? s : refs[i - 1].s;
	}
	for (i = 0; i < n; i++)
		if ((s = first[i]) != NULL)
			conf_err(c, str_member(config_setting_get_elem(list, i), "id"),
			    "duplicate %s id '%s' (first at line %u)", what,
			    quote(q, sizeof(q), config_setting_get_string(s)),
			    (unsigned)config_setting_source_line(s));
	free(first);
	free(refs);
}

/* Sets the kind of DEV from group G. */
static void
device_kind(struct ctx *c, const config_setting_t *g, struct gf_device *dev)
{
	int k;

	if (read_choice(c, g, "kind", kind_names, &k) == 1)
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

	if ((s = str_member(g, "department")) == NULL)
		return;
	name = config_setting_get_string(s);
	for (i = 0; i < c->conf->ndepts; i++) {
		if (c->conf->depts[i].id != NULL && strcmp(c->conf->depts[i].id, name) == 0) {
			dev->dept = (int)i;
			return;
		}
	}
	conf_err(c, s, "unknown department '%s'", quote(q, sizeof(q), name));
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

	if ((s = str_member(g, key)) == NULL)
		return;
	v = config_setting_get_string(s);
	if (gf_date_parse(v, NULL, why, sizeof(why)) != 0) {
		conf_err(c, s, "%s: '%s': %s", key, quote(q, sizeof(q), v), why);
		return;
	}
	if (strcmp(key, "in_service") == 0 && gf_date_today(today) == 0 && strcmp(v, today) > 0) {
		conf_err(c, s, "%s: '%s' is in the future (today is %s)", key, v, today);
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
			conf_err(c, s, "snmp: '%s' is only for version 3", v3_keys[i].key);
	if (config_setting_get_member(g, "community") == NULL)
		conf_err(c, g, "snmp: missing required key 'community'");
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
		conf_err(c, s, "snmp: 'community' is only for versions 1 and 2c");
	if (config_setting_get_member(g, "user") == NULL)
		conf_err(c, g, "snmp: missing required key 'user' for version 3");
	for (i = 0; i < nitems(v3_keys); i++) {
		key = v3_keys[i].key;
		s = config_setting_get_member(g, key);
		if (s != NULL && level < v3_keys[i].min)
			conf_err(c, s, "snmp: '%s' is not used with level %s", key,
			    level_names[level]);
		else if (s == NULL && level >= v3_keys[i].min && v3_keys[i].required)
			conf_err(c, g, "snmp: missing required key '%s' for level %s", key,
			    level_names[level]);
	}
}

/* Reads the version 3 security level and protocols of group G into SN. */
static void
snmp_v3(struct ctx *c, const config_setting_t *g, struct gf_snmp_conf *sn)
{
	int v, r;

	if ((r = read_choice(c, g, "level", level_names, &v)) == -1)
		return;
	if (r == 1)
		sn->level = v;
	if (read_choice(c, g, "auth_protocol", auth_names, &v) == 1)
		sn->auth_proto = v;
	if (read_choice(c, g, "priv_protocol", priv_names, &v) == 1)
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
	read_fields(c, g, "snmp", snmp_fields, nitems(snmp_fields), sn);
	if (read_choice(c, g, "version", version_names, &v) != 1)
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

/* Parses one element of the devices list. */
static void
parse_device(struct ctx *c, const config_setting_t *g, struct gf_device *dev)
{
	const config_setting_t *s;
	char q[QUOTE_SIZE];
	int v;

	set_defaults(device_fields, nitems(device_fields), dev);
	/* Inherited; read_fields overrides them only with a valid value. */
	dev->timeout_ms = c->conf->timeout_ms;
	dev->retries = c->conf->retries;
	dev->max_ppm = c->conf->max_ppm;
	dev->dept = -1;
	dev->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		conf_err(c, g, "devices: expected a group");
		return;
	}
	read_fields(c, g, "device", device_fields, nitems(device_fields), dev);
	check_id(c, g, "device", dev->id);
	if (dev->host != NULL && !host_ok(dev->host))
		conf_err(c, str_member(g, "host"), "host: '%s' is not a host name or IP address",
		    quote(q, sizeof(q), dev->host));
	device_kind(c, g, dev);
	dev->hw_type = dev->kind == GF_KIND_PRINTER ? GF_HW_PRINTER : GF_HW_DESKTOP;
	if (read_choice(c, g, "type", hw_names, &v) == 1)
		dev->hw_type = (enum gf_hw_type)v;
	device_dept(c, g, dev);
	device_date(c, g, "in_service", dev->in_service);
	device_date(c, g, "retired", dev->retired);
	if (dev->retired[0] && dev->in_service[0] && strcmp(dev->retired, dev->in_service) < 0)
		conf_err(c, str_member(g, "retired"), "retired: before in_service");
	if ((s = config_setting_get_member(g, "snmp")) != NULL && config_setting_is_group(s))
		parse_snmp(c, s, &dev->snmp);
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
		    !email_ok(config_setting_get_string(e))) {
			conf_err(c, e, "cc: '%s' is not a valid e-mail address",
			    config_setting_type(e) == CONFIG_TYPE_STRING ?
			    quote(q, sizeof(q), config_setting_get_string(e)) : "?");
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

	set_defaults(smtp_fields, nitems(smtp_fields), m);
	read_fields(c, g, "smtp", smtp_fields, nitems(smtp_fields), m);
	if (m->url != NULL && strncmp(m->url, "smtp://", 7) != 0 &&
	    strncmp(m->url, "smtps://", 8) != 0)
		conf_err(c, str_member(g, "url"), "url: '%s' must start with smtp:// or smtps://",
		    quote(q, sizeof(q), m->url));
	if (m->it != NULL && !email_ok(m->it))
		conf_err(c, str_member(g, "it"), "it: '%s' is not a valid e-mail address",
		    quote(q, sizeof(q), m->it));
	if (m->from != NULL && !email_ok(m->from))
		conf_err(c, str_member(g, "from"), "from: '%s' is not a valid e-mail address",
		    quote(q, sizeof(q), m->from));
	if (m->from_name != NULL && (!gf_utf8_valid(m->from_name) || strpbrk(m->from_name, "\"<>") != NULL))
		conf_err(c, str_member(g, "from_name"),
		    "from_name: must be UTF-8 text without quotes or angle brackets");
	if ((m->user == NULL) != (m->password == NULL))
		conf_err(c, g, "smtp: give both user and password, or neither");
	/* Read when a mail is sent, maybe hours later: a typo is better found now. */
	if (m->ca_file != NULL && access(m->ca_file, R_OK) != 0)
		conf_err(c, str_member(g, "ca_file"), "ca_file: cannot read '%s': %s",
		    quote(q, sizeof(q), m->ca_file), strerror(errno));
	(void)read_choice(c, g, "language", language_names, &v);	/* errors are reported */
	if (read_choice(c, g, "digest", digest_names, &v) == 1)
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

/*
 * The `store` key: "sqlite:PATH" or an absolute PATH (another SQLite file);
 * a postgresql:// URL is where the PostgreSQL backend will be named, and
 * is refused until it is built.
 */
static void
check_store(struct ctx *c, const config_setting_t *root)
{
	const char *v = c->conf->store, *path = v;
	char q[QUOTE_SIZE];

	if (v == NULL)
		return;
	if (strncmp(v, "postgresql://", 13) == 0 || strncmp(v, "postgres://", 11) == 0) {
		conf_err(c, str_member(root, "store"), "store: the PostgreSQL backend is not built"
		    " yet; use sqlite:PATH, or leave store unset for state.db in data_dir");
		return;
	}
	if (strncmp(v, "sqlite:", 7) == 0)
		path = v + (strncmp(v + 7, "///", 3) == 0 ? 9 : 7);
	else if (strstr(v, "://") != NULL)
		path = "";
	if (path[0] != '/')
		conf_err(c, str_member(root, "store"), "store: '%s' is neither sqlite:PATH nor an"
		    " absolute path", quote(q, sizeof(q), v));
}

/* Parses the whole file: globals, then departments, then the devices that refer to them. */
static void
parse_root(struct ctx *c, const config_setting_t *root)
{
	struct gf_conf *conf = c->conf;
	const config_setting_t *list;
	char q[QUOTE_SIZE];
	size_t i;

	read_fields(c, root, "config", global_fields, nitems(global_fields), conf);
	if ((list = config_setting_get_member(root, "smtp")) != NULL && config_setting_is_group(list))
		parse_smtp(c, list, &conf->smtp);
	if ((list = config_setting_get_member(root, "advice")) != NULL && config_setting_is_group(list))
		read_fields(c, list, "advice", advice_fields, nitems(advice_fields), &conf->advice);
	if ((list = config_setting_get_member(root, "factors")) != NULL && config_setting_is_group(list))
		read_fields(c, list, "factors", factor_fields, nitems(factor_fields), &conf->factors);
	if (conf->data_dir[0] != '/')
		conf_err(c, str_member(root, "data_dir"), "data_dir: '%s' is not an absolute path",
		    quote(q, sizeof(q), conf->data_dir));
	check_store(c, root);
	if ((list = get_list(root, "departments")) != NULL) {
		conf->ndepts = config_setting_length(list);
		conf->depts = xcalloc(conf->ndepts, sizeof(*conf->depts));
		for (i = 0; i < conf->ndepts; i++)
			parse_department(c, config_setting_get_elem(list, i), &conf->depts[i]);
		check_dups(c, "department", list);
	}
	if ((list = get_list(root, "devices")) != NULL) {
		conf->ndevices = config_setting_length(list);
		conf->devices = xcalloc(conf->ndevices, sizeof(*conf->devices));
		for (i = 0; i < conf->ndevices; i++)
			parse_device(c, config_setting_get_elem(list, i), &conf->devices[i]);
		check_dups(c, "device", list);
	}
}

/*
 * Loads the vendor profiles of profiles_dir; the default directory may be
 * absent (no profiles), one that was asked for must exist, named with its line.
 */
static void
load_profiles(struct ctx *c, const config_setting_t *root, int flags)
{
	const config_setting_t *s = str_member(root, "profiles_dir");
	const char *file;
	char where[4200];

	if (s != NULL) {
		file = config_setting_source_file(s);
		snprintf(where, sizeof(where), "%s:%u", file != NULL ? file : c->path,
		    (unsigned)config_setting_source_line(s));
	}
	c->conf->profiles = profiles_load(c->conf->profiles_dir, s != NULL ? where : NULL,
	    flags & GF_CONF_NOINCLUDE ? GF_CFG_NOINCLUDE : 0, c->errs, &c->nerr);
}

struct gf_conf *
conf_load(const char *path, FILE *errs)
{
	return conf_load_opts(path, 0, errs);
}

/* Reads, validates and copies PATH; the libconfig tree is freed before returning. */
struct gf_conf *
conf_load_opts(const char *path, int flags, FILE *errs)
{
	struct ctx c = { path, errs, 0, NULL };
	struct stat st;
	config_t cfg;

	c.conf = xcalloc(1, sizeof(*c.conf));
	c.conf->path = xstrdup(path);
	set_defaults(global_fields, nitems(global_fields), c.conf);
	set_defaults(advice_fields, nitems(advice_fields), &c.conf->advice);
	set_defaults(factor_fields, nitems(factor_fields), &c.conf->factors);
	config_init(&cfg);
	/* A file libconfig could not read says all there is to say: no profiles, no checks. */
	if ((c.nerr = cfgfile_read(&cfg, path, flags & GF_CONF_NOINCLUDE ? GF_CFG_NOINCLUDE : 0,
	    errs)) == 0) {
		parse_root(&c, config_root_setting(&cfg));
		load_profiles(&c, config_root_setting(&cfg), flags);
		if (flags & GF_CONF_START)
			c.nerr += conf_check_start(c.conf, config_root_setting(&cfg), flags, errs);
	}
	config_destroy(&cfg);
	if (c.nerr > 0) {
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
		snmp_free(&conf->devices[i].snmp);
	}
	free(conf->depts);
	free(conf->devices);
	free(conf->path);
	free(conf->data_dir);
	free(conf->store);
	free(conf->rrdcached);
	free(conf->profiles_dir);
	profiles_free(conf->profiles);
	free(conf);
}
