/*
 * Notify: sends the outbox. A thread of its own with its own database
 * connection, so a slow or dead SMTP server never stalls polling.
 *
 * Delivery guarantee: a notice is queued in the transaction that records
 * its cause, then sent, then marked sent. A failed send stays queued and is
 * retried with a growing delay (1 min, 2, 4 ... up to 1 h), across restarts.
 * If the daemon dies after the server accepted a message but before the
 * mark is committed (a window of one SQLite write), the message is sent
 * again on restart with the same Message-ID, which mail clients and
 * archives use to recognise the copy: at least once, and never twice
 * except for that window.
 */
#ifndef GF_NOTIFY_H
#define GF_NOTIFY_H

#include "conf.h"

struct gf_notifier;

/* Starts the sender thread, or returns NULL when no smtp url is configured. */
struct gf_notifier *notify_start(const struct gf_conf *conf);

/* Wakes the sender: notices were committed. */
void notify_kick(struct gf_notifier *n);

/* Stops the sender after the message in progress (bounded by smtp.timeout_s). */
void notify_stop(struct gf_notifier *n);

/* One synchronous pass over the due notices (greenfleetd --once). */
void notify_flush(const struct gf_conf *conf);

#endif
