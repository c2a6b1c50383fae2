/* Unit tests for conf.c: every error class with its exact file:line, and parsed values. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgfile.h"
#include "conf.h"
#include "tap.h"
#include "text.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* A valid department on line 1 and device templates; ONE() puts a device on line 3. */
#define DEPT "departments = ( { id = \"urbanisme\"; name = \"Urbanisme\"; } );\n"
#define DEVF(id, host, kind, dept, extra)                                      \
	"{ id = \"" id "\"; host = \"" host "\"; kind = \"" kind "\"; "        \
	"department = \"" dept "\"; " extra                                     \
	" snmp = { version = \"2c\"; community = \"public\"; }; }"
#define DEV(id, extra) DEVF(id, "192.0.2.10", "printer", "urbanisme", extra)
#define ONE(dev) DEPT "devices = (\n  " dev "\n);\n"
/* A device whose snmp group (SNMP) sits alone on line 4. */
#define SNMP(snmp)                                                             \
	DEPT "devices = (\n  { id = \"p1\"; host = \"192.0.2.10\"; "          \
	"kind = \"printer\"; department = \"urbanisme\";\n    snmp = " snmp   \
	";\n  }\n);\n"
/* A department with the given head on line 2. */
#define HEAD(head) "departments = (\n  { id = \"u\"; name = \"U\"; head = \"" head "\"; }\n);\n"
/* A department with the given name on line 2. */
#define NAME(name) "departments = (\n  { id = \"u\"; name = \"" name "\"; }\n);\n"

/* One config text and every "FILE:LINE: message" it must produce, the path left out. */
struct tcase {
	const char *name;
	const char *text;
	const char *expect[6];	/* all NULL: must load without any output */
};

