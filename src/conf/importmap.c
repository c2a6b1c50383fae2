/* Inventory cells read as configuration values: columns, dates, types, statuses, locations. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "importmap.h"
#include "text.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))
#define FOLD_SIZE 256

static const char *const key_names[IMP_NKEYS] = {
	"name", "serial", "host", "in_service", "type", "location", "status",
	"entity", "category", "model", "retired"
};

/*
 * Known headers, folded (imp_fold), best first: GLPI's French and English
 * search exports (a column of a linked table may read "Group - Header"),
 * Snipe-IT's asset export and importer, and plain words.
 */
static const char *const aliases[IMP_NKEYS][12] = {
	[IMP_NAME] = { "nom", "name", "asset name", "item name", "nom de l'ordinateur",
		"computer name", "device name", NULL },
	[IMP_SERIAL] = { "numero de serie", "serial number", "serial", "n° de serie",
		"no de serie", "serial no", "serialnumber", "sn", NULL },
	[IMP_HOST] = { "host", "hostname", "nom d'hote", "adresse ip", "ip address", "ip", "fqdn",
		"nom dns", NULL },
	[IMP_IN_SERVICE] = { "date d'achat", "date of purchase", "purchase date",
		"date d'acquisition", "date de mise en service", "startup date", "in_service", NULL },
	[IMP_TYPE] = { "type", "type d'ordinateur", "computer type", "asset type", NULL },
	[IMP_LOCATION] = { "lieu", "location", "localisation", "emplacement", "site",
		"default location", NULL },
	[IMP_STATUS] = { "statut", "status", "etat", "status label", NULL },
	[IMP_ENTITY] = { "entite", "entity", "company", "societe", "service", "department",
		"departement", NULL },
	[IMP_CATEGORY] = { "categorie", "category", NULL },
	[IMP_MODEL] = { "modele", "model", "model name", NULL },
	[IMP_RETIRED] = { "date de reforme", "decommission date", "date of decommission",
		"retired date", "date de retrait", "retired", NULL },
};

