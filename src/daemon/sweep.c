/* greenfleetd's periodic discovery: sweeps on the daemon's loop, findings for the fleet digest. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "discover_fleet.h"
#include "evloop.h"
#include "log.h"
#include "store.h"
#include "store_device.h"
#include "sweep.h"
#include "util.h"
#include "xmalloc.h"

#define LINES_MAX	8192	/* the digest's share; longer findings are cut at a line */

struct gf_sweep {
	const struct gf_conf *conf;
	struct gf_evloop *loop;
	struct gf_snmp_conf *creds;
	size_t ncreds;
	struct gf_netrange *nets;
	struct disc_opts o;
	struct gf_discover *run;	/* the sweep under way, or NULL */
	int64_t next_ms;		/* when the next one starts */
	int done;			/* sweeps finished since start */
	char lines[LINES_MAX];
};

struct gf_sweep *
sweep_new(const struct gf_conf *conf, struct gf_evloop *loop)
{
	const struct gf_discover_conf *dc = &conf->discover;
	struct gf_sweep *w;
	size_t i;

	if (dc->interval <= 0 || dc->nnets == 0)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->conf = conf;
	w->loop = loop;
	w->ncreds = dc->ncommunities ? dc->ncommunities : 1;
	w->creds = xcalloc(w->ncreds, sizeof(*w->creds));
	for (i = 0; i < w->ncreds; i++) {
		w->creds[i].version = GF_SNMP_V2C;
		w->creds[i].community = dc->ncommunities ? dc->communities[i] : "public";
	}
	w->nets = xcalloc(dc->nnets, sizeof(*w->nets));
	for (i = 0; i < dc->nnets; i++) {
		w->nets[i].first = dc->nets[2 * i];
		w->nets[i].last = dc->nets[2 * i + 1];
	}
	w->o.targets = w->nets;
	w->o.ntargets = dc->nnets;
	w->o.creds = w->creds;
	w->o.ncreds = w->ncreds;
	w->o.port = dc->port ? dc->port : 161;
	w->o.concurrency = SWEEP_CONCURRENCY;
	w->o.rate = SWEEP_RATE;
	w->o.timeout_ms = conf->timeout_ms > 0 ? conf->timeout_ms : DISC_TIMEOUT_MS;
	w->o.retries = DISC_RETRIES;
	w->o.profiles = conf->profiles;
	w->next_ms = gf_mono_ms();
	return w;
}

/* Appends one finding to W's lines, whole or not at all. */
static void
add_line(struct gf_sweep *w, const char *line)
{
	size_t n = strlen(w->lines);

	if (n + strlen(line) + 2 >= sizeof(w->lines))
		return;
	snprintf(w->lines + n, sizeof(w->lines) - n, "%s%s", n ? "\n" : "", line);
}

/* The class of a finding, in the digest's language. */
static const char *
class_word(enum gf_class cls, int fr)
{
	static const char *const frn[] = { "imprimante", "poste de travail", "serveur", "autre" };

	return fr ? frn[cls] : classify_name(cls);
}

/* One line for finding P (new, moved or missing); "" for a known device. */
static void
finding(const struct gf_sweep *w, const struct disc_prop *p, int fr, char *buf, size_t sz)
{
	const struct gf_device *d = p->dev >= 0 ? &w->conf->devices[p->dev] : NULL;
	const struct gf_class_info *in = p->h != NULL ? &p->h->info : NULL;
	char a[16] = "";

	buf[0] = '\0';
	if (p->h != NULL)
		netrange_str(p->h->addr, a);
	if (p->state == DS_NEW)
		snprintf(buf, sz, fr ? "  - nouveau : %s, %s %s%s%s%s%s, id proposé %s" :
		    "  - new: %s, %s %s%s%s%s%s, proposed id %s", a, class_word(in->cls, fr),
		    in->vendor[0] ? in->vendor : "?", in->model[0] ? " " : "", in->model,
		    in->serial[0] ? (fr ? ", n° de série " : ", serial ") : "", in->serial,
		    p->id[0] ? p->id : "-");
	else if (p->state == DS_MOVED)
		snprintf(buf, sz, fr ? "  - déplacé : %s répond maintenant en %s (configuré : %s)" :
		    "  - moved: %s now answers at %s (configured: %s)", d->id, a, d->host);
	else if (p->state == DS_MISSING)
		snprintf(buf, sz, fr ? "  - absent : %s (%s) ne répond pas" :
		    "  - missing: %s (%s) does not answer", d->id, d->host);
}

/* Turns the finished run RES into W's lines: the configuration and the store's serials. */
static void
findings(struct gf_sweep *w, struct gf_store *store, const struct disc_result *res)
{
	const struct gf_conf *conf = w->conf;
	int fr = conf->smtp.language == NULL || strcmp(conf->smtp.language, "en") != 0;
	char **serials = xcalloc(conf->ndevices + 1, sizeof(*serials)), line[512];
	struct gf_status st;
	struct disc_fleet fl;
	size_t i, counts[DS_MISSING + 1] = { 0 };

	for (i = 0; store != NULL && i < conf->ndevices; i++)
		if (store_get_status(store, conf->devices[i].id, &st) == 0 && st.serial[0] != '\0')
			serials[i] = xstrdup(st.serial);
	disc_fleet_build(conf, res, w->nets, conf->discover.nnets, (const char *const *)serials,
	    -1, &fl);
	w->lines[0] = '\0';
	for (i = 0; i < fl.n; i++) {
		counts[fl.v[i].state]++;
		finding(w, &fl.v[i], fr, line, sizeof(line));
		if (line[0] != '\0') {
			log_info("discover: %s", line + 4);
			add_line(w, line);
		}
	}
	log_info("discover: sweep done in %lld ms: %zu answering, %zu new, %zu known, "
	    "%zu moved, %zu missing", (long long)(res->st.now_ms - res->st.start_ms),
	    res->nhosts, counts[DS_NEW], counts[DS_KNOWN], counts[DS_MOVED], counts[DS_MISSING]);
	disc_fleet_free(&fl);
	for (i = 0; i < conf->ndevices; i++)
		free(serials[i]);
	free(serials);
}

int
sweep_step(struct gf_sweep *w, struct gf_store *store, int stop)
{
	struct disc_result res;

	if (w == NULL)
		return 0;
	if (w->run != NULL) {
		if (stop)
			discover_stop(w->run);
		if (discover_busy(w->run))
			return 0;
		discover_end(w->run, &res);
		w->run = NULL;
		if (!stop) {
			findings(w, store, &res);
			w->done++;
		}
		disc_result_free(&res);
		return !stop;
	}
	if (stop || gf_mono_ms() < w->next_ms)
		return 0;
	w->next_ms = gf_mono_ms() + (int64_t)w->conf->discover.interval * 1000;
	log_info("discover: sweep of %zu network(s) started", w->conf->discover.nnets);
	if ((w->run = discover_begin(w->loop, &w->o)) == NULL)
		log_warnx("discover: sweep not started; next in %d s", w->conf->discover.interval);
	return 0;
}

int
sweep_busy(const struct gf_sweep *w)
{
	return w != NULL && w->run != NULL;
}

int
sweep_done(const struct gf_sweep *w)
{
	return w == NULL || w->done > 0;
}

const char *
sweep_lines(const struct gf_sweep *w)
{
	return w != NULL ? w->lines : "";
}

void
sweep_free(struct gf_sweep *w)
{
	if (w == NULL)
		return;
	free(w->creds);
	free(w->nets);
	free(w);
}
