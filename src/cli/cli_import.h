/*
 * greenfleet import, private to its two files: the rows read from the
 * inventory (cli_import.c) and what they change (cli_import_eval.c).
 */
#ifndef GF_CLI_IMPORT_H
#define GF_CLI_IMPORT_H

#include <stddef.h>

#include "conf.h"
#include "importmap.h"
#include "output.h"

#define IMP_MAX_LOCS 64

/* What one data row of the inventory is, once read and matched. */
struct imp_row {
	unsigned line;
	int dev;			/* device index, -1 none */
	const char *by;			/* "serial", "name", "host" */
	char *cell[IMP_NKEYS];		/* trimmed cells of the mapped columns, NULL absent */
	char *why;			/* NULL, or why the row is invalid */
	int state;			/* IMP_ROW_* once judged */
};

enum { IMP_ROW_MATCHED, IMP_ROW_UNMATCHED, IMP_ROW_CONFLICT, IMP_ROW_INVALID };

/* Values an import gives a device, on top of what the import file held already. */
struct imp_pending {
	unsigned keys;			/* GF_SET_* */
	char in_service[11];
	int hw_type;
	int dept;
	char retired[11];
};

/* The whole run: options, rows, per-device values and the report. */
struct imp_run {
	const struct gf_conf *conf;
	const char *file;
	const char *out;
	const char *want[IMP_NKEYS];
	struct imp_loc locs[IMP_MAX_LOCS];
	size_t nlocs;
	int force, dry_run;
	enum gf_fmt fmt;
	char **serials;			/* per device: the serial the store holds, "" unknown */
	struct imp_row *rows;
	size_t nrows, cap;
	struct imp_pending *pend;	/* per device */
	struct gf_rows report;
	char today[11];
};

/* Judges every row of RUN (duplicates first), filling run->pend and run->report. */
void imp_eval(struct imp_run *run);

/* The report's columns. */
extern const struct gf_col imp_report_cols[];
#define IMP_REPORT_NCOLS 8

#endif
