/*
 * This poller's share of the fleet. The devices it may poll are those of
 * its pinned networks (or named for it), else the pool's; they fall into
 * groups by which pollers may poll them, and each group is shared evenly
 * among its pollers alive: a share is the group's size over their number,
 * rounded up, so that every device has a taker. Leases live in the store
 * (store_poller.h); this file decides how many to hold and which.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "lease.h"
#include "log.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

#define MAX_GROUPS 64	/* distinct sets of pollers a device may be polled by */

struct group {
	uint64_t mask;		/* the listed pollers that may poll it; 0: the pool */
	size_t n;		/* its devices this poller may poll */
	size_t held;
	size_t live;		/* pollers alive that may poll it, this one included */
};

struct gf_lease {
	const struct gf_conf *conf;
	char name[65];
	char host[GF_SHORT];
	int me;			/* index in the pollers list, -1 when not listed */
	int pinned;		/* listed with networks: polls those alone */
	uint64_t *mask;		/* per device: conf_device_pollers */
	unsigned char *mine;	/* per device: held */
	unsigned char *seen;	/* per device: scratch for the reconciliation */
	int *byid;		/* device indexes sorted by id, to find an id the store names */
	size_t held;
	size_t stray;		/* leases held on devices it may not poll */
	int rounds;
	int64_t hold_until;	/* after a lapse: no claim before the others had time to beat */
	size_t alive_held;	/* leases held by pollers alive, this one included */
	int any_pinned;		/* some device is a pinned poller's: leases of several groups */
	char today[11];		/* the round's day: a retired device is no one's */
	int64_t due;
	int round_ms, lease_s;
	struct group g[MAX_GROUPS];
	size_t ng;
	/* the round's scratch */
	const char **ids;
	lease_fn fn;
	void *arg;
};

static const struct gf_conf *sort_conf;

static int
byid_cmp(const void *a, const void *b)
{
	return strcmp(sort_conf->devices[*(const int *)a].id,
	    sort_conf->devices[*(const int *)b].id);
}

