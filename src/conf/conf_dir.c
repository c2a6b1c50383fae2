/*
 * Devices from devices_dir (each *.conf file in it holds one `devices` list:
 * what `greenfleet discover -o` writes beside hand-written files) and the
 * discover group (subnet to department rules).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgfile.h"
#include "conf.h"
#include "confparse.h"
#include "netrange.h"
#include "xmalloc.h"

#define MAX_DIR_FILES	4096	/* *.conf files read from devices_dir */

/* Parses one rule of discover.map: { net = "CIDR or range"; department = "id"; }. */
static void
map_rule(struct ctx *c, const config_setting_t *g, struct gf_netmap *m)
{
	const config_setting_t *net, *dep;
	struct gf_netrange r;
	char q[QUOTE_SIZE], why[128];
	size_t i;

	m->line = config_setting_source_line(g);
	m->dept = -1;
	if (!config_setting_is_group(g)) {
		conf_err(&c->e, g, "map: expected a group { net = ...; department = ...; }");
		return;
	}
	for (i = 0; i < (size_t)config_setting_length(g); i++) {
		net = config_setting_get_elem(g, (unsigned)i);
		if (strcmp(config_setting_name(net), "net") != 0 &&
		    strcmp(config_setting_name(net), "department") != 0)
			conf_err(&c->e, net, "unknown key '%s'", config_setting_name(net));
	}
	net = conf_str_member(g, "net");
	dep = conf_str_member(g, "department");
	if (net == NULL || dep == NULL) {
		conf_err(&c->e, g, "map: give net (a string) and department (a string)");
		return;
	}
	if (netrange_parse(config_setting_get_string(net), &r, why, sizeof(why)) != 0)
		conf_err(&c->e, net, "net: '%s': %s",
		    conf_quote(q, sizeof(q), config_setting_get_string(net)), why);
	m->first = r.first;
	m->last = r.last;
	for (i = 0; i < c->conf->ndepts; i++)
		if (c->conf->depts[i].id != NULL &&
		    strcmp(c->conf->depts[i].id, config_setting_get_string(dep)) == 0)
			m->dept = (int)i;
	if (m->dept < 0)
		conf_err(&c->e, dep, "unknown department '%s'",
		    conf_quote(q, sizeof(q), config_setting_get_string(dep)));
}