int
imp_key_parse(const char *name)
{
	size_t i;

	for (i = 0; i < IMP_NKEYS; i++)
		if (strcmp(key_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
imp_key_name(enum imp_key k)
{
	return (unsigned)k < IMP_NKEYS ? key_names[k] : "?";
}

/* Latin letters with the accents French uses (UTF-8, 2 bytes) and what they fold to. */
static const struct {
	const char *utf8;
	char plain;
} accents[] = {
	{ "\xc3\xa0", 'a' }, { "\xc3\xa2", 'a' }, { "\xc3\xa4", 'a' }, { "\xc3\x80", 'a' },
	{ "\xc3\x82", 'a' }, { "\xc3\xa7", 'c' }, { "\xc3\x87", 'c' }, { "\xc3\xa8", 'e' },
	{ "\xc3\xa9", 'e' }, { "\xc3\xaa", 'e' }, { "\xc3\xab", 'e' }, { "\xc3\x88", 'e' },
	{ "\xc3\x89", 'e' }, { "\xc3\x8a", 'e' }, { "\xc3\xae", 'i' }, { "\xc3\xaf", 'i' },
	{ "\xc3\x8e", 'i' }, { "\xc3\xb4", 'o' }, { "\xc3\xb6", 'o' }, { "\xc3\x94", 'o' },
	{ "\xc3\xb9", 'u' }, { "\xc3\xbb", 'u' }, { "\xc3\xbc", 'u' }, { "\xc3\x9b", 'u' },
};

/* The plain letter for the accented one at S, or 0. */
static char
unaccent(const char *s)
{
	size_t i;

	for (i = 0; i < nitems(accents); i++)
		if (s[0] == accents[i].utf8[0] && s[1] == accents[i].utf8[1])
			return accents[i].plain;
	return 0;
}

void
imp_fold(char *dst, size_t dstsz, const char *s)
{
	size_t o = 0, n;
	int space = 0;
	char c;

	for (; *s != '\0' && o + 5 < dstsz; s += n) {
		n = gf_utf8_at(s);
		if (n == 0)
			n = 1;
		if (n == 1 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '_')) {
			space = o > 0;
			continue;
		}
		if (space)
			dst[o++] = ' ';
		space = 0;
		if (n == 3 && memcmp(s, "\xe2\x80\x99", 3) == 0)	/* typographic apostrophe */
			dst[o++] = '\'';
		else if (n == 2 && (c = unaccent(s)) != 0)
			dst[o++] = c;
		else if (n == 1 && *s >= 'A' && *s <= 'Z')
			dst[o++] = (char)(*s - 'A' + 'a');
		else {
			memcpy(dst + o, s, n);
			o += n;
		}
	}
	if (dstsz > 0)
		dst[o < dstsz ? o : dstsz - 1] = '\0';
}

/* Rank of folded header H for key K (0 best), or -1; "Group - Header" counts as "Header". */
static int
alias_rank(int k, const char *h)
{
	const char *tail = NULL, *p;
	int i;

	for (p = h; (p = strstr(p, " - ")) != NULL; p += 3)
		tail = p + 3;
	for (i = 0; aliases[k][i] != NULL; i++)
		if (strcmp(h, aliases[k][i]) == 0 || (tail != NULL && strcmp(tail, aliases[k][i]) == 0))
			return i;
	return -1;
}

/* Picks the column of key K: the header WANT (folded equality) or the best-ranked alias. */
static int
find_col(int k, char folded[][FOLD_SIZE], size_t n, const char *want)
{
	char w[FOLD_SIZE];
	int best = -1, rank = 1000, r;
	size_t i;

	if (want != NULL)
		imp_fold(w, sizeof(w), want);
	for (i = 0; i < n; i++) {
		if (want != NULL) {
			if (strcmp(folded[i], w) == 0)
				return (int)i;
			continue;
		}
		if ((r = alias_rank(k, folded[i])) >= 0 && r < rank) {
			rank = r;
			best = (int)i;
		}
	}
	return best;
}

int
imp_map_header(struct imp_columns *m, char *const *fields, size_t n,
    const char *const want[IMP_NKEYS], char *err, size_t errsz)
{
	static char folded[256][FOLD_SIZE];
	size_t i;
	int k;

	if (n > nitems(folded))
		n = nitems(folded);
	for (i = 0; i < n; i++)
		imp_fold(folded[i], FOLD_SIZE, fields[i]);
	for (k = 0; k < IMP_NKEYS; k++) {
		m->col[k] = find_col(k, folded, n, want[k]);
		if (want[k] != NULL && m->col[k] < 0) {
			gf_errf(err, errsz, "no column '%.60s' (--column %s=...)", want[k], key_names[k]);
			return -1;
		}
	}
	/* A header named twice for one key is fine; one column for two keys is a mapping error. */
	if (m->col[IMP_SERIAL] < 0 && m->col[IMP_NAME] < 0 && m->col[IMP_HOST] < 0) {
		gf_errf(err, errsz, "no column names a serial number, a name or a host"
		    " (use --column serial=HEADER)");
		return -1;
	}
	return 0;
}

/* Reads exactly N digits at S into *V; 0 if they are not all there. */
static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

int
imp_date(const char *s, char out[11], char *why, size_t whysz)
{
	int y, m, d;
	size_t len = strcspn(s, " T");

	/* "2019-03-14 00:00:00" (GLPI, Snipe-IT datetimes): the day is what counts. */
	if (len == 10 && digits(s, 4, &y) && s[4] == '-' && digits(s + 5, 2, &m) && s[7] == '-' &&
	    digits(s + 8, 2, &d))
		;
	else if (len == 10 && digits(s, 2, &d) && (s[2] == '-' || s[2] == '/') && s[5] == s[2] &&
	    digits(s + 3, 2, &m) && digits(s + 6, 4, &y))
		;
	else {
		gf_errf(why, whysz, "not a date (YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)");
		return -1;
	}
	if (s[len] != '\0' && s[len + 1 + strspn(s + len + 1, "0123456789:.")] != '\0') {
		gf_errf(why, whysz, "not a date (YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)");
		return -1;
	}
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return gf_date_parse(out, NULL, why, whysz) == 0 ? 0 : -1;
}

/* Words, folded, and the hardware type they mean: laptops and servers before desktops. */
static const struct {
	const char *word;
	enum gf_hw_type type;
} type_words[] = {
	{ "portable", GF_HW_LAPTOP }, { "laptop", GF_HW_LAPTOP }, { "notebook", GF_HW_LAPTOP },
	{ "ultrabook", GF_HW_LAPTOP }, { "latitude", GF_HW_LAPTOP }, { "thinkpad", GF_HW_LAPTOP },
	{ "elitebook", GF_HW_LAPTOP }, { "probook", GF_HW_LAPTOP }, { "macbook", GF_HW_LAPTOP },
	{ "serveur", GF_HW_SERVER }, { "server", GF_HW_SERVER }, { "proliant", GF_HW_SERVER },
	{ "poweredge", GF_HW_SERVER }, { "primergy", GF_HW_SERVER },
	{ "imprimante", GF_HW_PRINTER }, { "printer", GF_HW_PRINTER },
	{ "multifonction", GF_HW_PRINTER }, { "copieur", GF_HW_PRINTER }, { "mfp", GF_HW_PRINTER },
	{ "desktop", GF_HW_DESKTOP }, { "bureau", GF_HW_DESKTOP }, { "fixe", GF_HW_DESKTOP },
	{ "tour", GF_HW_DESKTOP }, { "unite centrale", GF_HW_DESKTOP },
	{ "workstation", GF_HW_DESKTOP }, { "station de travail", GF_HW_DESKTOP },
	{ "optiplex", GF_HW_DESKTOP }, { "thinkcentre", GF_HW_DESKTOP },
	{ "prodesk", GF_HW_DESKTOP }, { "elitedesk", GF_HW_DESKTOP }, { "all-in-one", GF_HW_DESKTOP },
	{ "pc", GF_HW_DESKTOP }, { "computer", GF_HW_DESKTOP }, { "ordinateur", GF_HW_DESKTOP },
};

/* 1 if WORD is in folded text S as a whole word (or words). */
static int
has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = s; (p = strstr(p, word)) != NULL; p++) {
		if ((p == s || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9'))) &&
		    !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9')))
			return 1;
		/* "laptops", "serveurs", "imprimantes": a plural is the same word. */
		if ((p == s || p[-1] == ' ') && (p[n] == 's' || p[n] == 'x') &&
		    !((p[n + 1] >= 'a' && p[n + 1] <= 'z')))
			return 1;
	}
	return 0;
}

int
imp_hw_type(const char *s)
{
	char f[FOLD_SIZE];
	size_t i;

	imp_fold(f, sizeof(f), s);
	for (i = 0; i < nitems(type_words); i++)
		if (has_word(f, type_words[i].word))
			return (int)type_words[i].type;
	return -1;
}

int
imp_status_retired(const char *s)
{
	static const char *const words[] = { "rebut", "au rebut", "reforme", "retired", "archived",
		"archive", "hors service", "mis au rebut", "disposed", "scrapped", "decommissioned",
		"recycle", "detruit", NULL };
	char f[FOLD_SIZE];
	size_t i;

	imp_fold(f, sizeof(f), s);
	for (i = 0; words[i] != NULL; i++)
		if (has_word(f, words[i]))
			return 1;
	return 0;
}

/* 1 if folded location F is folded MATCH, or one level of F's "A > B > C" path is. */
static int
loc_matches(const char *f, const char *match)
{
	char m[FOLD_SIZE];
	const char *p = f, *q;
	size_t n;

	imp_fold(m, sizeof(m), match);
	n = strlen(m);
	if (n == 0)
		return 0;
	for (;;) {
		q = strstr(p, " > ");
		if ((q == NULL ? strlen(p) : (size_t)(q - p)) == n && strncmp(p, m, n) == 0)
			return 1;
		if (q == NULL)
			return 0;
		p = q + 3;
	}
}

/* The index of the department whose id is ID, or -1. */
static int
dept_index(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndepts; i++)
		if (conf->depts[i].id != NULL && strcmp(conf->depts[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
imp_location_dept(const struct gf_conf *conf, const struct imp_loc *extra, size_t nextra,
    const char *s)
{
	char f[FOLD_SIZE];
	size_t i;

	imp_fold(f, sizeof(f), s);
	if (f[0] == '\0')
		return -1;
	for (i = 0; i < nextra; i++)
		if (loc_matches(f, extra[i].match))
			return dept_index(conf, extra[i].dept);
	for (i = 0; i < conf->nimport_locs; i++)
		if (conf->import_locs[i].match != NULL && loc_matches(f, conf->import_locs[i].match))
			return conf->import_locs[i].dept;
	for (i = 0; i < conf->ndepts; i++)
		if ((conf->depts[i].id != NULL && loc_matches(f, conf->depts[i].id)) ||
		    (conf->depts[i].name != NULL && loc_matches(f, conf->depts[i].name)))
			return (int)i;
	return -1;
}
