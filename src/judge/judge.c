/* Quota judging: thresholds crossed, once per period, and the notice that says so. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "advice.h"
#include "judge.h"
#include "log.h"
#include "mail.h"
#include "quota.h"
#include "xmalloc.h"

#define TOP_DEVICES	3

static const char *const months_fr[] = { "janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre" };
static const char *const months_en[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };

void
judge_period_label(char *dst, size_t sz, enum gf_period p, const char *key, const char *lang)
{
	int fr = strcmp(lang, "en") != 0, y = atoi(key), n;

	if (p == GF_PERIOD_MONTH && (n = atoi(key + 5)) >= 1 && n <= 12)
		snprintf(dst, sz, "%s %d", fr ? months_fr[n - 1] : months_en[n - 1], y);
	else if (p == GF_PERIOD_QUARTER && strlen(key) == 7)
		snprintf(dst, sz, fr ? "%ce trimestre %d" : "Q%c %d", key[6], y);
	else
		snprintf(dst, sz, fr ? "année %d" : "%d", y);
	if (fr && p == GF_PERIOD_QUARTER && key[6] == '1')
		snprintf(dst, sz, "1er trimestre %d", y);
}

/* The lines naming the devices that printed most, e.g. "  - copieur-rdc : 1234 pages". */
static void
top_lines(struct gf_store *s, const char *dept, const struct gf_span *sp, const char *lang,
    char *dst, size_t sz)
{
	struct gf_top top[TOP_DEVICES];
	int n = store_top_devices(s, dept, sp->first, sp->last, top, TOP_DEVICES), i;
	size_t len = 0;

	dst[0] = '\0';
	for (i = 0; i < n && len < sz; i++)
		len += snprintf(dst + len, sz - len, "%s  - %s%s %llu pages", i ? "\n" : "",
		    top[i].device, strcmp(lang, "en") ? " :" : ":",
		    (unsigned long long)top[i].pages);
	if (n <= 0)
		snprintf(dst, sz, "  -");
}

/* One or two concrete levers, colour first when colour weighs on the quota. */
static void
lever_lines(const struct gf_quota_use *u, const char *lang, char *dst, size_t sz)
{
	int fr = strcmp(lang, "en") != 0;
	uint64_t all = u->mono + u->colour;
	unsigned share = all ? (unsigned)(u->colour * 100 / all) : 0;
	const char *duplex = fr ?
	    "  - Réglez le recto-verso par défaut sur les postes et les copieurs :\n"
	    "    chaque impression recto-verso économise une feuille." :
	    "  - Make two-sided printing the default on every PC and copier:\n"
	    "    each duplex print saves a sheet of paper.";

	if (share >= 10)
		snprintf(dst, sz, fr ?
		    "  - Imprimez en noir et blanc par défaut : la couleur représente %u %% de\n"
		    "    vos pages et une page couleur pèse bien plus lourd qu'une page noire.\n%s" :
		    "  - Print in black and white by default: colour is %u %% of your pages\n"
		    "    and a colour page weighs far more than a black one.\n%s", share, duplex);
	else
		snprintf(dst, sz, fr ? "%s\n  - Gardez le noir et blanc par défaut pour les "
		    "documents internes." : "%s\n  - Keep black and white as the default for "
		    "internal documents.", duplex);
}

/*
 * "gf.quota.urbanisme.2026-11.80.HOST@DOMAIN", "gf.digest.urbanisme.2026-W48.HOST@DOMAIN":
 * the same crossing or digest always gives the same id. A store shared by
 * pollers on several hosts says "fleet" for HOST: whichever leads, a
 * notice has one id, and the outbox keeps one of each.
 */
static void
message_id(char *dst, size_t sz, const struct gf_conf *conf, const char *what)
{
	const char *at = strchr(conf->smtp.from, '@');
	char host[64] = "localhost";

	if (store_shared(conf))
		snprintf(host, sizeof(host), "fleet");
	else
		gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, "@<> \t\r\n")] = '\0';
	snprintf(dst, sz, "gf.%s.%s%s", what, host, at ? at : "@localhost");
}

static char *
fmt_u(char *buf, size_t sz, unsigned long long v)
{
	snprintf(buf, sz, "%llu", v);
	return buf;
}

/*
 * Fills template NAME (in N's language) with KEYS/VALS into N's subject and
 * body and queues N. 1 if queued, 0 when the template is missing (logged),
 * -1 on a store error.
 */
static int
queue_filled(struct gf_store *s, const struct gf_conf *conf, const char *name,
    const char *const *keys, const char *const *vals, size_t nkv, struct gf_notice *n)
{
	char *subj_t = NULL, *body_t = NULL;
	int rc;

	if (mail_template_load(conf->mail_dir, name, n->lang, &subj_t, &body_t) != 0) {
		log_warnx("mail: no %s template in %s: %s not sent", name, conf->mail_dir,
		    n->message_id);
		return 0;
	}
	n->subject = mail_fill(subj_t, keys, vals, nkv);
	n->body = mail_fill(body_t, keys, vals, nkv);
	rc = store_outbox_add(s, n);
	free(n->subject);
	free(n->body);
	free(subj_t);
	free(body_t);
	return rc == 0 ? 1 : -1;
}

