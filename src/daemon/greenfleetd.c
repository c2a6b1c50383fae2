/* greenfleetd: polls printers and workstations over SNMP into RRD files and a state database. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "confcheck.h"
#include "daemonize.h"
#include "log.h"
#include "mail.h"
#include "lease.h"
#include "poller.h"
#include "schedule.h"

#define DEFAULT_CONF GF_SYSCONFDIR "/greenfleet.conf"

/* The scheduler stops on QUIT; RELOAD says to start again on a new configuration. */
static volatile sig_atomic_t quit, reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	quit = 1;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: greenfleetd [-dfhtvV] [--once] [-c file] [-p pidfile] [-n name]\n"
	    "  -c file   configuration (default %s)\n"
	    "  -n name, --poller name\n"
	    "            this poller's name among those sharing the store (default: the host name)\n"
	    "  -f        stay in the foreground, log to stderr\n"
	    "  -p file   pidfile, locked while the daemon runs\n"
	    "  -t        check the configuration and exit\n"
	    "  --once    poll every device once, store, and exit\n"
	    "  -d, -v    debug logging\n"
	    "  --allow-root  run as root without a configured user\n"
	    "  -V        print the version\n", DEFAULT_CONF);
}

/* SIGTERM/SIGINT only set a flag; no SA_RESTART so epoll_wait returns at once. */
static void
setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file over RLIMIT_FSIZE is a failed write (EFBIG) to log, not a dead fleet. */
	signal(SIGXFSZ, SIG_IGN);
}

/* Ready: the launcher (when daemonised) and systemd (Type=notify) are told. */
static void
ready_daemon(void)
{
	daemonize_ready();
	notify_systemd("READY=1");
}

static void
ready_foreground(void)
{
	notify_systemd("READY=1");
}

/*
 * Loads PATH (with the checks of a start) beside the running configuration;
 * returns it, or NULL after logging every "file:line: message" (OLD goes on).
 * Pages are never lost: baselines and the ledger live in the state database.
 */
static struct gf_conf *
reconfigure(const char *path, int flags, struct gf_conf *old)
{
	struct gf_conf *conf;
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&buf, &len);

	if (errs == NULL) {
		log_err("reload: %s", strerror(errno));
		return NULL;
	}
	conf = conf_load_opts(path, flags | GF_CONF_RELOAD, conf_check_start, errs);
	fclose(errs);
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		log_warnx("reload: %s", line);
	free(buf);
	if (conf == NULL) {
		log_warnx("reload: %s has errors: still running on the previous configuration", path);
		return NULL;
	}
	log_info("reload: %s loaded: %zu devices, %zu departments", path, conf->ndevices,
	    conf->ndepts);
	/* Privileges were dropped at start: there is no way back to become someone else. */
	if ((old->user == NULL) != (conf->user == NULL) ||
	    (old->user != NULL && strcmp(old->user, conf->user) != 0))
		log_warnx("reload: user = \"%s\" takes effect at the next start; still uid %ld",
		    conf->user ? conf->user : "", (long)geteuid());
	return conf;
}

/* Makes a relative PATH absolute: the daemon works in "/" and reloads from there. */
static const char *
absolute(const char *path, char *buf, size_t size)
{
	char cwd[4096];

	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL ||
	    (size_t)snprintf(buf, size, "%s/%s", cwd, path) >= size)
		return path;
	return buf;
}

/* What the command line asks for. */
struct opts {
	const char *path, *pidfile, *poller;
	int foreground, test, once, debug, allow_root;
};

