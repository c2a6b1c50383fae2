/*
 * The SNMPv3 side of a poll: USM keys derived once from the configured
 * passphrases, the security fields of a session, and the engine ID learnt
 * by discovery (v3disc.c builds and parses its messages) on a socket of the
 * poller's own, so no poll ever waits for net-snmp's blocking discovery.
 */
#ifndef GF_SNMPV3_H
#define GF_SNMPV3_H

#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "conf.h"

struct v3_keys;

/* Derives device D's keys (generate_Ku hashes 1 MB each time: once at start); NULL (logged) on failure. */
struct v3_keys *v3_keys_new(const struct gf_device *d);
void v3_keys_free(struct v3_keys *k);

/* Whether the agent's engine ID is known, so a poll needs no discovery first. */
int v3_engine_known(const struct v3_keys *k);

/* Fills the security fields of session S for device D (net-snmp copies them on open). */
void v3_session(netsnmp_session *s, const struct gf_device *d, const struct v3_keys *k);

/* Remembers the engine ID that single session SESS learnt, so later polls skip discovery. */
void v3_keep_engine(struct v3_keys *k, void *sess);

/* A connected non-blocking UDP socket to device D; -1 with the reason in ERR. */
int v3_disc_socket(const struct gf_device *d, char *err, size_t errsz);

/* Sends the discovery request MSGID on FD; -1 with the reason in ERR. */
int v3_disc_send(int fd, uint32_t msgid, char *err, size_t errsz);

/*
 * Takes the answer BUF to MSGID: keeps its engine ID in K and hands its
 * boots and time to net-snmp. 0 if it was that answer, -1 if not (garbage,
 * another request's): keep waiting.
 */
int v3_disc_learn(struct v3_keys *k, const unsigned char *buf, size_t len, uint32_t msgid);

#endif
