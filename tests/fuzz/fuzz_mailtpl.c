/*
 * libFuzzer target for the mail template filler: the input, split at NUL
 * bytes, is a template file (first part) and the values of the quota
 * notice's placeholders (the rest, which may hold CR, LF and any byte).
 * The template goes through the real loader (a file in a scratch
 * directory), is filled, and the message rendered; aborts when the filled
 * text outgrows its bound, or when a value breaks out of its header: the
 * headers must be exactly greenfleet's, each line ending in CRLF, and the
 * body 7-bit with lines of at most 76 characters.
 *
 * Build and run by hand (from a configured build directory B):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -IB -Isrc tests/fuzz/fuzz_mailtpl.c \
 *       src/notify/mail.c src/common/text.c src/common/log.c src/common/xmalloc.c -ldl -o fuzz_mailtpl
 *   ./fuzz_mailtpl -max_total_time=60 CORPUS tests/fuzz/corpus/mailtpl
 *   ./fuzz_mailtpl tests/fuzz/regress/mailtpl/FILE...   (every past crash, fixed)
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail.h"

static const char *const keys[] = { "department", "head", "period", "threshold", "used_mono",
	"used_colour", "limit_mono", "limit_colour", "budget_used", "budget", "percent",
	"projected", "top_devices", "levers", "dashboard_url" };
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static char dir[64];

/* The scratch directory the template file is written to, made once. */
static int
setup(void)
{
	if (dir[0] != '\0')
		return 0;
	snprintf(dir, sizeof(dir), "%s/gf-fuzz-mailtpl.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	if (strlen(dir) >= sizeof(dir) - 1 || mkdtemp(dir) == NULL)
		abort();
	return 0;
}

/* The filled text may only grow by the values it names: each '{' at most once. */
static void
check_bound(const char *tmpl, const char *out, size_t maxval)
{
	size_t n = 0;
	const char *p;

	for (p = tmpl; *p != '\0'; p++)
		n += *p == '{';
	if (strlen(out) > strlen(tmpl) + n * maxval)
		abort();
}

/* Headers: only greenfleet's names, CRLF line ends, continuations start with a space. */
static void
check_headers(const char *msg)
{
	static const char *const names[] = { "Date: ", "From: ", "To: ", "Subject: ",
		"Message-ID: ", "MIME-Version: ", "Content-Type: ", "Content-Transfer-Encoding: ",
		"Content-Language: ", "Auto-Submitted: " };
	const char *line = msg, *eol, *end = strstr(msg, "\r\n\r\n");
	size_t i, seen = 0;

	if (end == NULL)
		abort();
	for (; line < end + 2; line = eol + 2) {
		if ((eol = strstr(line, "\r\n")) == NULL || memchr(line, '\n',
		    (size_t)(eol - line)) != NULL || memchr(line, '\r', (size_t)(eol - line)) != NULL)
			abort();
		if (*line == ' ' || *line == '\t')
			continue;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strncmp(line, names[i], strlen(names[i])) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0]) || (seen & 1u << i))
			abort();	/* an injected or repeated header */
		seen |= 1u << i;
	}
	if (seen != (1u << (sizeof(names) / sizeof(names[0]))) - 1)
		abort();
}

/* Body: 7-bit, CRLF only, no line longer than quoted-printable allows. */
static void
check_body(const char *msg)
{
	const unsigned char *p = (const unsigned char *)strstr(msg, "\r\n\r\n") + 4;
	size_t col = 0;

	for (; *p != '\0'; p++) {
		if (*p >= 0x80 || (*p == '\r' && p[1] != '\n') || (*p == '\n' && p[-1] != '\r'))
			abort();
		if (*p == '\r' || *p == '\n')
			col = 0;
		else if (++col > 76)
			abort();
	}
}

/* Writes the template, loads it as greenfleet does, fills and renders it. */
static void
run(const char *tmpl, size_t len, const char *const *vals, size_t maxval)
{
	char path[128], *subject, *body, *fs, *fb, *msg;
	struct gf_mail m;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz.en.txt", dir);
	if ((f = fopen(path, "w")) == NULL || fwrite(tmpl, 1, len, f) != len || fclose(f) != 0)
		abort();
	/* A template the loader refuses says why on stderr: keep the run quiet. */
	if (mail_template_load(dir, "fuzz", "en", &subject, &body) != 0)
		return;
	fs = mail_fill(subject, keys, vals, NKEYS);
	fb = mail_fill(body, keys, vals, NKEYS);
	check_bound(subject, fs, maxval);
	check_bound(body, fb, maxval);
	memset(&m, 0, sizeof(m));
	m.from = "greenfleet@mairie.example";
	m.from_name = vals[0];
	m.to = "chef@mairie.example";
	m.subject = fs;
	m.body = fb;
	m.message_id = "gf.quota.x.2026-11.80.host@mairie.example";
	m.date = 1793606400;
	m.lang = "fr";
	if ((msg = mail_render(&m)) == NULL)
		abort();	/* only addresses, ids and tags may refuse: these are fixed */
	check_headers(msg);
	check_body(msg);
	free(msg);
	free(fs);
	free(fb);
	free(subject);
	free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *parts[1 + NKEYS], *p, *end;
	const char *vals[NKEYS];
	size_t i, n = 0, maxval = 0;

	if (size > 65536 || setup() != 0)
		return 0;
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	end = buf + size;
	for (p = buf; n < 1 + NKEYS && p <= end; p += strlen(p) + 1)
		parts[n++] = p;
	for (i = 0; i < NKEYS; i++) {
		/* Missing values are NULL: the filler's "no limit", "too early". */
		vals[i] = i + 1 < n ? parts[i + 1] : NULL;
		if (vals[i] != NULL && strlen(vals[i]) > maxval)
			maxval = strlen(vals[i]);
	}
	run(parts[0], strlen(parts[0]), vals, maxval);
	free(buf);
	return 0;
}