/*
 * The digest period of NOW ("2026-W48" weekly, "2026-11" monthly) into KEY,
 * and the Message-ID of digest WHAT for it into MID. 1 if that digest was
 * queued already, 0 if not, -1 on a store error.
 */
static int
digest_known(struct gf_store *s, const struct gf_conf *conf, const char *what, time_t now,
    char key[32], char mid[320])
{
	char id[160];
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return -1;
	strftime(key, 32, conf->smtp.digest == GF_DIGEST_WEEKLY ? "%G-W%V" : "%Y-%m", &tm);
	snprintf(id, sizeof(id), "%s.%s", what, key);
	message_id(mid, 320, conf, id);
	return store_outbox_known(s, mid);
}

/* Renders template NAME and queues it with message id MID: 1 queued, 0 no template, -1 error. */
static int
queue_notice(struct gf_store *s, const struct gf_conf *conf, const struct gf_department *d,
    const struct gf_span *sp, const struct gf_quota_use *u, int thr, time_t now,
    const char *name, const char *mid)
{
	const struct gf_quota *q = &d->quota;
	const char *lang = conf->smtp.language;
	char period[64], top[512], levers[512], cc[2048] = "", b[8][32], proj[64], dash[1200];
	const char *keys[] = { "department", "head", "period", "threshold", "used_mono",
		"used_colour", "limit_mono", "limit_colour", "budget_used", "budget", "percent",
		"projected", "top_devices", "levers", "dashboard_url" };
	const char *vals[15];
	struct gf_notice n;
	size_t i, len = 0;

	judge_period_label(period, sizeof(period), q->period, sp->key, lang);
	top_lines(s, d->id, sp, lang, top, sizeof(top));
	lever_lines(u, lang, levers, sizeof(levers));
	snprintf(proj, sizeof(proj), strcmp(lang, "en") ? "%d %% du quota" : "%d %% of the quota",
	    u->projected_pct);
	vals[0] = d->name;
	vals[1] = d->head;
	vals[2] = period;
	vals[3] = fmt_u(b[0], 32, thr);
	vals[4] = fmt_u(b[1], 32, u->mono);
	vals[5] = fmt_u(b[2], 32, u->colour);
	/* Empty where there is no such limit or no projection yet: templates drop those lines. */
	vals[6] = q->mono ? fmt_u(b[3], 32, q->mono) : NULL;
	vals[7] = q->colour ? fmt_u(b[4], 32, q->colour) : NULL;
	vals[8] = fmt_u(b[5], 32, u->weighted);
	vals[9] = q->budget ? fmt_u(b[6], 32, q->budget) : NULL;
	vals[10] = fmt_u(b[7], 32, u->pct);
	vals[11] = u->projected ? proj : NULL;
	vals[12] = top;
	vals[13] = levers;
	/* web.url set: the department's page on greenfleet-web (ids are URL-safe). */
	snprintf(dash, sizeof(dash), "%s/department/%s", conf->web.url ? conf->web.url : "", d->id);
	vals[14] = conf->web.url != NULL ? dash : NULL;
	for (i = 0; i < conf->smtp.ncc && len < sizeof(cc); i++)
		len += snprintf(cc + len, sizeof(cc) - len, "%s%s", i ? "," : "", conf->smtp.cc[i]);
	memset(&n, 0, sizeof(n));
	n.message_id = (char *)mid;
	n.kind = (char *)name;
	n.department = d->id;
	n.created = now;
	n.to = d->head;
	n.cc = cc;
	n.lang = (char *)lang;
	return queue_filled(s, conf, name, keys, vals, 15, &n);
}

int
judge_quota(struct gf_store *s, const struct gf_conf *conf, size_t dept, time_t now)
{
	const struct gf_department *d = &conf->depts[dept];
	const struct gf_quota *q = &d->quota;
	struct gf_quota_use u;
	struct gf_span sp;
	uint64_t mono, colour;
	char what[160], mid[320];
	int i, fired, top = -1;

	if (!q->enabled || quota_span(q->period, now, &sp) != 0)
		return 0;
	if (store_dept_span(s, d->id, sp.first, sp.last, &mono, &colour) != 0)
		return -1;
	quota_use(q, mono, colour, &sp, now, &u);
	for (i = 0; i < q->nthresholds; i++) {
		if (!quota_crossed(q, &u, q->thresholds[i]))
			break;
		if ((fired = store_quota_fired(s, d->id, sp.key, q->thresholds[i])) < 0)
			return -1;
		if (fired)
			continue;
		if (store_quota_fire(s, d->id, sp.key, q->thresholds[i], now, u.pct) != 0)
			return -1;
		top = q->thresholds[i];
	}
	if (top < 0)
		return 0;
	/* Several thresholds crossed at once: one notice, for the highest. */
	log_info("quota: %s: %d%% of its %s quota for %s (threshold %d%%)", d->id, u.pct,
	    quota_period_name(q->period), sp.key, top);
	if (d->head == NULL || conf->smtp.url == NULL)
		return 0;
	snprintf(what, sizeof(what), "quota.%s.%s.%d", d->id, sp.key, top);
	message_id(mid, sizeof(mid), conf, what);
	return queue_notice(s, conf, d, &sp, &u, top, now, top >= 100 ? "quota-breach" :
	    "quota-warning", mid);
}