/* The index of device ID, -1 when this configuration has no such device. */
static int
find_device(const struct gf_lease *l, const char *id)
{
	size_t lo = 0, hi = l->conf->ndevices, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(id, l->conf->devices[l->byid[mid]].id)) == 0)
			return l->byid[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Whether this poller may poll device I at all. */
static int
eligible(const struct gf_lease *l, size_t i)
{
	if (l->conf->devices[i].retired[0] != '\0' &&
	    strcmp(l->conf->devices[i].retired, l->today) <= 0)
		return 0;
	if (l->me >= 0 && (l->mask[i] & (uint64_t)1 << l->me))
		return 1;
	return !l->pinned && l->mask[i] == 0;
}

int
lease_poller_name(const char *given, char *out, size_t outsz, char *err, size_t errsz)
{
	char host[256] = "";
	const char *name = given;

	if (name == NULL) {
		gethostname(host, sizeof(host) - 1);
		name = host[0] != '\0' ? host : "greenfleetd";
	}
	if (strlen(name) > 64 || !gf_id_is_safe(name)) {
		snprintf(err, errsz, "poller name '%.64s': use 1 to 64 of [A-Za-z0-9._-], not "
		    "starting with a dot (%s)", name, given != NULL ? "-n/--poller" :
		    "the host name; give one with -n/--poller");
		return -1;
	}
	snprintf(out, outsz, "%s", name);
	return 0;
}

struct gf_lease *
lease_new(const struct gf_conf *conf, const char *name, char *err, size_t errsz)
{
	struct gf_lease *l = xcalloc(1, sizeof(*l));
	size_t i, n = conf->ndevices;
	char host[256] = "";

	if (lease_poller_name(name, l->name, sizeof(l->name), err, errsz) != 0) {
		free(l);
		return NULL;
	}
	gethostname(host, sizeof(host) - 1);
	gf_clean_str(l->host, sizeof(l->host), (const unsigned char *)host, strlen(host));
	l->conf = conf;
	l->me = conf_poller_index(conf, l->name);
	l->pinned = l->me >= 0 && conf->pollers[l->me].nnets > 0;
	l->mask = xcalloc(n + 1, sizeof(*l->mask));
	l->mine = xcalloc(n + 1, 1);
	l->seen = xcalloc(n + 1, 1);
	l->byid = xcalloc(n + 1, sizeof(*l->byid));
	l->ids = xcalloc(n + 1, sizeof(*l->ids));
	for (i = 0; i < n; i++) {
		l->mask[i] = conf_device_pollers(conf, &conf->devices[i]);
		l->any_pinned |= l->mask[i] != 0;
		l->byid[i] = (int)i;
	}
	sort_conf = conf;
	qsort(l->byid, n, sizeof(*l->byid), byid_cmp);
	l->round_ms = conf_lease_round_ms(conf);
	l->lease_s = conf_lease_s(conf);
	return l;
}

void
lease_free(struct gf_lease *l)
{
	if (l == NULL)
		return;
	free(l->mask);
	free(l->mine);
	free(l->seen);
	free(l->byid);
	free(l->ids);
	free(l);
}

const char *
lease_name(const struct gf_lease *l)
{
	return l->name;
}

int
lease_mine(const struct gf_lease *l, int dev)
{
	return l == NULL || l->mine[dev];
}

size_t
lease_held(const struct gf_lease *l)
{
	return l->held;
}

int64_t
lease_due(const struct gf_lease *l)
{
	return l->due;
}

/* Marks device I held or not, and tells the scheduler. */
static void
set_mine(struct gf_lease *l, size_t i, int on)
{
	if (l->mine[i] == on)
		return;
	l->mine[i] = (unsigned char)on;
	l->held += on ? 1 : (size_t)-1;
	if (l->fn != NULL)
		l->fn(l->arg, (int)i, on);
}

/* lease_held callback: the store says this poller holds ID. */
static void
on_held(void *arg, const char *id)
{
	struct gf_lease *l = arg;
	int i = find_device(l, id);

	if (i >= 0 && eligible(l, (size_t)i))
		l->seen[i] = 1;
	else
		l->stray++;
}

/*
 * After a lapse (or at the start): what the store says this poller holds
 * is the truth; devices others took meanwhile are dropped. Leases on
 * devices it may no longer poll (the file changed) are given back.
 */
static int
reconcile(struct gf_lease *l, struct gf_store *s)
{
	size_t i;

	memset(l->seen, 0, l->conf->ndevices);
	l->stray = 0;
	if (store_lease_held(s, l->name, on_held, l) != 0)
		return -1;
	for (i = 0; i < l->conf->ndevices; i++)
		set_mine(l, i, l->seen[i]);
	if (l->stray > 0) {
		/* Give back everything, then claim again what is still ours to poll. */
		if (store_lease_release(s, l->name, NULL, 0) != 0)
			return -1;
		for (i = 0; i < l->conf->ndevices; i++)
			set_mine(l, i, 0);
	}
	return 0;
}

/* The group of MASK, added if new; NULL when there are too many. */
static struct group *
group_of(struct gf_lease *l, uint64_t mask)
{
	size_t k;

	for (k = 0; k < l->ng; k++)
		if (l->g[k].mask == mask)
			return &l->g[k];
	if (l->ng == MAX_GROUPS)
		return NULL;
	memset(&l->g[l->ng], 0, sizeof(l->g[0]));
	l->g[l->ng].mask = mask;
	return &l->g[l->ng++];
}

/* store_pollers callback: one more poller alive in every group it may poll. */
static void
on_poller(void *arg, const struct gf_poller_row *r)
{
	struct gf_lease *l = arg;
	int idx = conf_poller_index(l->conf, r->name);
	int pinned = idx >= 0 && l->conf->pollers[idx].nnets > 0;
	size_t k;

	if (!r->alive && strcmp(r->name, l->name) != 0)
		return;
	l->alive_held += (size_t)r->devices;
	for (k = 0; k < l->ng; k++)
		if ((idx >= 0 && (l->g[k].mask & (uint64_t)1 << idx)) ||
		    (!pinned && l->g[k].mask == 0))
			l->g[k].live++;
}

/* Counts this poller's groups, their devices and what it holds of each. */
static int
count_groups(struct gf_lease *l, struct gf_store *s)
{
	struct group *g;
	size_t i, k;

	l->ng = 0;
	for (i = 0; i < l->conf->ndevices; i++) {
		if (!eligible(l, i))
			continue;
		if ((g = group_of(l, l->mask[i])) == NULL)
			continue;
		g->n++;
		g->held += l->mine[i];
	}
	l->alive_held = 0;
	if (store_pollers(s, on_poller, l) != 0)
		return -1;
	for (k = 0; k < l->ng; k++)
		if (l->g[k].live == 0)
			l->g[k].live = 1;	/* this poller, before its first beat is read back */
	return 0;
}

/* Gives back what G holds beyond SHARE: its last devices in file order. */
static int
give_back(struct gf_lease *l, struct gf_store *s, const struct group *g, size_t share)
{
	size_t i = l->conf->ndevices, n = 0, extra = g->held - share;

	memset(l->seen, 0, l->conf->ndevices);
	while (i-- > 0 && n < extra)
		if (l->mine[i] && eligible(l, i) && l->mask[i] == g->mask) {
			l->ids[n++] = l->conf->devices[i].id;
			l->seen[i] = 1;
		}
	if (store_lease_release(s, l->name, l->ids, n) != 0)
		return -1;
	for (i = 0; i < l->conf->ndevices; i++)
		if (l->seen[i])
			set_mine(l, i, 0);
	log_info("lease: %s gave back %zu devices (share %zu of %zu, %zu pollers)", l->name, n,
	    share, g->n, g->live);
	return 0;
}

/*
 * Whether a claim for G would find nothing: one group for the whole fleet,
 * and as many leases held by pollers alive as it has devices. A poller left a device short of
 * its share would otherwise send the group's ids at every round for
 * nothing. Every fourth round claims anyway: a lease the count cannot see
 * (a device another poller's older file still has) costs a round, not a
 * device left unpolled.
 */
static int
all_held(const struct gf_lease *l, const struct group *g)
{
	return l->ng == 1 && !l->any_pinned && l->rounds % 4 != 0 && l->alive_held >= g->n;
}

/* store_lease_claim callback: ID is this poller's now. */
static void
on_claimed(void *arg, const char *id)
{
	struct gf_lease *l = arg;
	int i = find_device(l, id);

	if (i >= 0)
		set_mine(l, (size_t)i, 1);
}

/* Claims up to SHARE - held of G's free devices. */
static int
claim(struct gf_lease *l, struct gf_store *s, const struct group *g, size_t share)
{
	size_t i, n = 0;
	int got;

	for (i = 0; i < l->conf->ndevices; i++)
		if (!l->mine[i] && eligible(l, i) && l->mask[i] == g->mask)
			l->ids[n++] = l->conf->devices[i].id;
	if ((got = store_lease_claim(s, l->name, l->ids, n, share - g->held, on_claimed, l)) < 0)
		return -1;
	/* Said like a give-back: a takeover (a dead poller's devices) shows in the log. */
	if (got > 0)
		log_info("lease: %s claimed %d devices (share %zu of %zu, %zu pollers)", l->name,
		    got, share, g->n, g->live);
	return 0;
}

/* The beat: 1 when this poller's row had lapsed (or is new), 0 if not, -1 on error. */
static int
beat(struct gf_lease *l, struct gf_store *s, const struct lease_beat *b)
{
	struct gf_poller_beat pb;
	int lapsed;

	memset(&pb, 0, sizeof(pb));
	pb.name = l->name;
	pb.host = l->host;
	pb.pid = (long)getpid();
	pb.networks = l->me >= 0 && l->conf->pollers[l->me].networks != NULL ?
	    l->conf->pollers[l->me].networks : "";
	pb.lease_s = l->lease_s;
	pb.last_commit = b->last_commit;
	pb.leader = b->leader;
	pb.polled = b->polled;
	if (store_poller_beat(s, &pb, &lapsed) != 0)
		return -1;
	return lapsed;
}

int
lease_round(struct gf_lease *l, struct gf_store *s, const struct lease_beat *b, lease_fn fn,
    void *arg)
{
	size_t k, share;
	int lapsed, rc = 0;

	l->due = gf_mono_ms() + l->round_ms;
	gf_date_today(l->today);
	if ((lapsed = beat(l, s, b)) < 0)
		return -1;
	/* The first round's devices are polled by the schedule: no one-off poll for them. */
	l->fn = l->rounds++ > 0 ? fn : NULL;
	l->arg = arg;
	if ((lapsed || l->rounds == 1) && reconcile(l, s) != 0)
		rc = -1;
	/*
	 * This poller lapsed while running: the store was out of reach, most
	 * likely for every poller. Claim nothing for a lease's time, or the
	 * first one back would take the whole fleet from the others.
	 */
	if (lapsed && l->rounds > 1) {
		l->hold_until = gf_mono_ms() + (int64_t)l->lease_s * 1000;
		log_info("lease: %s had lapsed: keeping its %zu devices, claiming none for %d s",
		    l->name, l->held, l->lease_s);
	}
	if (rc == 0 && count_groups(l, s) != 0)
		rc = -1;
	for (k = 0; rc == 0 && k < l->ng; k++) {
		share = (l->g[k].n + l->g[k].live - 1) / l->g[k].live;
		if (l->g[k].held > share)
			rc = give_back(l, s, &l->g[k], share);
		else if (l->g[k].held < share && gf_mono_ms() >= l->hold_until &&
		    !all_held(l, &l->g[k]))
			rc = claim(l, s, &l->g[k], share);
	}
	l->fn = NULL;
	return rc;
}

void
lease_stop(struct gf_lease *l, struct gf_store *s)
{
	if (l == NULL || l->rounds == 0)
		return;
	if (store_poller_stop(s, l->name) == 0)
		log_info("lease: %s gave back its %zu devices", l->name, l->held);
}
