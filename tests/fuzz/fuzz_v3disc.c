/*
 * Fuzz target: our own BER reader, the SNMPv3 engine discovery answer
 * (src/poll/v3disc.c), the one PDU-level parser greenfleet owns (net-snmp parses
 * every other PDU). Input: the msgID asked (4 bytes, big-endian), then the
 * datagram as an agent would send it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "v3disc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct v3disc_answer a;
	unsigned char req[128];
	uint32_t msgid;
	size_t n;

	if (size < 4)
		return 0;
	msgid = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | data[2] << 8 | data[3];
	memset(&a, 0, sizeof(a));
	if (v3disc_parse(data + 4, size - 4, msgid, &a) == 0) {
		/* An engine ID is 5 to 32 octets, copied from the datagram. */
		if (a.engine_len < 5 || a.engine_len > V3DISC_ENGINE_MAX ||
		    memmem(data + 4, size - 4, a.engine, a.engine_len) == NULL)
			abort();
	}
	/* Our own request for that msgID is never an answer to it. */
	if ((n = v3disc_request(req, sizeof(req), msgid)) == 0 ||
	    v3disc_parse(req, n, msgid, &a) == 0)
		abort();
	return 0;
}
