/* What every greenfleet command shares: the state database, device ids, --format, printing. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

int
cli_known_device(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndevices; i++)
		if (strcmp(conf->devices[i].id, id) == 0)
			return 1;
	fprintf(stderr, "greenfleet: no device '%.64s' in %s\n", id, conf->path);
	return 0;
}

struct gf_store *
cli_open(const struct gf_conf *conf, int flags)
{
	char err[1024];
	struct gf_store *s = store_open_err(conf, flags, err, sizeof(err));

	/* Missing, damaged or unreadable: the store says which, unlogged. */
	if (s == NULL)
		fprintf(stderr, "greenfleet: %s\n", err);
	return s;
}

int
cli_format(int argc, char **argv, int *k, enum gf_fmt *fmt)
{
	if (strcmp(argv[*k], "--format") != 0 || *k + 1 >= argc)
		return 0;
	if (out_parse_format(argv[*k + 1], 1u << GF_FMT_TEXT | 1u << GF_FMT_TSV |
	    1u << GF_FMT_CSV | 1u << GF_FMT_JSON, fmt) != 0) {
		fprintf(stderr, "greenfleet: unknown format '%.32s' (text, tsv, csv or json)\n",
		    argv[*k + 1]);
		return -1;
	}
	++*k;
	return 1;
}

int
cli_format_only(const char *name, int argc, char **argv, enum gf_fmt *fmt)
{
	int k, f;

	for (k = 1; k < argc; k++)
		if ((f = cli_format(argc, argv, &k, fmt)) <= 0)
			return f < 0 ? 2 : cli_usage(name, stderr);
	return 0;
}

int
cli_print(int rc, struct gf_rows *r, enum gf_fmt fmt, const struct gf_text *t)
{
	if (rc == 0)
		out_rows(stdout, fmt, r, t);
	rows_free(r);
	return rc == 0 ? 0 : 1;
}
