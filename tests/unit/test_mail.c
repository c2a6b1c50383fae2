/* Mail composition: encodings decode back exactly, lines stay short, headers stay shut. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail.h"
#include "tap.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define SUBJ_FR		"Quota d'impression : État civil à 80 %"
#define SUBJ_FR_Q	"=?UTF-8?Q?Quota_d=27impression_=3A_=C3=89tat_civil_=C3=A0_80_=25?="
#define T_NOV13		1794562200	/* 2026-11-13 09:30:00 UTC, a Friday */
#define X25		"xxxxxxxxxxxxxxxxxxxxxxxxx"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
b64val(char c)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

/* Appends N bytes of S to OUT, as far as it has room. */
static void
append(char *out, size_t outsz, const char *s, size_t n)
{
	size_t o = strlen(out);

	if (n > outsz - o - 1)
		n = outsz - o - 1;
	memcpy(out + o, s, n);
	out[o + n] = '\0';
}

/* S is whole UTF-8 characters: no lead byte without its continuations, none without a lead. */
static int
whole_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int need;

	while (*p != '\0') {
		need = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc0 ? 1 : -1;
		if (need < 0)
			return 0;
		for (p++; need > 0; need--, p++)
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

/* Decodes the payload of one encoded-word (Q or B) onto the end of OUT; -1 if malformed. */
static int
word_decode(char enc, const char *s, size_t n, char *out, size_t outsz)
{
	size_t o = strlen(out), i;
	unsigned v = 0, bits = 0;
	int x;

	for (i = 0; i < n && o + 1 < outsz; i++) {
		if (enc == 'Q' && s[i] == '=') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (enc == 'Q')
			out[o++] = s[i] == '_' ? ' ' : s[i];
		else if (s[i] != '=') {
			if ((x = b64val(s[i])) < 0)
				return -1;
			v = v << 6 | (unsigned)x;
			if ((bits += 6) >= 8) {
				bits -= 8;
				out[o++] = (char)(v >> bits & 0xff);
			}
		}
	}
	out[o] = '\0';
	return 0;
}

/*
 * An independent RFC 2047 reader for unstructured values: unfolds CRLF WSP,
 * decodes UTF-8 words, drops the blanks between adjacent words. Checks that
 * every word is at most 75 characters and decodes alone to whole characters.
 */
static int
hdr_decode(const char *in, char *out, size_t outsz)
{
	char u[4096], piece[256];
	const char *p, *end, *ws = NULL;
	size_t o = 0;

	for (p = in; *p != '\0' && o + 1 < sizeof(u); p++)
		if (!(p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t')) &&
		    !(p[0] == '\n' && p > in && p[-1] == '\r'))
			u[o++] = *p;
	u[o] = '\0';
	out[0] = '\0';
	for (p = u; *p != '\0';) {
		if (strncmp(p, "=?UTF-8?", 8) == 0 && (p[8] == 'Q' || p[8] == 'B') && p[9] == '?' &&
		    (end = strstr(p + 10, "?=")) != NULL) {
			if (end + 2 - p > 75)
				return -1;
			piece[0] = '\0';
			if (word_decode(p[8], p + 10, (size_t)(end - p - 10), piece,
			    sizeof(piece)) == -1 || !whole_utf8(piece))
				return -1;
			append(out, outsz, piece, strlen(piece));
			p = end + 2;
			ws = p + strspn(p, " \t");
			if (strncmp(ws, "=?", 2) == 0)
				p = ws;
			continue;
		}
		append(out, outsz, p++, 1);
	}
	return 0;
}

/* Quoted-printable back to text ("\n" line ends); -1 on a bad escape or a line over 76. */
static int
qp_decode(const char *in, char *out, size_t outsz)
{
	const char *p = in, *nl;
	size_t o = 0;

	for (; *p != '\0'; p = nl + 2) {
		if ((nl = strstr(p, "\r\n")) == NULL || nl - p > 76)
			return -1;
		for (; p < nl && o + 1 < outsz; p++) {
			if (*p != '=')
				out[o++] = *p;
			else if (p + 1 == nl)
				break;		/* soft line break */
			else if (p + 2 < nl && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				out[o++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
				p += 2;
			} else
				return -1;
		}
		if (p == nl && o + 1 < outsz)
			out[o++] = '\n';
	}
	out[o] = '\0';
	return 0;
}

/* Every CR is followed by LF and every LF preceded by CR. */
static int
crlf_only(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if ((*p == '\r' && p[1] != '\n') || (*p == '\n' && (p == s || p[-1] != '\r')))
			return 0;
	return 1;
}

static size_t
longest_line(const char *s)
{
	size_t max = 0, n;

	while (*s != '\0') {
		n = strcspn(s, "\r\n");
		if (n > max)
			max = n;
		s += n;
		s += strspn(s, "\r\n");
	}
	return max;
}

static int
seven_bit(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* The header field names of message M, in order, comma-separated. */
static void
header_names(const char *m, char *out, size_t outsz)
{
	const char *end = strstr(m, "\r\n\r\n"), *p;

	out[0] = '\0';
	for (p = m; end != NULL && p <= end; p = strstr(p, "\r\n") + 2) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (out[0] != '\0')
			append(out, outsz, ",", 1);
		append(out, outsz, p, strcspn(p, ":\r\n"));
	}
}

/* The unfolded value of header NAME in message M, or "" ; OUT receives it raw. */
static const char *
header_raw(const char *m, const char *name, char *out, size_t outsz)
{
	const char *end = strstr(m, "\r\n\r\n"), *p = m, *q;
	size_t n = strlen(name);

	out[0] = '\0';
	for (; end != NULL && p < end; p = strstr(p, "\r\n") + 2) {
		if (strncmp(p, name, n) != 0 || p[n] != ':')
			continue;
		p += n + 1 + (p[n + 1] == ' ');
		for (q = p; q < end && !(q[0] == '\r' && q[2] != ' ' && q[2] != '\t'); q++)
			;
		snprintf(out, outsz, "%.*s", (int)(q - p), p);
		break;
	}
	return out;
}

static void
test_encode_header(void)
{
	static const char *const cases[] = {
		SUBJ_FR,
		"Quota d'impression dépassé : le service Urbanisme a utilisé 112 % de son "
		"quota de novembre 2026, soit 4 480 pages en noir et blanc et 1 230 en couleur",
		"Ελληνικά: όριο εκτυπώσεων 80 % — 印刷の割り当て 🖨️ dépassé",
		"a =?UTF-8?Q?forged?= word",
		"éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
	};
	char out[4096], *e;
	size_t i;

	e = mail_encode_header(SUBJ_FR);
	ok(strcmp(e, SUBJ_FR_Q) == 0, "known-good Q encoding of the French subject (%s)", e);
	free(e);
	for (i = 0; i < nitems(cases); i++) {
		e = mail_encode_header(cases[i]);
		ok(hdr_decode(e, out, sizeof(out)) == 0 && strcmp(out, cases[i]) == 0,
		    "case %zu decodes back exactly, words <= 75, whole characters", i);
		ok(longest_line(e) <= 76 && crlf_only(e) && seven_bit(e),
		    "case %zu: lines <= 76, CRLF, 7-bit", i);
		ok(strstr(e, "\r\n") == NULL || strstr(e, "\r\n ") != NULL,
		    "case %zu: folds with CRLF SP", i);
		free(e);
	}
	e = mail_encode_header(cases[2]);
	ok(strstr(e, "?B?") != NULL, "mostly non-Latin text takes B, the shorter");
	free(e);
	e = mail_encode_header(cases[3]);
	ok(strncmp(e, "=?UTF-8?", 8) == 0,
	    "ASCII holding '=?' is encoded, not mistaken for a word");
	free(e);
	e = mail_encode_header("Print quota: Urbanisme at 80 %");
	ok(strcmp(e, "Print quota: Urbanisme at 80 %") == 0, "plain ASCII passes as is");
	free(e);
	e = mail_encode_header("Print quota report for the department of urban planning, "
	    "November 2026: 80 % of the monochrome allowance used");
	ok(longest_line(e) <= 78 && strstr(e, "\r\n ") != NULL && strncmp(e, "Print", 5) == 0,
	    "long ASCII folds at a space, stays plain");
	ok(hdr_decode(e, out, sizeof(out)) == 0 && strstr(out, "planning, November") != NULL,
	    "and unfolds to the original");
	free(e);
	e = mail_encode_header("");
	ok(strcmp(e, "") == 0, "empty stays empty");
	free(e);
	e = mail_encode_header("caf\xe9 cr\xc3\xa8me");
	ok(hdr_decode(e, out, sizeof(out)) == 0 && strcmp(out, "caf? crème") == 0,
	    "invalid UTF-8 becomes '?', the declared charset stays true (%s)", out);
	free(e);
}

static void
test_header_injection(void)
{
	static const char *const hostile[] = {
		"Alerte\r\nBcc: victim@evil.example",
		"Alerte\nBcc: victim@evil.example",
		"Alerte\rBcc: victim@evil.example",
		"Alerte é\r\nBcc: victim@evil.example",
		"\r\n\r\nbody takeover",
	};
	char out[1024], *e;
	size_t i;

	for (i = 0; i < nitems(hostile); i++) {
		e = mail_encode_header(hostile[i]);
		ok(crlf_only(e) && (strstr(e, "\r\n") == NULL || strstr(e, "\r\n ") != NULL) &&
		    strstr(e, "\r\nBcc") == NULL && strstr(e, "\r\n\r\n") == NULL,
		    "CR/LF case %zu: no line of its own", i);
		ok(hdr_decode(e, out, sizeof(out)) == 0 && strpbrk(out, "\r\n") == NULL,
		    "CR/LF case %zu: decodes without a line end", i);
		free(e);
	}
}

static void
test_qp(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a=b\n", "a=3Db\r\n" },
		{ "État\n", "=C3=89tat\r\n" },
		{ "fin  \n", "fin =20\r\n" },
		{ "tab\t\n", "tab=09\r\n" },
		{ "pas de fin de ligne", "pas de fin de ligne=\r\n" },
		{ "fin \n", "fin=20\r\n" },
		{ ".\n", "=2E\r\n" },
		{ "From me\nFromage\n", "=46rom me\r\nFromage\r\n" },
		{ "a\r\nb\n", "a\r\nb\r\n" },
		{ "cr\ronly\n", "cr=0Donly\r\n" },
		{ "\n\n", "\r\n\r\n" },
		{ "", "" },
		{ X25 X25 X25 "x\n", X25 X25 X25 "x\r\n" },		/* 76: fits */
		{ X25 X25 X25 "xy\n", X25 X25 X25 "=\r\n" "xy\r\n" },	/* 77: soft break */
		/* No final line end: the closing soft break "=" counts in the line (fuzz find). */
		{ X25 X25 X25 "x", X25 X25 X25 "=\r\n" "x=\r\n" },
		{ X25 X25 "abcdefghijklmnopqrstuvw", X25 X25 "abcdefghijklmnopqrstuvw=\r\n" },
		{ "fin ", "fin =\r\n" },
	};
	char in[2048], out[4096], *q;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		q = mail_qp(cases[i].in);
		if (!ok(strcmp(q, cases[i].out) == 0, "qp case %zu", i))
			tap_diag("got '%s'", q);
		free(q);
	}
	/* Long lines of every kind: escapes never cut, lines <= 76, exact round trip. */
	in[0] = '\0';
	for (i = 0; i < 30; i++)
		strcat(in, i % 3 ? "é=à " : "Imprimez en recto verso, ");
	strcat(in, "\n\tfin\n");
	q = mail_qp(in);
	ok(longest_line(q) <= 76 && crlf_only(q) && seven_bit(q),
	    "long QP: lines <= 76, CRLF, 7-bit");
	ok(qp_decode(q, out, sizeof(out)) == 0 && strcmp(out, in) == 0,
	    "long QP decodes back exactly");
	free(q);
}

static struct gf_mail
sample(void)
{
	static const char *const cc[] = { "dgs@mairie.example", "dsi@mairie.example" };
	struct gf_mail m = {
		.from = "greenfleet@mairie.example",
		.from_name = "Greenfleet — Mairie",
		.to = "chef.etatcivil@mairie.example",
		.cc = cc,
		.ncc = 2,
		.subject = SUBJ_FR,
		.body = "Bonjour,\n\nLe service État civil a utilisé 80 % de son quota "
			"d'impression de novembre 2026 : 4 000 pages en noir et blanc sur 5 000.\n",
		.message_id = "quota.etat-civil.2026-11.80.3f2a@mairie.example",
		.date = T_NOV13,
		.lang = "fr",
	};

	return m;
}

static void
test_render(void)
{
	struct gf_mail m = sample();
	char names[512], v[1024], body[4096], *s;
	const char *b;

	s = mail_render(&m);
	if (!ok(s != NULL, "renders"))
		return;
	header_names(s, names, sizeof(names));
	ok(strcmp(names, "Date,From,To,Cc,Subject,Message-ID,MIME-Version,Content-Type,"
	    "Content-Transfer-Encoding,Content-Language,Auto-Submitted") == 0,
	    "headers and their order: %s", names);
	ok(crlf_only(s), "CRLF everywhere");
	ok(seven_bit(s), "7-bit clean");
	ok(longest_line(s) <= 76, "no line over 76 (%zu)", longest_line(s));
	ok(hdr_decode(header_raw(s, "Subject", v, sizeof(v)), body, sizeof(body)) == 0 &&
	    strcmp(body, SUBJ_FR) == 0, "Subject decodes to the exact UTF-8");
	ok(strcmp(header_raw(s, "From", v, sizeof(v)),
	    "=?UTF-8?Q?Greenfleet_=E2=80=94_Mairie?= <greenfleet@mairie.example>") == 0,
	    "From: encoded name and address (%s)", v);
	ok(strcmp(header_raw(s, "To", v, sizeof(v)), "chef.etatcivil@mairie.example") == 0, "To");
	ok(strcmp(header_raw(s, "Cc", v, sizeof(v)), "dgs@mairie.example, dsi@mairie.example") == 0,
	    "Cc");
	ok(strcmp(header_raw(s, "Message-ID", v, sizeof(v)),
	    "<quota.etat-civil.2026-11.80.3f2a@mairie.example>") == 0, "Message-ID in brackets");
	ok(strstr(s, "\r\nContent-Type: text/plain; charset=UTF-8\r\n") &&
	    strstr(s, "\r\nContent-Transfer-Encoding: quoted-printable\r\n") &&
	    strstr(s, "\r\nMIME-Version: 1.0\r\n") && strstr(s, "\r\nContent-Language: fr\r\n") &&
	    strstr(s, "\r\nAuto-Submitted: auto-generated\r\n\r\n"), "MIME headers");
	b = strstr(s, "\r\n\r\n") + 4;
	ok(qp_decode(b, body, sizeof(body)) == 0 && strcmp(body, m.body) == 0,
	    "body decodes to the exact text");
	free(s);

	m.from_name = NULL;
	m.ncc = 0;
	m.lang = NULL;
	s = mail_render(&m);
	header_names(s, names, sizeof(names));
	ok(strstr(s, "\r\nFrom: greenfleet@mairie.example\r\n") && !strstr(names, "Cc") &&
	    !strstr(names, "Content-Language"),
	    "no name, no Cc, no language: bare From, no such headers");
	free(s);
	m.from_name = "Service informatique (DSI)";
	s = mail_render(&m);
	ok(strstr(s, "\r\nFrom: \"Service informatique (DSI)\" <greenfleet@mairie.example>\r\n") !=
	    NULL, "an ASCII name with specials is quoted");
	free(s);
	m.from_name = "Greenfleet";
	s = mail_render(&m);
	ok(strstr(s, "\r\nFrom: Greenfleet <greenfleet@mairie.example>\r\n") != NULL,
	    "a plain name as is");
	free(s);
}

static void
test_render_hostile(void)
{
	static const char *const many[] = { "un.tres.long.nom.de.service@mairie.example",
		"deux.tres.long.nom.de.service@mairie.example",
		"trois.tres.long.nom.de.service@mairie.example" };
	static const char *const bad_addr[] = { "chef@mairie.example\r\nBcc: x@evil.example",
		"chef@mairie.example\n", "<chef@mairie.example>", "a@b.example, c@evil.example",
		"chef mairie@example", "", "sans-arobase", "chef@", "chef@mairie.example>" };
	struct gf_mail m = sample();
	const char *cc[1];
	char names[512], *s;
	size_t i;

	m.subject = "Alerte\r\nBcc: victim@evil.example\r\n\r\nFaux corps";
	m.from_name = "Greenfleet\nX-Evil: 1";
	s = mail_render(&m);
	header_names(s, names, sizeof(names));
	ok(s && crlf_only(s) && strstr(names, "Bcc") == NULL && strstr(names, "X-Evil") == NULL &&
	    strstr(s, "\r\n\r\nFaux") == NULL,
	    "CR/LF in subject and name inject nothing: %s", names);
	free(s);
	m = sample();
	for (i = 0; i < nitems(bad_addr); i++) {
		m.to = bad_addr[i];
		ok(mail_render(&m) == NULL, "unsafe To %zu refused", i);
	}
	m = sample();
	cc[0] = "dsi@mairie.example\r\nBcc: x@evil.example";
	m.cc = cc;
	m.ncc = 1;
	ok(mail_render(&m) == NULL, "unsafe Cc refused");
	m = sample();
	m.from = "greenfleet@mairie.example>";
	ok(mail_render(&m) == NULL, "unsafe From refused");
	m = sample();
	m.message_id = "x@y>\r\nBcc: z@evil.example";
	ok(mail_render(&m) == NULL, "unsafe Message-ID refused");
	m = sample();
	m.lang = "fr\r\nBcc: z@evil.example";
	ok(mail_render(&m) == NULL, "unsafe language refused");
	m = sample();
	m.cc = many;
	m.ncc = nitems(many);
	s = mail_render(&m);
	ok(s && longest_line(s) <= 78 && strstr(s, ",\r\n trois") != NULL, "a long Cc folds");
	free(s);
}

/* The Date header of a sample rendered at T in zone TZ. */
static void
date_in(const char *tz, time_t t, char *out, size_t outsz)
{
	struct gf_mail m = sample();
	char *s;

	setenv("TZ", tz, 1);
	tzset();
	m.date = t;
	s = mail_render(&m);
	header_raw(s, "Date", out, outsz);
	free(s);
}

static void
test_date(void)
{
	static const struct {
		const char *tz;
		time_t t;
		const char *want;
	} cases[] = {
		{ "CET-1CEST,M3.5.0,M10.5.0/3", T_NOV13, "Fri, 13 Nov 2026 10:30:00 +0100" },
		{ "CET-1CEST,M3.5.0,M10.5.0/3", 1784016000, "Tue, 14 Jul 2026 10:00:00 +0200" },
		{ "UTC0", T_NOV13, "Fri, 13 Nov 2026 09:30:00 +0000" },
		{ "EST5EDT,M3.2.0,M11.1.0", 1793491509, "Sat, 31 Oct 2026 20:05:09 -0400" },
		{ "IST-5:30", T_NOV13, "Fri, 13 Nov 2026 15:00:00 +0530" },
		{ "NST3:30NDT,M3.2.0,M11.1.0", T_NOV13, "Fri, 13 Nov 2026 06:00:00 -0330" },
	};
	char d[128];
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		date_in(cases[i].tz, cases[i].t, d, sizeof(d));
		ok(strcmp(d, cases[i].want) == 0, "Date in %s: %s", cases[i].tz, d);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_fill(void)
{
	static const char *const keys[] = { "department", "head", "percent", "empty" };
	static const char *const vals[] = { "État civil", "Mme Durand {percent}", "80", NULL };
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Bonjour {head},", "Bonjour Mme Durand {percent}," },
		{ "{department} à {percent} %", "État civil à 80 %" },
		{ "{percent}{percent}", "8080" },
		{ "{{head}", "{head}" },
		{ "{{{head}}", "{Mme Durand {percent}}" },
		{ "{{", "{" },
		{ "{unknown} {head", "{unknown} {head" },
		{ "{}", "{}" },
		{ "{ head }", "{ head }" },
		{ "{Head}", "{Head}" },
		{ "a}b", "a}b" },
		{ "[{empty}]", "[]" },
		{ "", "" },
		{ "fin {", "fin {" },
		/* Conditional lines: "{?k}" keeps a line only when k has a value, "{!k}" when not. */
		{ "{?percent}a {percent}\nb\n", "a 80\nb\n" },
		{ "a\n{?empty}  - budget : {empty}\nb\n", "a\nb\n" },
		{ "{!empty}trop tôt\n{?empty}estimée à {empty}\n", "trop tôt\n" },
		{ "{!percent}trop tôt\nfin", "fin" },
		{ "x {?unknown} {!Head}\n", "x {?unknown} {!Head}\n" },
		{ "{{?empty}\n", "{?empty}\n" },
		{ "{?empty}last line", "" },
		{ "{?head}{!empty}both\n", "both\n" },
		{ "{?head}{?empty}one of two\nkept\n", "kept\n" },
		{ "\n{?empty}\n\n", "\n\n" },
		{ "{?}{!}{?percent\n", "{?}{!}{?percent\n" },
	};
	char *s;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		s = mail_fill(cases[i].in, keys, vals, nitems(keys));
		if (!ok(strcmp(s, cases[i].out) == 0, "fill '%s'", cases[i].in))
			tap_diag("got '%s'", s);
		free(s);
	}
}

