/* The outbox sender: one thread, one SQLite connection, libcurl SMTP. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mail.h"
#include "notify.h"
#include "store.h"
#include "xmalloc.h"

#define IDLE_WAIT_S	30	/* look at the outbox at least this often */
#define SHARED_WAIT_S	5	/* the same when other pollers queue notices too */
#define RETRY_MIN_S	60
#define RETRY_MAX_S	3600
#define MAX_RCPTS	33
/*
 * A notice being sent is held this long: if its sender cannot mark it sent
 * (the store dropped after the SMTP server took it) no one sends it again
 * meanwhile, and that sender marks it once the store answers. Only a sender
 * that died in that window leaves it to be sent again after the hold.
 */
#define HOLD_S		900
#define UNMARKED_MAX	64

/* Notices the SMTP server took that the store could not mark sent yet. */
struct unmarked {
	long long id[UNMARKED_MAX];
	time_t when[UNMARKED_MAX];
	int n;
};

struct gf_notifier {
	const struct gf_conf *conf;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int kicked;
	atomic_int stop;		/* read by the sender between messages and during one */
	struct unmarked unmarked;	/* the sender thread's own */
};

/* 1 min, 2, 4 ... capped at an hour: a dead server is not hammered. */
static time_t
backoff(int attempts)
{
	time_t d = RETRY_MIN_S;

	while (attempts-- > 0 && d < RETRY_MAX_S)
		d *= 2;
	return d > RETRY_MAX_S ? RETRY_MAX_S : d;
}

/* Splits the comma-separated CC into RCPTS after TO; returns the count. */
static size_t
recipients(char *to, char *cc, char **rcpts)
{
	size_t n = 0;
	char *p;
	rcpts[n++] = to;
	char *save = NULL;

	for (p = strtok_r(cc, ",", &save); p != NULL && n < MAX_RCPTS;
	    p = strtok_r(NULL, ",", &save))
		rcpts[n++] = p;
	return n;
}

/* Sends one notice; 0 when the server took it. */
static int
send_one(const struct gf_conf *conf, struct gf_notice *nt, const atomic_int *stop, char *err,
    size_t errsz)
{
	const struct gf_smtp_conf *sc = &conf->smtp;
	struct gf_smtp smtp = { sc->url, sc->user, sc->password, sc->starttls, sc->timeout_s,
		sc->ca_file, stop };
	char *rcpts[MAX_RCPTS], *cc = xstrdup(nt->cc), *msg;
	struct gf_mail m;
	size_t n;
	int rc;

	memset(&m, 0, sizeof(m));
	m.from = sc->from;
	m.from_name = sc->from_name;
	m.to = nt->to;
	m.subject = nt->subject;
	m.body = nt->body;
	m.message_id = nt->message_id;
	m.date = nt->created;
	m.lang = nt->lang;
	n = recipients(nt->to, cc, rcpts);
	m.cc = (const char *const *)rcpts + 1;
	m.ncc = n - 1;
	if ((msg = mail_render(&m)) == NULL) {
		snprintf(err, errsz, "cannot render the message");
		free(cc);
		return -1;
	}
	rc = mail_send(&smtp, sc->from, (const char *const *)rcpts, n, msg, err, errsz);
	free(msg);
	free(cc);
	return rc;
}

/* Marks the notices sent but not marked yet; 0 when none is left. */
static int
mark_unmarked(struct gf_store *s, struct unmarked *u)
{
	int i, k = 0;

	for (i = 0; i < u->n; i++) {
		if (store_outbox_sent(s, u->id[i], u->when[i]) == 0) {
			log_info("mail: notice %lld marked sent now that the store answers",
			    u->id[i]);
			continue;
		}
		u->id[k] = u->id[i];
		u->when[k++] = u->when[i];
	}
	u->n = k;
	return k;
}

/* The SMTP server took NT: marks it sent, or keeps it in U to mark later. */
static void
sent_one(struct gf_store *s, struct unmarked *u, const struct gf_notice *nt)
{
	time_t when = time(NULL);

	log_info("mail: %s sent to %s (%s)", nt->kind, nt->to, nt->message_id);
	if (store_outbox_sent(s, nt->id, when) == 0)
		return;
	if (u != NULL && u->n < UNMARKED_MAX) {
		u->id[u->n] = nt->id;
		u->when[u->n++] = when;
		log_warnx("mail: %s was sent but the store could not mark it: held, it is "
		    "marked once the store answers", nt->message_id);
	} else {
		log_err("mail: %s was sent but could not be marked: it may be sent again after "
		    "%d s, with the same Message-ID", nt->message_id, HOLD_S);
	}
}

