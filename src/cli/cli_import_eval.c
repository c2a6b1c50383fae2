/*
 * greenfleet import: what each inventory row changes. A value the device's
 * own entry gives is never replaced (a conflict); one an earlier import gave
 * is replaced only with --force; a row that names a serial twice, or a device
 * another row names too, is refused whole.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_import.h"
#include "text.h"

const struct gf_col imp_report_cols[IMP_REPORT_NCOLS] = {
	{ "line", GF_COL_NUM }, { "device", GF_COL_STR }, { "by", GF_COL_STR },
	{ "result", GF_COL_STR }, { "key", GF_COL_STR }, { "value", GF_COL_STR },
	{ "current", GF_COL_STR }, { "note", GF_COL_STR },
};

/* A cell as the report shows it: one line, cleaned, at most ~100 bytes. */
static void
show(char *dst, size_t dstsz, const char *s)
{
	char flat[128];
	size_t i;

	snprintf(flat, sizeof(flat), "%s", s != NULL ? s : "");
	for (i = 0; flat[i] != '\0'; i++)
		if (flat[i] == '\n' || flat[i] == '\r' || flat[i] == '\t')
			flat[i] = ' ';
	gf_clean_str(dst, dstsz, (const unsigned char *)flat, strlen(flat));
}

/* Adds one report line for row R: RESULT of KEY (NULL: the whole row). */
static void
report(struct imp_run *run, const struct imp_row *r, const char *result, const char *key,
    const char *value, const char *current, const char *note)
{
	char line[16], v[128], cur[128], n[256];
	const char *c[IMP_REPORT_NCOLS];

	snprintf(line, sizeof(line), "%u", r->line);
	show(v, sizeof(v), value);
	show(cur, sizeof(cur), current);
	snprintf(n, sizeof(n), "%s", note != NULL ? note : "");
	c[0] = line;
	c[1] = r->dev >= 0 ? run->conf->devices[r->dev].id : NULL;
	c[2] = r->by;
	c[3] = result;
	c[4] = key;
	c[5] = value != NULL ? v : NULL;
	c[6] = current != NULL ? cur : NULL;
	c[7] = n;
	rows_add(&run->report, c);
}

/* Sorts row indices by serial, case-insensitively. */
static const struct imp_run *sort_run;
static int
by_serial(const void *a, const void *b)
{
	const struct imp_row *x = &sort_run->rows[*(const size_t *)a];
	const struct imp_row *y = &sort_run->rows[*(const size_t *)b];
	int c = strcasecmp(x->cell[IMP_SERIAL], y->cell[IMP_SERIAL]);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Refuses every row whose serial another row gives too: which one is right is not ours to say. */
static void
dup_serials(struct imp_run *run)
{
	size_t *idx = calloc(run->nrows + 1, sizeof(*idx)), n = 0, i, j;
	char why[200];

	if (idx == NULL)
		return;
	for (i = 0; i < run->nrows; i++)
		if (run->rows[i].cell[IMP_SERIAL] != NULL && run->rows[i].cell[IMP_SERIAL][0] != '\0')
			idx[n++] = i;
	sort_run = run;
	qsort(idx, n, sizeof(*idx), by_serial);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcasecmp(run->rows[idx[i]].cell[IMP_SERIAL],
		    run->rows[idx[j]].cell[IMP_SERIAL]) == 0; j++) {
			snprintf(why, sizeof(why), "serial also on line %u", run->rows[idx[i]].line);
			free(run->rows[idx[j]].why);
			run->rows[idx[j]].why = strdup(why);
		}
		if (j > i + 1) {
			snprintf(why, sizeof(why), "serial also on line %u", run->rows[idx[i + 1]].line);
			free(run->rows[idx[i]].why);
			run->rows[idx[i]].why = strdup(why);
		}
	}
	free(idx);
}

/* Refuses the rows that name a device another valid row names too. */
static void
dup_devices(struct imp_run *run)
{
	size_t nd = run->conf->ndevices, i;
	unsigned *first = calloc(nd + 1, sizeof(*first)), *second = calloc(nd + 1, sizeof(*second));
	struct imp_row *r;
	char why[200];

	for (i = 0; first != NULL && second != NULL && i < run->nrows; i++) {
		r = &run->rows[i];
		if (r->why != NULL || r->dev < 0)
			continue;
		if (first[r->dev] == 0)
			first[r->dev] = r->line;
		else if (second[r->dev] == 0)
			second[r->dev] = r->line;
	}
	for (i = 0; first != NULL && second != NULL && i < run->nrows; i++) {
		r = &run->rows[i];
		if (r->why != NULL || r->dev < 0 || second[r->dev] == 0)
			continue;
		snprintf(why, sizeof(why), "device also matched by line %u",
		    first[r->dev] == r->line ? second[r->dev] : first[r->dev]);
		r->why = strdup(why);
	}
	free(first);
	free(second);
}

