/*
 * Mail: message composition (RFC 5322 headers, RFC 2047 words, quoted-printable
 * body), templates from conf/mail, and sending with libcurl's SMTP.
 *
 * Everything that goes into a header is treated as hostile: control characters
 * become spaces, invalid UTF-8 becomes '?', and an address, Message-ID or
 * language tag that could break out of its header makes mail_render() fail.
 *
 * Threads: every function is reentrant. mail_send() uses its own curl handle per
 * call, so sender threads need no locking, but the program must call
 * curl_global_init(CURL_GLOBAL_DEFAULT) once before starting them (and
 * curl_global_cleanup() after joining them): libcurl's global setup is not
 * thread-safe.
 */
#ifndef GF_MAIL_H
#define GF_MAIL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>

#include "mailtpl.h"
#include <time.h>

struct gf_mail {
	const char *from;		/* bare address, e.g. greenfleet@mairie.example */
	const char *from_name;		/* optional display name (UTF-8), may be NULL */
	const char *to;			/* bare address */
	const char *const *cc;		/* bare addresses */
	size_t ncc;
	const char *subject;		/* UTF-8 */
	const char *body;		/* UTF-8 plain text, "\n" line ends */
	/* Without the angle brackets, e.g. "quota.urbanisme.2026-11.80.3f2a@mairie.example". */
	const char *message_id;
	time_t date;
	const char *lang;		/* "fr" or "en": Content-Language; NULL: no such header */
};

/*
 * The whole RFC 5322 message: Date (local zone offset), From, To, Cc, Subject
 * (RFC 2047 when not plain ASCII), Message-ID, MIME-Version, Content-Type
 * text/plain; charset=UTF-8, Content-Transfer-Encoding quoted-printable,
 * Content-Language, Auto-Submitted: auto-generated; a blank line; the body.
 * CRLF line ends, no body line over 76 characters, 7-bit clean. malloc'd; NULL
 * (logged) if an address holds anything but a plain addr-spec (no CR, LF,
 * space, '<', '>', ',', ...), or the Message-ID or language tag is unsafe.
 */
char *mail_render(const struct gf_mail *m);

/*
 * RFC 2047 encoded-words (UTF-8, Q or B, whichever is shorter) for an
 * unstructured header value or a display name, folded with CRLF SP so no
 * encoded-word exceeds 75 characters and no line 76 (the value is taken to
 * start a line). Printable ASCII without "=?" passes as is, folded at spaces
 * before column 78. Control characters (CR, LF included) become spaces, so the
 * result can never end a header line early. malloc'd.
 */
char *mail_encode_header(const char *utf8);

/*
 * Quoted-printable body (RFC 2045): "\n" (or "\r\n") ends a line with CRLF,
 * lines are at most 76 characters, '=', non-ASCII and control bytes are
 * escaped, as are trailing blanks, a leading '.' and a leading "From ". A
 * non-empty result always ends with CRLF (a soft line break when the text does
 * not end with "\n", so nothing is added to it). malloc'd.
 */
char *mail_qp(const char *utf8);

struct gf_smtp {
	const char *url;		/* smtp://host:port or smtps://host:port */
	const char *user, *password;	/* optional login (NULL: none) */
	/*
	 * smtp:// only (smtps:// is TLS from the start). 1: STARTTLS is required
	 * (CURLUSESSL_ALL), the session fails if the server does not offer it.
	 * 0: opportunistic (CURLUSESSL_TRY), for an internal relay without TLS,
	 * but only when there is no login: a password is never sent over a
	 * connection that may be in clear, so with USER set TLS is always required.
	 * Certificates are always verified: against CA_FILE (PEM) when set,
	 * else the system's CA store.
	 */
	int starttls;
	int timeout_s;			/* whole transfer; <= 0 means 60 */
	const char *ca_file;		/* NULL: the system's CAs */
	/* Optional: when it becomes non-zero the transfer is abandoned (daemon stopping). */
	const atomic_int *abort;
};

/*
 * Loads libcurl and sets up its global state; 0, or -1 with the reason in ERR
 * (remembered: a missing library is not looked for again). Not thread-safe:
 * call it before starting threads that send, or from the only one that does.
 */
int mail_global_init(char *err, size_t errsz);
void mail_global_cleanup(void);

/*
 * Sends MSG (as rendered) to the recipients with libcurl's SMTP; 0 when the
 * server accepted the data, else -1 with a one-line reason in ERR (nothing is
 * logged: the caller knows which message it was). Any refused recipient fails
 * the whole message. Blocking, up to timeout_s: the daemon calls it from a
 * sender thread, never from the poll loop. Loads libcurl on first use (see
 * mail_global_init).
 */
int mail_send(const struct gf_smtp *smtp, const char *from, const char *const *rcpts,
    size_t nrcpts, const char *msg, char *err, size_t errsz);

#endif
