/* greenfleet: the command line for IT staff. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"

#define DEFAULT_CONF GF_SYSCONFDIR "/greenfleet.conf"

struct cmd {
	const char *name;
	int (*fn)(struct gf_conf *conf, int argc, char **argv);
	const char *help;
};

/* Each command's synopsis: printed on a usage error (stderr, exit 2) and for --help (stdout, 0). */
static const struct {
	const char *name, *text;
} synopses[] = {
	{ "status", "greenfleet status [--format text|tsv|csv|json]" },
	{ "counters", "greenfleet counters DEVICE [--format text|tsv|csv|json]" },
	{ "audit", "greenfleet audit [DEVICE] [--format text|tsv|csv|json]" },
	{ "quota", "greenfleet quota [--period YYYY-MM|YYYY-Qn|YYYY] [--format text|tsv|csv|json]" },
	{ "report", "greenfleet report --from YYYY-MM-DD --to YYYY-MM-DD"
	    " [--by department|device] [--format text|tsv|csv|json]\n"
	    "       greenfleet report --sustainability --year YYYY [--format text|tsv|csv|json]\n"
	    "       greenfleet report --factors [--format text|tsv|csv|json]" },
	{ "fleet", "greenfleet fleet [--format text|tsv|csv|json]" },
	{ "graph", "greenfleet graph --device ID|--department ID|--fleet [--metric pages|"
	    "colour|duplex|supplies|disk|ram] [--from D] [--to D] [--width W] [--height H]"
	    " -o FILE.png|.svg|.json" },
	{ "export", "greenfleet export --device ID|--department ID [--from D] [--to D]"
	    " [--step S] [--format csv|json]" },
	{ "metrics", "greenfleet metrics [--department ID]" },
	{ "pollers", "greenfleet pollers [--format text|tsv|csv|json]" },
	{ "repair", "greenfleet repair log DEVICE TEXT [--date YYYY-MM-DD] [--part P]\n"
	    "       greenfleet repair list [DEVICE] [--format text|tsv|csv|json]" },
	{ "discover", "greenfleet discover TARGET... [--community LIST] [--community-v1 LIST]"
	    " [--v3 USER:LEVEL[:AUTH:PASS[:PRIV:PASS]]|@FILE]"
	    " [--concurrency N] [--rate PPS] [--timeout MS] [--retries N] [--port P]"
	    " [--department ID] [--force] [--stats] [-o FILE] [--format text|tsv|csv|json]" },
	{ "import", "greenfleet import FILE.csv [-o FILE] [--column KEY=HEADER]..."
	    " [--location TEXT=DEPT]... [--force] [--dry-run] [--format text|tsv|csv|json]" },
};

static const struct cmd cmds[] = {
	{ "status", cmd_status, "one line per device: last poll, state, pages, uptime" },
	{ "counters", cmd_counters, "DEVICE: each page counter, its unit, source and pages counted" },
	{ "audit", cmd_audit, "[DEVICE]: resets, swaps, wraps and rejected counter values" },
	{ "quota", cmd_quota, "quota use per department: pages, limits, percentage, projection" },
	{ "report", cmd_report, "--from D --to D [--by department|device]: pages and paper's impact" },
	{ "fleet", cmd_fleet, "age, health state and repair advice per device, with kgCO2e avoided" },
	{ "graph", cmd_graph, "--device ID|--department ID|--fleet -o FILE.png: pages, supplies, disk, RAM" },
	{ "export", cmd_export, "--device ID|--department ID [--format csv|json]: RRD series per step" },
	{ "metrics", cmd_metrics, "[--department ID]: the fleet in the Prometheus text format" },
	{ "pollers", cmd_pollers, "greenfleetd pollers sharing the store: devices, leader, lag" },
	{ "repair", cmd_repair, "log DEVICE TEXT [--date D] [--part P] | list [DEVICE]" },
	{ "discover", cmd_discover, "TARGET...: SNMP devices of networks, proposed as configuration" },
	{ "import", cmd_import, "FILE.csv: purchase dates, types, departments from GLPI, Snipe-IT..." },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

int
cli_usage(const char *name, FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(synopses) / sizeof(synopses[0]); i++)
		if (strcmp(synopses[i].name, name) == 0)
			fprintf(f, "usage: %s\n", synopses[i].text);
	return f == stdout ? 0 : 2;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: greenfleet [-c file] command [args]\n"
	    "       greenfleet -h|--help, greenfleet help [command], greenfleet command --help,"
	    " greenfleet -V\n\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nEvery command but graph and export takes --format text|tsv|csv|json"
	    " (see greenfleet(1)).\n");
}

/* The command named NAME, or NULL after saying there is none. */
static const struct cmd *
find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(name, cmds[i].name) == 0)
			return &cmds[i];
	fprintf(stderr, "greenfleet: unknown command '%s'\n", name);
	usage(stderr);
	return NULL;
}

/* "greenfleet help [CMD]": the usage of all, or of one command, on stdout. */
static int
help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (argc > 2) {
		usage(stderr);
		return 2;
	}
	if ((c = find_cmd(argv[1])) == NULL)
		return 2;
	return cli_usage(c->name, stdout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = DEFAULT_CONF;
	const struct cmd *c;
	struct gf_conf *conf;
	int ch, rc;

	log_init(0, LOG_LVL_WARN);
	log_for_cli();
	while ((ch = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'V': printf("greenfleet %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	/* "greenfleet help [CMD]" and "greenfleet CMD --help" need no configuration. */
	if (strcmp(argv[optind], "help") == 0)
		return help(argc - optind, argv + optind);
	if ((c = find_cmd(argv[optind])) == NULL)
		return 2;
	if (optind + 1 < argc && (strcmp(argv[optind + 1], "--help") == 0 ||
	    strcmp(argv[optind + 1], "-h") == 0))
		return cli_usage(c->name, stdout);
	if ((conf = conf_load(path, stderr)) == NULL)
		return 1;
	rc = c->fn(conf, argc - optind, argv + optind);
	conf_free(conf);
	return rc;
}
