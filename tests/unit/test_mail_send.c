/*
 * Driver for tests/integration/mail_smtp.sh: renders one message with the given
 * UTF-8 subject and body and sends it to URL. Exits 0 when the server took it,
 * 1 with the reason on stderr otherwise, 2 on a usage error.
 *
 * usage: test_mail_send [-s] [-l user:password] [-t timeout_s] [-C cafile] URL SUBJECT BODY
 *   -s  require STARTTLS;  -l  log in (which also requires TLS);  -C  trust this CA (PEM)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail.h"

/* Fixed parts of the message; mail_smtp.sh checks them as written here. */
#define FROM		"greenfleet@mairie.example"
#define FROM_NAME	"Greenfleet — Mairie de Saint-Exemple"
#define TO		"chef.etatcivil@mairie.example"
#define MSGID		"quota.etat-civil.2026-11.80.3f2a@mairie.example"
#define DATE		1794562200	/* 2026-11-13 09:30:00 UTC */

static int
usage(void)
{
	fprintf(stderr, "usage: test_mail_send [-s] [-l user:password] [-t timeout_s] [-C cafile] "
	    "URL SUBJECT BODY\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static const char *const rcpts[] = { TO, "dgs@mairie.example", "dsi@mairie.example" };
	struct gf_smtp smtp = { .timeout_s = 10 };
	struct gf_mail m = { .from = FROM, .from_name = FROM_NAME, .to = TO, .cc = rcpts + 1,
		.ncc = 2, .message_id = MSGID, .date = DATE, .lang = "fr" };
	char err[256], *msg, *colon;
	int ch, rc;

	while ((ch = getopt(argc, argv, "sl:t:C:")) != -1) {
		switch (ch) {
		case 'C': smtp.ca_file = optarg; break;
		case 's': smtp.starttls = 1; break;
		case 'l':
			if ((colon = strchr(optarg, ':')) == NULL)
				return usage();
			*colon = '\0';
			smtp.user = optarg;
			smtp.password = colon + 1;
			break;
		case 't': smtp.timeout_s = atoi(optarg); break;
		default: return usage();
		}
	}
	if (argc - optind != 3)
		return usage();
	smtp.url = argv[optind];
	m.subject = argv[optind + 1];
	m.body = argv[optind + 2];
	if ((msg = mail_render(&m)) == NULL)
		return 1;
	/* mail_send loads libcurl itself (the driver has no other thread). */
	rc = mail_send(&smtp, FROM, rcpts, 3, msg, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "test_mail_send: %s\n", err);
	free(msg);
	mail_global_cleanup();
	return rc == 0 ? 0 : 1;
}