/* Parses discover.networks N: a list of CIDR blocks, ranges or addresses, a /16 in all at most. */
static void
sweep_nets(struct ctx *c, const config_setting_t *n)
{
	struct gf_discover_conf *d = &c->conf->discover;
	const config_setting_t *e;
	struct gf_netrange r;
	char q[QUOTE_SIZE], why[128];
	uint64_t total = 0;
	int i;

	if (!config_setting_is_array(n) && !config_setting_is_list(n)) {
		conf_err(&c->e, n, "networks: expected a list of strings [ \"192.0.2.0/24\", ... ]");
		return;
	}
	d->nets = xcalloc(2 * (size_t)config_setting_length(n) + 2, sizeof(*d->nets));
	for (i = 0; i < config_setting_length(n); i++) {
		e = config_setting_get_elem(n, (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			conf_err(&c->e, e, "networks: expected a string");
			continue;
		}
		if (netrange_parse(config_setting_get_string(e), &r, why, sizeof(why)) != 0) {
			conf_err(&c->e, e, "networks: '%s': %s",
			    conf_quote(q, sizeof(q), config_setting_get_string(e)), why);
			continue;
		}
		d->nets[2 * d->nnets] = r.first;
		d->nets[2 * d->nnets++ + 1] = r.last;
		if ((total += netrange_size(&r)) > GF_DISCOVER_MAX_ADDRS)
			conf_err(&c->e, e, "networks: more than %d addresses in all",
			    GF_DISCOVER_MAX_ADDRS);
	}
}

/* Parses discover.communities N: a list of non-empty strings, tried in order. */
static void
sweep_communities(struct ctx *c, const config_setting_t *n)
{
	struct gf_discover_conf *d = &c->conf->discover;
	const config_setting_t *e;
	const char *v;
	int i;

	if (!config_setting_is_array(n) && !config_setting_is_list(n)) {
		conf_err(&c->e, n, "communities: expected a list of strings [ \"public\", ... ]");
		return;
	}
	d->communities = xcalloc((size_t)config_setting_length(n) + 1, sizeof(char *));
	for (i = 0; i < config_setting_length(n); i++) {
		e = config_setting_get_elem(n, (unsigned)i);
		v = config_setting_get_string(e);
		if (v == NULL || v[0] == '\0' || strlen(v) > 255)
			conf_err(&c->e, e, "communities: expected a string of 1 to 255 bytes");
		else
			d->communities[d->ncommunities++] = xstrdup(v);
	}
}

/* Parses discover's sweep keys in G: interval, networks, communities, port. */
static void
sweep_keys(struct ctx *c, const config_setting_t *g)
{
	struct gf_discover_conf *d = &c->conf->discover;
	const config_setting_t *m;

	d->port = 161;
	if ((m = config_setting_get_member(g, "interval")) != NULL) {
		d->interval = config_setting_type(m) == CONFIG_TYPE_INT ? config_setting_get_int(m) : -1;
		if (d->interval != 0 && (d->interval < GF_DISCOVER_MIN_INTERVAL ||
		    d->interval > 90 * 86400))
			conf_err(&c->e, m, "interval: expected 0 (off) or %d to %d seconds",
			    GF_DISCOVER_MIN_INTERVAL, 90 * 86400);
	}
	if ((m = config_setting_get_member(g, "port")) != NULL) {
		d->port = config_setting_type(m) == CONFIG_TYPE_INT ? config_setting_get_int(m) : -1;
		if (d->port < 1 || d->port > 65535)
			conf_err(&c->e, m, "port: expected 1 to 65535");
	}
	if ((m = config_setting_get_member(g, "networks")) != NULL)
		sweep_nets(c, m);
	if ((m = config_setting_get_member(g, "communities")) != NULL)
		sweep_communities(c, m);
	if (d->interval > 0 && config_setting_get_member(g, "networks") == NULL)
		conf_err(&c->e, g, "interval: give networks = [ \"CIDR\", ... ] to sweep");
}

/* Parses the discover group G: map (subnet rules) and the daemon's sweep keys. */
void
conf_parse_discover(struct ctx *c, const config_setting_t *g)
{
	static const char *const keys[] = { "map", "interval", "networks", "communities", "port" };
	const config_setting_t *m;
	struct gf_discover_conf *d = &c->conf->discover;
	size_t k;
	int i;

	for (i = 0; i < config_setting_length(g); i++) {
		m = config_setting_get_elem(g, i);
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(config_setting_name(m), keys[k]) == 0)
				break;
		if (k == sizeof(keys) / sizeof(keys[0]))
			conf_err(&c->e, m, "unknown key '%s'", config_setting_name(m));
	}
	sweep_keys(c, g);
	if ((m = config_setting_get_member(g, "map")) == NULL)
		return;
	if (!config_setting_is_list(m)) {
		conf_err(&c->e, m, "map: expected a list of groups ( { ... }, ... )");
		return;
	}
	d->nmap = (size_t)config_setting_length(m);
	d->map = xcalloc(d->nmap ? d->nmap : 1, sizeof(*d->map));
	for (i = 0; i < (int)d->nmap; i++)
		map_rule(c, config_setting_get_elem(m, i), &d->map[i]);
}

int
conf_discover_dept(const struct gf_conf *conf, uint32_t a)
{
	size_t i;

	for (i = 0; i < conf->discover.nmap; i++)
		if (a >= conf->discover.map[i].first && a <= conf->discover.map[i].last)
			return conf->discover.map[i].dept;
	return -1;
}

/* Keeps *.conf names that are not hidden. */
static int
conf_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".conf") == 0;
}

