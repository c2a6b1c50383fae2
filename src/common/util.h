/* Small helpers shared by readers, stores and the CLI. */
#ifndef GF_UTIL_H
#define GF_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "text.h"

/* Integer value of an INTEGER/Counter32/Gauge32/TimeTicks/Counter64 varbind; -1 on other types. */
int gf_vb_int(const netsnmp_variable_list *vb, int64_t *out);

/* Where an integer varbind's value wraps: 2^31 (INTEGER), 2^32, or UINT64_MAX (Counter64); never 0. */
uint64_t gf_vb_modulus(const netsnmp_variable_list *vb);

/* Cleaned text of an OCTET STRING varbind; -1 on other types. */
int gf_vb_str(const netsnmp_variable_list *vb, char *dst, size_t dstsz);

/* Dotted form of an OID into DST (truncated, always NUL-terminated). */
void gf_oid_fmt(char *dst, size_t dstsz, const oid *o, size_t len);

/* Parses a dotted OID ("1.3.6.1..." or ".1.3...") into O; returns its length or 0. */
size_t gf_oid_parse(const char *s, oid *o, size_t max);

/* Path of a device's RRD file: DATA_DIR/rrd/ID.rrd; -1 if ID is unsafe or too long. */
int gf_rrd_path(char *dst, size_t dstsz, const char *data_dir, const char *id);
/* Path of a department's RRD file: DATA_DIR/rrd/departments/ID.rrd; -1 likewise. */
int gf_rrd_dept_path(char *dst, size_t dstsz, const char *data_dir, const char *id);

/* Monotonic clock in milliseconds. */
int64_t gf_mono_ms(void);

/* Formats seconds of uptime as "12d 03:04" into DST. */
void gf_fmt_uptime(char *dst, size_t dstsz, uint64_t seconds);

#endif
