/*
 * libFuzzer target for the RRD header check (rrdcheck.c), which reads bytes
 * from disk that anyone or anything (a power cut, a bad copy) may have
 * written. The input is a whole file: checked as one buffer, then again
 * as a first read of a few bytes, as rrdfile_check does. Besides no crash,
 * no overflow and no undefined behaviour, the answers must agree with each
 * other and with the size: a file accepted is exactly as long as its header
 * and archives say.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src -I BUILDDIR \
 *       tests/fuzz/fuzz_rrdheader.c src/store/rrdcheck.c src/common/text.c -o fuzz_rrdheader
 *   ./fuzz_rrdheader -max_total_time=60 tests/fuzz/corpus/rrdheader
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rrdfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct rrdfile_info info, again;
	char err[256], err2[256];
	size_t first = n < 4096 ? n : 4096;
	long rc, rc2;

	err[0] = '\0';
	rc = rrdfile_check_header(d, n, n, &info, err, sizeof(err));
	/* The whole file in hand: never asks for more, and says why it refuses. */
	if (rc > 0 || (rc < 0 && (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)))
		abort();
	if (rc == 0 && (info.size != n || info.ds_cnt == 0 || info.rra_cnt == 0 ||
	    info.pdp_step == 0))
		abort();
	/* A first read of 4 KB, then the rest it asks for, as rrdfile_check reads. */
	err2[0] = '\0';
	rc2 = rrdfile_check_header(d, first, n, &again, err2, sizeof(err2));
	if (rc2 > 0) {
		if ((size_t)rc2 <= first || (size_t)rc2 > n || rc2 > RRDFILE_HEADER_MAX)
			abort();
		rc2 = rrdfile_check_header(d, (size_t)rc2, n, &again, err2, sizeof(err2));
	}
	if (rc2 != rc || (rc < 0 && strcmp(err, err2) != 0) ||
	    (rc == 0 && memcmp(&info, &again, sizeof(info)) != 0))
		abort();
	return 0;
}
