/* SNMPv3 for the poller: USM keys, session security fields, engine discovery. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netdb.h>
#include <unistd.h>

#include "log.h"
#include "snmpv3.h"
#include "v3disc.h"
#include "xmalloc.h"

/* Keys derived from v3 passphrases once at start. */
struct v3_keys {
	u_char auth[USM_AUTH_KU_LEN];
	size_t auth_len;
	u_char priv[USM_PRIV_KU_LEN];
	size_t priv_len;
	u_char engine[32];	/* learnt on first contact, spares a discovery per poll */
	size_t engine_len;
};

/* net-snmp's OID of authentication protocol A, and its length in *LEN. */
static const oid *
auth_proto(enum gf_auth_proto a, size_t *len)
{
	switch (a) {
	case GF_AUTH_MD5: *len = OID_LENGTH(usmHMACMD5AuthProtocol); return usmHMACMD5AuthProtocol;
	case GF_AUTH_SHA224: *len = OID_LENGTH(usmHMAC128SHA224AuthProtocol); return usmHMAC128SHA224AuthProtocol;
	case GF_AUTH_SHA256: *len = OID_LENGTH(usmHMAC192SHA256AuthProtocol); return usmHMAC192SHA256AuthProtocol;
	case GF_AUTH_SHA384: *len = OID_LENGTH(usmHMAC256SHA384AuthProtocol); return usmHMAC256SHA384AuthProtocol;
	case GF_AUTH_SHA512: *len = OID_LENGTH(usmHMAC384SHA512AuthProtocol); return usmHMAC384SHA512AuthProtocol;
	default: *len = OID_LENGTH(usmHMACSHA1AuthProtocol); return usmHMACSHA1AuthProtocol;
	}
}

struct v3_keys *
v3_keys_new(const struct gf_device *d)
{
	const struct gf_snmp_conf *c = &d->snmp;
	struct v3_keys *k = xcalloc(1, sizeof(*k));
	size_t plen;
	const oid *proto = auth_proto(c->auth_proto, &plen);

	k->auth_len = sizeof(k->auth);
	k->priv_len = sizeof(k->priv);
	if (c->level >= GF_SEC_AUTHNOPRIV &&
	    generate_Ku(proto, plen, (const u_char *)c->auth_pass, strlen(c->auth_pass),
	    k->auth, &k->auth_len) != SNMPERR_SUCCESS) {
		log_err("snmp: %s: cannot derive the authentication key", d->id);
		free(k);
		return NULL;
	}
	if (c->level == GF_SEC_AUTHPRIV &&
	    generate_Ku(proto, plen, (const u_char *)c->priv_pass, strlen(c->priv_pass),
	    k->priv, &k->priv_len) != SNMPERR_SUCCESS) {
		log_err("snmp: %s: cannot derive the privacy key", d->id);
		free(k);
		return NULL;
	}
	return k;
}

void
v3_keys_free(struct v3_keys *k)
{
	free(k);
}

int
v3_engine_known(const struct v3_keys *k)
{
	return k->engine_len > 0;
}

void
v3_session(netsnmp_session *s, const struct gf_device *d, const struct v3_keys *k)
{
	const struct gf_snmp_conf *c = &d->snmp;
	static const int level[] = { SNMP_SEC_LEVEL_NOAUTH, SNMP_SEC_LEVEL_AUTHNOPRIV,
		SNMP_SEC_LEVEL_AUTHPRIV };
	size_t plen;

	s->securityName = c->user;
	s->securityNameLen = strlen(c->user);
	s->securityLevel = level[c->level];
	/* net-snmp copies the protocol OIDs and keys into its own session. */
	s->securityAuthProto = (oid *)auth_proto(c->auth_proto, &plen);
	s->securityAuthProtoLen = plen;
	memcpy(s->securityAuthKey, k->auth, k->auth_len);
	s->securityAuthKeyLen = k->auth_len;
	if (c->priv_proto == GF_PRIV_DES) {
		s->securityPrivProto = (oid *)usmDESPrivProtocol;
		s->securityPrivProtoLen = OID_LENGTH(usmDESPrivProtocol);
	} else {
		s->securityPrivProto = (oid *)usmAESPrivProtocol;
		s->securityPrivProtoLen = OID_LENGTH(usmAESPrivProtocol);
	}
	memcpy(s->securityPrivKey, k->priv, k->priv_len);
	s->securityPrivKeyLen = k->priv_len;
	if (k->engine_len) {
		/* Copied by snmp_sess_open, like the rest. */
		s->securityEngineID = (u_char *)k->engine;
		s->securityEngineIDLen = k->engine_len;
	}
}

void
v3_keep_engine(struct v3_keys *k, void *sess)
{
	netsnmp_session *s;

	if (k == NULL || k->engine_len || (s = snmp_sess_session(sess)) == NULL)
		return;
	if (s->securityEngineIDLen > 0 && s->securityEngineIDLen <= sizeof(k->engine)) {
		memcpy(k->engine, s->securityEngineID, s->securityEngineIDLen);
		k->engine_len = s->securityEngineIDLen;
	}
}

int
v3_disc_socket(const struct gf_device *d, char *err, size_t errsz)
{
	struct addrinfo hints, *ai = NULL;
	char port[8];
	int rc, fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", d->port);
	if ((rc = getaddrinfo(d->host, port, &hints, &ai)) != 0) {
		snprintf(err, errsz, "%s", gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	rc = fd < 0 ? -1 : connect(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	if (rc != 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int
v3_disc_send(int fd, uint32_t msgid, char *err, size_t errsz)
{
	unsigned char buf[128];
	size_t len = v3disc_request(buf, sizeof(buf), msgid);

	if (send(fd, buf, len, 0) < 0 && errno != EAGAIN) {
		snprintf(err, errsz, "send: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
v3_disc_learn(struct v3_keys *k, const unsigned char *buf, size_t len, uint32_t msgid)
{
	struct v3disc_answer a;

	if (v3disc_parse(buf, len, msgid, &a) != 0)
		return -1;
	memcpy(k->engine, a.engine, a.engine_len);
	k->engine_len = a.engine_len;
	/* Spares the notInTimeWindow round trip on the first authenticated request. */
	set_enginetime(a.engine, a.engine_len, a.boots, a.time, TRUE);
	return 0;
}