static void
write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fwrite(text, 1, len, f);
	fclose(f);
}

#define WRITE(dir, name, lit) write_file(dir, name, lit, sizeof(lit) - 1)

/* mail_template_read(), as mail_template_load() but with what it reports captured into ERRS. */
static int
load_capture(const char *dir, const char *name, const char *lang, char **subj, char **body,
    char *errs, size_t errsz)
{
	char path[512];
	int fd, rc;
	ssize_t n;

	FILE *f;

	snprintf(path, sizeof(path), "%s/stderr.out", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if ((f = fdopen(dup(fd), "w")) == NULL)
		return -2;
	rc = mail_template_read(dir, name, lang, subj, body, f);
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, errs, errsz - 1);
	errs[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

static void
test_template_errors(const char *dir)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "Objet : quota\n\nTexte.\n",
		    "bad.en.txt:1: the first line must be \"Subject: ...\"\n" },
		{ "Subject:   \n\nTexte.\n", "bad.en.txt:1: the subject is empty\n" },
		{ "Subject: quota\nTexte.\n",
		    "bad.en.txt:2: a blank line must follow the subject\n" },
		{ "Subject: quota", "bad.en.txt:2: a blank line must follow the subject\n" },
		{ "Subject: quota\n\n\n  \n", "bad.en.txt:3: the body is empty\n" },
		{ "Subject: quota\n\nok\nbad \xe9t\xe9\n",
		    "bad.en.txt:4: invalid UTF-8 (save the file as UTF-8)\n" },
		{ "Subject: quota\n\n\x1b[31mrouge\n", "bad.en.txt:3: control character\n" },
		{ "Subject: quota\n\na\rb\n", "bad.en.txt:3: control character\n" },
		{ "Subject: \xc3\n\nx\n\xff\n",
		    "bad.en.txt:1: invalid UTF-8 (save the file as UTF-8)\n" },
	};
	char errs[1024], want[1024], *subj, *body;
	size_t i;
	int rc;

	for (i = 0; i < nitems(cases); i++) {
		write_file(dir, "bad.en.txt", cases[i].text, strlen(cases[i].text));
		rc = load_capture(dir, "bad", "en", &subj, &body, errs, sizeof(errs));
		snprintf(want, sizeof(want), "%s/%s", dir, cases[i].want);
		if (!ok(rc == -1 && subj == NULL && strncmp(errs, want, strlen(want)) == 0,
		    "template error %zu: %.*s", i, (int)strcspn(cases[i].want, "\n"),
		    cases[i].want))
			tap_diag("got rc %d: %s", rc, errs);
	}
	ok(strstr(errs, "bad.en.txt:4: invalid UTF-8") != NULL, "every bad line is reported");
	rc = load_capture(dir, "nope", "fr", &subj, &body, errs, sizeof(errs));
	snprintf(want, sizeof(want), "%s/nope.en.txt: cannot read: No such file or directory "
	    "(the fallback for %s/nope.fr.txt)\n", dir, dir);
	ok(rc == -1 && strcmp(errs, want) == 0, "missing template names both files");
	rc = load_capture(dir, "../bad", "en", &subj, &body, errs, sizeof(errs));
	ok(rc == -1 && subj == NULL && strstr(errs, "not a plain word"),
	    "a path as name is refused");
	rc = load_capture(dir, "bad", "en/../../x", &subj, &body, errs, sizeof(errs));
	ok(rc == -1 && strstr(errs, "not a plain word"), "a path as language is refused");
	{
		char *big = malloc(70000);

		memset(big, 'x', 70000);
		memcpy(big, "Subject: x\n\n", 12);
		write_file(dir, "big.en.txt", big, 70000);
		free(big);
	}
	rc = load_capture(dir, "big", "en", &subj, &body, errs, sizeof(errs));
	ok(rc == -1 && strstr(errs, "big.en.txt: cannot read: File too large"),
	    "a huge file is refused");
}

