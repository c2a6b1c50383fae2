/* Unit tests for devices_dir (conf_dir.c), the discover map and netrange.c. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "netrange.h"
#include "tap.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define DEVF(id, host, dept) "{ id = \"" id "\"; host = \"" host "\"; kind = \"printer\"; " \
	"department = \"" dept "\"; snmp = { version = \"2c\"; community = \"public\"; }; }"

static char dir[64];

/* Writes TEXT into DIR/NAME. */
static void
put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* Removes DIR/NAME. */
static void
rm(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

/* Loads DIR/gf.conf; its error text, the folder's path and its slash cut out, into OUT. */
static struct gf_conf *
load(char *out, size_t outsz)
{
	char path[128], *text = NULL, *p;
	size_t len = 0, n = strlen(dir);
	struct gf_conf *c;
	FILE *errs = open_memstream(&text, &len);

	snprintf(path, sizeof(path), "%s/gf.conf", dir);
	c = conf_load(path, errs);
	fclose(errs);
	out[0] = '\0';
	for (p = text; *p != '\0' && strlen(out) + 1 < outsz; p++) {
		if (strncmp(p, dir, n) == 0) {
			p += n;
			continue;
		}
		strncat(out, p, 1);
	}
	free(text);
	return c;
}

/* Devices from the main file and two folder files, in file then name order; junk ignored. */
static void
test_dir_ok(void)
{
	struct gf_conf *c;
	char errs[2048];

	put("gf.conf", "departments = ( { id = \"a\"; name = \"A\"; }, { id = \"ec\"; name = \"E\"; } );\n"
	    "devices_dir = \"d\";\ndiscover = { map = (\n"
	    " { net = \"127.0.1.0/25\"; department = \"ec\"; },\n"
	    " { net = \"127.0.1.100-127.0.1.200\"; department = \"a\"; } ); };\n"
	    "devices = ( " DEVF("m1", "127.0.0.1", "a") " );\n");
	put("d/20-b.conf", "devices = ( " DEVF("b1", "127.0.0.3", "ec") " );\n");
	put("d/10-a.conf", "devices = (\n " DEVF("a1", "127.0.0.2", "a") ",\n "
	    DEVF("a2", "127.0.0.4", "a") " );\n");
	put("d/.hidden.conf", "garbage");
	put("d/notes.txt", "garbage");
	c = load(errs, sizeof(errs));
	if (!tap_ok(c != NULL && c->ndevices == 4, "main + folder: 4 devices")) {
		tap_diag("%s", errs);
		conf_free(c);
		return;
	}
	tap_ok(strcmp(c->devices[1].id, "a1") == 0 && strcmp(c->devices[2].id, "a2") == 0 &&
	    strcmp(c->devices[3].id, "b1") == 0, "folder files in name order");
	tap_ok(c->devices[0].file == NULL && c->devices[3].file != NULL &&
	    strcmp(c->devices[3].file + strlen(dir), "/d/20-b.conf") == 0 &&
	    c->devices[3].line == 1, "each device knows its file and line");
	tap_ok(conf_discover_dept(c, 0x7f000105) == 1 && conf_discover_dept(c, 0x7f00017f) == 1 &&
	    conf_discover_dept(c, 0x7f000180) == 0 && conf_discover_dept(c, 0x7f0001c8) == 0 &&
	    conf_discover_dept(c, 0x7f0001c9) == -1 && conf_discover_dept(c, 0x7f000200) == -1, "discover map: first rule wins, bounds exact");
	conf_free(c);
}

/* Every error of the folder with its file and line; duplicate ids across files. */
static void
test_dir_errors(void)
{
	struct gf_conf *c;
	char errs[2048];

	put("d/30-c.conf", "interval = 5;\ndevices = (\n " DEVF("m1", "127.0.0.9", "zz") ",\n "
	    DEVF("a1", "127.0.0.8", "a") " );\n");
	put("gf.conf", "departments = ( { id = \"a\"; name = \"A\"; } );\n"
	    "devices_dir = \"d\";\ndiscover = { map = ( { net = \"127.0.1.1/24\"; department = \"x\"; } );"
	    " every = 3; };\n"
	    "devices = ( " DEVF("m1", "127.0.0.1", "a") " );\n");
	c = load(errs, sizeof(errs));
	tap_ok(c == NULL, "errors fail the load");
	tap_ok(strcmp(errs,
	    "gf.conf:3: unknown key 'every'\n"
	    "gf.conf:3: net: '127.0.1.1/24': host bits set after the prefix (the block starts at "
	    "127.0.1.0)\n"
	    "gf.conf:3: unknown department 'x'\n"
	    "d/20-b.conf:1: unknown department 'ec'\n"
	    "d/30-c.conf:1: 'interval': a devices_dir file holds only `devices = ( ... );`\n"
	    "d/30-c.conf:3: unknown department 'zz'\n"
	    "d/30-c.conf:3: duplicate device id 'm1' (first at gf.conf:4)\n"
	    "d/30-c.conf:4: duplicate device id 'a1' (first at d/10-a.conf:2)\n") == 0,
	    "every error with FILE:LINE, duplicates across files name the first");
	put("gf.conf", "devices_dir = \"d\";\n");
	{
		char path[128], *text = NULL;
		size_t len = 0;
		FILE *e = open_memstream(&text, &len);

		snprintf(path, sizeof(path), "%s/gf.conf", dir);
		c = conf_load_opts(path, GF_CONF_NOINCLUDE, NULL, e);
		fclose(e);
		tap_ok(c == NULL && strstr(text, "gf.conf:1: devices_dir: files are not read here\n") != NULL,
		    "untrusted text (no includes) reads no devices_dir");
		free(text);
	}
	put("gf.conf", "devices_dir = \"nowhere\";\n");
	c = load(errs, sizeof(errs));
	tap_ok(c == NULL && strcmp(errs, "gf.conf:1: devices_dir: cannot read 'nowhere': "
	    "No such file or directory\n") == 0,
	    "missing folder: %s", errs);
}

/* netrange_parse: every accepted form and the refusals. */
static void
test_netrange(void)
{
	static const struct {
		const char *s;
		uint32_t first, last;
		int rc;
	} t[] = {
		{ "127.0.0.1", 0x7f000001, 0x7f000001, 0 },
		{ "127.0.4.0/22", 0x7f000400, 0x7f0007ff, 0 },
		{ "0.0.0.0/0", 0, 0xffffffff, 0 },
		{ "127.0.1.10-20", 0x7f00010a, 0x7f000114, 0 },
		{ "127.0.1.10-127.0.2.3", 0x7f00010a, 0x7f000203, 0 },
		{ "127.0.1.20-10", 0, 0, -1 },
		{ "127.0.1.1/24", 0, 0, -1 },
		{ "127.0.1.0/33", 0, 0, -1 },
		{ "127.0.1", 0, 0, -1 },
		{ "127.0.1.256", 0, 0, -1 },
		{ "127.0.1.01", 0, 0, -1 },
		{ "127.0.1.1 ", 0, 0, -1 },
		{ "", 0, 0, -1 },
	};
	struct gf_netrange r;
	char why[128];
	size_t i;
	int rc;

	for (i = 0; i < nitems(t); i++) {
		rc = netrange_parse(t[i].s, &r, why, sizeof(why));
		tap_ok(rc == t[i].rc && (rc != 0 || (r.first == t[i].first && r.last == t[i].last)),
		    "netrange '%s'", t[i].s);
	}
}

int
main(void)
{
	char sub[80];

	snprintf(dir, sizeof(dir), "/tmp/gf-confdir-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(sub, sizeof(sub), "%s/d", dir);
	mkdir(sub, 0700);
	test_netrange();
	test_dir_ok();
	test_dir_errors();
	rm("d/10-a.conf");
	rm("d/20-b.conf");
	rm("d/30-c.conf");
	rm("d/.hidden.conf");
	rm("d/notes.txt");
	rm("gf.conf");
	rmdir(sub);
	rmdir(dir);
	return tap_done();
}
