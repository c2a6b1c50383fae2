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
#include "fuzzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gf_profiles *ps;
	int nerr = 0;

	fuzz_write("profile", "fuzz.conf", data, size);
	ps = profiles_load(fuzz_dir, "fuzz", GF_CFG_NOINCLUDE, fuzz_sink, &nerr);
	(void)profiles_match(ps, ".1.3.6.1.4.1.11.2.3.9.1", "HP LaserJet");
	profiles_free(ps);
	return 0;
}
