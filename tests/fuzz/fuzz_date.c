/*
 * libFuzzer target: the date parser on any bytes. Properties checked: a date
 * it accepts has the exact shape, exists in the calendar and prints back as
 * the input; a refusal always says why, in one printable line.
 *
 * Build (from a configured build directory, for config.h):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE \
 *     -I../src/common -I. ../tests/fuzz/fuzz_date.c ../src/common/date.c -o fuzz_date
 *   ./fuzz_date -max_total_time=60 WORK_DIR ../tests/fuzz/corpus/date
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[32], why[80], back[16];
	struct gf_day day;
	size_t i;
	int rc;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	why[0] = '\0';
	rc = gf_date_parse(s, &day, why, sizeof(why));
	if (rc == 0) {
		snprintf(back, sizeof(back), "%04d-%02d-%02d", day.y, day.m, day.d);
		if (strcmp(back, s) != 0 || day.y < GF_DATE_MIN_YEAR || day.m < 1 || day.m > 12 ||
		    day.d < 1 || day.d > gf_date_mdays(day.y, day.m))
			abort();
		return 0;
	}
	if ((rc != -1 && rc != -2) || why[0] == '\0')
		abort();
	for (i = 0; why[i] != '\0'; i++)
		if ((unsigned char)why[i] < 0x20 || (unsigned char)why[i] >= 0x7f)
			abort();
	return 0;
}
