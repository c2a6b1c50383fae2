/*
 * How configuration errors are reported, shared by the main file's parser
 * and the vendor profiles' loader: one "FILE:LINE: message" line per error
 * (FILE: the file the setting was read from, an @include's or the main
 * one), every error counted so the loader fails after listing them all.
 */
#ifndef GF_CONFERR_H
#define GF_CONFERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <libconfig.h>

#define CONF_QUOTE_SIZE	80

/* Where the errors of one file go, and how many there were. */
struct conf_errs {
	const char *path;	/* named when a setting has no file of its own */
	FILE *out;
	int n;
};

/* Prints "FILE:LINE: message" for setting S (FILE: where S was read, else PATH) to OUT. */
void conf_vreport(FILE *out, const char *path, const config_setting_t *s, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0)));

/* Reports one error located at setting S (NULL: line 0) and counts it in E. */
void conf_err(struct conf_errs *e, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies S into BUF for a message, escaping control bytes so that one error stays one line. */
const char *conf_quote(char *buf, size_t size, const char *s);

#endif
