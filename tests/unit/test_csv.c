/* Unit tests: the CSV reader on awkward and hostile text, and what import reads in its cells. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "csvread.h"
#include "importmap.h"
#include "tap.h"

/* Reads TEXT whole; each record as "a|b|c", a skipped one as "!err", the end as "." or "?err". */
static void
read_all(const char *text, size_t len, size_t max_rows, char *out, size_t outsz)
{
	struct gf_csv c;
	size_t o = 0, i;
	int rc;

	csv_open(&c, "t.csv", (const unsigned char *)text, len);
	if (max_rows > 0)
		c.max_rows = max_rows;
	out[0] = '\0';
	while ((rc = csv_next(&c)) != 0 && o < outsz) {
		if (rc == 2 || rc == -1) {
			o += (size_t)snprintf(out + o, outsz - o, "%s%s\n", rc == 2 ? "!" : "?", c.err);
			if (rc == -1)
				break;
			continue;
		}
		o += (size_t)snprintf(out + o, outsz - o, "%u:", c.line);
		for (i = 0; i < c.nfields && o < outsz; i++)
			o += (size_t)snprintf(out + o, outsz - o, "%s%s", i ? "|" : "", c.fields[i]);
		if (o < outsz)
			o += (size_t)snprintf(out + o, outsz - o, "\n");
	}
	csv_close(&c);
}

static void
test_reader(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a,b\n1,2\n", "1:a|b\n2:1|2\n" },
		{ "\xef\xbb\xbf" "a;b\r\n1;2,5\r\n", "1:a|b\n2:1|2,5\n" },	/* BOM, ';', CRLF */
		{ "a,b\r1,2", "1:a|b\n2:1|2\n" },				/* CR, no final newline */
		{ "a,b\n\n\n1,\"x\"\"y\"\n", "1:a|b\n4:1|x\"y\n" },		/* blank lines, "" */
		{ "a,b\n\"l1\r\nl2\",z\n3,4\n", "1:a|b\n2:l1\nl2|z\n4:3|4\n" },	/* quoted newline */
		{ "a;b\n\"x;y\";\n", "1:a|b\n2:x;y|\n" },			/* quoted separator, empty */
		{ "a,b\n\"x\"y,z\n1,2\n", "1:a|b\n!t.csv:2: text after the closing quote of field 1\n"
		    "3:1|2\n" },
		{ "a,b\n1,\"open\n2,3\n", "1:a|b\n?t.csv:2: a quoted field is never closed\n" },
		{ "a,b\n1,\xe9t\xe9\n2,3\n", "1:a|b\n!t.csv:2: field 2 is not UTF-8 (save the file "
		    "as UTF-8)\n3:2|3\n" },
		{ "a,\"b;c;d\",e\n", "1:a|b;c;d|e\n" },	/* ';' only inside quotes: ',' */
		{ "", "" },
	};
	char out[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		read_all(cases[i].in, strlen(cases[i].in), 0, out, sizeof(out));
		if (!tap_ok(strcmp(out, cases[i].want) == 0, "csv case %zu", i))
			tap_diag("got '%s', want '%s'", out, cases[i].want);
	}
}

/* NULs, a huge field, too many fields, too many rows: each a clear error, never a crash. */
static void
test_limits(void)
{
	static const char nul[] = "a,b\n1,x\0y\n2,3\n";
	size_t n = GF_CSV_MAX_FIELD + 10, i;
	char *big = malloc(n + 64), out[1024];

	read_all(nul, sizeof(nul) - 1, 0, out, sizeof(out));
	tap_ok(strcmp(out, "1:a|b\n!t.csv:2: field 2 holds a NUL byte\n3:2|3\n") == 0, "NUL: %s", out);
	memcpy(big, "a\n", 2);
	memset(big + 2, 'x', n);
	memcpy(big + 2 + n, "\nok\n", 5);
	read_all(big, strlen(big), 0, out, sizeof(out));
	tap_ok(strcmp(out, "1:a\n!t.csv:2: field 1 is longer than 16384 bytes\n3:ok\n") == 0,
	    "huge field: %s", out);
	for (i = 0; i < 300; i++)
		big[i] = ',';
	memcpy(big + 300, "\nx\n", 4);
	read_all(big, strlen(big), 0, out, sizeof(out));
	tap_ok(strcmp(out, "!t.csv:1: more than 256 fields\n2:x\n") == 0, "fields: %s", out);
	read_all("h\n1\n2\n3\n", 8, 2, out, sizeof(out));
	tap_ok(strcmp(out, "1:h\n2:1\n3:2\n?t.csv:4: more than 2 rows: split the file\n") == 0,
	    "rows: %s", out);
	free(big);
}

