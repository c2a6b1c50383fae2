/* greenfleet discover: SNMP discovery of addresses into a devices file and a table. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "confwrite.h"
#include "date.h"
#include "discover.h"
#include "discover_fleet.h"
#include "netrange.h"
#include "poller.h"
#include "store.h"
#include "store_device.h"
#include "text.h"
#include "xmalloc.h"

#define MAX_TARGETS	1024
#define MAX_CREDS	16
#define WIDE_LIMIT	65536		/* a /16: wider needs --force */

struct dargs {
	struct gf_netrange targets[MAX_TARGETS];
	size_t ntargets;
	struct gf_snmp_conf creds[MAX_CREDS];
	size_t ncreds;
	struct disc_opts o;
	const char *out;
	const char *dept;
	int force;
	int stats;			/* --stats: a summary line on stderr at the end */
	enum gf_fmt fmt;
};

static const struct gf_text_col disc_text[] = {
	{ "address", -15, NULL, NULL, 0 }, { "state", -7, NULL, NULL, 0 },
	{ "class", -11, NULL, NULL, 0 }, { "id", -24, NULL, NULL, 0 },
	{ "department", -14, NULL, NULL, 0 }, { "vendor", -14, NULL, NULL, 0 },
	{ "serial", -16, NULL, NULL, 0 }, { "pages", -5, NULL, NULL, 0 },
	{ "in_service", -10, NULL, NULL, 0 }, { "model", -1, NULL, NULL, 40 },
};

/* Adds the comma-separated targets of S; -1 after saying what is wrong. */
static int
add_targets(struct dargs *a, const char *s)
{
	char *copy = xstrdup(s), *tok, *save = NULL, why[128];
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, ",", &save)) {
		if (a->ntargets == MAX_TARGETS) {
			fprintf(stderr, "greenfleet: more than %d targets\n", MAX_TARGETS);
			rc = -1;
		} else if (netrange_parse(tok, &a->targets[a->ntargets], why, sizeof(why)) != 0) {
			fprintf(stderr, "greenfleet: target '%.64s': %s\n", tok, why);
			rc = -1;
		} else if (netrange_size(&a->targets[a->ntargets]) > WIDE_LIMIT && !a->force) {
			fprintf(stderr, "greenfleet: target '%.64s' is wider than a /16 (%llu "
			    "addresses): pass --force to sweep it\n", tok,
			    (unsigned long long)netrange_size(&a->targets[a->ntargets]));
			rc = -1;
		} else {
			a->ntargets++;
		}
	}
	free(copy);
	return rc;
}

/* Adds one v1/v2c credential per community of the comma-separated list S ("2c" unless V1). */
static int
add_communities(struct dargs *a, const char *s, int v1)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (a->ncreds == MAX_CREDS || strlen(tok) > 255 || gf_text_has_ctrl(tok)) {
			fprintf(stderr, "greenfleet: at most %d communities of 1 to 255 printable "
			    "characters\n", MAX_CREDS);
			rc = -1;
			break;
		}
		a->creds[a->ncreds].version = v1 ? GF_SNMP_V1 : GF_SNMP_V2C;
		a->creds[a->ncreds++].community = xstrdup(tok);
	}
	free(copy);
	return rc;
}

/* Index of S in NAMES (NULL-terminated), or -1. */
static int
name_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* Reads "USER:LEVEL[:AUTH:AUTHPASS[:PRIV:PRIVPASS]]" into C; -1 if it is not that. */
static int
v3_spec(const char *spec, struct gf_snmp_conf *c)
{
	static const char *const levels[] = { "noAuthNoPriv", "authNoPriv", "authPriv", NULL };
	static const char *const auths[] = { "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384",
		"SHA-512", NULL };
	static const char *const privs[] = { "DES", "AES", NULL };
	char *copy = xstrdup(spec), *f[7], *save = NULL;
	int n = 0, lv, ok;

	for (f[n] = strtok_r(copy, ":", &save); f[n] != NULL && n < 6; f[n] = strtok_r(NULL, ":", &save))
		n++;
	lv = n >= 2 ? name_index(levels, f[1]) : -1;
	ok = lv >= 0 && f[n] == NULL && n == 2 + 2 * lv && strlen(f[0]) <= 32 && !gf_text_has_ctrl(spec) &&
	    (lv < 1 || (name_index(auths, f[2]) >= 0 && strlen(f[3]) >= 8)) &&
	    (lv < 2 || (name_index(privs, f[4]) >= 0 && strlen(f[5]) >= 8));
	if (ok) {
		memset(c, 0, sizeof(*c));
		c->version = GF_SNMP_V3;
		c->user = xstrdup(f[0]);
		c->level = (enum gf_sec_level)lv;
		c->auth_proto = lv >= 1 ? (enum gf_auth_proto)name_index(auths, f[2]) : GF_AUTH_SHA;
		c->auth_pass = lv >= 1 ? xstrdup(f[3]) : NULL;
		c->priv_proto = lv >= 2 ? (enum gf_priv_proto)name_index(privs, f[4]) : GF_PRIV_AES;
		c->priv_pass = lv >= 2 ? xstrdup(f[5]) : NULL;
	}
	free(copy);
	return ok ? 0 : -1;
}

