/* Unit tests for confwrite.c: devices written, loaded back by conf_load, every field the same. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "confwrite.h"
#include "tap.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Globals that differ from the built-in defaults, so "differs from the default" is tested. */
#define BASE "timeout_ms = 900;\nretries = 2;\nmax_ppm = 120;\n" \
	"departments = ( { id = \"etat-civil\"; name = \"État civil\"; },\n" \
	"  { id = \"urbanisme\"; name = \"Urbanisme\"; } );\n"

/* Hostile strings: quotes, backslashes, UTF-8, libconfig comment and include markers. */
static const char *const hostile[] = {
	"pa\"ss\\word",
	"\\\"\\\\\"",
	"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x96\xa8",
	"# not a comment // nor /* this */",
	"@include \"/etc/passwd\"",
};

/* Writes TEXT to a new temporary file; returns its path (static) or NULL. */
static const char *
tmpfile_with(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/gf-confwrite-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return NULL;
	fputs(text, f);
	fclose(f);
	return path;
}

/* 1 if both strings are NULL or equal. */
static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* 1 if every field conf_load fills is the same in A and B. */
static int
device_same(const struct gf_device *a, const struct gf_device *b)
{
	const struct gf_snmp_conf *x = &a->snmp, *y = &b->snmp;
	int snmp;

	snmp = x->version == y->version && same(x->community, y->community) &&
	    same(x->user, y->user) && (x->version != GF_SNMP_V3 || (x->level == y->level &&
	    (x->level < GF_SEC_AUTHNOPRIV || (x->auth_proto == y->auth_proto &&
	    same(x->auth_pass, y->auth_pass))) && (x->level < GF_SEC_AUTHPRIV ||
	    (x->priv_proto == y->priv_proto && same(x->priv_pass, y->priv_pass)))));
	return snmp && same(a->id, b->id) && same(a->host, b->host) && a->port == b->port &&
	    a->kind == b->kind && a->dept == b->dept &&
	    strcmp(a->in_service, b->in_service) == 0 && strcmp(a->retired, b->retired) == 0 &&
	    a->timeout_ms == b->timeout_ms && a->retries == b->retries &&
	    a->max_ppm == b->max_ppm && a->hw_type == b->hw_type &&
	    a->spare_parts == b->spare_parts && a->pooled == b->pooled;
}

/* A device as conf_load would default it under BASE. */
static struct gf_device
dev_base(const char *id, const char *host, enum gf_kind kind)
{
	struct gf_device d;

	memset(&d, 0, sizeof(d));
	d.id = (char *)id;
	d.host = (char *)host;
	d.port = 161;
	d.kind = kind;
	d.dept = 0;
	d.timeout_ms = 900;
	d.retries = 2;
	d.max_ppm = 120;
	d.hw_type = kind == GF_KIND_PRINTER ? GF_HW_PRINTER : GF_HW_DESKTOP;
	d.spare_parts = 1;
	d.pooled = 1;
	d.snmp.version = GF_SNMP_V2C;
	d.snmp.community = "public";
	d.snmp.level = GF_SEC_AUTHPRIV;
	d.snmp.auth_proto = GF_AUTH_SHA;
	d.snmp.priv_proto = GF_PRIV_AES;
	return d;
}

/* Devices covering every key, each hostile string once as a community and once as a v3 secret. */
static size_t
make_devices(struct gf_device *v, size_t max)
{
	size_t n = 0, i;
	char *id;

	v[n++] = dev_base("p1", "127.0.0.1", GF_KIND_PRINTER);
	v[n] = dev_base("ws-1", "::1", GF_KIND_WORKSTATION);
	v[n].port = 1161;
	v[n].dept = 1;
	strcpy(v[n].in_service, "2019-03-01");
	strcpy(v[n].retired, "2024-02-29");
	v[n].hw_type = GF_HW_LAPTOP;
	v[n].timeout_ms = 1500;
	v[n].retries = 0;
	v[n].max_ppm = 300;
	v[n].spare_parts = 0;
	v[n].pooled = 0;
	v[n++].snmp.version = GF_SNMP_V1;
	for (i = 0; i < nitems(hostile) && n + 2 <= max; i++) {
		id = malloc(16);
		snprintf(id, 16, "c%zu", i);
		v[n] = dev_base(id, "printer.example.org", GF_KIND_PRINTER);
		v[n++].snmp.community = (char *)hostile[i];
		id = malloc(16);
		snprintf(id, 16, "v%zu", i);
		v[n] = dev_base(id, "127.0.1.2", GF_KIND_WORKSTATION);
		v[n].snmp.version = GF_SNMP_V3;
		v[n].snmp.community = NULL;
		v[n].snmp.user = i % 2 || strlen(hostile[i]) > 32 ? "gf" : (char *)hostile[i];
		v[n].snmp.level = (enum gf_sec_level)(i % 3);
		v[n].snmp.auth_proto = (enum gf_auth_proto)(i % 6);
		v[n].snmp.priv_proto = (enum gf_priv_proto)(i % 2);
		v[n].snmp.auth_pass = "auth-\"pass\\phrase\xc3\xa9";
		v[n++].snmp.priv_pass = (char *)(strlen(hostile[i]) >= 8 ? hostile[i] : "12345678");
	}
	return n;
}

