/* greenfleet-web: the fleet's dashboard over HTTP(S), reading the state greenfleetd writes. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "conferr.h"
#include "daemonize.h"
#include "log.h"
#include "websrv.h"

#define DEFAULT_CONF GF_SYSCONFDIR "/greenfleet.conf"

static volatile sig_atomic_t quit, reload;

/* The users file read by the last check_web (conf_check_fn has no other way out). */
static struct web_users *checked_users;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		quit = 1;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: greenfleet-web [-dfhtV] [-c file] [-p pidfile]\n"
	    "  -c file   configuration (default %s), its web group\n"
	    "  -f        stay in the foreground, log to stderr\n"
	    "  -p file   pidfile, locked while the server runs\n"
	    "  -t        check the configuration and the users file, and exit\n"
	    "  -d        debug logging\n"
	    "  --allow-root  run as root without a configured user\n"
	    "  -V, --version print the version\n", DEFAULT_CONF);
}

/*
 * What serving needs beyond the file's syntax: a listen address that
 * resolves (loopback without a users file) and a users file without error.
 */
static int
check_web(const struct gf_conf *conf, const config_setting_t *root, int flags, FILE *errs)
{
	const config_setting_t *web = config_setting_get_member(root, "web"), *s;
	char err[512];

	(void)flags;
	auth_free(checked_users);
	checked_users = NULL;
	if (web_listen_check(conf, err, sizeof(err)) != 0) {
		s = web != NULL ? config_setting_get_member(web, "listen") : NULL;
		if (s != NULL)
			fprintf(errs, "%s:%u: %s\n", config_setting_source_file(s) ?
			    config_setting_source_file(s) : conf->path,
			    (unsigned)config_setting_source_line(s), err);
		else
			fprintf(errs, "%s: %s\n", conf->path, err);
		return 1;
	}
	if (conf->web.users_file != NULL &&
	    (checked_users = auth_load(conf->web.users_file, conf, errs)) == NULL)
		return 1;
	return 0;
}

/* What the command line asks for. */
struct opts {
	const char *path, *pidfile;
	int foreground, test, debug, allow_root;
};

/* Parses the command line into O; -1 when main is to exit with *RC (usage, -h, -V). */
static int
parse_opts(int argc, char **argv, struct opts *o, int *rc)
{
	static const struct option longopts[] = {
		{ "allow-root", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->path = DEFAULT_CONF;
	*rc = 0;
	while ((ch = getopt_long(argc, argv, "c:dfhp:tV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->path = optarg; break;
		case 'd': o->debug = 1; break;
		case 'p': o->pidfile = optarg; break;
		case 'R': o->allow_root = 1; break;
		case 'f': o->foreground = 1; break;
		case 't': o->test = 1; break;
		case 'V': printf("greenfleet-web %s\n", PACKAGE_VERSION); return -1;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); *rc = 2; return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		*rc = 2;
		return -1;
	}
	return 0;
}

/* SIGHUP: the file and the users file again; the running ones stay if either has an error. */
static void
do_reload(struct web_server *w, const char *path, int flags)
{
	struct gf_conf *conf;
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&buf, &len);

	if (errs == NULL) {
		log_err("reload: %s", strerror(errno));
		return;
	}
	conf = conf_load_opts(path, flags | GF_CONF_RELOAD, check_web, errs);
	fclose(errs);
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		log_warnx("reload: %s", line);
	free(buf);
	if (conf == NULL) {
		log_warnx("reload: %s has errors: still serving the previous configuration", path);
		return;
	}
	if (web_reload(w, conf, checked_users) == 0)
		log_info("reload: %s loaded: %zu devices, %zu departments%s", path,
		    conf->ndevices, conf->ndepts, checked_users != NULL ? ", users file read" : "");
	checked_users = NULL;
}

/* Signals are taken by the main thread only (blocked before the server's thread starts). */
static void
setup_signals(sigset_t *orig)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, orig);
}

/* Says where the dashboard is, and that without a users file nobody logs in. */
static void
announce(const struct gf_conf *conf)
{
	log_info("serving %s://%s/ (%zu devices, %zu departments)", conf->web.cert ? "https" :
	    "http", conf->web.listen, conf->ndevices, conf->ndepts);
	if (conf->web.users_file == NULL)
		log_warnx("no web.users_file: no login, so loopback only (%s); set one to serve "
		    "the network", conf->web.listen);
}

/* Serves until SIGTERM or SIGINT, reloading on SIGHUP. */
static void
serve(struct web_server *w, const char *path, int flags, const sigset_t *orig)
{
	while (!quit) {
		sigsuspend(orig);
		if (reload && !quit) {
			reload = 0;
			notify_systemd("RELOADING=1");
			do_reload(w, path, flags);
			notify_systemd("READY=1");
		}
	}
}

int
main(int argc, char **argv)
{
	struct web_server *w;
	struct gf_conf *conf;
	char *abspath = NULL;
	struct opts o;
	sigset_t orig;
	int rc, flags;

	if (parse_opts(argc, argv, &o, &rc) != 0)
		return rc;
	flags = o.allow_root ? GF_CONF_ALLOW_ROOT : 0;
	if ((conf = conf_load_opts(o.path, flags, check_web, stderr)) == NULL)
		return 1;
	if (o.test) {
		printf("configuration OK\n");
		auth_free(checked_users);
		conf_free(conf);
		return 0;
	}
	log_init(0, o.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	/* A daemon works in "/": SIGHUP reloads the file by its absolute name. */
	if (!o.foreground && (abspath = realpath(o.path, NULL)) != NULL)
		o.path = abspath;
	if (!o.foreground && daemonize() != 0)
		fatal("daemon: %s", strerror(errno));
	setup_signals(&orig);
	/* Listening (maybe on port 443) and the TLS key (root's) come before dropping root. */
	if ((o.pidfile != NULL && pidfile_take(o.pidfile) != 0) ||
	    (w = web_start(conf, checked_users)) == NULL) {
		pidfile_release();
		free(abspath);
		return 1;
	}
	checked_users = NULL;
	if (drop_privileges(conf->user, o.allow_root, o.path) != 0) {
		web_stop(w);
		pidfile_release();
		free(abspath);
		return 1;
	}
	announce(conf);
	daemonize_ready();
	notify_systemd("READY=1");
	serve(w, o.path, flags, &orig);
	notify_systemd("STOPPING=1");
	log_info("stopped");
	web_stop(w);
	pidfile_release();
	free(abspath);
	return 0;
}