/* Adds the v3 credential SPEC, or one per line of @FILE (kept out of ps). */
static int
add_v3(struct dargs *a, const char *spec)
{
	char line[1024];
	FILE *f;
	int rc = 0;

	if (spec[0] != '@') {
		if (a->ncreds < MAX_CREDS && v3_spec(spec, &a->creds[a->ncreds]) == 0) {
			a->ncreds++;
			return 0;
		}
		fprintf(stderr, "greenfleet: --v3 takes USER:LEVEL[:AUTH:PASS[:PRIV:PASS]] (pass "
		    "phrases of 8 or more characters, at most %d credentials)\n", MAX_CREDS);
		return -1;
	}
	if ((f = fopen(spec + 1, "r")) == NULL) {
		fprintf(stderr, "greenfleet: %.200s: %s\n", spec + 1, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '\0' && line[0] != '#')
			rc = add_v3(a, line);
	}
	fclose(f);
	return rc;
}

/* Reads integer option value S into *V within LO..HI; -1 after saying so. */
static int
int_arg(const char *name, const char *s, int lo, int hi, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "greenfleet: %s takes a number from %d to %d\n", name, lo, hi);
		return -1;
	}
	*v = (int)n;
	return 0;
}

/* Takes option argv[*k] and its value; 1 taken, 0 not an option of ours, -1 bad value. */
static int
take_opt(struct dargs *a, int argc, char **argv, int *k)
{
	const char *opt = argv[*k], *v = *k + 1 < argc ? argv[*k + 1] : NULL;
	int rc;

	if (v == NULL)
		return 0;
	if (strcmp(opt, "--community") == 0 || strcmp(opt, "--community-v1") == 0)
		rc = add_communities(a, v, opt[11] == '-');
	else if (strcmp(opt, "--v3") == 0)
		rc = add_v3(a, v);
	else if (strcmp(opt, "--concurrency") == 0)
		rc = int_arg(opt, v, 1, 65536, &a->o.concurrency);
	else if (strcmp(opt, "--rate") == 0)
		rc = int_arg(opt, v, 1, 100000, &a->o.rate);
	else if (strcmp(opt, "--timeout") == 0)
		rc = int_arg(opt, v, 10, 60000, &a->o.timeout_ms);
	else if (strcmp(opt, "--retries") == 0)
		rc = int_arg(opt, v, 0, 10, &a->o.retries);
	else if (strcmp(opt, "--port") == 0)
		rc = int_arg(opt, v, 1, 65535, &a->o.port);
	else if (strcmp(opt, "--department") == 0)
		a->dept = v, rc = 0;
	else if (strcmp(opt, "-o") == 0)
		a->out = v, rc = 0;
	else
		return 0;
	++*k;
	return rc == 0 ? 1 : -1;
}

/* Parses the command line into A; 0, or 2 (usage error, said). */
static int
parse_args(struct dargs *a, int argc, char **argv)
{
	int k, f;

	for (k = 1; k < argc; k++)
		if (strcmp(argv[k], "--force") == 0)
			a->force = 1;
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--force") == 0)
			continue;
		if (strcmp(argv[k], "--stats") == 0) {
			a->stats = 1;
			continue;
		}
		if ((f = cli_format(argc, argv, &k, &a->fmt)) < 0)
			return 2;
		if (f == 1)
			continue;
		if ((f = take_opt(a, argc, argv, &k)) < 0)
			return 2;
		if (f == 1)
			continue;
		if (argv[k][0] == '-')
			return cli_usage("discover", stderr);
		if (add_targets(a, argv[k]) != 0)
			return 2;
	}
	if (a->ntargets == 0)
		return cli_usage("discover", stderr);
	if (a->ncreds == 0)
		(void)add_communities(a, "public", 0);
	return 0;
}