static void
test_dates(void)
{
	static const struct {
		const char *in, *out;
		int rc;
	} cases[] = {
		{ "2019-03-14", "2019-03-14", 0 }, { "14-03-2019", "2019-03-14", 0 },
		{ "14/03/2019", "2019-03-14", 0 }, { "2019-03-14 00:00:00", "2019-03-14", 0 },
		{ "03/14/2019", "", -1 }, { "31-02-2020", "", -1 }, { "14-03/2019", "", -1 },
		{ "2019-3-14", "", -1 }, { "=TODAY()", "", -1 }, { "14-03-2019 x", "", -1 },
	};
	char out[11], why[100];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out[0] = '\0';
		rc = imp_date(cases[i].in, out, why, sizeof(why));
		tap_ok(rc == cases[i].rc && (rc != 0 || strcmp(out, cases[i].out) == 0),
		    "date '%s' -> %d %s", cases[i].in, rc, rc == 0 ? out : why);
	}
}

static void
test_words(void)
{
	static const struct {
		const char *in;
		int type;
	} types[] = {
		{ "Portable", GF_HW_LAPTOP }, { "Ordinateur portable", GF_HW_LAPTOP },
		{ "Laptops", GF_HW_LAPTOP }, { "Serveur", GF_HW_SERVER }, { "Servers", GF_HW_SERVER },
		{ "Desktops", GF_HW_DESKTOP }, { "Unité centrale", GF_HW_DESKTOP },
		{ "Imprimante", GF_HW_PRINTER }, { "Tablette", -1 }, { "", -1 },
	};
	char f[64];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		tap_ok(imp_hw_type(types[i].in) == types[i].type, "type '%s'", types[i].in);
	tap_ok(imp_status_retired("Au rebut") && imp_status_retired("Archived") &&
	    imp_status_retired("Réformé") && !imp_status_retired("En service") &&
	    !imp_status_retired("Ready to Deploy"), "statuses");
	imp_fold(f, sizeof(f), "  Numéro   de SÉRIE ");
	tap_ok(strcmp(f, "numero de serie") == 0, "fold: '%s'", f);
}

static void
test_header(void)
{
	char *glpi[] = { "Nom", "Entité", "Numéro de série",
		"Informations financières et administratives - Date d'achat", "Lieu", "Statut" };
	char *snipe[] = { "Asset Name", "Serial", "Purchase Date", "Category", "Model", "Location" };
	char *none[] = { "Colour", "Size" };
	const char *want[IMP_NKEYS] = { NULL };
	struct imp_columns m;
	char err[200];

	tap_ok(imp_map_header(&m, glpi, 6, want, err, sizeof(err)) == 0 && m.col[IMP_NAME] == 0 &&
	    m.col[IMP_ENTITY] == 1 && m.col[IMP_SERIAL] == 2 && m.col[IMP_IN_SERVICE] == 3 &&
	    m.col[IMP_LOCATION] == 4 && m.col[IMP_STATUS] == 5 && m.col[IMP_TYPE] == -1, "GLPI header");
	tap_ok(imp_map_header(&m, snipe, 6, want, err, sizeof(err)) == 0 && m.col[IMP_NAME] == 0 &&
	    m.col[IMP_SERIAL] == 1 && m.col[IMP_IN_SERVICE] == 2 && m.col[IMP_CATEGORY] == 3 &&
	    m.col[IMP_MODEL] == 4 && m.col[IMP_LOCATION] == 5, "Snipe-IT header");
	tap_ok(imp_map_header(&m, none, 2, want, err, sizeof(err)) == -1 &&
	    strstr(err, "no column names") != NULL, "no identifying column: %s", err);
	want[IMP_SERIAL] = "size";
	tap_ok(imp_map_header(&m, none, 2, want, err, sizeof(err)) == 0 && m.col[IMP_SERIAL] == 1,
	    "--column serial=size");
	tap_ok(imp_key_parse("in_service") == IMP_IN_SERVICE && imp_key_parse("colour") == -1, "keys");
}