/* Device D's current value of KEY, and whether its entry or the import file gave it. */
static const char *
current(const struct imp_run *run, const struct gf_device *d, unsigned key)
{
	if (!((d->set | d->imported) & key))
		return NULL;
	switch (key) {
	case GF_SET_IN_SERVICE: return d->in_service;
	case GF_SET_TYPE: return conf_hw_name(d->hw_type);
	case GF_SET_DEPT: return d->dept >= 0 ? run->conf->depts[d->dept].id : NULL;
	default: return d->retired;
	}
}

/* Records VALUE for KEY of row R's device: set, same, or a conflict. Returns 1 on a conflict. */
static int
propose(struct imp_run *run, const struct imp_row *r, const char *name, unsigned key,
    const char *value)
{
	const struct gf_device *d = &run->conf->devices[r->dev];
	struct imp_pending *p = &run->pend[r->dev];
	const char *cur = current(run, d, key);
	char note[200];

	if (cur != NULL && strcmp(cur, value) == 0) {
		report(run, r, "same", name, value, cur, NULL);
		return 0;
	}
	if (d->set & key) {
		snprintf(note, sizeof(note), "written in %.120s:%d, never replaced",
		    d->file != NULL ? d->file : run->conf->path, d->line);
		report(run, r, "conflict", name, value, cur, note);
		return 1;
	}
	if ((d->imported & key) && !run->force) {
		report(run, r, "conflict", name, value, cur, "imported earlier; --force replaces it");
		return 1;
	}
	report(run, r, "set", name, value, cur, cur != NULL ? "replaces an earlier import" : NULL);
	p->keys |= key;
	if (key == GF_SET_IN_SERVICE)
		memcpy(p->in_service, value, 11);
	else if (key == GF_SET_RETIRED)
		memcpy(p->retired, value, 11);
	else if (key == GF_SET_TYPE)
		p->hw_type = imp_hw_type(value);
	else
		for (p->dept = 0; p->dept < (int)run->conf->ndepts - 1 &&
		    strcmp(run->conf->depts[p->dept].id, value) != 0; p->dept++)
			;
	return 0;
}

/* Reads a date cell of key K; 1 and OUT, 0 absent, -1 reported invalid. */
static int
date_cell(struct imp_run *run, const struct imp_row *r, int k, char out[11])
{
	char why[120];
	const char *s = r->cell[k];

	if (s == NULL || s[0] == '\0')
		return 0;
	if (imp_date(s, out, why, sizeof(why)) != 0) {
		report(run, r, "invalid", imp_key_name(k), s, NULL, why);
		return -1;
	}
	if (k == IMP_IN_SERVICE && strcmp(out, run->today) > 0) {
		report(run, r, "invalid", imp_key_name(k), s, NULL, "in the future");
		return -1;
	}
	return 1;
}

/* The purchase date: in_service. Returns a count of conflicts (1) or invalid values (-1). */
static int
eval_in_service(struct imp_run *run, const struct imp_row *r)
{
	char day[11];
	int rc = date_cell(run, r, IMP_IN_SERVICE, day);

	if (rc < 0)
		return -1;
	return rc == 1 ? propose(run, r, "in_service", GF_SET_IN_SERVICE, day) : 0;
}

/* The type from the type, category or model cell, first that says something. */
static int
eval_type(struct imp_run *run, const struct imp_row *r)
{
	static const int keys[] = { IMP_TYPE, IMP_CATEGORY, IMP_MODEL };
	const struct gf_device *d = &run->conf->devices[r->dev];
	const char *said = NULL;
	char note[160];
	size_t i;
	int t = -1;

	for (i = 0; i < 3 && t < 0; i++)
		if (r->cell[keys[i]] != NULL && r->cell[keys[i]][0] != '\0') {
			said = said != NULL ? said : r->cell[keys[i]];
			if ((t = imp_hw_type(r->cell[keys[i]])) >= 0)
				said = r->cell[keys[i]];
		}
	if (said == NULL)
		return 0;
	if (t < 0) {
		report(run, r, "skipped", "type", said, NULL, "no known word (desktop, laptop, server)");
		return 0;
	}
	if ((t == GF_HW_PRINTER) != (d->kind == GF_KIND_PRINTER)) {
		snprintf(note, sizeof(note), "the inventory says %s, the device is a %s",
		    conf_hw_name((enum gf_hw_type)t), conf_kind_name(d->kind));
		report(run, r, "invalid", "type", said, NULL, note);
		return -1;
	}
	if (t == GF_HW_PRINTER)
		return 0;
	return propose(run, r, "type", GF_SET_TYPE, conf_hw_name((enum gf_hw_type)t));
}

