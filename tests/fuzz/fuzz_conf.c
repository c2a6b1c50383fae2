/*
 * libFuzzer target: the configuration loader and its start checks
 * (conf_load_opts with conf_check_start), on any bytes, written to a file as
 * greenfleetd reads one. Includes are refused (GF_CONF_NOINCLUDE): fuzz input
 * must not make the target read arbitrary files; the include scanner still
 * runs on every input.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "confcheck.h"

static char dir[32], path[64];
static FILE *sink;

/* No temporary folder left behind when the run ends. */
static void
teardown(void)
{
	unlink(path);
	rmdir(dir);
}

/* One private file rewritten for each input; errors go nowhere. */
static int
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fuzz_conf.XXXXXX");
	if (mkdtemp(dir) == NULL || (sink = fopen("/dev/null", "w")) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/gf.conf", dir);
	atexit(teardown);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gf_conf *conf;
	FILE *f;

	if (sink == NULL && setup() != 0)
		abort();
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	conf = conf_load_opts(path, GF_CONF_ALLOW_ROOT | GF_CONF_NOINCLUDE, conf_check_start, sink);
	conf_free(conf);
	return 0;
}
