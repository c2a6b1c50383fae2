/* Mail: composition (RFC 5322, 2045, 2047), templates, and SMTP with libcurl. */
#include "config.h"

#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Calls go through the loaded table below, not the header's type-checking macros. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "log.h"
#include "mail.h"
#include "mailbuf.h"
#include "text.h"
#include "xmalloc.h"

#define EW_MAX		75	/* RFC 2047: the longest encoded-word */
#define EW_LINE		76	/* RFC 2047: the longest line holding an encoded-word */
#define EW_OVERHEAD	12	/* "=?UTF-8?Q?" and "?=" */
#define HDR_LINE	78	/* RFC 5322: lines SHOULD be no longer */
#define QP_LINE		76	/* RFC 2045: the longest encoded line */
#define PHRASE_MAX	60	/* a display name longer than this is encoded, so it folds */
#define ADDR_MAX	254	/* RFC 5321 path limit, less the brackets */
#define SMTP_TIMEOUT_S	60

/* ASCII letters and digits, whatever the locale. */
static int
alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Copy of S that is valid UTF-8 ('?' for bad bytes), since the charset we
 * declare must be true. For a header (HDR), controls become a space (CRLF one
 * space): a value can then never end its header line.
 */
static char *
clean_text(const char *s, int hdr)
{
	struct sbuf sb = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		n = gf_utf8_at((const char *)p);
		if (n == 0) {
			sb_addc(&sb, '?');
			n = 1;
		} else if (hdr && (*p < 0x20 || *p == 0x7f)) {
			sb_addc(&sb, ' ');
			if (p[0] == '\r' && p[1] == '\n')
				n = 2;
		} else
			sb_add(&sb, (const char *)p, n);
		p += n;
	}
	return sb_done(&sb);
}

/* Printable ASCII that no reader could take for an encoded-word. */
static int
plain_ascii(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || (p[0] == '=' && p[1] == '?'))
			return 0;
	return 1;
}

/*
 * Folds plain text before a space that precedes a word, so that no line passes
 * HDR_LINE; with SB NULL only tells whether that is possible (-1: a word too long).
 */
static int
fold_plain(struct sbuf *sb, const char *s, size_t col)
{
	const char *seg = s, *end;
	size_t len;

	while (*seg != '\0') {
		for (end = seg + 1; *end != '\0' && !(end[0] == ' ' && end[1] != ' ' &&
		    end[1] != '\0'); end++)
			;
		len = (size_t)(end - seg);
		if (col + len > HDR_LINE && seg != s) {
			if (sb)
				sb_add(sb, "\r\n", 2);
			col = 0;
		}
		if (col + len > HDR_LINE)
			return -1;
		if (sb)
			sb_add(sb, seg, len);
		col += len;
		seg = end;
	}
	return 0;
}

/* Q-encoding's literal set inside a phrase (RFC 2047 5(3)), the strictest: valid everywhere. */
static int
q_literal(unsigned char c)
{
	return alnum(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/' || c == ' ';
}

static size_t
q_cost(const unsigned char *s, size_t n)
{
	size_t i, cost = 0;

	for (i = 0; i < n; i++)
		cost += q_literal(s[i]) ? 1 : 3;
	return cost;
}

static size_t
b_cost(size_t n)
{
	return (n + 2) / 3 * 4;
}

static void
q_encode(struct sbuf *sb, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ')
			sb_addc(sb, '_');
		else if (q_literal(s[i]))
			sb_addc(sb, (char)s[i]);
		else
			sb_printf(sb, "=%02X", s[i]);
	}
}

static void
b_encode(struct sbuf *sb, const unsigned char *s, size_t n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;
	size_t i;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		sb_addc(sb, b64[v >> 18 & 63]);
		sb_addc(sb, b64[v >> 12 & 63]);
		sb_addc(sb, i + 1 < n ? b64[v >> 6 & 63] : '=');
		sb_addc(sb, i + 2 < n ? b64[v & 63] : '=');
	}
}

/*
 * Encoded-words for clean UTF-8 S starting at column COL, Q or B for the whole
 * value (whichever is shorter), cut only between characters (RFC 2047 5) and
 * folded with CRLF SP.
 */