/* The progress line on a terminal: addresses done, answering, datagrams per second. */
static void
progress(void *arg, const struct disc_stats *st)
{
	double s = (double)(st->now_ms - st->start_ms) / 1000;

	(void)arg;
	fprintf(stderr, "\rdiscover: %llu/%llu addresses, %llu answering, %.0f packets/s   ",
	    (unsigned long long)st->done, (unsigned long long)st->total,
	    (unsigned long long)st->found, s > 0 ? (double)st->sent / s : 0.0);
	if (st->done == st->total)
		fputc('\n', stderr);
}

/* The serial the store last read for each configured device (NULL entries when unknown). */
static char **
stored_serials(const struct gf_conf *conf)
{
	struct gf_store *s;
	struct gf_status st;
	char **v, err[512];
	size_t i;

	/* No state yet (never polled): no serials to compare, and nothing to say. */
	if ((s = store_open_err(conf, GF_STORE_RO, err, sizeof(err))) == NULL)
		return NULL;
	v = xcalloc(conf->ndevices + 1, sizeof(*v));
	for (i = 0; i < conf->ndevices; i++)
		if (store_get_status(s, conf->devices[i].id, &st) == 0 && st.serial[0] != '\0')
			v[i] = xstrdup(st.serial);
	store_close(s);
	return v;
}

/* The comment above a written device: what was found, and when. */
static char *
prop_comment(const struct disc_prop *p)
{
	const struct gf_class_info *in = &p->h->info;
	char today[11] = "", *c;
	size_t n = 512;

	gf_date_day(time(NULL), today);
	c = xmalloc(n);
	snprintf(c, n, "discovered %s: %s, %s%s%s%s%s%s%s", today, classify_name(in->cls),
	    in->model[0] ? in->model : "no sysDescr", in->serial[0] ? ", serial " : "", in->serial,
	    in->profile[0] ? ", profile " : "", in->profile,
	    in->age_src != NULL ? ", in_service from " : "", in->age_src != NULL ? in->age_src : "");
	return c;
}

/* 1 if configured device D was read from FILE (both resolved). */
static int
same_file(const struct gf_device *d, const char *real)
{
	char r[PATH_MAX];

	return real != NULL && d->file != NULL && realpath(d->file, r) != NULL &&
	    strcmp(r, real) == 0;
}

/* Writes DEVS (with COMMENTS) to PATH through a temporary file and a rename; -1 after saying why. */
static int
write_atomic(const struct gf_conf *conf, const char *path, const struct gf_device *devs,
    size_t n, const char *const *comments, int secret)
{
	char *tmp = xmalloc(strlen(path) + 8);
	FILE *f;
	int fd, rc;

	sprintf(tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1 || fchmod(fd, secret ? 0600 : 0644) != 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "greenfleet: %s: %s\n", path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	fprintf(f, "# Written by greenfleet discover; read through devices_dir.\n");
	rc = confwrite_devices(f, conf, devs, n, comments);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "greenfleet: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		rc = -1;
	} else if (rc != 0) {
		fprintf(stderr, "greenfleet: %s: a device could not be written safely and was left out\n",
		    path);
	}
	free(tmp);
	return rc;
}

/*
 * Writes -o FILE: the devices it already held (configured from it), then the
 * new printers and hosts that have a department. Returns 0 or 1.
 */