/* The department from the location, else the entity. */
static int
eval_dept(struct imp_run *run, const struct imp_row *r)
{
	const char *loc = r->cell[IMP_LOCATION], *ent = r->cell[IMP_ENTITY], *said;
	int dept = -1;

	if (loc != NULL && loc[0] != '\0')
		dept = imp_location_dept(run->conf, run->locs, run->nlocs, loc);
	if (dept < 0 && ent != NULL && ent[0] != '\0')
		dept = imp_location_dept(run->conf, run->locs, run->nlocs, ent);
	said = loc != NULL && loc[0] != '\0' ? loc : ent;
	if (said == NULL || said[0] == '\0')
		return 0;
	if (dept < 0) {
		report(run, r, "skipped", "department", said, NULL,
		    "no department for this location (import.locations or --location)");
		return 0;
	}
	return propose(run, r, "department", GF_SET_DEPT, run->conf->depts[dept].id);
}

/* Retirement from a status that says so, on the retirement date given or today. */
static int
eval_retired(struct imp_run *run, const struct imp_row *r)
{
	const struct gf_device *d = &run->conf->devices[r->dev];
	const struct imp_pending *p = &run->pend[r->dev];
	const char *since;
	char day[11];
	int rc;

	if (r->cell[IMP_STATUS] == NULL || !imp_status_retired(r->cell[IMP_STATUS]))
		return 0;
	if ((rc = date_cell(run, r, IMP_RETIRED, day)) < 0)
		return -1;
	if (rc == 0)
		memcpy(day, run->today, 11);
	since = p->keys & GF_SET_IN_SERVICE ? p->in_service : d->in_service;
	if (since[0] != '\0' && strcmp(day, since) < 0) {
		report(run, r, "invalid", "retired", day, NULL, "before in_service");
		return -1;
	}
	return propose(run, r, "retired", GF_SET_RETIRED, day);
}

/* Judges one matched, valid row: each value set, same, skipped, in conflict or invalid. */
static void
eval_matched(struct imp_run *run, struct imp_row *r)
{
	int (*const steps[])(struct imp_run *, const struct imp_row *) = {
		eval_in_service, eval_type, eval_dept, eval_retired
	};
	size_t before = run->report.nrows, i;
	int conflicts = 0, invalid = 0, rc;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		rc = steps[i](run, r);
		conflicts += rc > 0;
		invalid += rc < 0;
	}
	if (run->report.nrows == before)
		report(run, r, "matched", NULL, NULL, NULL, "nothing to import");
	r->state = invalid ? IMP_ROW_INVALID : conflicts ? IMP_ROW_CONFLICT : IMP_ROW_MATCHED;
}

/* The cell that named a row's device, or tried to. */
static const char *
ident(const struct imp_row *r, const char **key)
{
	static const int keys[] = { IMP_SERIAL, IMP_NAME, IMP_HOST };
	size_t i;

	for (i = 0; i < 3; i++)
		if (r->cell[keys[i]] != NULL && r->cell[keys[i]][0] != '\0') {
			*key = imp_key_name(keys[i]);
			return r->cell[keys[i]];
		}
	*key = NULL;
	return NULL;
}

void
imp_eval(struct imp_run *run)
{
	const char *key, *id;
	struct imp_row *r;
	size_t i;

	dup_serials(run);
	dup_devices(run);
	for (i = 0; i < run->nrows; i++) {
		r = &run->rows[i];
		id = ident(r, &key);
		if (r->why != NULL) {
			r->state = IMP_ROW_INVALID;
			report(run, r, "invalid", key, id, NULL, r->why);
		} else if (r->dev < 0) {
			r->state = IMP_ROW_UNMATCHED;
			report(run, r, "unmatched", key, id, NULL,
			    "no configured device has this serial, name or host");
		} else {
			eval_matched(run, r);
		}
	}
}