static void
encode_words(struct sbuf *sb, const char *s, size_t col)
{
	const unsigned char *p = (const unsigned char *)s, *start;
	size_t n = strlen(s), len, ch;
	int b = q_cost(p, n) > b_cost(n);
	size_t limit = col + EW_MAX > EW_LINE ? EW_LINE - col : EW_MAX;

	/* After a long field name the line may pass 76; the word still keeps within 75. */
	if (limit < 2 * EW_OVERHEAD)
		limit = 2 * EW_OVERHEAD;
	while (*p != '\0') {
		start = p;
		for (len = 0; p[len] != '\0'; len += ch) {
			ch = gf_utf8_at((const char *)p + len);
			if (EW_OVERHEAD + (b ? b_cost(len + ch) : q_cost(p, len + ch)) > limit &&
			    len > 0)
				break;
		}
		if (start != (const unsigned char *)s)
			sb_add(sb, "\r\n ", 3);
		sb_adds(sb, b ? "=?UTF-8?B?" : "=?UTF-8?Q?");
		if (b)
			b_encode(sb, start, len);
		else
			q_encode(sb, start, len);
		sb_add(sb, "?=", 2);
		p += len;
		limit = EW_MAX;
	}
}

/* A header value for a field whose name ends at column COL. */
static char *
header_value(const char *utf8, size_t col)
{
	struct sbuf sb = { 0 };
	char *s = clean_text(utf8, 1);

	if (plain_ascii(s) && fold_plain(NULL, s, col) == 0)
		fold_plain(&sb, s, col);
	else
		encode_words(&sb, s, col);
	free(s);
	return sb_done(&sb);
}

char *
mail_encode_header(const char *utf8)
{
	return header_value(utf8, 0);
}

/* Letters, digits and the RFC 5322 atext specials: a display name made of these needs no quotes. */
static int
atext_words(const char *s)
{
	static const char special[] = "!#$%&'*+-/=?^_`{|}~ ";

	for (; *s != '\0'; s++)
		if (!q_literal((unsigned char)*s) && strchr(special, *s) == NULL)
			return 0;
	return 1;
}

/* A display name (RFC 5322 phrase): as is, quoted, or encoded-words. */
static void
add_phrase(struct sbuf *sb, const char *name)
{
	char *enc;

	if (plain_ascii(name) && strlen(name) <= PHRASE_MAX) {
		if (atext_words(name)) {
			sb_adds(sb, name);
			return;
		}
		sb_addc(sb, '"');
		for (; *name != '\0'; name++) {
			if (*name == '"' || *name == '\\')
				sb_addc(sb, '\\');
			sb_addc(sb, *name);
		}
		sb_addc(sb, '"');
		return;
	}
	enc = header_value(name, sb_col(sb));
	sb_adds(sb, enc);
	free(enc);
}

/* A bare addr-spec that cannot leave its header or SMTP command; the full check is the config's. */
static int
addr_ok(const char *s)
{
	const char *p, *at;

	if (s == NULL || *s == '\0' || strlen(s) > ADDR_MAX)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("<>,;\"\\()", *p) != NULL)
			return 0;
	at = strrchr(s, '@');
	return at != NULL && at != s && at[1] != '\0';
}

/* A language tag (RFC 5646 shape): letters, digits and '-'. */
static int
lang_ok(const char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		if (!alnum(s[n]) && s[n] != '-')
			return 0;
	return n > 0 && n <= 35;
}

