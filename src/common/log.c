/* Logging: one idiom for the whole daemon, stderr in the foreground, syslog otherwise. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int log_syslog;
static int log_cli;	/* the CLI's lines: "greenfleet: ...", no time stamp */
static enum log_level log_max = LOG_LVL_INFO;

void
log_init(int to_syslog, enum log_level max)
{
	log_syslog = to_syslog;
	log_max = max;
	if (to_syslog)
		openlog(program_invocation_short_name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* The CLI talks to a person at a terminal: its lines name the command, like its own errors. */
void
log_for_cli(void)
{
	log_cli = 1;
}

void
log_to_syslog(void)
{
	if (!log_syslog)
		openlog(program_invocation_short_name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = 1;
}

void
log_set_level(enum log_level max)
{
	log_max = max;
}

/* Writes one line; syslog priorities follow the level. */
static void log_vwrite(enum log_level, const char *, va_list) __attribute__((format(printf, 2, 0)));
static void
log_vwrite(enum log_level lvl, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	static const char *tag[] = { "error", "warning", "info", "debug" };
	char buf[1024];
	char ts[32];
	time_t now;
	struct tm tm;

	if (lvl > log_max)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_syslog) {
		syslog(prio[lvl], "%s", buf);
		return;
	}
	if (log_cli) {
		fprintf(stderr, "greenfleet: %s%s%s\n", lvl == LOG_LVL_ERR ? "" : tag[lvl],
		    lvl == LOG_LVL_ERR ? "" : ": ", buf);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s %s[%s]: %s\n", ts, program_invocation_short_name, tag[lvl], buf);
}

#define LOG_FN(name, lvl)                  \
	void name(const char *fmt, ...)    \
	{                                  \
		va_list ap;                \
		va_start(ap, fmt);         \
		log_vwrite(lvl, fmt, ap);  \
		va_end(ap);                \
	}

LOG_FN(log_err, LOG_LVL_ERR)
LOG_FN(log_warnx, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
