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
#include "fuzzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gf_conf *conf;

	fuzz_write("conf", "gf.conf", data, size);
	conf = conf_load_opts(fuzz_path, GF_CONF_ALLOW_ROOT | GF_CONF_NOINCLUDE, conf_check_start,
	    fuzz_sink);
	conf_free(conf);
	return 0;
}
