/* Mail templates (conf/mail/NAME.LANG.txt): loading, checking and filling. */
#ifndef GF_MAILTPL_H
#define GF_MAILTPL_H

#include <stddef.h>
#include <stdio.h>

/*
 * Fills a template: "{name}" placeholders (name: letters, digits, '_') are
 * replaced by the value of the same key (NULL value: empty); "{{" gives "{";
 * an unknown placeholder is left as written. A line holding "{?name}" is
 * dropped (with its line end) when name's value is NULL or empty, one holding
 * "{!name}" when it is not; the markers themselves give nothing. One pass:
 * values are never themselves expanded. malloc'd.
 */
char *mail_fill(const char *tmpl, const char *const *keys, const char *const *vals, size_t n);

/*
 * Loads DIR/NAME.LANG.txt (falling back to NAME.en.txt when that file does not
 * exist): its first line is "Subject: ...", then a blank line, then the body,
 * valid UTF-8 without control characters (CRLF line ends are accepted). 0 and
 * malloc'd *SUBJECT and *BODY, or -1 with a message logged (log_warnx) naming FILE:LINE.
 * NAME and LANG must be plain words ([A-Za-z0-9_-]): they become a file name.
 */
int mail_template_load(const char *dir, const char *name, const char *lang,
    char **subject, char **body);

/* mail_template_load() that prints its errors to ERRS: greenfleetd -t and reloads check templates. */
int mail_template_read(const char *dir, const char *name, const char *lang,
    char **subject, char **body, FILE *errs);

#endif
