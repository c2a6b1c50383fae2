/* The state store's outbox: mails queued with what caused them, sent by their own connection. */
#ifndef GF_STORE_OUTBOX_H
#define GF_STORE_OUTBOX_H

#include <time.h>

struct gf_store;

/* A mail waiting in the outbox (strings owned when read back). */
struct gf_notice {
	long long id;
	char *message_id;		/* stable: a resend after a crash carries the same id */
	char *kind;			/* "quota-warning", "quota-breach", "digest" */
	char *department;
	time_t created;
	char *to;
	char *cc;			/* comma-separated bare addresses, or "" */
	char *subject;
	char *body;
	char *lang;
	int attempts;
};

/* 1 if a notice with this Message-ID was ever queued, 0 if not, -1 on error. */
int store_outbox_known(struct gf_store *s, const char *message_id);
/* How many mails wait to be sent (queued, not sent yet), or -1 on error. */
long long store_outbox_waiting(struct gf_store *s);
/* Queues N in the open batch; a notice whose message id exists is not queued twice. */
int store_outbox_add(struct gf_store *s, const struct gf_notice *n);
/* The sender's side, on its own connection: the next due notice (1), none (0), error (-1). */
int store_outbox_next(struct gf_store *s, time_t now, struct gf_notice *n);
void store_notice_free(struct gf_notice *n);
/*
 * Holds notice ID, due at NOW, for its sender until UNTIL before sending it
 * (committed at once): no other sender takes it meanwhile, even if this one
 * cannot mark it sent (the store dropped) or dies. 1 when held, 0 when it is
 * no longer due (sent or held by another sender), -1 on error.
 */
int store_outbox_hold(struct gf_store *s, long long id, time_t now, time_t until);
int store_outbox_sent(struct gf_store *s, long long id, time_t when);
int store_outbox_retry(struct gf_store *s, long long id, time_t next_try, const char *err);

#endif
