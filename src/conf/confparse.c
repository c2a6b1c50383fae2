/* The configuration parser's table-driven reader and the checks its parts share. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "confparse.h"
#include "text.h"
#include "xmalloc.h"

/* Returns the row of TAB named NAME, or NULL. */
const struct field *
conf_find_field(const struct field *tab, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}


/* Stores the defaults of TAB into BASE. */
void
conf_set_defaults(const struct field *tab, size_t n, void *base)
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
		conf_err(&c->e, s, "%s: expected an integer", f->name);
		return;
	}
	v = config_setting_get_int64(s);
	if (v < f->min || v > f->max) {
		conf_err(&c->e, s, "%s: %lld is out of range (%lld..%lld)", f->name, v, f->min,
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
		conf_err(&c->e, s, "%s: expected a string", f->name);
		return;
	}
	v = config_setting_get_string(s);
	len = strlen(v);
	if (len == 0 && f->min == 1)
		conf_err(&c->e, s, "%s: must not be empty", f->name);
	else if (len < (size_t)f->min)
		conf_err(&c->e, s, "%s: must be at least %lld characters", f->name, f->min);
	else if (len > (size_t)f->max)
		conf_err(&c->e, s, "%s: longer than %lld characters", f->name, f->max);
	else if (gf_text_has_ctrl(v))
		conf_err(&c->e, s, "%s: contains control characters", f->name);
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
		conf_err(&c->e, s, "%s: expected a number", f->name);
		return;
	}
	if (!(v * 1000 >= f->min && v * 1000 <= f->max)) {
		conf_err(&c->e, s, "%s: %g is out of range (%g..%g)", f->name, v, f->min / 1000.0,
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
			conf_err(&c->e, s, "%s: expected true or false", f->name);
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
			conf_err(&c->e, s, "%s: expected a group", f->name);
		break;
	case FT_LIST:
		if (!config_setting_is_list(s) && !config_setting_is_array(s))
			conf_err(&c->e, s, "%s: expected a list of groups", f->name);
		break;
	case FT_ARRAY:
		if (!config_setting_is_list(s) && !config_setting_is_array(s))
			conf_err(&c->e, s, "%s: expected a list [ ... ]", f->name);
		break;
	}
}


/* Checks every member of GROUP against TAB (unknown keys, types, bounds, required keys). */
void
conf_read_fields(struct ctx *c, const config_setting_t *group, const char *what,
    const struct field *tab, size_t n, void *base)
{
	const config_setting_t *m;
	const struct field *f;
	size_t i;
	int k;

	for (k = 0; k < config_setting_length(group); k++) {
		m = config_setting_get_elem(group, k);
		if ((f = conf_find_field(tab, n, config_setting_name(m))) == NULL)
			conf_err(&c->e, m, "unknown key '%s'", config_setting_name(m));
		else
			read_value(c, m, f, base);
	}
	for (i = 0; i < n; i++)
		if (tab[i].required && config_setting_get_member(group, tab[i].name) == NULL)
			conf_err(&c->e, group, "%s: missing required key '%s'", what, tab[i].name);
}


/* Returns member NAME of G if it is a string (other types were reported already), else NULL. */
const config_setting_t *
conf_str_member(const config_setting_t *g, const char *name)
{
	const config_setting_t *s = config_setting_get_member(g, name);

	if (s == NULL || config_setting_type(s) != CONFIG_TYPE_STRING)
		return NULL;
	return s;
}


/* Reads member KEY of G as one of NAMES: 1 and *OUT set, 0 absent or reported, -1 bad value. */
int
conf_read_choice(struct ctx *c, const config_setting_t *g, const char *key,
    const char *const *names, int *out)
{
	const config_setting_t *s;
	const char *v;
	char list[128] = "", q[QUOTE_SIZE];
	int i;

	if ((s = conf_str_member(g, key)) == NULL)
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
	conf_err(&c->e, s, "%s: '%s' is not one of %s", key, conf_quote(q, sizeof(q), v), list);
	return -1;
}


/* Returns 1 if S only uses host name, IPv4 and IPv6 literal characters. */
int
conf_host_ok(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.:-") ==
	    strlen(s);
}


/* Returns 1 if S looks like a bare e-mail address that is safe inside a mail header. */
int
conf_email_ok(const char *s)
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


/* Reports ID of group G if it is unsafe as a file name; WHAT is "device" or "department". */
void
conf_check_id(struct ctx *c, const config_setting_t *g, const char *what, const char *id)
{
	char q[QUOTE_SIZE];

	if (id != NULL && !gf_id_is_safe(id))
		conf_err(&c->e, conf_str_member(g, "id"),
		    "%s id '%s' is unsafe as a file name (use [A-Za-z0-9._-], no leading dot)",
		    what, conf_quote(q, sizeof(q), id));
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
void
conf_check_dups(struct ctx *c, const char *what, const config_setting_t *list)
{
	int i, n = config_setting_length(list), nref = 0;
	struct idref *refs = xcalloc(n, sizeof(*refs));
	const config_setting_t **first = xcalloc(n, sizeof(*first));
	const config_setting_t *s;
	char q[QUOTE_SIZE];

	for (i = 0; i < n; i++)
		if ((s = conf_str_member(config_setting_get_elem(list, i), "id")) != NULL)
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
			conf_err(&c->e, conf_str_member(config_setting_get_elem(list, i), "id"),
			    "duplicate %s id '%s' (first at line %u)", what,
			    conf_quote(q, sizeof(q), config_setting_get_string(s)),
			    (unsigned)config_setting_source_line(s));
	free(first);
	free(refs);
}

