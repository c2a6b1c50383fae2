/*
 * libFuzzer target: the cleaner of untrusted device strings. Properties
 * checked, abort() otherwise: the output is valid UTF-8, holds no C0/C1
 * control, DEL, U+2028/U+2029 or bidi control, fits the buffer, is what the
 * function says it wrote, and cleaning it again changes nothing.
 *
 * Build (from a configured build directory, for config.h):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE \
 *     -I../src/common -I. ../tests/fuzz/fuzz_clean.c ../src/common/text.c -o fuzz_clean
 *   ./fuzz_clean -max_total_time=60 WORK_DIR ../tests/fuzz/corpus/clean
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Code point of the UTF-8 sequence of N bytes at S (already known valid). */
static unsigned int
decode(const unsigned char *s, size_t n)
{
	unsigned int cp = n == 1 ? s[0] : n == 2 ? s[0] & 0x1f : n == 3 ? s[0] & 0x0f : s[0] & 0x07;
	size_t i;

	for (i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

/* An independent check, not gf_utf8_len: strict UTF-8 (RFC 3629) and no forbidden class. */
static void
check(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	unsigned int cp;

	while (i < len) {
		n = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 : (s[i] & 0xf0) == 0xe0 ? 3 :
		    (s[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (n == 0 || i + n > len)
			abort();
		for (k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
		cp = decode(s + i, n);
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			abort();
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
		    cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = { 1, 2, 4, 7, 64, 256, 4096 };
	char out[4096], again[4096];
	size_t i, n, m, sz;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sz = sizes[i];
		memset(out, 'Z', sizeof(out));
		n = gf_clean_str(out, sz, data, size);
		if (n >= sz || out[n] != '\0' || strlen(out) != n)
			abort();
		if (sz < sizeof(out) && out[sz] != 'Z')
			abort();		/* wrote past the buffer it was given */
		check((const unsigned char *)out, n);
		m = gf_clean_str(again, sizeof(again), (const unsigned char *)out, n);
		if (m != n || memcmp(again, out, n) != 0)
			abort();
	}
	return 0;
}
