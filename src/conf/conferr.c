/* Configuration error reports: "FILE:LINE: message", counted. */
#include "config.h"

#include <string.h>

#include "conferr.h"

void
conf_vreport(FILE *out, const char *path, const config_setting_t *s, const char *fmt,
    va_list ap)
{
	const char *file = s != NULL ? config_setting_source_file(s) : NULL;

	fprintf(out, "%s:%u: ", file != NULL ? file : path,
	    s != NULL ? (unsigned)config_setting_source_line(s) : 0);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
}

void
conf_err(struct conf_errs *e, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vreport(e->out, e->path, s, fmt, ap);
	va_end(ap);
	e->n++;
}

const char *
conf_quote(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	unsigned char ch;

	for (; *s != '\0' && n + 8 < size; s++) {
		ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			n += snprintf(buf + n, size - n, "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	if (*s != '\0')
		strcpy(buf + n, "...");
	return buf;
}