/* Writes TEXT to file PATH. */
static void
put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* The import file merged by id: values applied, a key the entry writes refused, ids checked. */
static void
test_overrides(void)
{
	char dir[] = "/tmp/gfcsvXXXXXX", conf[64], imp[64], prof[64], text[1024], *errs = NULL;
	struct gf_conf *c;
	size_t errsz = 0;
	FILE *e;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(conf, sizeof(conf), "%s/gf.conf", dir);
	snprintf(imp, sizeof(imp), "%s/imported.conf", dir);
	snprintf(prof, sizeof(prof), "%s/p", dir);
	mkdir(prof, 0700);
	snprintf(text, sizeof(text), "data_dir = \"/tmp\"; profiles_dir = \"%s\";\n"
	    "departments = ( { id = \"a\"; name = \"A\"; }, { id = \"b\"; name = \"B\"; } );\n"
	    "devices = (\n { id = \"p1\"; host = \"h1\"; kind = \"workstation\"; department = \"a\";\n"
	    "   in_service = \"2018-01-01\"; snmp = { version = \"2c\"; community = \"public\"; }; } );\n", prof);
	put_file(conf, text);
	put_file(imp, "overrides = ( { id = \"p1\"; type = \"laptop\"; department = \"b\";"
	    " retired = \"2024-05-06\"; } );\n");
	e = open_memstream(&errs, &errsz);
	c = conf_load(conf, e);
	fclose(e);
	tap_ok(c == NULL && strstr(errs, "device 'p1': department is also written") != NULL,
	    "department both in the entry and imported: refused (%s)", errs);
	free(errs);
	errs = NULL;
	put_file(imp, "overrides = ( { id = \"p1\"; type = \"laptop\"; retired = \"2024-05-06\"; } );\n");
	c = conf_load(conf, stderr);
	tap_ok(c != NULL && c->devices[0].hw_type == GF_HW_LAPTOP && c->devices[0].dept == 0 &&
	    strcmp(c->devices[0].retired, "2024-05-06") == 0 &&
	    c->devices[0].imported == (GF_SET_TYPE | GF_SET_RETIRED) &&
	    c->devices[0].set == (GF_SET_IN_SERVICE | GF_SET_DEPT), "override loads");
	conf_free(c);
	put_file(imp, "overrides = ( { id = \"p1\"; in_service = \"2019-01-01\"; },\n"
	    "  { id = \"p2\"; type = \"server\"; } );\nextra = 1;\n");
	e = open_memstream(&errs, &errsz);
	c = conf_load(conf, e);
	fclose(e);
	tap_ok(c == NULL && strstr(errs, "imported.conf:1: device 'p1': in_service is also written in"
	    " its entry (") != NULL && strstr(errs, "imported.conf:2: no device 'p2' in the"
	    " configuration") != NULL && strstr(errs, "unknown") != NULL, "errors: %s", errs);
	conf_free(c);
	free(errs);
	put_file(imp, "overrides = ( { id = \"p1\"; type = \"server\"; } );\n");
	c = conf_load(conf, stderr);
	tap_ok(c != NULL && c->devices[0].hw_type == GF_HW_SERVER &&
	    strcmp(c->devices[0].in_service, "2018-01-01") == 0, "type imported, date kept");
	conf_free(c);
	unlink(imp);
	unlink(conf);
	rmdir(prof);
	rmdir(dir);
}

int
main(void)
{
	test_reader();
	test_limits();
	test_dates();
	test_words();
	test_header();
	test_overrides();
	return tap_done();
}