/* Parses the command line into O; -1 when main is to exit with *RC (usage, -h, -V). */
static int
parse_opts(int argc, char **argv, struct opts *o, int *rc)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "allow-root", no_argument, NULL, 'R' },
		{ "poller", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->path = DEFAULT_CONF;
	*rc = 0;
	while ((ch = getopt_long(argc, argv, "c:dfhn:p:tvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->path = optarg; break;
		case 'd': case 'v': o->debug = 1; break;
		case 'p': o->pidfile = optarg; break;
		case 'n': o->poller = optarg; break;
		case 'R': o->allow_root = 1; break;
		case 'f': o->foreground = 1; break;
		case 't': o->test = 1; break;
		case 'o': o->once = 1; break;
		case 'V': printf("greenfleetd %s\n", PACKAGE_VERSION); return -1;
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

/*
 * Runs the scheduler on *CONFP until it stops; on SIGHUP, again on the file
 * reloaded, and back on the previous configuration if the new one cannot
 * run. Returns sched_run's last status; *CONFP is the configuration in use.
 */
static int
run(const struct opts *o, const char *path, int flags, struct gf_conf **confp)
{
	struct gf_conf *conf = *confp, *prev = NULL, *next;
	struct gf_cycle_stats st;
	int rc;

	for (;;) {
		log_info("starting: %zu devices, interval %d s, concurrency %d%s", conf->ndevices,
		    conf->interval, conf->concurrency, o->once ? ", once" : "");
		rc = sched_run(conf, o->poller, o->once, &quit, &st, o->foreground || o->once ?
		    ready_foreground : ready_daemon);
		if (rc != 0 && prev != NULL) {
			/* The new configuration could not run (its store, rrdcached...): back. */
			log_warnx("reload: %s cannot run (see above): back to the previous "
			    "configuration", path);
			conf_free(conf);
			conf = prev;
			prev = NULL;
			continue;
		}
		conf_free(prev);
		prev = NULL;
		if (rc == 0)
			log_info("stopped: %lu polls, %lu unreachable, %lu store errors", st.polled,
			    st.unreachable, st.store_errors);
		if (rc != 0 || o->once || !reload)
			break;
		/* SIGHUP: polls in flight have finished and are stored; swap only a valid file. */
		reload = quit = 0;
		notify_systemd("RELOADING=1");
		if ((next = reconfigure(path, flags, conf)) != NULL) {
			prev = conf;
			conf = next;
		}
	}
	*confp = conf;
	return rc;
}

int
main(int argc, char **argv)
{
	const char *path;
	struct gf_conf *conf;
	char abspath[4096], err[256], name[72];
	struct opts o;
	int rc, flags;

	/*
	 * A fixed mmap threshold: with glibc's sliding one, the first large
	 * buffer freed (librrd's, creating a file) raises it, and every later
	 * one of that size is carved from the heap, whose top then stays
	 * paged in (1.3 MB measured after creating 1,000 RRD files).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (parse_opts(argc, argv, &o, &rc) != 0)
		return rc;
	/* -t, start and reload check the same things: a file -t passes starts. */
	flags = o.allow_root ? GF_CONF_ALLOW_ROOT : 0;
	path = o.test || o.foreground || o.once ? o.path : absolute(o.path, abspath,
	    sizeof(abspath));
	if ((conf = conf_load_opts(path, flags, conf_check_start, stderr)) == NULL)
		return 1;
	if (o.test) {
		/* The poller's name, as the start checks it (--once takes no lease). */
		if (!o.once && lease_poller_name(o.poller, name, sizeof(name), err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "greenfleetd: %s\n", err);
			conf_free(conf);
			return 1;
		}
		printf("configuration OK\n");
		conf_free(conf);
		return 0;
	}
	/* Until the daemon is up, errors go to the terminal that started it. */
	log_init(0, o.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if (!(o.foreground || o.once) && daemonize() != 0)
		fatal("daemon: %s", strerror(errno));
	/* The pidfile (often in /run) is taken as root; everything else as the configured user. */
	if ((o.pidfile != NULL && pidfile_take(o.pidfile) != 0) ||
	    drop_privileges(conf->user, o.allow_root, path) != 0) {
		pidfile_release();
		conf_free(conf);
		return 1;
	}
	setup_signals();
	/* Before any thread: libcurl's global state is not thread-safe to set up. */
	if (conf->smtp.url != NULL && mail_global_init(err, sizeof(err)) != 0)
		log_warnx("%s: mails wait in the outbox", err);
	poller_initialise();
	rc = run(&o, path, flags, &conf);
	notify_systemd("STOPPING=1");
	poller_finalise();
	mail_global_cleanup();
	conf_free(conf);
	pidfile_release();
	return rc == 0 ? 0 : 1;
}