int
judge_digest(struct gf_store *s, const struct gf_conf *conf, size_t dept, time_t now)
{
	const struct gf_department *d = &conf->depts[dept];
	const struct gf_quota *q = &d->quota;
	char key[32], what[96], mid[320];
	struct gf_quota_use u;
	struct gf_span sp;
	uint64_t mono, colour;
	int known;

	if (conf->smtp.digest == GF_DIGEST_NONE || conf->smtp.url == NULL || d->head == NULL ||
	    !q->enabled)
		return 0;
	snprintf(what, sizeof(what), "digest.%s", d->id);
	if ((known = digest_known(s, conf, what, now, key, mid)) != 0)
		return known < 0 ? -1 : 0;
	if (quota_span(q->period, now, &sp) != 0 ||
	    store_dept_span(s, d->id, sp.first, sp.last, &mono, &colour) != 0)
		return -1;
	quota_use(q, mono, colour, &sp, now, &u);
	log_info("digest: %s: %s digest queued", d->id, key);
	return queue_notice(s, conf, d, &sp, &u, 0, now, "digest", mid);
}

/* Appends one advice line for device D to BUF (bounded). */
static void
fleet_line(char *buf, size_t sz, const struct gf_conf *conf, const struct gf_device *d,
    const struct gf_advice *a)
{
	size_t n = strlen(buf);
	int fr = strcmp(conf->smtp.language, "en") != 0;

	if (n + 1 >= sz)
		return;
	snprintf(buf + n, sz - n, "%s  - %s (%s) : %s, %s%s%s", n ? "\n" : "", d->id,
	    conf->depts[d->dept].id, advice_state_name(a->state), a->reason,
	    a->part[0] ? " -> " : "", a->part);
	if (a->has_avoided) {
		n = strlen(buf);
		snprintf(buf + n, sz - n, fr ? " (%.1f kgCO2e évités)" : " (%.1f kgCO2e avoided)",
		    a->avoided_kg);
	}
}

int
judge_fleet_digest(struct gf_store *s, const struct gf_conf *conf, time_t now,
    const char *found)
{
	char key[32], mid[320], lines[8192] = "", b[4][32];
	const char *lang = conf->smtp.language;
	const char *keys[] = { "period", "repair", "watch", "eol", "avoided", "factor_set",
		"lines", "discovered" };
	const char *vals[8];
	int count[GF_ST_RETIRED + 1] = { 0 }, known, rc;
	struct gf_device_health dh;
	struct gf_advice a;
	struct gf_notice n;
	double avoided = 0;
	size_t i;

	if (conf->smtp.digest == GF_DIGEST_NONE || conf->smtp.url == NULL || conf->smtp.it == NULL)
		return 0;
	if ((known = digest_known(s, conf, "fleet", now, key, mid)) != 0)
		return known < 0 ? -1 : 0;
	for (i = 0; i < conf->ndevices; i++) {
		if (advice_device_health(s, conf->devices[i].id, now, &dh) != 0)
			return -1;
		advice_eval(&conf->devices[i], &dh.h, &conf->advice, &conf->factors, &a);
		count[a.state]++;
		if (a.state >= GF_ST_WATCH && a.state <= GF_ST_EOL)
			fleet_line(lines, sizeof(lines), conf, &conf->devices[i], &a);
		if (a.has_avoided)
			avoided += a.avoided_kg;
	}
	snprintf(b[3], sizeof(b[3]), "%.1f", avoided);
	vals[0] = key;
	vals[1] = fmt_u(b[0], 32, count[GF_ST_REPAIR]);
	vals[2] = fmt_u(b[1], 32, count[GF_ST_WATCH]);
	vals[3] = fmt_u(b[2], 32, count[GF_ST_EOL]);
	vals[4] = b[3];
	vals[5] = conf->factors.name;
	vals[6] = lines[0] ? lines : strcmp(lang, "en") ? "  (rien à signaler)" :
	    "  (nothing to report)";
	/* The daemon's last discovery sweep: NULL when it sweeps no network. */
	vals[7] = found == NULL ? (strcmp(lang, "en") ?
	    "  (pas de découverte périodique : voir discover.interval)" :
	    "  (no periodic discovery: see discover.interval)") : found[0] ? found : strcmp(lang, "en") ?
	    "  (rien de nouveau)" : "  (nothing new)";
	memset(&n, 0, sizeof(n));
	n.message_id = mid;
	n.kind = "fleet-digest";
	n.created = now;
	n.to = conf->smtp.it;
	n.cc = "";
	n.lang = (char *)lang;
	if ((rc = queue_filled(s, conf, "fleet-digest", keys, vals, 8, &n)) == 1)
		log_info("digest: fleet %s digest queued for %s", key, conf->smtp.it);
	return rc;
}
