/*
 * greenfleet import FILE.csv: an inventory export (GLPI, Snipe-IT, any CSV)
 * matched to the configured devices, by the serial the daemon read, then by
 * name or host; what it says is written to the import file, which is loaded
 * back with the whole configuration before it replaces the old one.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "cli_import.h"
#include "confwrite.h"
#include "csvread.h"
#include "date.h"
#include "store_device.h"
#include "xmalloc.h"

static const struct gf_text_col report_text[] = {
	{ "line", 5, "LINE", NULL, 0 }, { "device", -16, "DEVICE", NULL, 0 },
	{ "by", -6, "BY", NULL, 0 }, { "result", -9, "RESULT", NULL, 0 },
	{ "key", -10, "KEY", NULL, 0 }, { "value", -12, "VALUE", NULL, 40 },
	{ "current", -12, "CURRENT", NULL, 40 }, { "note", -1, "NOTE", NULL, 0 },
};

/* Takes "--location TEXT=DEPT" or "--column KEY=HEADER" argument ARG; -1 after saying why. */
static int
pair_arg(struct imp_run *run, const char *opt, char *arg)
{
	char *eq = strchr(arg, '=');
	int k;

	if (eq == NULL || eq == arg || eq[1] == '\0') {
		fprintf(stderr, "greenfleet: %s wants NAME=VALUE, not '%.60s'\n", opt, arg);
		return -1;
	}
	*eq = '\0';
	if (strcmp(opt, "--column") == 0) {
		if ((k = imp_key_parse(arg)) < 0) {
			fprintf(stderr, "greenfleet: --column: no key '%.32s' (name, serial, host, "
			    "in_service, type, location, status, entity, category, model, retired)\n", arg);
			return -1;
		}
		run->want[k] = eq + 1;
		return 0;
	}
	if (run->nlocs >= IMP_MAX_LOCS) {
		fprintf(stderr, "greenfleet: more than %d --location\n", IMP_MAX_LOCS);
		return -1;
	}
	run->locs[run->nlocs].match = arg;
	run->locs[run->nlocs++].dept = eq + 1;
	return 0;
}

/* Parses the command line into RUN; -1 on a usage error (said), -2 a bad format (said). */
static int
parse_args(struct imp_run *run, int argc, char **argv)
{
	int i, f;

	for (i = 1; i < argc; i++) {
		if ((f = cli_format(argc, argv, &i, &run->fmt)) != 0) {
			if (f < 0)
				return -2;
		} else if (strcmp(argv[i], "--force") == 0) {
			run->force = 1;
		} else if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0) {
			run->dry_run = 1;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			run->out = argv[++i];
		} else if ((strcmp(argv[i], "--column") == 0 || strcmp(argv[i], "--location") == 0) &&
		    i + 1 < argc) {
			if (pair_arg(run, argv[i], argv[i + 1]) != 0)
				return -2;
			i++;
		} else if (argv[i][0] != '-' && run->file == NULL) {
			run->file = argv[i];
		} else {
			return -1;
		}
	}
	return run->file == NULL ? -1 : 0;
}

/* Checks that every --location names a configured department. */
static int
check_locs(const struct imp_run *run)
{
	size_t i, j;

	for (i = 0; i < run->nlocs; i++) {
		for (j = 0; j < run->conf->ndepts; j++)
			if (strcmp(run->conf->depts[j].id, run->locs[i].dept) == 0)
				break;
		if (j == run->conf->ndepts) {
			fprintf(stderr, "greenfleet: --location: no department '%.64s' in %s\n",
			    run->locs[i].dept, run->conf->path);
			return -1;
		}
	}
	return 0;
}

