/*
 * For fuzz targets whose parser reads a file (the configuration, a profile
 * directory): each input is written to one private file, in a private
 * folder removed when the run ends. Errors the parser prints go nowhere.
 */
#ifndef GF_FUZZFILE_H
#define GF_FUZZFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_dir[48], fuzz_path[96];
static FILE *fuzz_sink;

static void
fuzz_teardown(void)
{
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

/* Writes DATA to the file NAME of the private folder (made at the first call); aborts on failure. */
static void
fuzz_write(const char *target, const char *name, const uint8_t *data, size_t size)
{
	FILE *f;

	if (fuzz_sink == NULL) {
		snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/fuzz_%s.XXXXXX", target);
		if (mkdtemp(fuzz_dir) == NULL || (fuzz_sink = fopen("/dev/null", "w")) == NULL)
			abort();
		snprintf(fuzz_path, sizeof(fuzz_path), "%s/%s", fuzz_dir, name);
		atexit(fuzz_teardown);
	}
	if ((f = fopen(fuzz_path, "w")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
}

#endif
