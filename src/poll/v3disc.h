/*
 * SNMPv3 engine discovery (RFC 3414 section 4) without blocking: net-snmp
 * only discovers synchronously, so the poller sends this small request on
 * its own socket, in its own loop, and hands the learnt engine ID, boots and
 * time to net-snmp before opening the real session.
 */
#ifndef GF_V3DISC_H
#define GF_V3DISC_H

#include <stddef.h>
#include <stdint.h>

#define V3DISC_ENGINE_MAX 32

struct v3disc_answer {
	unsigned char engine[V3DISC_ENGINE_MAX];
	size_t engine_len;
	uint32_t boots;
	uint32_t time;
};

/* Writes the discovery request for MSGID (31 bits) into BUF; returns its length, 0 if SZ is short. */
size_t v3disc_request(unsigned char *buf, size_t sz, uint32_t msgid);

/* Parses an agent's answer to MSGID; 0 and fills A on success, -1 on anything else. */
int v3disc_parse(const unsigned char *buf, size_t len, uint32_t msgid, struct v3disc_answer *a);

#endif
