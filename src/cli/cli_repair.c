/* greenfleet repair: the log of interventions that kept a device in service. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "text.h"
#include "views.h"

static const struct gf_text_col repairs_text[] = {
	{ "day", 0, NULL, NULL, 0 }, { "device", -20, NULL, " ", 0 },
	{ "part", -8, NULL, NULL, 0 }, { "text", -1, NULL, NULL, 0 },
};

/* "repair list [DEVICE] [--format F]". */
static int
repair_list(struct gf_conf *conf, int argc, char **argv)
{
	static const struct gf_text t = GF_TEXT(repairs_text, 0);
	enum gf_fmt fmt = GF_FMT_TEXT;
	const char *dev = NULL;
	struct gf_store *s;
	struct gf_rows r;
	int k, f, rc;

	for (k = 2; k < argc; k++) {
		if ((f = cli_format(argc, argv, &k, &fmt)) < 0)
			return 2;
		else if (f == 0 && argv[k][0] != '-' && dev == NULL)
			dev = argv[k];
		else if (f == 0)
			return cli_usage("repair", stderr);
	}
	if (dev != NULL && !cli_known_device(conf, dev))
		return 2;
	if ((s = cli_open(conf, GF_STORE_RO)) == NULL)
		return 1;
	rc = view_repairs(s, dev, &r);
	store_close(s);
	return cli_print(rc, &r, fmt, &t);
}

/* Checks what "repair log" is given; 0, or 2 after saying what is wrong. */
static int
repair_check(const struct gf_conf *conf, const char *dev, const char *text, const char *part,
    const char **date, char today[11])
{
	char why[80];

	if (!cli_known_device(conf, dev))
		return 2;
	if (*text == '\0' || strlen(text) > 500 || strpbrk(text, "\r\n\t") != NULL) {
		fprintf(stderr, "greenfleet: the text must be one line of 1 to 500 characters\n");
		return 2;
	}
	if (part != NULL && (!gf_id_is_safe(part) || strlen(part) > 32)) {
		fprintf(stderr, "greenfleet: --part takes a short word (disk, ram, fuser...)\n");
		return 2;
	}
	if (*date == NULL) {
		*date = today;
	} else if (gf_date_parse(*date, NULL, why, sizeof(why)) != 0) {
		fprintf(stderr, "greenfleet: --date %.32s: %s\n", *date, why);
		return 2;
	} else if (strcmp(*date, today) > 0) {
		fprintf(stderr, "greenfleet: --date %s: in the future (today is %s)\n", *date, today);
		return 2;
	}
	return 0;
}

/* "repair log DEVICE TEXT [--date D] [--part P]" records an intervention; "repair list [DEVICE]". */
int
cmd_repair(struct gf_conf *conf, int argc, char **argv)
{
	const char *date = NULL, *part = NULL;
	char today[16];
	struct gf_store *s;
	time_t now = time(NULL);
	int k, rc;

	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return repair_list(conf, argc, argv);
	if (argc < 4 || strcmp(argv[1], "log") != 0)
		return cli_usage("repair", stderr);
	for (k = 4; k + 1 < argc; k += 2) {
		if (strcmp(argv[k], "--date") == 0)
			date = argv[k + 1];
		else if (strcmp(argv[k], "--part") == 0)
			part = argv[k + 1];
		else
			return cli_usage("repair", stderr);
	}
	if (k != argc)
		return cli_usage("repair", stderr);
	gf_date_day(now, today);
	if ((rc = repair_check(conf, argv[2], argv[3], part, &date, today)) != 0)
		return rc;
	if ((s = cli_open(conf, 0)) == NULL)
		return 1;
	rc = store_repair_log(s, argv[2], date, part, argv[3], now) != 0;
	store_close(s);
	if (rc == 0)
		printf("%s: repair logged on %s\n", argv[2], date);
	return rc;
}