static const struct tcase cases[] = {
	{ "empty file", "", { NULL } },
	{ "globals only", "interval = 60;\nretries = 0;\n", { NULL } },
	{ "departments, zero devices", DEPT "devices = ();\n", { NULL } },
	{ "one valid device", ONE(DEV("p1", "")), { NULL } },
	{ "leap day 2024", ONE(DEV("p1", "in_service = \"2024-02-29\";")), { NULL } },
	{ "leap day 2000", ONE(DEV("p1", "in_service = \"2000-02-29\";")), { NULL } },
	{ "ipv6 host", ONE(DEVF("p1", "2001:db8::1", "printer", "urbanisme", "")), { NULL } },
	{ "v3 noAuthNoPriv", SNMP("{ version = \"3\"; user = \"gf\"; level = \"noAuthNoPriv\"; }"),
	    { NULL } },

	{ "quota and smtp", "smtp = { url = \"smtp://127.0.0.1:25\"; from = \"gf@m.example\";\n"
	    " cc = [ \"it@m.example\" ]; language = \"en\"; digest = \"weekly\"; };\n"
	    "departments = (\n  { id = \"u\"; name = \"U\"; head = \"h@m.example\";\n"
	    "    quota = { period = \"quarter\"; budget = 9000; colour_weight = 8; }; }\n);\n",
	    { NULL } },
	{ "quota errors", "departments = (\n  { id = \"u\"; name = \"U\";\n"
	    "    quota = { period = \"week\";\n      thresholds = [ 80, 50 ]; }; }\n);\n",
	    { ":3: period: 'week' is not one of month, quarter, year",
	      ":4: thresholds: 50 is out of range or order",
	      ":3: quota: set mono, colour and/or budget" } },
	{ "quota without period", "departments = (\n  { id = \"u\"; name = \"U\";\n"
	    "    quota = { mono = -5; }; }\n);\n",
	    { ":3: mono: -5 is out of range", ":3: quota: missing required key 'period'",
	      ":3: quota: set mono, colour and/or budget" } },
	{ "web group", "web = { listen = \"[::1]:8443\"; users_file = \"/etc/gf/users\";\n"
	    " cert = \"/c.pem\"; key = \"/k.pem\"; url = \"https://gf.example/\"; };\n", { NULL } },
	{ "web errors", "web = {\n listen = \"127.0.0.1\";\n users_file = \"users\";\n"
	    " cert = \"/c.pem\";\n url = \"javascript:alert(1)\";\n bind = 1; };\n",
	    { ":2: listen: '127.0.0.1' is not host:port",
	      ":3: users_file: 'users' is not an absolute path",
	      ":1: web: give both cert and key (HTTPS), or neither (HTTP)",
	      ":5: url: 'javascript:alert(1)' must be an http:// or https:// address",
	      ":6: unknown key 'bind'" } },
	{ "web listen port and v6", "web = {\n listen = \"::1:8080\"; };\nweb2 = 1;\n",
	    { ":2: listen: '::1:8080' is not host:port" , ":3: unknown key 'web2'" } },
	{ "web listen port range", "web = {\n listen = \"127.0.0.1:65536\"; };\n",
	    { ":2: listen: '127.0.0.1:65536' is not host:port" } },
	{ "smtp header injection", "smtp = { url = \"smtp://x:25\";\n from = \"a@b.example\";\n"
	    " cc = [ \"ok@b.example\", \"x@b.example\\r\\nBcc: evil@e.example\" ]; };\n",
	    { ":3: cc: 'x@b.example\\x0d\\x0aBcc: evil@e.example' is not a valid e-mail address" } },
	{ "smtp bad url and language", "smtp = {\n url = \"http://x:25\";\n from = \"a@b.example\";\n"
	    " language = \"de\";\n user = \"u\"; };\n",
	    { ":2: url: 'http://x:25' must start with smtp:// or smtps://",
	      ":4: language: 'de' is not one of fr, en",
	      ":1: smtp: give both user and password, or neither" } },
	{ "smtp ca_file missing", "smtp = { url = \"smtp://x:25\"; from = \"a@b.example\";\n"
	    " ca_file = \"/nonexistent/ca.pem\"; };\n",
	    { ":2: ca_file: cannot read '/nonexistent/ca.pem': No such file or directory" } },
	{ "smtp ca_file readable", "smtp = { url = \"smtp://x:25\"; from = \"a@b.example\";\n"
	    " ca_file = \"/dev/null\"; starttls = 1; };\n", { NULL } },

	{ "parse error", "interval = 300;\ndevices = ( { ;\n", { ":2: syntax error" } },
	{ "repeated setting", "interval = 300;\ninterval = 5;\n",
	    { ":2: duplicate setting name" } },
	{ "unknown top key", "interval = 300;\ncolour = \"red\";\n",
	    { ":2: unknown key 'colour'" } },
	{ "string for integer", "interval = \"300\";\n", { ":1: interval: expected an integer" } },
	{ "float for integer", "\ntimeout_ms = 1.5;\n", { ":2: timeout_ms: expected an integer" } },
	{ "integer for string", "data_dir = 5;\n", { ":1: data_dir: expected a string" } },
	{ "interval too small", "interval = 5;\n",
	    { ":1: interval: 5 is out of range (10..86400)" } },
	{ "global ranges",
	    "retries = 11;\nconcurrency = 0;\ntimeout_ms = 60001;\ninterval = 86401;\n",
	    { ":1: retries: 11 is out of range (0..10)",
	    ":2: concurrency: 0 is out of range (1..65536)",
	    ":3: timeout_ms: 60001 is out of range (10..60000)",
	    ":4: interval: 86401 is out of range (10..86400)" } },
	{ "relative data_dir", "data_dir = \"var/gf\";\n",
	    { ":1: data_dir: 'var/gf' is not an absolute path" } },
	{ "empty rrdcached", "rrdcached = \"\";\n", { ":1: rrdcached: must not be empty" } },
	{ "rrdcached newline", "rrdcached = \"unix:/run/x\\n\";\n",
	    { ":1: rrdcached: contains control characters" } },
	{ "devices not a list", "devices = \"x\";\n",
	    { ":1: devices: expected a list of groups" } },
	{ "devices elements not groups", "devices = ( 1,\n 2 );\n",
	    { ":1: devices: expected a group", ":2: devices: expected a group" } },
	{ "departments not a list", "\ndepartments = { id = \"a\"; };\n",
	    { ":2: departments: expected a list of groups" } },

	{ "department unknown key",
	    "departments = (\n  { id = \"a\"; name = \"A\"; budget = 5; }\n);\n",
	    { ":2: unknown key 'budget'" } },
	{ "department missing name", "departments = (\n  { id = \"a\"; }\n);\n",
	    { ":2: department: missing required key 'name'" } },
	{ "department missing id", "departments = (\n  { name = \"A\"; }\n);\n",
	    { ":2: department: missing required key 'id'" } },
	{ "department unsafe id", "departments = (\n  { id = \"../etc\"; name = \"A\"; }\n);\n",
	    { ":2: department id '../etc' is unsafe as a file name "
	    "(use [A-Za-z0-9._-], no leading dot)" } },
	{ "duplicate department id",
	    "departments = (\n  { id = \"a\"; name = \"A\"; },\n  { id = \"b\"; name = \"B\"; },\n"
	    "  { id = \"a\"; name = \"A2\"; }\n);\n",
	    { ":4: duplicate department id 'a' (first at line 2)" } },
	{ "head with CRLF header injection", HEAD("a@b\\r\\nBcc: x@y"),
	    { ":2: head: contains control characters" } },
	{ "head with two @", HEAD("a@b@c"), { ":2: head: 'a@b@c' is not a valid e-mail address" } },
	{ "head with display name", HEAD("Chef <chef@x>"),
	    { ":2: head: 'Chef <chef@x>' is not a valid e-mail address" } },
	{ "head without local part", HEAD("@mairie.example"),
	    { ":2: head: '@mairie.example' is not a valid e-mail address" } },
	{ "head with comma", HEAD("a@b,c@d"),
	    { ":2: head: 'a@b,c@d' is not a valid e-mail address" } },
	{ "name with tab", NAME("Urba\\tnisme"), { ":2: name: contains control characters" } },
	{ "name with DEL", NAME("Urba\\x7fnisme"), { ":2: name: contains control characters" } },
	{ "name with NEL (C1)", NAME("Urba\xc2\x85nisme"), { ":2: name: contains control characters" } },
	{ "name with CSI (C1)", NAME("Urba\xc2\x9bnisme"), { ":2: name: contains control characters" } },
	{ "name with U+2028", NAME("Urba\xe2\x80\xa8nisme"),
	    { ":2: name: contains control characters" } },
	{ "name with RLO", NAME("Urba\xe2\x80\xaenisme"), { ":2: name: contains control characters" } },
	{ "name with LRI", NAME("Urba\xe2\x81\xa6nisme"), { ":2: name: contains control characters" } },
	{ "name with RLM", NAME("Urba\xe2\x80\x8fnisme"), { ":2: name: contains control characters" } },
	{ "name with backslash-n", NAME("Urba\\\\nnisme"), { NULL } },
	{ "name not UTF-8", NAME("Urba\\xffnisme"), { ":2: name: not valid UTF-8" } },
	/* One UTF-8 validator (text.c): conf.c's own copy let these two through. */
	{ "name with an overlong form", NAME("Urba\xe0\x80\xafnisme"), { ":2: name: not valid UTF-8" } },
	{ "name with a surrogate", NAME("Urba\xed\xa0\x80nisme"), { ":2: name: not valid UTF-8" } },
	{ "name UTF-8", NAME("Urbanisme & Am\xc3\xa9nagement"), { NULL } },

	{ "device unknown key", ONE(DEV("p1", "colour = \"red\";")),
	    { ":3: unknown key 'colour'" } },
	{ "device missing host",
	    ONE("{ id = \"p1\"; kind = \"printer\"; department = \"urbanisme\"; "
	    "snmp = { version = \"1\"; community = \"public\"; }; }"),
	    { ":3: device: missing required key 'host'" } },
	{ "device missing snmp",
	    ONE("{ id = \"p1\"; host = \"h\"; kind = \"printer\"; department = \"urbanisme\"; }"),
	    { ":3: device: missing required key 'snmp'" } },
	{ "device missing id, kind, department",
	    ONE("{ host = \"h\"; snmp = { version = \"1\"; community = \"public\"; }; }"),
	    { ":3: device: missing required key 'id'", ":3: device: missing required key 'kind'",
	    ":3: device: missing required key 'department'" } },
	{ "unknown department", ONE(DEVF("p1", "h", "printer", "finances", "")),
	    { ":3: unknown department 'finances'" } },
	{ "no departments at all",
	    "devices = (\n  " DEV("p1", "") "\n);\n", { ":2: unknown department 'urbanisme'" } },
	{ "bad kind", ONE(DEVF("p1", "h", "scanner", "urbanisme", "")),
	    { ":3: kind: 'scanner' is not one of printer, workstation" } },
	{ "port 0", ONE(DEV("p1", "port = 0;")), { ":3: port: 0 is out of range (1..65535)" } },
	{ "port 70000", ONE(DEV("p1", "port = 70000;")),
	    { ":3: port: 70000 is out of range (1..65535)" } },
	{ "port as string", ONE(DEV("p1", "port = \"161\";")),
	    { ":3: port: expected an integer" } },
	{ "device timeout out of range", ONE(DEV("p1", "timeout_ms = 5;")),
	    { ":3: timeout_ms: 5 is out of range (10..60000)" } },
	{ "device retries out of range", ONE(DEV("p1", "retries = -1;")),
	    { ":3: retries: -1 is out of range (0..10)" } },
	{ "host with underscore", ONE(DEVF("p1", "printer_1", "printer", "urbanisme", "")),
	    { ":3: host: 'printer_1' is not a host name or IP address" } },
	{ "host with space", ONE(DEVF("p1", "a b", "printer", "urbanisme", "")),
	    { ":3: host: 'a b' is not a host name or IP address" } },
	{ "empty host", ONE(DEVF("p1", "", "printer", "urbanisme", "")),
	    { ":3: host: must not be empty" } },
	{ "date 2023-02-29", ONE(DEV("p1", "in_service = \"2023-02-29\";")),
	    { ":3: in_service: '2023-02-29': no such day (February 2023 has 28 days)" } },
	{ "date 2024-13-01", ONE(DEV("p1", "in_service = \"2024-13-01\";")),
	    { ":3: in_service: '2024-13-01': no month 13 (months are 01 to 12)" } },
	{ "date yesterday", ONE(DEV("p1", "in_service = \"yesterday\";")),
	    { ":3: in_service: 'yesterday': not a date (want YYYY-MM-DD)" } },
	{ "date 2023-04-31", ONE(DEV("p1", "in_service = \"2023-04-31\";")),
	    { ":3: in_service: '2023-04-31': no such day (April 2023 has 30 days)" } },
	{ "date 2100-02-29", ONE(DEV("p1", "in_service = \"2100-02-29\";")),
	    { ":3: in_service: '2100-02-29': no such day (February 2100 has 28 days)" } },
	{ "date 1969-12-31", ONE(DEV("p1", "in_service = \"1969-12-31\";")),
	    { ":3: in_service: '1969-12-31': year 1969 is before 1970" } },
	{ "date 2024-1-05", ONE(DEV("p1", "in_service = \"2024-1-05\";")),
	    { ":3: in_service: '2024-1-05': not a date (want YYYY-MM-DD)" } },
	{ "date 2026-06-00", ONE(DEV("p1", "in_service = \"2026-06-00\";")),
	    { ":3: in_service: '2026-06-00': no day 00 (days start at 01)" } },
	{ "date with trailing junk", ONE(DEV("p1", "in_service = \"2024-01-05x\";")),
	    { ":3: in_service: '2024-01-05x': not a date (want YYYY-MM-DD)" } },
	{ "date with a sign", ONE(DEV("p1", "in_service = \"+024-01-05\";")),
	    { ":3: in_service: '+024-01-05': not a date (want YYYY-MM-DD)" } },
	{ "in service in the future", ONE(DEV("p1", "in_service = \"2999-01-01\";")),
	    { ":3: in_service: '2999-01-01' is in the future (today is " } },
	{ "retirement planned", ONE(DEV("p1", "retired = \"2999-01-01\";")), { NULL } },
	{ "retired 2025-02-29", ONE(DEV("p1", "retired = \"2025-02-29\";")),
	    { ":3: retired: '2025-02-29': no such day (February 2025 has 28 days)" } },
	{ "unsafe id ../etc", ONE(DEV("../etc", "")),
	    { ":3: device id '../etc' is unsafe as a file name "
	    "(use [A-Za-z0-9._-], no leading dot)" } },
	{ "unsafe id .hidden", ONE(DEV(".hidden", "")), { ":3: device id '.hidden' is unsafe" } },
	{ "unsafe id a/b", ONE(DEV("a/b", "")), { ":3: device id 'a/b' is unsafe" } },
	{ "unsafe id x y", ONE(DEV("x y", "")), { ":3: device id 'x y' is unsafe" } },
	{ "empty id", ONE(DEV("", "")), { ":3: id: must not be empty" } },
	{ "id too long",
	    ONE(DEV("a123456789b123456789c123456789d123456789e123456789f123456789g1234", "")),
	    { ":3: id: longer than 64 characters" } },
	{ "duplicate device ids",
	    DEPT "devices = (\n  " DEV("a", "") ",\n  " DEV("b", "") ",\n  " DEV("a", "")
	    ",\n  " DEV("a", "") "\n);\n",
	    { ":5: duplicate device id 'a' (first at line 3)",
	    ":6: duplicate device id 'a' (first at line 3)" } },

	{ "snmp not a group", SNMP("\"public\""), { ":4: snmp: expected a group" } },
	{ "snmp unknown key", SNMP("{ version = \"2c\"; community = \"public\"; colour = 1; }"),
	    { ":4: unknown key 'colour'" } },
	{ "snmp missing version", SNMP("{ community = \"public\"; }"),
	    { ":4: snmp: missing required key 'version'" } },
	{ "snmp version 2", SNMP("{ version = \"2\"; community = \"public\"; }"),
	    { ":4: version: '2' is not one of 1, 2c, 3" } },
	{ "snmp version as integer", SNMP("{ version = 3; community = \"public\"; }"),
	    { ":4: version: expected a string" } },
	{ "v2c missing community", SNMP("{ version = \"2c\"; }"),
	    { ":4: snmp: missing required key 'community'" } },
	{ "v2c empty community", SNMP("{ version = \"2c\"; community = \"\"; }"),
	    { ":4: community: must not be empty" } },
	{ "v2c with user", SNMP("{ version = \"2c\"; community = \"public\"; user = \"gf\"; }"),
	    { ":4: snmp: 'user' is only for version 3" } },
	{ "v1 with auth_password",
	    SNMP("{ version = \"1\"; community = \"public\"; auth_password = \"12345678\"; }"),
	    { ":4: snmp: 'auth_password' is only for version 3" } },
	{ "v3 with community",
	    SNMP("{ version = \"3\"; user = \"gf\"; level = \"noAuthNoPriv\"; "
	    "community = \"x\"; }"),
	    { ":4: snmp: 'community' is only for versions 1 and 2c" } },
	{ "v3 missing user", SNMP("{ version = \"3\"; level = \"noAuthNoPriv\"; }"),
	    { ":4: snmp: missing required key 'user' for version 3" } },
	{ "v3 missing priv_password",
	    SNMP("{ version = \"3\"; user = \"gf\"; auth_password = \"authpass1\"; }"),
	    { ":4: snmp: missing required key 'priv_password' for level authPriv" } },
	{ "v3 authNoPriv missing auth_password",
	    SNMP("{ version = \"3\"; user = \"gf\"; level = \"authNoPriv\"; }"),
	    { ":4: snmp: missing required key 'auth_password' for level authNoPriv" } },
	{ "v3 short password",
	    SNMP("{ version = \"3\"; user = \"gf\"; auth_password = \"short\"; "
	    "priv_password = \"privpass1\"; }"),
	    { ":4: auth_password: must be at least 8 characters" } },
	{ "v3 priv_password unused by level",
	    SNMP("{ version = \"3\"; user = \"gf\"; level = \"authNoPriv\"; "
	    "auth_password = \"authpass1\"; priv_password = \"privpass1\"; }"),
	    { ":4: snmp: 'priv_password' is not used with level authNoPriv" } },
	{ "v3 bad level", SNMP("{ version = \"3\"; user = \"gf\"; level = \"authpriv\"; }"),
	    { ":4: level: 'authpriv' is not one of noAuthNoPriv, authNoPriv, authPriv" } },
	{ "v3 bad auth_protocol",
	    SNMP("{ version = \"3\"; user = \"gf\"; auth_protocol = \"SHA1\"; "
	    "auth_password = \"authpass1\"; priv_password = \"privpass1\"; }"),
	    { ":4: auth_protocol: 'SHA1' is not one of MD5, SHA, SHA-224, SHA-256, SHA-384, "
	    "SHA-512" } },
	{ "v3 bad priv_protocol",
	    SNMP("{ version = \"3\"; user = \"gf\"; priv_protocol = \"3DES\"; "
	    "auth_password = \"authpass1\"; priv_password = \"privpass1\"; }"),
	    { ":4: priv_protocol: '3DES' is not one of DES, AES" } },

	{ "several errors, all reported",
	    "interval = 5;\n"
	    "departments = (\n"
	    "  { id = \"a\"; name = \"A\"; head = \"nobody\"; }\n"
	    ");\n"
	    "devices = (\n"
	    "  " DEVF("p1", "h", "printer", "a", "colour = 1;") ",\n"
	    "  " DEVF("p1", "h", "printer", "b", "in_service = \"2023-02-29\";") "\n"
	    ");\n",
	    { ":1: interval: 5 is out of range (10..86400)",
	    ":3: head: 'nobody' is not a valid e-mail address",
	    ":6: unknown key 'colour'",
	    ":7: unknown department 'b'",
	    ":7: in_service: '2023-02-29': no such day (February 2023 has 28 days)",
	    ":7: duplicate device id 'p1' (first at line 6)" } },
};