/* RFC 5322 date in the local zone; English names whatever the locale. */
static int
format_date(char *dst, size_t dstsz, time_t t)
{
	static const char day[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mon[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	long off;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	off = tm.tm_gmtoff / 60;
	snprintf(dst, dstsz, "%s, %02d %s %d %02d:%02d:%02d %c%02ld%02ld", day[tm.tm_wday],
	    tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	return 0;
}

/* The first field that would let input out of its header (or is missing), or NULL. */
static const char *
render_bad(const struct gf_mail *m, char *date, size_t datesz)
{
	size_t i;

	if (!addr_ok(m->from))
		return "From address";
	if (!addr_ok(m->to))
		return "To address";
	if (m->ncc > 0 && m->cc == NULL)
		return "Cc list";
	for (i = 0; i < m->ncc; i++)
		if (!addr_ok(m->cc[i]))
			return "Cc address";
	if (!addr_ok(m->message_id))
		return "Message-ID";
	if (m->lang != NULL && !lang_ok(m->lang))
		return "language tag";
	if (m->subject == NULL || m->body == NULL)
		return "subject or body";
	if (format_date(date, datesz, m->date) == -1)
		return "date";
	return NULL;
}

/* "From: name <addr>", the address on its own line when the name took the room. */
static void
add_from(struct sbuf *sb, const struct gf_mail *m)
{
	char *name = clean_text(m->from_name ? m->from_name : "", 1);
	char *s = name, *e;

	sb_adds(sb, "From: ");
	while (*s == ' ')
		s++;
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
		;
	*e = '\0';
	if (*s == '\0') {
		sb_printf(sb, "%s\r\n", m->from);
		free(name);
		return;
	}
	add_phrase(sb, s);
	if (sb_col(sb) + strlen(m->from) + 3 > EW_LINE)
		sb_add(sb, "\r\n", 2);
	sb_printf(sb, " <%s>\r\n", m->from);
	free(name);
}

static void
add_cc(struct sbuf *sb, const struct gf_mail *m)
{
	size_t i;

	if (m->ncc == 0)
		return;
	sb_adds(sb, "Cc:");
	for (i = 0; i < m->ncc; i++) {
		if (i > 0)
			sb_addc(sb, ',');
		if (i > 0 && sb_col(sb) + 1 + strlen(m->cc[i]) > HDR_LINE)
			sb_add(sb, "\r\n", 2);
		sb_printf(sb, " %s", m->cc[i]);
	}
	sb_add(sb, "\r\n", 2);
}

char *
mail_render(const struct gf_mail *m)
{
	struct sbuf sb = { 0 };
	char date[64];
	const char *bad;
	char *s, *body;

	if ((bad = render_bad(m, date, sizeof(date))) != NULL) {
		/* The value itself is not logged: it may be the very injection refused. */
		log_warnx("mail: %s missing or unsafe; message not rendered", bad);
		return NULL;
	}
	sb_printf(&sb, "Date: %s\r\n", date);
	add_from(&sb, m);
	sb_printf(&sb, "To: %s\r\n", m->to);
	add_cc(&sb, m);
	s = header_value(m->subject, strlen("Subject: "));
	sb_printf(&sb, "Subject: %s\r\n", s);
	free(s);
	sb_printf(&sb, "Message-ID: <%s>\r\n", m->message_id);
	sb_adds(&sb, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n");
	if (m->lang != NULL)
		sb_printf(&sb, "Content-Language: %s\r\n", m->lang);
	/* RFC 3834: autoresponders must not answer, so no vacation-reply loops. */
	sb_adds(&sb, "Auto-Submitted: auto-generated\r\n\r\n");
	s = clean_text(m->body, 0);
	body = mail_qp(s);
	sb_adds(&sb, body);
	free(body);
	free(s);
	return sb_done(&sb);
}

/* One byte of a body line; EOL when it is the line's last, which may then use column 76. */
static void
qp_byte(struct sbuf *sb, size_t *col, const char *s, int eol)
{
	unsigned char c = (unsigned char)*s;
	int lit = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !eol);
	size_t n = lit ? 1 : 3;

	if (*col + n > (eol ? QP_LINE : QP_LINE - 1)) {
		sb_add(sb, "=\r\n", 3);
		*col = 0;
	}
	/* A leading '.' or "From " is what careless relays and mbox writers alter. */
	if (*col == 0 && (c == '.' || strncmp(s, "From ", 5) == 0))
		lit = 0;
	if (lit)
		sb_addc(sb, (char)c);
	else
		sb_printf(sb, "=%02X", c);
	*col += lit ? 1 : 3;
}

char *
mail_qp(const char *utf8)
{
	struct sbuf sb = { 0 };
	const char *s = utf8;
	size_t col = 0;
	int eol;

	while (*s != '\0') {
		if (s[0] == '\n' || (s[0] == '\r' && s[1] == '\n')) {
			s += s[0] == '\r' ? 2 : 1;
			sb_add(&sb, "\r\n", 2);
			col = 0;
			continue;
		}
		/* The text's last byte is no line end: the soft break "=" still follows it. */
		eol = s[1] == '\n' || (s[1] == '\r' && s[2] == '\n');
		qp_byte(&sb, &col, s, eol);
		s++;
	}
	/* A soft break decodes to nothing: the text is exact and the message still ends in CRLF. */
	if (col > 0)
		sb_add(&sb, "=\r\n", 3);
	return sb_done(&sb);
}

/* Writes a one-line reason into ERR: curl's and servers' texts may hold line ends. */
static void seterr(char *, size_t, const char *, ...) __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	for (p = err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	while (p > err && p[-1] == ' ')
		*--p = '\0';
}

/* The URL is smtp(s):// without a login in it, which would end up in logs. */
static int
url_ok(const char *url)
{
	const char *host, *slash, *at, *p;

	if (url == NULL)
		return 0;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return 0;
	if (strncasecmp(url, "smtp://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "smtps://", 8) == 0)
		host = url + 8;
	else
		return 0;
	slash = strchr(host, '/');
	at = strchr(host, '@');
	return *host != '\0' && (at == NULL || (slash != NULL && at > slash));
}

static int
send_check(const struct gf_smtp *smtp, const char *from, const char *const *rcpts,
    size_t nrcpts, const char *msg, char *err, size_t errsz)
{
	size_t i;

	if (!url_ok(smtp->url)) {
		seterr(err, errsz, "smtp: the URL must be smtp:// or smtps://, "
		    "with no login in it");
		return -1;
	}
	if (!addr_ok(from) || msg == NULL || nrcpts == 0) {
		seterr(err, errsz, "smtp: no valid sender, recipient or message");
		return -1;
	}
	for (i = 0; i < nrcpts; i++) {
		/* An address reaches MAIL FROM / RCPT TO: a CRLF in it would be a new command. */
		if (!addr_ok(rcpts[i])) {
			seterr(err, errsz, "smtp: recipient %zu is not a plain address", i + 1);
			return -1;
		}
	}
	return 0;
}

/*
 * libcurl is loaded when the first mail is sent, not linked: it pulls in some
 * twenty libraries (TLS, Kerberos, LDAP, SSH, HTTP/2) that a daemon without
 * `smtp`, and every poll, would otherwise carry (about 4 MB of resident
 * memory). Only what mail_send() uses is looked up.
 */
struct curl_api {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
};

static const struct {
	const char *name;
	size_t off;
} curl_syms[] = {
	{ "curl_global_init", offsetof(struct curl_api, global_init) },
	{ "curl_global_cleanup", offsetof(struct curl_api, global_cleanup) },
	{ "curl_easy_init", offsetof(struct curl_api, easy_init) },
	{ "curl_easy_setopt", offsetof(struct curl_api, easy_setopt) },
	{ "curl_easy_perform", offsetof(struct curl_api, easy_perform) },
	{ "curl_easy_cleanup", offsetof(struct curl_api, easy_cleanup) },
	{ "curl_easy_getinfo", offsetof(struct curl_api, easy_getinfo) },
	{ "curl_easy_strerror", offsetof(struct curl_api, easy_strerror) },
	{ "curl_slist_append", offsetof(struct curl_api, slist_append) },
	{ "curl_slist_free_all", offsetof(struct curl_api, slist_free_all) },
};

static struct curl_api curl;
static void *curl_lib;
static char curl_err[256];

int
mail_global_init(char *err, size_t errsz)
{
	void *f;
	size_t i;

	if (curl_lib != NULL)
		return 0;
	if (*curl_err != '\0')
		goto fail;
	if ((curl_lib = dlopen(GF_LIBCURL, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(curl_err, sizeof(curl_err), "smtp: cannot load %s: %s", GF_LIBCURL,
		    dlerror());
		goto fail;
	}
	for (i = 0; i < sizeof(curl_syms) / sizeof(curl_syms[0]); i++) {
		if ((f = dlsym(curl_lib, curl_syms[i].name)) == NULL) {
			snprintf(curl_err, sizeof(curl_err), "smtp: %s has no %s", GF_LIBCURL,
			    curl_syms[i].name);
			dlclose(curl_lib);
			curl_lib = NULL;
			goto fail;
		}
		memcpy((char *)&curl + curl_syms[i].off, &f, sizeof(f));
	}
	if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(curl_err, sizeof(curl_err), "smtp: libcurl cannot start");
		dlclose(curl_lib);
		curl_lib = NULL;
		goto fail;
	}
	return 0;
fail:
	seterr(err, errsz, "%s", curl_err);
	return -1;
}

void
mail_global_cleanup(void)
{
	if (curl_lib == NULL)
		return;
	curl.global_cleanup();
	dlclose(curl_lib);
	curl_lib = NULL;
}

/* The message, handed to libcurl as it asks for it. */
struct reader {
	const char *p;
	size_t left;
};

static size_t
read_msg(char *buf, size_t size, size_t nitems, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nitems;

	if (n > r->left)
		n = r->left;
	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

/* "<addr>" for each recipient; NULL if libcurl ran out of memory. */
static struct curl_slist *
rcpt_list(const char *const *rcpts, size_t n)
{
	struct curl_slist *l = NULL, *t;
	char a[ADDR_MAX + 3];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "<%s>", rcpts[i]);
		if ((t = curl.slist_append(l, a)) == NULL) {
			curl.slist_free_all(l);
			return NULL;
		}
		l = t;
	}
	return l;
}

/* A password never crosses a connection that may be in clear: with a login, TLS is required. */
static long
tls_level(const struct gf_smtp *smtp)
{
	return (smtp->starttls || smtp->user != NULL) ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY;
}

/* libcurl calls it about once a second during a transfer: a stopping daemon does not wait. */
static int
abort_check(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	const atomic_int *abort = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(abort) != 0;
}

static int
send_setup(CURL *c, const struct gf_smtp *smtp, const char *mfrom, struct curl_slist *to,
    struct reader *r, char *cerr)
{
	long timeout = smtp->timeout_s > 0 ? smtp->timeout_s : SMTP_TIMEOUT_S;

	if (curl.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_URL, smtp->url) != CURLE_OK ||
#if LIBCURL_VERSION_NUM >= 0x075500
	    curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps") != CURLE_OK ||
#else
	    curl.easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS)) !=
	    CURLE_OK ||
#endif
	    curl.easy_setopt(c, CURLOPT_MAIL_FROM, mfrom) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_MAIL_RCPT, to) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_READFUNCTION, read_msg) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_READDATA, r) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_USE_SSL, tls_level(smtp)) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_TIMEOUT, timeout) != CURLE_OK ||
	    /* No SIGALRM for timeouts: signals and threads do not mix. */
	    curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK)
		return -1;
	if (smtp->abort != NULL &&
	    (curl.easy_setopt(c, CURLOPT_NOPROGRESS, 0L) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, abort_check) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_XFERINFODATA, (void *)smtp->abort) != CURLE_OK))
		return -1;
	/* An internal relay's certificate from the town's own CA. */
	if (smtp->ca_file != NULL && curl.easy_setopt(c, CURLOPT_CAINFO, smtp->ca_file) != CURLE_OK)
		return -1;
	if (smtp->user != NULL &&
	    (curl.easy_setopt(c, CURLOPT_USERNAME, smtp->user) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_PASSWORD, smtp->password ? smtp->password : "") !=
	    CURLE_OK))
		return -1;
	return 0;
}

