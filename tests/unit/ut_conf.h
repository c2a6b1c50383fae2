/*
 * The unit tests' common preamble for a configuration and a store of their
 * own: a temporary folder, a gf.conf in it (data_dir there, an empty
 * profiles folder so no vendor profile applies, the store GF_TEST_STORE
 * names when set: pg_units.sh runs the same checks on PostgreSQL), and its
 * removal at the end unless KEEP is set. Header-only, like tap.h.
 */
#ifndef GF_UT_CONF_H
#define GF_UT_CONF_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sys/stat.h>

#include "conf.h"

/* Makes the folder of template DIR ("/tmp/NAME.XXXXXX") in Europe/Paris time; exits 2 if it cannot. */
static inline void
ut_setup(char *dir)
{
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
}

/* Writes DIR/gf.conf (the store, data_dir, profiles_dir, then BODY) and loads it; exits 2 if it cannot. */
static inline struct gf_conf *
ut_conf(const char *dir, const char *body)
{
	char path[256];
	struct gf_conf *c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/profiles", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/gf.conf", dir);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	if (getenv("GF_TEST_STORE") != NULL)
		fprintf(f, "store = \"%s\";\n", getenv("GF_TEST_STORE"));
	fprintf(f, "data_dir = \"%s\";\nprofiles_dir = \"%s/profiles\";\n%s", dir, dir, body);
	fclose(f);
	chmod(path, 0600);
	if ((c = conf_load(path, stderr)) == NULL) {
		fprintf(stderr, "%s: does not load\n", path);
		exit(2);
	}
	return c;
}

/* Removes DIR and all in it, unless KEEP is set (to look at it after a failure). */
static inline void
ut_cleanup(const char *dir)
{
	char cmd[300];

	if (getenv("KEEP") != NULL) {
		fprintf(stderr, "# kept %s\n", dir);
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		perror(cmd);
}

#endif
