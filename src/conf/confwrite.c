/* Devices written back as libconfig text that conf_load reads back the same. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "confwrite.h"
#include "text.h"

/* Configuration spellings, in the order of their enums (as conf_devices.c reads them). */
static const char *const version_names[] = { "1", "2c", "3" };
static const char *const level_names[] = { "noAuthNoPriv", "authNoPriv", "authPriv" };
static const char *const auth_names[] = { "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384",
	"SHA-512" };
static const char *const priv_names[] = { "DES", "AES" };
static const char *const hw_names[] = { "desktop", "laptop", "server", "printer" };

/* Writes S as a libconfig string literal: only the quote, the backslash and controls are escaped. */
void
confwrite_str(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* 1 if S can be written and conf_load accepts it back: not empty, no hidden character. */
static int
str_ok(const char *s)
{
	return s == NULL || (s[0] != '\0' && !gf_text_has_ctrl(s));
}

/* Writes `KEY = "S";` on a line of its own, indented. */
static void
put_str(FILE *f, const char *indent, const char *key, const char *s)
{
	fprintf(f, "%s%s = ", indent, key);
	confwrite_str(f, s);
	fputs(";\n", f);
}

/* Writes the snmp group of D: the keys its version and security level use, no others. */
static void
put_snmp(FILE *f, const struct gf_snmp_conf *sn)
{
	const char *in = "      ";

	fputs("    snmp = {\n", f);
	put_str(f, in, "version", version_names[sn->version]);
	if (sn->version != GF_SNMP_V3) {
		put_str(f, in, "community", sn->community != NULL ? sn->community : "public");
	} else {
		put_str(f, in, "user", sn->user);
		put_str(f, in, "level", level_names[sn->level]);
		if (sn->level >= GF_SEC_AUTHNOPRIV) {
			put_str(f, in, "auth_protocol", auth_names[sn->auth_proto]);
			put_str(f, in, "auth_password", sn->auth_pass);
		}
		if (sn->level >= GF_SEC_AUTHPRIV) {
			put_str(f, in, "priv_protocol", priv_names[sn->priv_proto]);
			put_str(f, in, "priv_password", sn->priv_pass);
		}
	}
	fputs("    };\n", f);
}

/* Whether D's strings can all be written: required ones present, none spanning lines. */
static int
device_ok(const struct gf_conf *conf, const struct gf_device *d)
{
	const struct gf_snmp_conf *sn = &d->snmp;

	if (d->id == NULL || d->host == NULL || d->dept < 0 || (size_t)d->dept >= conf->ndepts ||
	    conf->depts[d->dept].id == NULL)
		return 0;
	if (!str_ok(d->id) || !str_ok(d->host) || !str_ok(conf->depts[d->dept].id) ||
	    !str_ok(sn->community) || !str_ok(sn->user) || !str_ok(sn->auth_pass) ||
	    !str_ok(sn->priv_pass))
		return 0;
	if (sn->version == GF_SNMP_V3 && (sn->user == NULL ||
	    (sn->level >= GF_SEC_AUTHNOPRIV && sn->auth_pass == NULL) ||
	    (sn->level >= GF_SEC_AUTHPRIV && sn->priv_pass == NULL)))
		return 0;
	return 1;
}

/* Writes COMMENT as "# " lines, one per line of it; other control bytes become '?'. */
static void
put_comment(FILE *f, const char *comment)
{
	const unsigned char *p;

	fputs("  # ", f);
	for (p = (const unsigned char *)comment; *p != '\0'; p++) {
		if (*p == '\n' && p[1] != '\0')
			fputs("\n  # ", f);
		else if (*p >= 0x20 && *p != 0x7f)
			fputc(*p, f);
		else if (*p != '\n')
			fputc('?', f);
	}
	fputc('\n', f);
}

/* Writes the keys of D that differ from what CONF would give it by default. */
static void
put_optional(FILE *f, const struct gf_conf *conf, const struct gf_device *d)
{
	const char *in = "    ";
	enum gf_hw_type def = d->kind == GF_KIND_PRINTER ? GF_HW_PRINTER : GF_HW_DESKTOP;

	if (d->port != 161)
		fprintf(f, "%sport = %d;\n", in, d->port);
	if (d->in_service[0] != '\0')
		put_str(f, in, "in_service", d->in_service);
	if (d->retired[0] != '\0')
		put_str(f, in, "retired", d->retired);
	if (d->hw_type != def)
		put_str(f, in, "type", hw_names[d->hw_type]);
	if (d->timeout_ms != conf->timeout_ms)
		fprintf(f, "%stimeout_ms = %d;\n", in, d->timeout_ms);
	if (d->retries != conf->retries)
		fprintf(f, "%sretries = %d;\n", in, d->retries);
	if (d->max_ppm != conf->max_ppm)
		fprintf(f, "%smax_ppm = %d;\n", in, d->max_ppm);
	if (!d->spare_parts)
		fprintf(f, "%sspare_parts = false;\n", in);
	if (!d->pooled)
		fprintf(f, "%spooled = false;\n", in);
}

/* Writes D as one group of a devices list; -1 (nothing written) if a value cannot be. */
int
confwrite_device(FILE *f, const struct gf_conf *conf, const struct gf_device *d,
    const char *comment)
{
	const char *in = "    ";

	if (!device_ok(conf, d))
		return -1;
	if (comment != NULL)
		put_comment(f, comment);
	fputs("  {\n", f);
	put_str(f, in, "id", d->id);
	put_str(f, in, "host", d->host);
	put_str(f, in, "kind", conf_kind_name(d->kind));
	put_str(f, in, "department", conf->depts[d->dept].id);
	put_optional(f, conf, d);
	put_snmp(f, &d->snmp);
	fputs("  }", f);
	return 0;
}

/* Writes a whole devices file: every device of DEVS, comma-separated, COMMENTS[i] above each. */
int
confwrite_devices(FILE *f, const struct gf_conf *conf, const struct gf_device *devs, size_t n,
    const char *const *comments)
{
	size_t i, nw = 0;
	int rc = 0;

	fputs("devices = (\n", f);
	for (i = 0; i < n; i++) {
		if (!device_ok(conf, &devs[i])) {
			rc = -1;
			continue;
		}
		if (nw++ > 0)
			fputs(",\n", f);
		(void)confwrite_device(f, conf, &devs[i], comments != NULL ? comments[i] : NULL);
	}
	fputs(nw > 0 ? "\n);\n" : ");\n", f);
	return rc;
}
