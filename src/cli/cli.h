/*
 * greenfleet's commands: each parses its arguments, calls a view (views.h)
 * and prints its rows through the one table writer (output.h). Each returns
 * the exit status: 0, 1 on a store or system error, 2 on a usage error.
 */
#ifndef GF_CLI_H
#define GF_CLI_H

#include <stdio.h>

#include "conf.h"
#include "output.h"
#include "store.h"

int cmd_status(struct gf_conf *conf, int argc, char **argv);
int cmd_counters(struct gf_conf *conf, int argc, char **argv);
int cmd_audit(struct gf_conf *conf, int argc, char **argv);
int cmd_quota(struct gf_conf *conf, int argc, char **argv);
int cmd_fleet(struct gf_conf *conf, int argc, char **argv);
int cmd_report(struct gf_conf *conf, int argc, char **argv);
int cmd_repair(struct gf_conf *conf, int argc, char **argv);
int cmd_graph(struct gf_conf *conf, int argc, char **argv);
int cmd_export(struct gf_conf *conf, int argc, char **argv);
int cmd_metrics(struct gf_conf *conf, int argc, char **argv);
int cmd_discover(struct gf_conf *conf, int argc, char **argv);
int cmd_import(struct gf_conf *conf, int argc, char **argv);
int cmd_pollers(struct gf_conf *conf, int argc, char **argv);

/* Prints command NAME's synopsis to F; 0 if F is stdout (--help), else 2 (a usage error). */
int cli_usage(const char *name, FILE *f);

/* Whether device ID is configured; if not, says so (the caller exits 2). */
int cli_known_device(const struct gf_conf *conf, const char *id);

/* Opens the state database (FLAGS as store_open's), or says why not. */
struct gf_store *cli_open(const struct gf_conf *conf, int flags);

/*
 * Takes "--format F" at argv[*k]: 1 when it was (F in *FMT, *K past it), 0
 * when argv[*k] is something else, -1 after saying F is no format.
 */
int cli_format(int argc, char **argv, int *k, enum gf_fmt *fmt);

/*
 * For commands whose only option is --format: parses argv[1..] into *FMT.
 * 0 when all was understood, else the exit code after saying why (usage of NAME).
 */
int cli_format_only(const char *name, int argc, char **argv, enum gf_fmt *fmt);

/*
 * Prints the rows of a view that returned RC: on 0, R as FMT (text in layout
 * T); on an error, nothing (the store said why). Frees R; returns 0 or 1.
 */
int cli_print(int rc, struct gf_rows *r, enum gf_fmt fmt, const struct gf_text *t);

#endif