static void
test_template(void)
{
	char dir[] = "/tmp/gf-test-mail.XXXXXX", errs[1024], cmd[600], *subj, *body;
	int rc;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	WRITE(dir, "quota.fr.txt",
	    "Subject: Quota : {department}  \n\nBonjour {head},\n\nTexte.\n");
	WRITE(dir, "quota.en.txt", "Subject: Quota: {department}\n\nDear {head},\n");
	WRITE(dir, "crlf.en.txt", "Subject: Windows\r\n\r\nLigne 1\r\nLigne 2\r\n");
	rc = load_capture(dir, "quota", "fr", &subj, &body, errs, sizeof(errs));
	ok(rc == 0 && strcmp(subj, "Quota : {department}") == 0 &&
	    strcmp(body, "Bonjour {head},\n\nTexte.\n") == 0 && errs[0] == '\0',
	    "French template: subject (trimmed) and body");
	free(subj);
	free(body);
	rc = load_capture(dir, "quota", "de", &subj, &body, errs, sizeof(errs));
	ok(rc == 0 && strcmp(subj, "Quota: {department}") == 0 &&
	    strcmp(body, "Dear {head},\n") == 0, "a missing language falls back to English");
	free(subj);
	free(body);
	rc = load_capture(dir, "crlf", "en", &subj, &body, errs, sizeof(errs));
	ok(rc == 0 && strcmp(subj, "Windows") == 0 && strcmp(body, "Ligne 1\nLigne 2\n") == 0,
	    "CRLF files are read with \\n line ends");
	free(subj);
	free(body);
	test_template_errors(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
}

/* The shipped templates load, in both languages, and use only the documented placeholders. */
static void
test_shipped_templates(void)
{
	static const char *const names[] = { "quota-warning", "quota-breach", "digest" };
	static const char *const langs[] = { "fr", "en" };
	static const char *const keys[] = { "department", "head", "period", "threshold",
		"used_mono", "used_colour", "limit_mono", "limit_colour", "budget_used", "budget",
		"percent", "projected", "top_devices", "levers", "dashboard_url" };
	const char *vals[nitems(keys)];
	const char *top = getenv("top_srcdir");
	char dir[512], path[600], *subj, *body, *fs, *fb, *msg;
	struct gf_mail m = sample();
	size_t i, j;

	for (i = 0; i < nitems(keys); i++)
		vals[i] = "x";
	snprintf(dir, sizeof(dir), "%s/conf/mail", top ? top : ".");
	for (i = 0; i < nitems(names); i++) {
		for (j = 0; j < nitems(langs); j++) {
			snprintf(path, sizeof(path), "%s/%s.%s.txt", dir, names[i], langs[j]);
			if (!ok(access(path, R_OK) == 0 &&
			    mail_template_load(dir, names[i], langs[j], &subj, &body) == 0,
			    "%s.%s.txt loads", names[i], langs[j]))
				continue;
			fs = mail_fill(subj, keys, vals, nitems(keys));
			fb = mail_fill(body, keys, vals, nitems(keys));
			ok(strchr(fs, '{') == NULL && strchr(fb, '{') == NULL,
			    "%s.%s.txt: only known placeholders", names[i], langs[j]);
			m.subject = fs;
			m.body = fb;
			msg = mail_render(&m);
			ok(msg != NULL && longest_line(msg) <= 76, "%s.%s.txt renders", names[i],
			    langs[j]);
			free(msg);
			free(fs);
			free(fb);
			free(subj);
			free(body);
		}
	}
}

int
main(void)
{
	test_encode_header();
	test_header_injection();
	test_qp();
	test_render();
	test_render_hostile();
	test_date();
	test_fill();
	test_template();
	test_shipped_templates();
	return tap_done();
}