/* Sends every due notice; stops early when STOP is set. U: notices to mark first. */
static void
pass(const struct gf_conf *conf, struct gf_store *s, struct unmarked *u, const atomic_int *stop)
{
	struct gf_notice nt;
	char err[256];
	time_t now;
	int rc;

	/* Whatever was sent is marked before anything else is sent. */
	if (u != NULL && u->n > 0 && mark_unmarked(s, u) > 0)
		return;
	/* One sender among pollers sharing the store: each notice is sent once. */
	if (store_leader(s, GF_LEAD_MAIL) != 1)
		return;
	while (!(stop && atomic_load(stop))) {
		now = time(NULL);
		if ((rc = store_outbox_next(s, now, &nt)) <= 0)
			break;
		/* Held (committed) before the SMTP server sees it; 0: another sender has it. */
		if ((rc = store_outbox_hold(s, nt.id, now, now + HOLD_S)) != 1) {
			store_notice_free(&nt);
			if (rc < 0)
				break;
			continue;
		}
		if (send_one(conf, &nt, stop, err, sizeof(err)) == 0) {
			sent_one(s, u, &nt);
		} else if (stop && atomic_load(stop)) {
			log_info("mail: %s to %s left queued: stopping", nt.kind, nt.to);
			store_outbox_hold(s, nt.id, now + HOLD_S, now);	/* due again */
		} else {
			log_warnx("mail: %s to %s: %s (attempt %d, next in %lld s)", nt.kind, nt.to,
			    err, nt.attempts + 1, (long long)backoff(nt.attempts));
			store_outbox_retry(s, nt.id, now + backoff(nt.attempts), err);
		}
		store_notice_free(&nt);
	}
}

static void *
run(void *arg)
{
	struct gf_notifier *n = arg;
	struct gf_store *s = store_open(n->conf, 0);
	struct timespec until;
	int shared = store_shared(n->conf);

	if (s == NULL) {
		log_err("mail: cannot open the outbox: notices stay queued");
		return NULL;
	}
	pthread_mutex_lock(&n->lock);
	while (!atomic_load(&n->stop)) {
		n->kicked = 0;
		pthread_mutex_unlock(&n->lock);
		pass(n->conf, s, &n->unmarked, &n->stop);
		pthread_mutex_lock(&n->lock);
		/*
		 * Retries come due on the clock: look again at least every
		 * IDLE_WAIT_S. With a shared store, another poller may be the one
		 * that queued a notice: look more often.
		 */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += shared ? SHARED_WAIT_S : IDLE_WAIT_S;
		while (!atomic_load(&n->stop) && !n->kicked &&
		    pthread_cond_timedwait(&n->wake, &n->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&n->lock);
	/* Stopping with notices sent but not marked: a last try, else said (they are held). */
	if (n->unmarked.n > 0 && mark_unmarked(s, &n->unmarked) > 0)
		log_err("mail: stopping with %d notice(s) sent but not marked: sent again after "
		    "%d s, with the same Message-ID", n->unmarked.n, HOLD_S);
	store_close(s);
	return NULL;
}

struct gf_notifier *
notify_start(const struct gf_conf *conf)
{
	struct gf_notifier *n;

	if (conf->smtp.url == NULL)
		return NULL;
	n = xcalloc(1, sizeof(*n));
	n->conf = conf;
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->wake, NULL);
	if (pthread_create(&n->thread, NULL, run, n) != 0) {
		log_err("mail: cannot start the sender thread: notices stay queued");
		free(n);
		return NULL;
	}
	return n;
}

void
notify_kick(struct gf_notifier *n)
{
	if (n == NULL)
		return;
	pthread_mutex_lock(&n->lock);
	n->kicked = 1;
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->lock);
}

void
notify_stop(struct gf_notifier *n)
{
	if (n == NULL)
		return;
	pthread_mutex_lock(&n->lock);
	atomic_store(&n->stop, 1);
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->lock);
	pthread_join(n->thread, NULL);
	pthread_cond_destroy(&n->wake);
	pthread_mutex_destroy(&n->lock);
	free(n);
}

void
notify_flush(const struct gf_conf *conf)
{
	struct gf_store *s;

	if (conf->smtp.url == NULL || (s = store_open(conf, 0)) == NULL)
		return;
	pass(conf, s, NULL, NULL);
	store_close(s);
}
