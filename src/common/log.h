/* Logging to stderr or syslog, and fatal(). */
#ifndef GF_LOG_H
#define GF_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(int to_syslog, enum log_level max);
void log_set_level(enum log_level max);
/* Lines for the CLI: "greenfleet: message" on stderr, warnings tagged. */
void log_for_cli(void);
/* From now on, log to syslog (a daemon that has left its terminal). */
void log_to_syslog(void);
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