/* Round trip: write every device under BASE, load the file, compare each device. */
static void
test_roundtrip(void)
{
	struct gf_device devs[32];
	struct gf_conf *base, *back;
	char *text = NULL;
	size_t len = 0, n, i;
	const char *path;
	FILE *f;
	int rc;

	n = make_devices(devs, nitems(devs));
	path = tmpfile_with(BASE);
	base = path != NULL ? conf_load(path, stderr) : NULL;
	if (path != NULL)
		unlink(path);
	if (!tap_ok(base != NULL, "base configuration loads"))
		return;
	f = open_memstream(&text, &len);
	fputs(BASE, f);
	rc = confwrite_devices(f, base, devs, n, NULL);
	fclose(f);
	tap_ok(rc == 0, "every device written");
	path = tmpfile_with(text);
	back = path != NULL ? conf_load(path, stderr) : NULL;
	if (path != NULL)
		unlink(path);
	if (!tap_ok(back != NULL && back->ndevices == n, "written file loads with %zu devices", n)) {
		tap_diag("%s", text);
	} else {
		for (i = 0; i < n; i++)
			tap_ok(device_same(&devs[i], &back->devices[i]), "device %s reads back the same",
			    devs[i].id);
	}
	for (i = 2; i < n; i++)
		free(devs[i].id);
	free(text);
	conf_free(back);
	conf_free(base);
}

/* A device that cannot be written: nothing of it is written, its neighbours still are. */
static void
test_refused(void)
{
	struct gf_device devs[3];
	struct gf_conf *base, *back;
	const char *path;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	devs[0] = dev_base("a", "127.0.0.1", GF_KIND_PRINTER);
	devs[1] = dev_base("b", "127.0.0.2", GF_KIND_PRINTER);
	devs[1].snmp.community = "tab\there";
	devs[2] = dev_base("c", "127.0.0.3", GF_KIND_PRINTER);
	devs[2].dept = 7;
	path = tmpfile_with(BASE);
	base = conf_load(path, stderr);
	unlink(path);
	f = open_memstream(&text, &len);
	tap_ok(confwrite_device(f, base, &devs[1], NULL) == -1, "control byte in a value refused");
	tap_ok(confwrite_device(f, base, &devs[2], NULL) == -1, "unknown department refused");
	fflush(f);
	tap_ok(len == 0, "nothing written for a refused device");
	fputs(BASE, f);
	tap_ok(confwrite_devices(f, base, devs, 3, (const char *const[]){ "first\nline\x01two",
	    NULL, NULL }) == -1, "a file with refused devices says so");
	fclose(f);
	tap_ok(strstr(text, "  # first\n  # line?two\n  {") != NULL, "comment lines, control as ?");
	path = tmpfile_with(text);
	back = conf_load(path, stderr);
	unlink(path);
	tap_ok(back != NULL && back->ndevices == 1 && strcmp(back->devices[0].id, "a") == 0,
	    "the rest loads: one device");
	free(text);
	conf_free(back);
	conf_free(base);
}

/* confwrite_str escapes exactly the quote, the backslash and control bytes. */
static void
test_str(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	confwrite_str(f, "a\"b\\c\td\xc3\xa9");
	fclose(f);
	tap_ok(strcmp(text, "\"a\\\"b\\\\c\\x09d\xc3\xa9\"") == 0, "confwrite_str: %s", text);
	free(text);
}

int
main(void)
{
	test_str();
	test_roundtrip();
	test_refused();
	return tap_done();
}