/* The serial the store holds for each device; without a store, matching uses names and hosts. */
static void
load_serials(struct imp_run *run)
{
	const struct gf_conf *conf = run->conf;
	struct gf_status st;
	struct gf_store *s;
	char err[512];
	size_t i;

	run->serials = xcalloc(conf->ndevices + 1, sizeof(*run->serials));
	s = store_open_err(conf, GF_STORE_RO, err, sizeof(err));
	if (s == NULL)
		fprintf(stderr, "greenfleet: %s: matching by name and host only\n", err);
	for (i = 0; i < conf->ndevices; i++) {
		memset(&st, 0, sizeof(st));
		if (s != NULL && store_get_status(s, conf->devices[i].id, &st) != 0)
			st.serial[0] = '\0';
		run->serials[i] = xstrdup(st.serial);
	}
	if (s != NULL)
		store_close(s);
}

/* A copy of S without the blanks around it. */
static char *
trimmed(const char *s)
{
	char *t;
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

/*
 * The device whose serial (KEY IMP_SERIAL) or id is V, else the one device
 * whose host is V (several devices behind one address name none); -1.
 */
static int
find_device(const struct imp_run *run, int key, const char *v)
{
	int found = -1;
	size_t i;

	for (i = 0; i < run->conf->ndevices; i++) {
		if (key == IMP_SERIAL) {
			if (run->serials[i][0] != '\0' && strcasecmp(run->serials[i], v) == 0)
				return (int)i;
		} else if (strcasecmp(run->conf->devices[i].id, v) == 0)
			return (int)i;
	}
	for (i = 0; key != IMP_SERIAL && i < run->conf->ndevices; i++)
		if (strcasecmp(run->conf->devices[i].host, v) == 0) {
			if (found >= 0)
				return -1;
			found = (int)i;
		}
	return found;
}

/* Finds the device row R names: by serial first, then by name, then by host. */
static void
match_row(const struct imp_run *run, struct imp_row *r)
{
	static const struct {
		int key;
		const char *by;
	} order[] = { { IMP_SERIAL, "serial" }, { IMP_NAME, "name" }, { IMP_HOST, "host" } };
	const char *v;
	size_t k;

	for (k = 0; k < 3; k++) {
		if ((v = r->cell[order[k].key]) == NULL || v[0] == '\0')
			continue;
		if ((r->dev = find_device(run, order[k].key, v)) >= 0) {
			r->by = order[k].by;
			return;
		}
	}
}

/* Makes a row of the record just read (RC as csv_next gave it) and matches it. */
static void
add_row(struct imp_run *run, const struct gf_csv *c, int rc, const struct imp_columns *m,
    size_t nhead)
{
	struct imp_row *r;
	char why[300];
	int k, any = 0;

	if (run->nrows == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 256;
		run->rows = xreallocarray(run->rows, run->cap, sizeof(*run->rows));
	}
	r = &run->rows[run->nrows++];
	memset(r, 0, sizeof(*r));
	r->line = c->line;
	r->dev = -1;
	if (rc == 2) {
		/* c->err is "FILE:LINE: why"; the report has the line. */
		r->why = xstrdup(strstr(c->err, ": ") != NULL ? strstr(c->err, ": ") + 2 : c->err);
		return;
	}
	if (c->nfields != nhead) {
		snprintf(why, sizeof(why), "%zu fields, the header has %zu", c->nfields, nhead);
		r->why = xstrdup(why);
		return;
	}
	for (k = 0; k < IMP_NKEYS; k++)
		if (m->col[k] >= 0) {
			r->cell[k] = trimmed(c->fields[m->col[k]]);
			any |= (k == IMP_SERIAL || k == IMP_NAME || k == IMP_HOST) && r->cell[k][0];
		}
	if (!any)
		r->why = xstrdup("no serial, name or host");
	else
		match_row(run, r);
}

/* Reads the inventory into run->rows; -1 after saying why nothing can be imported. */
static int
read_rows(struct imp_run *run, const unsigned char *buf, size_t len)
{
	struct imp_columns m;
	struct gf_csv c;
	char err[300];
	size_t nhead;
	int rc;

	csv_open(&c, run->file, buf, len);
	if ((rc = csv_next(&c)) != 1) {
		fprintf(stderr, "greenfleet: %s\n", rc == 0 ? "the file is empty" : c.err);
		csv_close(&c);
		return -1;
	}
	if (imp_map_header(&m, c.fields, c.nfields, run->want, err, sizeof(err)) != 0) {
		fprintf(stderr, "greenfleet: %s:%u: %s\n", run->file, c.line, err);
		csv_close(&c);
		return -1;
	}
	nhead = c.nfields;
	while ((rc = csv_next(&c)) > 0)
		add_row(run, &c, rc, &m, nhead);
	if (rc < 0)
		fprintf(stderr, "greenfleet: %s; nothing imported\n", c.err);
	csv_close(&c);
	return rc < 0 ? -1 : 0;
}

/* Writes " KEY = VALUE;" as libconfig reads it back the same (confwrite quotes and escapes). */
static void
write_key(FILE *f, const char *key, const char *value)
{
	fprintf(f, " %s = ", key);
	confwrite_str(f, value);
	fputc(';', f);
}

/* Writes device D's entry of the import file: PENDING values over those imported before. */
static void
write_entry(FILE *f, const struct gf_conf *conf, const struct gf_device *d,
    const struct imp_pending *p)
{
	unsigned keys = (d->imported & ~p->keys) | p->keys;

	fprintf(f, "  {");
	write_key(f, "id", d->id);
	if (keys & GF_SET_IN_SERVICE)
		write_key(f, "in_service", p->keys & GF_SET_IN_SERVICE ? p->in_service :
		    d->in_service);
	if (keys & GF_SET_TYPE)
		write_key(f, "type", conf_hw_name(p->keys & GF_SET_TYPE ?
		    (enum gf_hw_type)p->hw_type : d->hw_type));
	if (keys & GF_SET_DEPT)
		write_key(f, "department", conf->depts[p->keys & GF_SET_DEPT ? p->dept :
		    d->dept].id);
	if (keys & GF_SET_RETIRED)
		write_key(f, "retired", p->keys & GF_SET_RETIRED ? p->retired : d->retired);
	fprintf(f, " }");
}

/* Writes the import file's text to F; returns the number of devices in it. */
static size_t
write_file(FILE *f, const struct imp_run *run)
{
	const struct gf_conf *conf = run->conf;
	const struct gf_device *d;
	size_t i, n = 0;

	fprintf(f, "# Values from an inventory, merged by id into the devices of %s\n"
	    "# (greenfleet.conf(5), IMPORT). Written by greenfleet import on %s;\n"
	    "# the next import rewrites it. A value written in a device's own entry wins.\n"
	    "overrides = (\n", conf->path, run->today);
	for (i = 0; i < conf->ndevices; i++) {
		d = &conf->devices[i];
		if ((d->imported | run->pend[i].keys) == 0)
			continue;
		fprintf(f, "%s", n++ > 0 ? ",\n" : "");
		write_entry(f, conf, d, &run->pend[i]);
	}
	fprintf(f, "%s);\n", n > 0 ? "\n" : "");
	return n;
}

/* Checks temporary file TMP as the import file of the whole configuration. */
static int
verify(const struct imp_run *run, const char *tmp)
{
	struct gf_conf *back;
	char *errs = NULL;
	size_t errsz = 0;
	FILE *e = open_memstream(&errs, &errsz);

	if (e == NULL)
		return -1;
	back = conf_load_import(run->conf->path, tmp, e);
	fclose(e);
	if (back == NULL)
		fprintf(stderr, "greenfleet: the file written does not load, nothing replaced:\n%s",
		    errs != NULL ? errs : "");
	conf_free(back);
	free(errs);
	return back == NULL ? -1 : 0;
}

/* Writes run->out through a temporary file, checked, then renamed; -1 after saying why. */
static int
save(const struct imp_run *run, size_t *ndev)
{
	size_t n = strlen(run->out) + 16;
	char *tmp = xmalloc(n);
	FILE *f = NULL;
	int fd, rc = -1;

	snprintf(tmp, n, "%s.XXXXXX", run->out);
	if ((fd = mkstemp(tmp)) == -1 || fchmod(fd, 0644) != 0 || (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "greenfleet: %s: %s\n", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		free(tmp);
		return -1;
	}
	*ndev = write_file(f, run);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		fprintf(stderr, "greenfleet: %s: %s\n", tmp, strerror(errno));
	else if (verify(run, tmp) != 0)
		;	/* said */
	else if (rename(tmp, run->out) != 0)
		fprintf(stderr, "greenfleet: %s: %s\n", run->out, strerror(errno));
	else
		rc = 0;
	fclose(f);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Counts the rows of each state and prints them (stdout for text, stderr otherwise). */
static void
summary(const struct imp_run *run, int saved, size_t ndev)
{
	size_t n[4] = { 0, 0, 0, 0 }, i;
	FILE *f = run->fmt == GF_FMT_TEXT ? stdout : stderr;

	for (i = 0; i < run->nrows; i++)
		n[run->rows[i].state]++;
	fprintf(f, "%zu row%s: %zu matched, %zu unmatched, %zu with a conflict, %zu invalid\n",
	    run->nrows, run->nrows == 1 ? "" : "s", n[IMP_ROW_MATCHED], n[IMP_ROW_UNMATCHED], n[IMP_ROW_CONFLICT],
	    n[IMP_ROW_INVALID]);
	if (run->dry_run)
		fprintf(f, "dry run: nothing written\n");
	else if (saved)
		fprintf(f, "wrote %s (%zu devices)\n", run->out, ndev);
	if (saved && strcmp(run->out, run->conf->import_file) != 0)
		fprintf(stderr, "greenfleet: note: greenfleetd reads imported values from %s;"
		    " set import { file = \"...\"; } in %s to use %s\n", run->conf->import_file,
		    run->conf->path, run->out);
}

/* Frees what the run owns. */
static void
run_free(struct imp_run *run)
{
	size_t i;
	int k;

	for (i = 0; i < run->nrows; i++) {
		for (k = 0; k < IMP_NKEYS; k++)
			free(run->rows[i].cell[k]);
		free(run->rows[i].why);
	}
	free(run->rows);
	for (i = 0; run->serials != NULL && i < run->conf->ndevices; i++)
		free(run->serials[i]);
	free(run->serials);
	free(run->pend);
	rows_free(&run->report);
}

/* Reads, matches, judges, writes and reports; the exit status. */
static int
import(struct imp_run *run)
{
	static const struct gf_text t = { report_text, 8, 1 };
	unsigned char *buf;
	size_t len, ndev = 0;
	char err[300];
	int rc = 0;

	if (csv_slurp(run->file, &buf, &len, err, sizeof(err)) != 0) {
		fprintf(stderr, "greenfleet: %s\n", err);
		return 1;
	}
	load_serials(run);
	if (read_rows(run, buf, len) != 0)
		rc = 1;
	free(buf);
	if (rc == 0) {
		run->pend = xcalloc(run->conf->ndevices + 1, sizeof(*run->pend));
		imp_eval(run);
		if (!run->dry_run && save(run, &ndev) != 0)
			rc = 1;
		out_rows(stdout, run->fmt, &run->report, &t);
		summary(run, rc == 0 && !run->dry_run, ndev);
	}
	return rc;
}

int
cmd_import(struct gf_conf *conf, int argc, char **argv)
{
	struct imp_run run;
	int rc;

	memset(&run, 0, sizeof(run));
	run.conf = conf;
	run.fmt = GF_FMT_TEXT;
	if ((rc = parse_args(&run, argc, argv)) != 0)
		return rc == -2 ? 2 : cli_usage("import", stderr);
	if (check_locs(&run) != 0)
		return 2;
	if (run.out == NULL)
		run.out = conf->import_file;
	if (gf_date_today(run.today) != 0) {
		fprintf(stderr, "greenfleet: the clock gives no date\n");
		return 1;
	}
	rows_init(&run.report, imp_report_cols, IMP_REPORT_NCOLS);
	rc = import(&run);
	run_free(&run);
	return rc;
}