/* Writes TEXT to a new temporary file with MODE; returns its malloc'ed path. */
static char *
write_temp(const char *text, mode_t mode)
{
	const char *dir = getenv("TMPDIR");
	size_t len;
	char *path;
	FILE *f;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	len = strlen(dir) + sizeof("/test_conf.XXXXXX");
	path = malloc(len);
	snprintf(path, len, "%s/test_conf.XXXXXX", dir);
	if ((fd = mkstemp(path)) == -1 || fchmod(fd, mode) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* Loads PATH and returns the config; *OUT receives everything printed to errs. */
static struct gf_conf *
load(const char *path, char **out)
{
	struct gf_conf *conf;
	size_t len;
	FILE *f;

	if ((f = open_memstream(out, &len)) == NULL) {
		perror("open_memstream");
		exit(2);
	}
	conf = conf_load(path, f);
	fclose(f);
	return conf;
}

/* Returns the number of lines of S. */
static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* Checks that OUT holds PATH followed by WANT somewhere, i.e. "PATH:LINE: message". */
static int
has_error(const char *out, const char *path, const char *want)
{
	size_t len = strlen(path) + strlen(want) + 1;
	char *s = malloc(len);
	int found;

	snprintf(s, len, "%s%s", path, want);
	found = strstr(out, s) != NULL;
	free(s);
	return found;
}

/* Runs one table row. */
static void
run_case(const struct tcase *tc)
{
	char *path = write_temp(tc->text, 0600);
	char *out = NULL;
	struct gf_conf *conf = load(path, &out);
	size_t i, n = 0;

	for (i = 0; i < nitems(tc->expect) && tc->expect[i] != NULL; i++, n++)
		if (!ok(has_error(out, path, tc->expect[i]), "%s: reports '%s'", tc->name,
		    tc->expect[i]))
			tap_diag("got: %s", out);
	if (n == 0)
		ok(conf != NULL, "%s: loads", tc->name);
	else
		ok(conf == NULL, "%s: is rejected", tc->name);
	if (!ok(count_lines(out) == (int)n, "%s: %zu line(s) of output", tc->name, n))
		tap_diag("got: %s", out);
	conf_free(conf);
	free(out);
	unlink(path);
	free(path);
}

static const char full_text[] =
    "data_dir = \"/srv/gf\";\n"
    "interval = 60;\n"
    "timeout_ms = 2000;\n"
    "retries = 3;\n"
    "concurrency = 32;\n"
    "rrdcached = \"unix:/run/rrdcached.sock\";\n"
    "departments = (\n"
    "  { id = \"urbanisme\"; name = \"Urbanisme\"; head = \"chef.urbanisme@mairie.example\"; },\n"
    "  { id = \"etat-civil\"; name = \"\xc3\x89tat civil\"; }\n"
    ");\n"
    "devices = (\n"
    "  { id = \"copieur-rdc\"; host = \"192.0.2.10\"; kind = \"printer\";\n"
    "    department = \"etat-civil\"; in_service = \"2016-03-01\";\n"
    "    snmp = { version = \"1\"; community = \"public\"; }; },\n"
    "  { id = \"copieur-1er\"; host = \"printer1.mairie.example\"; port = 1161;\n"
    "    kind = \"printer\"; department = \"urbanisme\"; timeout_ms = 800; retries = 0;\n"
    "    snmp = { version = \"2c\"; community = \"s3cret\"; }; },\n"
    "  { id = \"poste_12\"; host = \"2001:db8::12\"; kind = \"workstation\";\n"
    "    department = \"urbanisme\";\n"
    "    snmp = { version = \"3\"; user = \"gf\"; level = \"authPriv\";\n"
    "      auth_protocol = \"SHA-256\"; auth_password = \"authpass1\";\n"
    "      priv_protocol = \"DES\"; priv_password = \"privpass1\"; }; },\n"
    "  { id = \"poste.13\"; host = \"poste13\"; kind = \"workstation\";\n"
    "    department = \"urbanisme\";\n"
    "    snmp = { version = \"3\"; user = \"gf2\"; level = \"noAuthNoPriv\"; }; }\n"
    ");\n";

/* Checks the globals and departments of the full config. */
static void
check_full_globals(const struct gf_conf *c, const char *path)
{
	ok(strcmp(c->path, path) == 0, "full: path");
	ok(strcmp(c->data_dir, "/srv/gf") == 0, "full: data_dir");
	ok(c->interval == 60, "full: interval 60");
	ok(c->timeout_ms == 2000, "full: timeout_ms 2000");
	ok(c->retries == 3, "full: retries 3");
	ok(c->concurrency == 32, "full: concurrency 32");
	ok(c->rrdcached != NULL && strcmp(c->rrdcached, "unix:/run/rrdcached.sock") == 0,
	    "full: rrdcached");
	ok(c->has_secrets == 1, "full: has_secrets");
	ok(c->ndepts == 2 && c->ndevices == 4, "full: 2 departments, 4 devices");
	ok(strcmp(c->depts[0].head, "chef.urbanisme@mairie.example") == 0, "full: head");
	ok(c->depts[1].head == NULL, "full: head is optional");
	ok(strcmp(c->depts[1].name, "\xc3\x89tat civil") == 0, "full: UTF-8 name");
	ok(c->depts[1].line == 9, "full: department line 9");
}

/* Checks the four devices of the full config. */
static void
check_full_devices(const struct gf_device *d)
{
	ok(strcmp(d[0].id, "copieur-rdc") == 0 && d[0].line == 12, "full: device 0 id, line");
	ok(d[0].dept == 1 && d[1].dept == 0, "full: department indexes");
	ok(d[0].port == 161 && d[1].port == 1161, "full: port default 161 and override");
	ok(d[0].timeout_ms == 2000 && d[0].retries == 3, "full: device inherits timeout, retries");
	ok(d[1].timeout_ms == 800 && d[1].retries == 0, "full: device overrides timeout, retries");
	ok(strcmp(d[0].in_service, "2016-03-01") == 0 && d[1].in_service[0] == '\0',
	    "full: in_service");
	ok(d[0].kind == GF_KIND_PRINTER && d[2].kind == GF_KIND_WORKSTATION, "full: kinds");
	ok(d[0].snmp.version == GF_SNMP_V1 && strcmp(d[0].snmp.community, "public") == 0,
	    "full: v1 community");
	ok(d[1].snmp.version == GF_SNMP_V2C && strcmp(d[1].snmp.community, "s3cret") == 0,
	    "full: v2c community");
	ok(d[2].snmp.version == GF_SNMP_V3 && strcmp(d[2].snmp.user, "gf") == 0 &&
	    d[2].snmp.community == NULL, "full: v3 user");
	ok(d[2].snmp.level == GF_SEC_AUTHPRIV && d[2].snmp.auth_proto == GF_AUTH_SHA256 &&
	    d[2].snmp.priv_proto == GF_PRIV_DES, "full: v3 level and protocols");
	ok(strcmp(d[2].snmp.auth_pass, "authpass1") == 0 &&
	    strcmp(d[2].snmp.priv_pass, "privpass1") == 0, "full: v3 passwords");
	ok(d[3].snmp.level == GF_SEC_NOAUTH && d[3].snmp.auth_proto == GF_AUTH_SHA &&
	    d[3].snmp.priv_proto == GF_PRIV_AES && d[3].snmp.auth_pass == NULL,
	    "full: v3 defaults");
	ok(strcmp(d[2].host, "2001:db8::12") == 0, "full: IPv6 host");
}

/* Loads a complete config and checks the parsed values. */
static void
test_full(void)
{
	char *path = write_temp(full_text, 0600);
	char *out = NULL;
	struct gf_conf *c = load(path, &out);

	if (!ok(c != NULL && *out == '\0', "full: loads without output"))
		tap_diag("got: %s", out);
	if (c != NULL) {
		check_full_globals(c, path);
		check_full_devices(c->devices);
	}
	conf_free(c);
	free(out);
	unlink(path);
	free(path);
}

/* An empty file gets every default. */
static void
test_defaults(void)
{
	char *path = write_temp("", 0600);
	char *out = NULL;
	struct gf_conf *c = load(path, &out);

	if (ok(c != NULL, "defaults: loads")) {
		ok(strcmp(c->data_dir, "/var/lib/greenfleet") == 0, "defaults: data_dir");
		ok(c->interval == 300 && c->timeout_ms == 1500 && c->retries == 1 &&
		    c->concurrency == 256, "defaults: integers");
		ok(c->rrdcached == NULL && c->has_secrets == 0,
		    "defaults: no rrdcached, no secrets");
		ok(c->ndevices == 0 && c->ndepts == 0, "defaults: no devices");
	}
	conf_free(c);
	free(out);
	unlink(path);
	free(path);
}

/* Loads TEXT written with MODE and checks whether the permission warning shows. */
static void
check_perm(const char *what, const char *text, mode_t mode, int want_warning)
{
	static const char warning[] = ": warning: file holds SNMP secrets but is readable by "
	    "group or others (chmod 600)\n";
	char *path = write_temp(text, mode);
	char *out = NULL;
	struct gf_conf *c = load(path, &out);

	ok(c != NULL, "%s: loads", what);
	if (!ok(has_error(out, path, warning) == want_warning &&
	    count_lines(out) == want_warning, "%s: %s", what,
	    want_warning ? "warns" : "does not warn"))
		tap_diag("got: %s", out);
	conf_free(c);
	free(out);
	unlink(path);
	free(path);
}

/* A secret-bearing file readable by others is accepted with a warning. */
static void
test_permissions(void)
{
	const char *secret = ONE(DEVF("p1", "h", "printer", "urbanisme", "")
	    ",\n" "{ id = \"p2\"; host = \"h\"; kind = \"printer\"; department = \"urbanisme\"; "
	    "snmp = { version = \"2c\"; community = \"private\"; }; }");
	const char *v3 = SNMP("{ version = \"3\"; user = \"gf\"; level = \"authNoPriv\"; "
	    "auth_password = \"authpass1\"; }");

	check_perm("community 0644", secret, 0644, 1);
	check_perm("community 0600", secret, 0600, 0);
	check_perm("community 0640", secret, 0640, 1);
	check_perm("v3 password 0604", v3, 0604, 1);
	check_perm("public only 0644", ONE(DEV("p1", "")), 0644, 0);
}

/* A missing file or a directory is reported as unreadable. */
static void
test_unreadable(void)
{
	const char *dir = getenv("TMPDIR");
	char *out = NULL;
	struct gf_conf *c;

	c = load("/nonexistent/greenfleet.conf", &out);
	ok(c == NULL && strcmp(out, "/nonexistent/greenfleet.conf: cannot read: "
	    "No such file or directory\n") == 0, "missing file: cannot read");
	free(out);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	c = load(dir, &out);
	ok(c == NULL && strstr(out, ": cannot read: Is a directory\n") != NULL,
	    "directory: cannot read");
	free(out);
}

/* The shipped example must load; its mode in a checkout decides whether it warns. */
static void
test_example(void)
{
	const char *srcdir = getenv("srcdir");
	char path[4096], *out = NULL;
	struct gf_conf *c;

	snprintf(path, sizeof(path), "%s/conf/greenfleet.conf.example",
	    srcdir != NULL ? srcdir : ".");
	if (access(path, R_OK) == -1) {
		ok(1, "example # SKIP %s not found", path);
		return;
	}
	c = load(path, &out);
	if (!ok(c != NULL && c->ndepts == 1 && c->ndevices == 3, "example: loads"))
		tap_diag("got: %s", out);
	ok(strstr(out, "error") == NULL && count_lines(out) <= 1, "example: no errors");
	conf_free(c);
	free(out);
}

/* gf_id_is_safe and conf_kind_name on their own. */
static void
test_helpers(void)
{
	static const char *const good[] = { "a", "copieur-rdc", "poste_12", "x.y", "A-9", "-x" };
	static const char *const bad[] = { "", ".", "..", ".x", "a/b", "x y", "é", "a\n",
	    "a123456789b123456789c123456789d123456789e123456789f123456789g1234" };
	size_t i;

	for (i = 0; i < nitems(good); i++)
		ok(gf_id_is_safe(good[i]), "safe id '%s'", good[i]);
	for (i = 0; i < nitems(bad); i++)
		ok(!gf_id_is_safe(bad[i]), "unsafe id #%zu", i);
	ok(strcmp(conf_kind_name(GF_KIND_PRINTER), "printer") == 0, "kind name printer");
	ok(strcmp(conf_kind_name(GF_KIND_WORKSTATION), "workstation") == 0,
	    "kind name workstation");
	conf_free(NULL);
	ok(1, "conf_free(NULL)");
}

/* One include case: files of a temporary directory D, the top file T, and exactly what is printed. */
struct inc_case {
	const char *what;
	const char *files[2][2];	/* name in D, text ("@D@" stands for D) */
	const char *top;
	const char *want;		/* "@D@" for D, "@T@" for the top file */
};

static const struct inc_case inc_cases[] = {
	{ "an @include in a string is text", { { NULL } },
	    "a = \"x\n@include \\\"@D@/nope\\\"\";\n", "" },
	{ "an @include in a block comment is a comment", { { NULL } },
	    "/*\n@include \"@D@/nope\"\n*/\nb = 1;\n", "" },
	{ "after a CR alone, no line beginning: libconfig's syntax error", { { NULL } },
	    "a = 1;\r@include \"@D@/nope\"\n", "@T@:1: syntax error\n" },
	{ "indented by blanks and tabs, a missing file", { { NULL } },
	    "b = 1;\n\t @include\t\"@D@/nope\"\n",
	    "@T@:2: @include \"@D@/nope\": No such file or directory\n" },
	{ "an included file's open comment hides the next @include, as in libconfig",
	    { { "c1", "/* open\n" } },
	    "@include \"@D@/c1\"\n@include \"@D@/nope\"\n*/\nb = 1;\n", "" },
	{ "a backslash in the name", { { NULL } },
	    "@include \"@D@/a\\\\b\"\n", "@T@:1: @include \"@D@/a\": a backslash in the file name\n" },
	{ "an unterminated name", { { NULL } },
	    "@include \"@D@/a", "@T@:1: @include \"@D@/a\": unterminated file name\n" },
	{ "an included file's syntax error names it", { { "c2", "x = ;\n" } },
	    "@include \"@D@/c2\"\n", "@D@/c2:1: syntax error\n" },
	{ "a directory included by an included file, at its line", { { "c3", "\n\n@include \"/\"\n" } },
	    "@include \"@D@/c3\"\n", "@D@/c3:3: @include \"/\": Is a directory\n" },
	{ "an included file read whole", { { "c4", "x = 5;\n" } },
	    "@include \"@D@/c4\"\ny = 6;\n", "" },
};

/* S with every "@D@" replaced by D and "@T@" by T; malloc'ed. */
static char *
subst(const char *s, const char *d, const char *t)
{
	size_t n = strlen(s) * (strlen(d) + strlen(t) + 1) + 1, i = 0;
	char *out = malloc(n);

	while (*s != '\0') {
		if (strncmp(s, "@D@", 3) == 0 || strncmp(s, "@T@", 3) == 0) {
			i += (size_t)snprintf(out + i, n - i, "%s", s[1] == 'D' ? d : t);
			s += 3;
		} else
			out[i++] = *s++;
	}
	out[i] = '\0';
	return out;
}

/* Writes TEXT (with "@D@" replaced) to DIR/NAME; returns the malloc'ed path. */
static char *
write_in(const char *dir, const char *name, const char *text)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len), *body = subst(text, dir, "");
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(body, f);
	fclose(f);
	free(body);
	return path;
}

