/* greenfleet metrics: the fleet in the Prometheus text format, as greenfleet-web's /metrics serves it. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "metrics.h"

/* Whether department ID is configured; if not, says so (the caller exits 2). */
static int
known_dept(const struct gf_conf *conf, const char *id)
{
	size_t i;

	for (i = 0; i < conf->ndepts; i++)
		if (strcmp(conf->depts[i].id, id) == 0)
			return 1;
	fprintf(stderr, "greenfleet: no department '%.64s' in %s\n", id, conf->path);
	return 0;
}

/* Every metric family on stdout (for node_exporter's textfile collector too), or one department's. */
int
cmd_metrics(struct gf_conf *conf, int argc, char **argv)
{
	const char *dept = NULL;
	struct gf_store *s;
	int k, rc;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--department") == 0 && k + 1 < argc && dept == NULL)
			dept = argv[++k];
		else
			return cli_usage("metrics", stderr);
	}
	if (dept != NULL && !known_dept(conf, dept))
		return 2;
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = metrics_write(s, conf, dept, time(NULL), stdout);
	store_close(s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("greenfleet: stdout");
		return 1;
	}
	return rc == 0 ? 0 : 1;
}