/* Orders names bytewise, whatever the locale. */
static int
name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * The devices read so far, as indexes sorted by id then position: each
 * file's ids are looked up in it (a file of n against N earlier devices
 * costs n log N, not n N: 100,000 devices in 10 files took minutes).
 */
struct seen_ids {
	size_t *v;
	size_t n;
};

static const struct gf_device *sort_devs;

static int
dev_cmp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, k = *(const size_t *)b;
	int c = strcmp(sort_devs[i].id, sort_devs[k].id);

	return c != 0 ? c : (i > k) - (i < k);
}

/* Adds devices FROM..ndevices (those with an id) to SEEN, kept sorted: the new run sorted, then merged. */
static void
seen_add(struct seen_ids *seen, const struct gf_conf *conf, size_t from)
{
	size_t i, a = 0, b, k = 0, old = seen->n, *out;

	seen->v = xreallocarray(seen->v, old + conf->ndevices - from + 1, sizeof(*seen->v));
	for (i = from; i < conf->ndevices; i++)
		if (conf->devices[i].id != NULL)
			seen->v[seen->n++] = i;
	sort_devs = conf->devices;
	qsort(seen->v + old, seen->n - old, sizeof(*seen->v), dev_cmp);
	out = xreallocarray(NULL, seen->n + 1, sizeof(*out));
	for (b = old; a < old || b < seen->n; )
		out[k++] = b == seen->n || (a < old && dev_cmp(&seen->v[a], &seen->v[b]) < 0) ?
		    seen->v[a++] : seen->v[b++];
	free(seen->v);
	seen->v = out;
}

/* The first earlier device (in SEEN) whose id is ID, or NULL. */
static const struct gf_device *
seen_find(const struct seen_ids *seen, const struct gf_conf *conf, const char *id)
{
	size_t lo = 0, hi = seen->n, mid;

	/* The lowest position among equal ids: the first whose id is not below ID. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(conf->devices[seen->v[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < seen->n && strcmp(conf->devices[seen->v[lo]].id, id) == 0)
		return &conf->devices[seen->v[lo]];
	return NULL;
}

/* Reports each device of FROM.. whose id an earlier device (main file or earlier file) has. */
static void
cross_dups(struct ctx *c, const config_setting_t *list, size_t from, const struct seen_ids *seen)
{
	struct gf_conf *conf = c->conf;
	const struct gf_device *a, *b;
	char q[QUOTE_SIZE];
	size_t i;

	for (i = from; i < conf->ndevices; i++) {
		a = &conf->devices[i];
		if (a->id == NULL || (b = seen_find(seen, conf, a->id)) == NULL)
			continue;
		conf_err(&c->e, conf_str_member(config_setting_get_elem(list,
		    (unsigned)(i - from)), "id"), "duplicate device id '%s' (first at %s:%d)",
		    conf_quote(q, sizeof(q), a->id), b->file != NULL ? b->file : conf->path,
		    b->line);
	}
}

/* Adds the devices of one devices_dir file PATH: a `devices` list and nothing else. */
static void
dir_file(struct ctx *c, const char *path, int flags, struct seen_ids *seen)
{
	struct gf_conf *conf = c->conf;
	const config_setting_t *root, *list, *m;
	size_t from = conf->ndevices, n, i;
	const char *saved = c->e.path;
	int k, nerr, secrets = conf->has_secrets;
	struct stat st;
	config_t cfg;

	config_init(&cfg);
	nerr = cfgfile_read(&cfg, path, flags & GF_CONF_NOINCLUDE ? GF_CFG_NOINCLUDE : 0, c->e.out);
	if (nerr != 0) {
		c->e.n += nerr;
		config_destroy(&cfg);
		return;
	}
	c->e.path = path;
	root = config_root_setting(&cfg);
	for (k = 0; k < config_setting_length(root); k++) {
		m = config_setting_get_elem(root, k);
		if (strcmp(config_setting_name(m), "devices") != 0)
			conf_err(&c->e, m, "'%s': a devices_dir file holds only `devices = ( ... );`",
			    config_setting_name(m));
	}
	list = config_setting_get_member(root, "devices");
	if (list != NULL && !config_setting_is_list(list)) {
		conf_err(&c->e, list, "devices: expected a list of groups");
		list = NULL;
	}
	n = list != NULL ? (size_t)config_setting_length(list) : 0;
	conf->has_secrets = 0;
	conf->devices = xreallocarray(conf->devices, from + n + 1, sizeof(*conf->devices));
	memset(conf->devices + from, 0, (n + 1) * sizeof(*conf->devices));
	for (i = 0; i < n; i++) {
		conf_parse_device(c, config_setting_get_elem(list, (unsigned)i), &conf->devices[from + i]);
		conf->devices[from + i].file = xstrdup(path);
		conf->ndevices++;
	}
	if (list != NULL) {
		conf_check_dups(c, "device", list);
		cross_dups(c, list, from, seen);
	}
	seen_add(seen, conf, from);
	c->e.path = saved;
	config_destroy(&cfg);
	if (conf->has_secrets && stat(path, &st) == 0 && (st.st_mode & 077) != 0)
		fprintf(c->e.out, "%s: warning: file holds SNMP secrets but is readable by group or "
		    "others (chmod 600)\n", path);
	conf->has_secrets |= secrets;
}

/* DIR made absolute against the main file's folder; the caller frees it. */
static char *
dir_path(const char *main, const char *dir)
{
	const char *slash = strrchr(main, '/');
	size_t n;
	char *p;

	if (dir[0] == '/' || slash == NULL)
		return xstrdup(dir);
	n = (size_t)(slash - main) + 1 + strlen(dir) + 1;
	p = xmalloc(n);
	snprintf(p, n, "%.*s/%s", (int)(slash - main), main, dir);
	return p;
}

/* Whether NAME in DIR is a regular file (a symbolic link to one counts); reports it otherwise. */
static int
regular(struct ctx *c, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(c->e.out, "%s: cannot read: %s\n", path, strerror(errno));
		c->e.n++;
		return 0;
	}
	return S_ISREG(st.st_mode);
}

