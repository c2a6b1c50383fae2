/*
 * Network discovery: every address of the targets is asked, asynchronously
 * on the project's event loop, with each SNMP credential in turn until one
 * answers; an answering device is then read with the plans the poller uses
 * (printer first contact, then its vendor or PWG plan; or the full host
 * plan) and classified (classify.h). Every datagram waits for a token of a
 * bucket that holds the packets per second; at most `concurrency` addresses
 * are in flight. Nothing is ever sent to an address outside the targets.
 */
#ifndef GF_DISCOVER_H
#define GF_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "conf.h"
#include "netrange.h"

struct gf_profiles;

/* What a run has done so far, for a progress line and the benchmark. */
struct disc_stats {
	uint64_t total;			/* addresses in the targets */
	uint64_t done;			/* addresses finished */
	uint64_t found;			/* of those, answering */
	uint64_t sent;			/* SNMP datagrams sent */
	int64_t start_ms, now_ms;	/* gf_mono_ms() */
};

typedef void (*disc_progress_fn)(void *arg, const struct disc_stats *st);

struct disc_opts {
	const struct gf_netrange *targets;
	size_t ntargets;
	const struct gf_snmp_conf *creds;	/* tried in this order */
	size_t ncreds;
	int port;
	int concurrency;		/* addresses in flight */
	int rate;			/* datagrams per second */
	int timeout_ms;
	int retries;			/* resends of a first request that got no answer */
	const struct gf_profiles *profiles;
	disc_progress_fn progress;	/* every 250 ms and at the end; may be NULL */
	void *arg;
};

/* One answering address. */
struct disc_host {
	uint32_t addr;
	int cred;			/* index into the credentials that answered */
	struct gf_class_info info;
};

struct disc_result {
	struct disc_host *hosts;	/* in address order */
	size_t nhosts;
	struct disc_stats st;
};

/* Defaults: enough for a /22 in seconds, gentle on a real network. */
#define DISC_CONCURRENCY	1024
#define DISC_RATE		500
#define DISC_TIMEOUT_MS		1000
#define DISC_RETRIES		1

/* Runs the whole discovery O (net-snmp set up by poller_initialise); 0, or -1 (logged). */
int discover_run(const struct disc_opts *o, struct disc_result *out);
void disc_result_free(struct disc_result *r);

/*
 * The same run on the caller's LOOP (greenfleetd's, beside the poller):
 * discover_begin starts it (NULL: no event loop, logged); the caller runs
 * LOOP while discover_busy; discover_stop sends no further address (those
 * in flight finish within their timeouts); discover_end, once not busy,
 * fills OUT and frees D. O must live until then.
 */
struct gf_evloop;
struct gf_discover;
struct gf_discover *discover_begin(struct gf_evloop *loop, const struct disc_opts *o);
int discover_busy(const struct gf_discover *d);
void discover_stop(struct gf_discover *d);
void discover_end(struct gf_discover *d, struct disc_result *out);

#endif