/* The reason a transfer failed: libcurl's detail, and the server's code when it refused. */
static void
send_error(CURL *c, CURLcode rc, const char *cerr, char *err, size_t errsz)
{
	const char *why = *cerr != '\0' ? cerr : curl.easy_strerror(rc);
	long code = 0;

	curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 400)
		seterr(err, errsz, "smtp: %s (server replied %ld)", why, code);
	else if (rc == CURLE_USE_SSL_FAILED)
		seterr(err, errsz, "smtp: %s (TLS is required: starttls is set or a login is "
		    "configured)", why);
	else
		seterr(err, errsz, "smtp: %s", why);
}

int
mail_send(const struct gf_smtp *smtp, const char *from, const char *const *rcpts,
    size_t nrcpts, const char *msg, char *err, size_t errsz)
{
	char cerr[CURL_ERROR_SIZE] = "";
	char mfrom[ADDR_MAX + 3];
	struct reader r = { msg, 0 };
	struct curl_slist *to;
	CURL *c;
	CURLcode rc = CURLE_FAILED_INIT;

	if (send_check(smtp, from, rcpts, nrcpts, msg, err, errsz) == -1 ||
	    mail_global_init(err, errsz) == -1)
		return -1;
	r.left = strlen(msg);
	snprintf(mfrom, sizeof(mfrom), "<%s>", from);
	/* One handle per message: sender threads share nothing, and no connection goes stale. */
	c = curl.easy_init();
	to = rcpt_list(rcpts, nrcpts);
	if (c == NULL || to == NULL || send_setup(c, smtp, mfrom, to, &r, cerr) == -1)
		seterr(err, errsz, "smtp: libcurl cannot be set up (out of memory, or built "
		    "without SMTP or TLS)");
	else if ((rc = curl.easy_perform(c)) != CURLE_OK)
		send_error(c, rc, cerr, err, errsz);
	curl.slist_free_all(to);
	curl.easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}