/* Reads every *.conf of devices_dir in name order (regular files, not hidden). */
void
conf_devices_dir(struct ctx *c, const config_setting_t *root, int flags)
{
	const config_setting_t *s = conf_str_member(root, "devices_dir");
	struct dirent **names = NULL;
	struct seen_ids seen = { NULL, 0 };
	char q[QUOTE_SIZE], *dir, *path;
	int i, n;

	if (s == NULL || c->conf->devices_dir == NULL)
		return;
	/* Untrusted text (fuzzing) names no file to read, as it may @include none. */
	if (flags & GF_CONF_NOINCLUDE) {
		conf_err(&c->e, s, "devices_dir: files are not read here");
		return;
	}
	dir = dir_path(c->conf->path, c->conf->devices_dir);
	free(c->conf->devices_dir);
	c->conf->devices_dir = dir;
	if ((n = scandir(dir, &names, conf_name, name_cmp)) < 0) {
		conf_err(&c->e, s, "devices_dir: cannot read '%s': %s", conf_quote(q, sizeof(q), dir),
		    strerror(errno));
		return;
	}
	if (n > MAX_DIR_FILES)
		conf_err(&c->e, s, "devices_dir: more than %d *.conf files", MAX_DIR_FILES);
	seen_add(&seen, c->conf, 0);	/* the main file's devices */
	for (i = 0; i < n; i++) {
		path = xmalloc(strlen(dir) + strlen(names[i]->d_name) + 2);
		sprintf(path, "%s/%s", dir, names[i]->d_name);
		if (i < MAX_DIR_FILES && regular(c, path))
			dir_file(c, path, flags, &seen);
		free(path);
		free(names[i]);
	}
	free(names);
	free(seen.v);
}
