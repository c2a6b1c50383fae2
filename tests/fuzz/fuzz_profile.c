/*
 * libFuzzer target: the vendor profile loader (profiles_load) on any bytes,
 * as the one *.conf file of a profiles directory, then a match against it.
 * Includes are refused (GF_CFG_NOINCLUDE); the include scanner still runs.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgfile.h"
#include "profile.h"

static char dir[32], path[64];
static FILE *sink;

/* No temporary folder left behind when the run ends. */
static void
teardown(void)
{
	unlink(path);
	rmdir(dir);
}

/* One private directory holding the one profile file. */
static int
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fuzz_profile.XXXXXX");
	if (mkdtemp(dir) == NULL || (sink = fopen("/dev/null", "w")) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/fuzz.conf", dir);
	atexit(teardown);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gf_profiles *ps;
	FILE *f;
	int nerr = 0;

	if (sink == NULL && setup() != 0)
		abort();
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	ps = profiles_load(dir, "fuzz", GF_CFG_NOINCLUDE, sink, &nerr);
	(void)profiles_match(ps, ".1.3.6.1.4.1.11.2.3.9.1", "HP LaserJet");
	profiles_free(ps);
	return 0;
}