static int
write_devices(const struct gf_conf *conf, const struct disc_fleet *fl, const struct dargs *a)
{
	struct gf_device *devs = xcalloc(conf->ndevices + fl->n + 1, sizeof(*devs));
	char **comments = xcalloc(conf->ndevices + fl->n + 1, sizeof(*comments));
	char (*hosts)[16] = xcalloc(fl->n + 1, sizeof(*hosts));
	char real[PATH_MAX], *r = realpath(a->out, real);
	size_t i, n = 0, nodept = 0;
	int secret = 0, rc;

	for (i = 0; i < conf->ndevices; i++)
		if (same_file(&conf->devices[i], r))
			devs[n++] = conf->devices[i];
	for (i = 0; i < fl->n; i++) {
		if (fl->v[i].state != DS_NEW || fl->v[i].h->info.cls == GF_CLASS_OTHER)
			continue;
		if (!fl->v[i].configurable) {
			nodept++;
			continue;
		}
		disc_fleet_device(conf, &fl->v[i], a->creds, a->o.port, hosts[i], &devs[n]);
		comments[n++] = prop_comment(&fl->v[i]);
	}
	for (i = 0; i < n; i++)
		if (devs[i].snmp.version == GF_SNMP_V3 || strcmp(devs[i].snmp.community, "public") != 0)
			secret = 1;
	rc = write_atomic(conf, a->out, devs, n, (const char *const *)comments, secret) != 0;
	if (nodept > 0)
		fprintf(stderr, "greenfleet: %zu new device(s) have no department and were not written: "
		    "add a discover map rule or pass --department\n", nodept);
	for (i = 0; i < n; i++)
		free(comments[i]);
	free(comments);
	free(hosts);
	free(devs);
	return rc;
}

/* Frees what parse_args allocated. */
static void
dargs_free(struct dargs *a)
{
	size_t i;

	for (i = 0; i < a->ncreds; i++) {
		free(a->creds[i].community);
		free(a->creds[i].user);
		free(a->creds[i].auth_pass);
		free(a->creds[i].priv_pass);
	}
}

/* Runs the discovery of A, compares it with CONF, prints it and writes -o; 0, 1 or 2. */
static int
run(struct gf_conf *conf, struct dargs *a)
{
	struct disc_result res;
	struct disc_fleet fl;
	struct gf_rows rows;
	static const struct gf_text t = { disc_text, 10, 1 };
	char **serials;
	int dept = -1, rc = 0;
	size_t i;

	for (i = 0; a->dept != NULL && i < conf->ndepts; i++)
		if (strcmp(conf->depts[i].id, a->dept) == 0)
			dept = (int)i;
	if (a->dept != NULL && dept < 0) {
		fprintf(stderr, "greenfleet: --department '%.64s' is not a configured department\n",
		    a->dept);
		return 2;
	}
	a->o.targets = a->targets;
	a->o.ntargets = a->ntargets;
	a->o.creds = a->creds;
	a->o.ncreds = a->ncreds;
	a->o.profiles = conf->profiles;
	a->o.progress = isatty(STDERR_FILENO) ? progress : NULL;
	poller_initialise();
	rc = discover_run(&a->o, &res);
	poller_finalise();
	if (rc != 0)
		return 1;
	if (a->stats)
		fprintf(stderr, "discover: %llu addresses, %llu answering, %llu datagrams in %.3f s\n",
		    (unsigned long long)res.st.total, (unsigned long long)res.st.found,
		    (unsigned long long)res.st.sent, (double)(res.st.now_ms - res.st.start_ms) / 1000);
	serials = stored_serials(conf);
	disc_fleet_build(conf, &res, a->targets, a->ntargets, (const char *const *)serials, dept, &fl);
	if (a->out != NULL)
		rc = write_devices(conf, &fl, a);
	disc_fleet_rows(conf, &fl, a->creds, &rows);
	out_rows(stdout, a->fmt, &rows, &t);
	rows_free(&rows);
	for (i = 0; serials != NULL && i < conf->ndevices; i++)
		free(serials[i]);
	free(serials);
	disc_fleet_free(&fl);
	disc_result_free(&res);
	return rc;
}

/* "discover TARGET... [--community LIST] [--concurrency N] [--rate PPS] ... [-o FILE]". */
int
cmd_discover(struct gf_conf *conf, int argc, char **argv)
{
	struct dargs *a = xcalloc(1, sizeof(*a));
	int rc;

	a->o.port = 161;
	a->o.concurrency = DISC_CONCURRENCY;
	a->o.rate = DISC_RATE;
	a->o.timeout_ms = DISC_TIMEOUT_MS;
	a->o.retries = DISC_RETRIES;
	a->fmt = GF_FMT_TEXT;
	if ((rc = parse_args(a, argc, argv)) == 0)
		rc = run(conf, a);
	dargs_free(a);
	free(a);
	return rc;
}