/* cfgfile_read() on one case: what it prints, and 0 errors exactly when nothing is printed. */
static void
run_inc_case(const char *dir, const struct inc_case *ic)
{
	char *top, *want, *out = NULL, *paths[2] = { NULL, NULL };
	size_t len, i;
	config_t cfg;
	FILE *f;
	int n;

	for (i = 0; i < 2 && ic->files[i][0] != NULL; i++)
		paths[i] = write_in(dir, ic->files[i][0], ic->files[i][1]);
	top = write_in(dir, "top.conf", ic->top);
	want = subst(ic->want, dir, top);
	f = open_memstream(&out, &len);
	config_init(&cfg);
	n = cfgfile_read(&cfg, top, 0, f);
	config_destroy(&cfg);
	fclose(f);
	if (!ok(strcmp(out, want) == 0 && (n == 0) == (want[0] == '\0'), "include: %s", ic->what))
		tap_diag("want '%s', got '%s' (%d errors)", want, out, n);
	for (i = 0; i < 2; i++)
		if (paths[i] != NULL) {
			unlink(paths[i]);
			free(paths[i]);
		}
	unlink(top);
	free(top);
	free(want);
	free(out);
}

/* @include: libconfig's lexical rules followed exactly, bad targets named at their line. */
static void
test_includes(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], *top, *out = NULL;
	config_t cfg;
	size_t i, len;
	FILE *f;
	int n;

	snprintf(dir, sizeof(dir), "%s/test_inc.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		exit(2);
	}
	for (i = 0; i < nitems(inc_cases); i++)
		run_inc_case(dir, &inc_cases[i]);
	/* GF_CFG_NOINCLUDE: even a readable file is refused. */
	top = write_in(dir, "top.conf", "@include \"/dev/null\"\n");
	f = open_memstream(&out, &len);
	config_init(&cfg);
	n = cfgfile_read(&cfg, top, GF_CFG_NOINCLUDE, f);
	config_destroy(&cfg);
	fclose(f);
	ok(n == 1 && strstr(out, ":1: @include \"/dev/null\": includes are not allowed here\n"),
	    "include: refused with GF_CFG_NOINCLUDE");
	free(out);
	unlink(top);
	free(top);
	rmdir(dir);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		run_case(&cases[i]);
	test_full();
	test_defaults();
	test_permissions();
	test_unreadable();
	test_example();
	test_helpers();
	test_includes();
	return tap_done();
}
