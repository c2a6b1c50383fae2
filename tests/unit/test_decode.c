/* Unit tests: decoding of untrusted device values, readings, RRD naming and schema. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "printer.h"
#include "profile.h"
#include "readplan.h"
#include "rrdw.h"
#include "storage.h"
#include "tap.h"
#include "util.h"
#include "v3disc.h"

/* Builds a varbind of TYPE holding VAL (an integer) or STR (a string, or a dotted OID). */
static netsnmp_variable_list *
vb_new(const oid *name, size_t len, u_char type, long val, const char *str)
{
	netsnmp_variable_list *vb = NULL;
	struct counter64 c64;
	u_int u = (u_int)val;

	oid o[GF_PLAN_OID];
	size_t olen;

	if (type == ASN_OCTET_STR)
		snmp_varlist_add_variable(&vb, name, len, type, str, strlen(str));
	else if (type == ASN_OBJECT_ID) {
		olen = gf_oid_parse(str, o, GF_PLAN_OID);
		snmp_varlist_add_variable(&vb, name, len, type, o, olen * sizeof(oid));
	}
	else if (type == ASN_COUNTER64) {
		c64.high = 1;
		c64.low = (u_long)val;
		snmp_varlist_add_variable(&vb, name, len, type, &c64, sizeof(c64));
	} else if (type == ASN_INTEGER)
		snmp_varlist_add_variable(&vb, name, len, type, &val, sizeof(val));
	else
		snmp_varlist_add_variable(&vb, name, len, type, &u, sizeof(u));
	return vb;
}

static void
test_vb_int(void)
{
	static const oid o[] = { 1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1 };
	netsnmp_variable_list *vb;
	int64_t v = 0;
	char s[16];

	vb = vb_new(o, 13, ASN_COUNTER, (long)4294967295UL, NULL);
	ok(gf_vb_int(vb, &v) == 0 && v == 4294967295LL, "Counter32 max reads unsigned: %lld",
	    (long long)v);
	snmp_free_varbind(vb);
	vb = vb_new(o, 13, ASN_INTEGER, -3, NULL);
	ok(gf_vb_int(vb, &v) == 0 && v == -3, "INTEGER keeps its sign");
	snmp_free_varbind(vb);
	vb = vb_new(o, 13, ASN_COUNTER64, 5, NULL);
	ok(gf_vb_int(vb, &v) == 0 && v == 4294967301LL, "Counter64 high/low combined");
	snmp_free_varbind(vb);
	vb = vb_new(o, 13, ASN_OCTET_STR, 0, "121104");
	ok(gf_vb_int(vb, &v) == -1, "a string is not a number");
	ok(gf_vb_str(vb, s, sizeof(s)) == 0 && strcmp(s, "121104") == 0, "string read");
	snmp_free_varbind(vb);
}

/* Feeds one scalar answer to the printer plan. */
static void
printer_feed(struct gf_reading *r, int i, u_char type, long val)
{
	const struct gf_readplan *p = printer_plan();
	netsnmp_variable_list *vb = vb_new(p->scalars[i].o, p->scalars[i].len, type, val, "");

	p->scalar(r, i, vb);
	snmp_free_varbind(vb);
}

/* Index of plan P's scalar with this OID, -1 if none. */
static int
plan_index(const struct gf_readplan *p, const char *dotted)
{
	oid o[GF_PLAN_OID];
	size_t len = gf_oid_parse(dotted, o, GF_PLAN_OID);
	int i;

	for (i = 0; i < p->nscalars; i++)
		if (snmp_oid_compare(o, len, p->scalars[i].o, p->scalars[i].len) == 0)
			return i;
	return -1;
}

/* Index of the printer plan's scalar with this OID, -1 if none. */
static int
printer_scalar_index(const char *dotted)
{
	return plan_index(printer_plan(), dotted);
}

static void
test_printer_plan(void)
{
	int life = printer_scalar_index("1.3.6.1.2.1.43.10.2.1.4.1.1");
	struct gf_reading r;

	ok(life >= 0, "printer plan asks prtMarkerLifeCount");
	reading_init(&r, 0);
	printer_feed(&r, life, ASN_INTEGER, -5);
	ok(!r.has_lifecount, "negative life count is garbage, not pages");
	/* net-snmp keeps a 5-byte INTEGER up to 2^32 - 1: past INTEGER's 2^31 it would wrap wrongly. */
	printer_feed(&r, life, ASN_INTEGER, 3321892097L);
	ok(!r.has_lifecount, "an INTEGER life count past 2^31 - 1 is garbage (found by fuzz_decode)");
	printer_feed(&r, life, ASN_INTEGER, 2147483647L);
	ok(r.has_lifecount && r.lifecount == 2147483647, "INTEGER life count 2^31 - 1 stored");
	reading_init(&r, 0);
	printer_feed(&r, life, ASN_COUNTER, 121104);
	ok(r.has_lifecount && r.lifecount == 121104, "Counter32 life count stored");
	reading_init(&r, 0);
	ok(!r.has_lifecount, "a printer that gave no counter has none (not 0)");
}

static void
test_ram_and_dates(void)
{
	static const unsigned char mfg[] = { 0x07, 0xe2, 5, 21, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char month13[] = { 0x07, 0xdd, 13, 1, 1, 1, 1, 0 };
	static const unsigned char y1601[] = { 0x06, 0x41, 1, 1, 0, 0, 0, 0 };
	static const unsigned char feb29[] = { 0x07, 0xe9, 2, 29, 0, 0, 0, 0 };
	struct gf_reading r;
	char day[11];

	ok(reading_date(mfg, sizeof(mfg), day) == 0 && strcmp(day, "2018-05-21") == 0,
	    "ENTITY-MIB DateAndTime (11 octets): %s", day);
	ok(reading_date(month13, sizeof(month13), day) == -1, "month 13 is no date");
	ok(reading_date(y1601, sizeof(y1601), day) == -1, "1601 (Windows' zero) is no date");
	ok(reading_date(feb29, sizeof(feb29), day) == -1, "29 February 2025 is no date");
	ok(reading_date(mfg, 7, day) == -1, "7 octets is no DateAndTime");
	reading_init(&r, 0);
	r.nstorage = 1;
	r.storage[0] = (struct gf_storage){ 1, "Physical memory", GF_STORAGE_RAM, 1024, 1000, 900, 0, 0 };
	ok(reading_ram_pct(&r) == 90, "hrStorage RAM without UCD: 90 %%");
	r.ucd_mem[0] = 4000000;		/* total kB */
	r.ucd_mem[1] = 400000;		/* free */
	r.ucd_mem[2] = 100000;		/* buffers */
	r.ucd_mem[3] = 2500000;		/* cached */
	r.ucd_have = 0xf;
	ok(reading_ram_pct(&r) == 25, "UCD: cache and buffers are not RAM in use (25 %%)");
	r.ucd_mem[3] = 9000000;
	ok(reading_ram_pct(&r) == 90, "absurd UCD figures fall back to hrStorage");
}

static void
test_reading_figures(void)
{
	struct gf_reading r;
	char buf[64];

	reading_init(&r, 0);
	ok(reading_min_colorant_pct(&r) == -1, "no supplies, no toner figure");
	r.nsupplies = 4;
	r.supplies[0] = (struct gf_supply){ 1, "Black", GF_SUPPLY_TONER, 19, 100, 34 };
	r.supplies[1] = (struct gf_supply){ 2, "Cyan", GF_SUPPLY_TONER, 19, 200, 38 };
	r.supplies[2] = (struct gf_supply){ 3, "Unknown", GF_SUPPLY_TONER, 19, 100, -3 };
	r.supplies[3] = (struct gf_supply){ 4, "Drum", 9, 19, 100, 5 };
	ok(reading_min_colorant_pct(&r) == 19, "lowest toner 38/200 = 19%%, sentinels and drums ignored");
	r.nstorage = 2;
	r.storage[0] = (struct gf_storage){ 1, "C:", GF_STORAGE_FIXED_DISK, 4096, 1000, 250, 0, 0 };
	r.storage[1] = (struct gf_storage){ 2, "D:", GF_STORAGE_FIXED_DISK, 512, 8000, 8000, 0, 0 };
	ok(reading_storage_pct(&r, GF_STORAGE_FIXED_DISK) == 62, "disk use weighted by units");
	ok(reading_storage_pct(&r, GF_STORAGE_RAM) == -1, "no RAM row, no figure");
	/* 64-bit values from a hostile agent: products past 2^64 must not wrap to a wrong figure. */
	r.storage[0] = (struct gf_storage){ 1, "C:", GF_STORAGE_FIXED_DISK, 4096,
		(1ULL << 62), (1ULL << 61), 0, 0 };
	r.storage[1] = (struct gf_storage){ 2, "D:", GF_STORAGE_FIXED_DISK, 4096,
		(1ULL << 62), (1ULL << 62), 0, 0 };
	ok(reading_storage_pct(&r, GF_STORAGE_FIXED_DISK) == 75, "huge disks: 75 %%, no wrap");
	ok(reading_worst_disk(&r, buf, sizeof(buf)) == 100 && strcmp(buf, "D:") == 0,
	    "huge disks: worst is D: at 100 %%");
	r.storage[1].units = (1ULL << 41);
	ok(reading_storage_pct(&r, GF_STORAGE_FIXED_DISK) == 50, "a unit past a terabyte is ignored");
}

static void
test_oid_and_paths(void)
{
	oid o[16];
	char buf[64];
	size_t n;

	n = gf_oid_parse(".1.3.6.1.2.1.1.1.0", o, 16);
	gf_oid_fmt(buf, sizeof(buf), o, n);
	ok(n == 9 && strcmp(buf, "1.3.6.1.2.1.1.1.0") == 0, "OID round trip: %s", buf);
	ok(gf_oid_parse("1.3.x", o, 16) == 0, "bad OID rejected");
	ok(gf_rrd_path(buf, sizeof(buf), "/var/lib/gf", "copieur-rdc") == 0 &&
	    strcmp(buf, "/var/lib/gf/rrd/copieur-rdc.rrd") == 0, "RRD path: %s", buf);
	ok(gf_rrd_path(buf, sizeof(buf), "/d", "../etc/passwd") == -1, "traversal id refused");
	ok(gf_rrd_path(buf, sizeof(buf), "/d", ".hidden") == -1, "leading dot refused");
	ok(gf_rrd_path(buf, 12, "/d", "long-device-name") == -1, "path too long refused");
}

static int
has_line(char buf[][64], int n, const char *line)
{
	for (int i = 0; i < n; i++)
		if (strcmp(buf[i], line) == 0)
			return 1;
	return 0;
}

static void
test_rrd_schema(void)
{
	char buf[24][64];
	int have[GF_NCOUNTERS] = { 0 }, n, found;
	struct gf_rrd_keep keep;

	n = rrdw_schema(GF_KIND_PRINTER, 300, NULL, NULL, buf, 24);
	ok(n == 9, "printer RRD: total, mono, colour, duplex, toner, status + 3 RRA (%d)", n);
	ok(strcmp(buf[0], "DS:total:DERIVE:600:0:U") == 0, "total is DERIVE min 0: %s", buf[0]);
	ok(strcmp(buf[2], "DS:colour:DERIVE:600:0:U") == 0, "one DS per counter: %s", buf[2]);
	ok(strcmp(buf[4], "DS:toner:GAUGE:600:0:100") == 0, "then the toner: %s", buf[4]);
	ok(!has_line(buf, n, "DS:fax:DERIVE:600:0:U"), "no fax series for a printer without one");
	found = has_line(buf, n, "RRA:AVERAGE:0.5:1:4032") +
	    has_line(buf, n, "RRA:AVERAGE:0.5:12:9600") + has_line(buf, n, "RRA:AVERAGE:0.5:288:3660");
	ok(found == 3, "2 weeks at 5 min, 400 days hourly, 10 years daily");
	have[GF_C_FAX] = have[GF_C_JAMS] = 1;
	n = rrdw_schema(GF_KIND_PRINTER, 300, NULL, have, buf, 24);
	ok(n == 11 && strcmp(buf[4], "DS:fax:DERIVE:600:0:U") == 0 &&
	    strcmp(buf[5], "DS:jams:DERIVE:600:0:U") == 0, "a reported counter has its series: %s",
	    buf[4]);
	n = rrdw_schema(GF_KIND_PRINTER, 20, NULL, NULL, buf, 24);
	ok(n == 10 && has_line(buf, n, "RRA:AVERAGE:0.5:1:8640") &&
	    has_line(buf, n, "RRA:AVERAGE:0.5:15:4032") && has_line(buf, n, "RRA:AVERAGE:0.5:180:9600") &&
	    has_line(buf, n, "RRA:AVERAGE:0.5:4320:3660"), "step 20: 2 days raw, then 5 min for 2 weeks");
	n = rrdw_schema(GF_KIND_WORKSTATION, 60, NULL, NULL, buf, 16);
	ok(n == 9 && strcmp(buf[5], "RRA:AVERAGE:0.5:1:2880") == 0 &&
	    strcmp(buf[6], "RRA:AVERAGE:0.5:5:4032") == 0, "step 60: %s, %s", buf[5], buf[6]);
	ok(rrdw_schema(GF_KIND_WORKSTATION, 60, NULL, NULL, buf, 8) == -1, "refuses a short buffer");
	/* rrd_full_days, rrd_hourly_days, rrd_daily_days: a smaller file for a large fleet. */
	keep = (struct gf_rrd_keep){ 2, 31, 365 };
	n = rrdw_schema(GF_KIND_PRINTER, 600, &keep, NULL, buf, 24);
	ok(n == 9 && strcmp(buf[6], "RRA:AVERAGE:0.5:1:288") == 0 &&
	    strcmp(buf[7], "RRA:AVERAGE:0.5:6:744") == 0 && strcmp(buf[8], "RRA:AVERAGE:0.5:144:365") == 0,
	    "keep 2/31/365 days at 600 s: %s %s %s", buf[6], buf[7], buf[8]);
	keep = (struct gf_rrd_keep){ 1, 0, 0 };
	n = rrdw_schema(GF_KIND_PRINTER, 20, &keep, NULL, buf, 24);
	ok(n == 8 && strcmp(buf[6], "RRA:AVERAGE:0.5:1:4320") == 0 &&
	    strcmp(buf[7], "RRA:AVERAGE:0.5:15:288") == 0,
	    "keep 1 day, no hourly, no daily, at 20 s: a day raw, a day of 5 min (%d)", n);
	keep = (struct gf_rrd_keep){ 14, 400, 3660 };
	n = rrdw_schema(GF_KIND_PRINTER, 300, &keep, NULL, buf, 24);
	ok(n == 9 && strcmp(buf[6], "RRA:AVERAGE:0.5:1:4032") == 0 &&
	    strcmp(buf[7], "RRA:AVERAGE:0.5:12:9600") == 0 && strcmp(buf[8], "RRA:AVERAGE:0.5:288:3660") == 0,
	    "the configuration's defaults are the layout without one");
}

/* A Report as snmpd sends it: msgID 0x01020304, engine 80001f8880aabbccdd, boots 7, time 12345. */
static const unsigned char report[] = {
	0x30, 0x49, 0x02, 0x01, 0x03,
	0x30, 0x11, 0x02, 0x04, 0x01, 0x02, 0x03, 0x04, 0x02, 0x03, 0x00, 0xff, 0xe3,
	0x04, 0x01, 0x00, 0x02, 0x01, 0x03,
	0x04, 0x1a, 0x30, 0x18, 0x04, 0x09, 0x80, 0x00, 0x1f, 0x88, 0x80, 0xaa, 0xbb, 0xcc, 0xdd,
	0x02, 0x01, 0x07, 0x02, 0x02, 0x30, 0x39, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00,
	0x30, 0x15, 0x04, 0x00, 0x04, 0x00, 0xa8, 0x0f, 0x02, 0x04, 0x01, 0x02, 0x03, 0x04,
	0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x01, 0x00,
};

static void
test_v3disc(void)
{
	static const unsigned char engine[] = { 0x80, 0x00, 0x1f, 0x88, 0x80, 0xaa, 0xbb, 0xcc, 0xdd };
	struct v3disc_answer a;
	unsigned char req[128], bad[sizeof(report)];
	size_t n, len, fails = 0;

	len = v3disc_request(req, sizeof(req), 0x81020304);
	ok(len == 64 && req[0] == 0x30 && req[1] == len - 2, "discovery request is one 64-byte message");
	ok(req[9] == 0x01 && req[52] == 0x01 && req[12] == 0x04, "msgID and request-id patched, top bit cleared");
	ok(req[20] == 0x04, "request is reportable");
	ok(v3disc_request(req, 10, 1) == 0, "short buffer refused");
	memset(&a, 0, sizeof(a));
	ok(v3disc_parse(report, sizeof(report), 0x01020304, &a) == 0 && a.engine_len == 9 &&
	    memcmp(a.engine, engine, 9) == 0 && a.boots == 7 && a.time == 12345,
	    "report parsed: engine, boots 7, time 12345");
	ok(v3disc_parse(report, sizeof(report), 0x01020305, &a) == -1, "another msgID is not ours");
	for (n = 0; n < sizeof(report); n++)
		fails += v3disc_parse(report, n, 0x01020304, &a) == -1;
	ok(fails == sizeof(report), "every truncation refused (%zu of %zu)", fails, sizeof(report));
	memcpy(bad, report, sizeof(bad));
	bad[29] = 0x40;		/* engine ID length past the message */
	ok(v3disc_parse(bad, sizeof(bad), 0x01020304, &a) == -1, "overlong engine ID refused");
	memcpy(bad, report, sizeof(bad));
	bad[29] = 0x02;		/* engine ID shorter than RFC 3411 allows */
	ok(v3disc_parse(bad, sizeof(bad), 0x01020304, &a) == -1, "short engine ID refused");
}

/*
 * Storage that is full by nature is no disk problem: hrStorageType first,
 * then hrFSTable's type and access, then the mount point or Windows drive.
 */
static void
test_storage_classes(void)
{
	static const struct {
		int type, fs_type, fs_access;
		const char *descr;
		const char *why;		/* NULL: a disk that counts */
	} cases[] = {
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/", NULL },
		{ GF_STORAGE_FIXED_DISK, 23, GF_FS_READ_WRITE, "/home", NULL },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/boot", NULL },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/mediabox", NULL },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/srv/snap", NULL },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/running", NULL },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "C:\\ Label:  Serial Number 1848504c", NULL },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "C:\\ Label:DVD rips  Serial Number 1", NULL },
		{ GF_STORAGE_FIXED_DISK, 9, GF_FS_READ_WRITE, "E:\\ Label:Data", NULL },
		{ GF_STORAGE_FIXED_DISK, 2, GF_FS_READ_WRITE, "Z:\\ Label:  Serial Number ba85e1bf",
		    NULL },
		{ GF_STORAGE_CD, 0, 0, "D:\\", "compact disc (hrStorageType)" },
		{ GF_STORAGE_REMOVABLE, 0, 0, "E:\\", "removable disk (hrStorageType)" },
		{ GF_STORAGE_FLOPPY, 0, 0, "A:\\", "floppy disk (hrStorageType)" },
		{ GF_STORAGE_RAM_DISK, 0, 0, "/vmfs/volumes/a", "RAM disk (hrStorageType)" },
		{ GF_STORAGE_NETWORK, 0, 0, "/vmfs/volumes/foo-vmw", "network disk (hrStorageType)" },
		{ GF_STORAGE_RAM, 0, 0, "Physical memory", "RAM (hrStorageType)" },
		{ GF_STORAGE_VIRTUAL, 0, 0, "Swap space", "virtual memory (hrStorageType)" },
		{ GF_STORAGE_OTHER, 0, 0, "Memory buffers", "other storage (hrStorageType)" },
		{ GF_STORAGE_FLASH, 0, 0, "/flash", "flash memory (hrStorageType)" },
		{ 0, 0, 0, "/", "no known hrStorageType" },
		{ 99, 0, 0, "/", "no known hrStorageType" },
		/* hrFSTable outranks the mount point: an ISO anywhere, NFS, anything read-only. */
		{ GF_STORAGE_FIXED_DISK, GF_FS_ISO9660, GF_FS_READ_ONLY, "/media/iso",
		    "ISO 9660 file system (hrFSType)" },
		{ GF_STORAGE_FIXED_DISK, GF_FS_ISO9660, 0, "/srv/images/rhel8",
		    "ISO 9660 file system (hrFSType)" },
		{ GF_STORAGE_FIXED_DISK, GF_FS_ROCKRIDGE, 0, "/srv/cd",
		    "Rock Ridge CD file system (hrFSType)" },
		{ GF_STORAGE_FIXED_DISK, GF_FS_NFS, GF_FS_READ_WRITE, "/home",
		    "network file system (hrFSType)" },
		{ GF_STORAGE_FIXED_DISK, GF_FS_RFS, GF_FS_READ_WRITE, "/data",
		    "network file system (hrFSType)" },
		{ GF_STORAGE_FIXED_DISK, GF_FS_OTHER, GF_FS_READ_ONLY, "/opt/appliance",
		    "read-only file system (hrFSAccess)" },
		{ GF_STORAGE_FIXED_DISK, GF_FS_OTHER, GF_FS_READ_ONLY, "/snap/core20/1828",
		    "read-only file system (hrFSAccess)" },
		/* Without hrFSTable (or when it says nothing), the mount point. */
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/snap/core20/1828", "snap package, squashfs (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/snap", "snap package, squashfs (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/var/lib/snapd/snap/firefox/2356",
		    "snap package, squashfs (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/media/iso", "removable media (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 23, GF_FS_READ_WRITE, "/media/alice/USB",
		    "removable media (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/run/media/alice/DVD", "removable media (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/mnt/cdrom", "removable media (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/cdrom", "removable media (mount point)" },
		{ GF_STORAGE_FIXED_DISK, GF_FS_OTHER, GF_FS_READ_WRITE, "/dev/shm",
		    "RAM disk (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/run", "RAM disk (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/run/user/1000", "RAM disk (mount point)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "/sys/fs/cgroup", "RAM disk (mount point)" },
		/* Windows drives that say what they are, when the type does not. */
		{ GF_STORAGE_FIXED_DISK, 0, 0, "A:\\", "floppy drive (description)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "Compact Disc", "removable drive (description)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "Removable Disk", "removable drive (description)" },
		{ GF_STORAGE_FIXED_DISK, 0, 0, "D:\\ CD-ROM Drive", "removable drive (description)" },
	};
	struct gf_storage s;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.type = cases[i].type;
		s.fs_type = cases[i].fs_type;
		s.fs_access = cases[i].fs_access;
		snprintf(s.descr, sizeof(s.descr), "%s", cases[i].descr);
		why = storage_excluded(&s);
		ok(cases[i].why == NULL ? why == NULL : why != NULL && strcmp(why, cases[i].why) == 0,
		    "type %d, fs %d/%d, '%s': %s", cases[i].type, cases[i].fs_type,
		    cases[i].fs_access, cases[i].descr, why ? why : "counted");
	}
}

/* Feeds one answered cell "OID|TYPE|VALUE" to the table of the workstation plan it belongs to. */
static void
host_feed(struct gf_reading *r, const char *dotted, u_char type, long val, const char *str)
{
	const struct gf_readplan *p = host_full_plan();
	const struct gf_plan_table *t;
	oid o[GF_PLAN_OID];
	size_t len = gf_oid_parse(dotted, o, GF_PLAN_OID);
	netsnmp_variable_list *vb = vb_new(o, len, type, val, str);
	int i;

	for (i = 0; i < p->ntables; i++) {
		t = &p->tables[i];
		if (len > t->entry_len + 1 && snmp_oidtree_compare(o, len, t->entry, t->entry_len) == 0)
			p->cell(r, i, (int)o[t->entry_len], o + t->entry_len + 1,
			    len - t->entry_len - 1, vb);
	}
	snmp_free_varbind(vb);
}

/* One hrStorage row, as net-snmp answers it. */
static void
host_storage(struct gf_reading *r, int idx, int type, const char *descr, long units, long size,
    long used)
{
	char o[64], t[64];

	snprintf(t, sizeof(t), "1.3.6.1.2.1.25.2.1.%d", type);
	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.2.3.1.2.%d", idx);
	host_feed(r, o, ASN_OBJECT_ID, 0, t);
	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.2.3.1.3.%d", idx);
	host_feed(r, o, ASN_OCTET_STR, 0, descr);
	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.2.3.1.4.%d", idx);
	host_feed(r, o, ASN_INTEGER, units, NULL);
	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.2.3.1.5.%d", idx);
	host_feed(r, o, ASN_INTEGER, size, NULL);
	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.2.3.1.6.%d", idx);
	host_feed(r, o, ASN_INTEGER, used, NULL);
}

/* One hrFSTable row: type, access and the hrStorage row it sits on. */
static void
host_fs(struct gf_reading *r, int idx, const char *fstype, long access, long storage)
{
	char o[64];

	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.3.8.1.4.%d", idx);
	host_feed(r, o, ASN_OBJECT_ID, 0, fstype);
	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.3.8.1.5.%d", idx);
	host_feed(r, o, ASN_INTEGER, access, NULL);
	snprintf(o, sizeof(o), "1.3.6.1.2.1.25.3.8.1.7.%d", idx);
	host_feed(r, o, ASN_INTEGER, storage, NULL);
}

/* The workstation plan joins hrFSTable to hrStorage by hrFSStorageIndex when the poll ends. */
static void
test_host_fs_join(void)
{
	const struct gf_readplan *p = host_full_plan();
	struct gf_reading r;
	char buf[64];

	reading_init(&r, 0);
	r.plan = p;
	host_storage(&r, 31, 4, "/", 4096, 1000, 400);
	host_storage(&r, 32, 4, "/srv/images/rhel8", 2048, 5000, 5000);
	host_storage(&r, 33, 4, "/data", 4096, 1000, 700);
	host_fs(&r, 1, "1.3.6.1.2.1.25.3.9.23", 1, 31);
	host_fs(&r, 2, "1.3.6.1.2.1.25.3.9.12", 2, 32);
	/* Hostile rows: a storage index nobody has, a type outside hrFSTypes, a bad access. */
	host_fs(&r, 3, "1.3.6.1.2.1.25.3.9.12", 2, 99);
	host_fs(&r, 4, "1.3.6.1.4.1.9.9.12", 7, 33);
	ok(reading_worst_disk(&r, buf, sizeof(buf)) == 100, "before the join the ISO looks full");
	p->finish(&r);
	ok(r.nfs == 4 && r.storage[1].fs_type == GF_FS_ISO9660 &&
	    r.storage[1].fs_access == GF_FS_READ_ONLY, "hrFSStorageIndex 32 joins the ISO row");
	ok(r.storage[2].fs_type == 0 && r.storage[2].fs_access == 0,
	    "a type outside hrFSTypes and access 7 are not believed");
	ok(reading_worst_disk(&r, buf, sizeof(buf)) == 70 && strcmp(buf, "/data") == 0,
	    "worst disk that can fill up: /data at 70 %% (%s)", buf);
	/* 400x4096 + 700x4096 over 2000x4096: the ISO's 5000x2048 left out. */
	ok(reading_storage_pct(&r, GF_STORAGE_FIXED_DISK) == 55, "disk figure without the ISO: 55 %%");
	ok(p->want(&r, 1) == 1, "a host with real fixed disks has its hrFSTable walked");
	reading_init(&r, 0);
	host_storage(&r, 1, 2, "Physical memory", 1024, 1000, 500);
	host_storage(&r, 40, 4, "/snap/core20/1828", 1024, 63488, 63488);
	host_storage(&r, 41, 7, "D:\\", 2048, 1000, 1000);
	ok(p->want(&r, 1) == 0, "no disk that can fill up: no hrFSTable walk");
	ok(reading_worst_disk(&r, buf, sizeof(buf)) == -1 && buf[0] == '\0',
	    "no disk figure from a snap and a CD");
}


/* Writes profile file NAME.conf with TEXT into DIR. */
static void
put_profile(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* Feeds a string answer to scalar I of plan P. */
static void
plan_feed_str(const struct gf_readplan *p, struct gf_reading *r, int i, const char *str)
{
	netsnmp_variable_list *vb = vb_new(p->scalars[i].o, p->scalars[i].len, ASN_OCTET_STR, 0,
	    str);

	p->scalar(r, i, vb);
	snmp_free_varbind(vb);
}


/* The profile key serial: a string or a list of OIDs, tried in order; errors name file:line. */
static void
test_profile_serial(void)
{
	static const char *const prt = "1.3.6.1.2.1.43.5.1.1.17.1";
	char dir[] = "/tmp/gf-test-prof.XXXXXX", *out = NULL, path[256];
	const struct gf_readplan *p;
	struct gf_readplan *pplan;
	const struct gf_profile *pr;
	struct gf_profiles *ps;
	struct gf_reading r;
	int nerr = 0, v1, v2;
	size_t len = 0;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	put_profile(dir, "a", "name = \"a\";\nmatch = { sys_object_id = \"1.3.6.1.4.1.9991.\"; };\n"
	    "serial = [ \"1.3.6.1.4.1.9991.1.0\", \".1.3.6.1.4.1.9991.2.0\" ];\n");
	put_profile(dir, "b", "name = \"b\";\nmatch = { sys_object_id = \"1.3.6.1.4.1.9992.\"; };\n"
	    "serial = \"1.3.6.1.4.1.9992.1.0\";\ncounters = ( { counter = \"total\"; "
	    "oid = \"1.3.6.1.4.1.9992.2.0\"; } );\n");
	f = open_memstream(&out, &len);
	ps = profiles_load(dir, NULL, 0, f, &nerr);
	fclose(f);
	ok(nerr == 0 && ps->n == 2, "profiles with serial load (%d errors: %s)", nerr, out);
	free(out);
	pr = profiles_match(ps, "1.3.6.1.4.1.9991.5", "");
	ok(pr != NULL && pr->nserials == 2 && pr->ncounters == 0,
	    "a profile may give only serial OIDs, two of them");
	pr = profiles_match(ps, "1.3.6.1.4.1.9992.5", "");
	ok(pr != NULL && pr->nserials == 1 && pr->ncounters == 1, "serial beside counters");

	/* First valid wins: a placeholder Printer-MIB serial, a blank first vendor OID. */
	/* The reading layer builds a profile's plan; the profile itself is data only. */
	pplan = printer_plan_for_profile(profiles_match(ps, "1.3.6.1.4.1.9991.5", ""));
	p = pplan;
	v1 = plan_index(p, "1.3.6.1.4.1.9991.1.0");
	v2 = plan_index(p, "1.3.6.1.4.1.9991.2.0");
	ok(v1 >= 0 && v2 >= 0, "the plan asks both serial OIDs");
	reading_init(&r, 0);
	r.plan = p;
	plan_feed_str(p, &r, plan_index(p, prt), "unknown");
	plan_feed_str(p, &r, v1, "   ");
	plan_feed_str(p, &r, v2, " K9X001 ");
	p->finish(&r);
	ok(strcmp(r.serial, "K9X001") == 0 && strcmp(r.serial_src, "profile:a") == 0,
	    "placeholder and blank skipped, vendor serial trimmed: '%s' (%s)", r.serial,
	    r.serial_src);
	reading_init(&r, 0);
	r.plan = p;
	plan_feed_str(p, &r, plan_index(p, prt), "W492KB03439");
	plan_feed_str(p, &r, v1, "OTHER");
	p->finish(&r);
	ok(strcmp(r.serial, "W492KB03439") == 0 && strcmp(r.serial_src, "printer-mib") == 0,
	    "the Printer-MIB comes first");
	reading_init(&r, 0);
	r.plan = p;
	plan_feed_str(p, &r, plan_index(p, prt), "0000");
	p->finish(&r);
	ok(r.serial[0] == '\0' && r.serial_src[0] == '\0', "no valid serial: none, no source");
	printer_plan_free(pplan);
	profiles_free(ps);

	/* Errors, each with its file and line. */
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.conf", dir);
	unlink(path);
	put_profile(dir, "c", "name = \"c\";\nmatch = { sys_object_id = \"1.3.6.1.4.1.9993.\"; };\n"
	    "serial = [ \"1.3.6.1.4.1.9993.1.0\", \"not.an.oid\" ];\n");
	put_profile(dir, "d", "name = \"d\";\nmatch = { sys_object_id = \"1.3.6.1.4.1.9994.\"; };\n"
	    "serial = 5;\n");
	put_profile(dir, "e", "name = \"e\";\nmatch = { sys_object_id = \"1.3.6.1.4.1.9995.\"; };\n");
	nerr = 0;
	out = NULL;
	f = open_memstream(&out, &len);
	ps = profiles_load(dir, NULL, 0, f, &nerr);
	fclose(f);
	ok(nerr == 3 && ps->n == 0, "three bad profiles refused (%d errors)", nerr);
	ok(out != NULL && strstr(out, "/c.conf:3: serial: 'not.an.oid' is not a dotted OID") != NULL,
	    "bad serial OID: file:line");
	ok(out != NULL && strstr(out, "/d.conf:3: serial: expected a string or a list of strings")
	    != NULL, "serial of the wrong type: file:line");
	ok(out != NULL && strstr(out, "/e.conf:") != NULL && strstr(out, ": counters: expected a "
	    "non-empty list of groups (or a serial)") != NULL, "neither counters nor serial: said so");
	free(out);
	profiles_free(ps);
	snprintf(path, sizeof(path), "%s/c.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/e.conf", dir);
	unlink(path);
	rmdir(dir);
}

/* Which strings are serial numbers. */
static void
test_serial_ok(void)
{
	static const struct { const char *in, *out; int ok; } t[] = {
		{ "W492KB03439", "W492KB03439", 1 }, { "  E123  ", "E123", 1 },
		{ "", "", 0 }, { "   ", "", 0 }, { "0", "0", 0 }, { "000000", "000000", 0 },
		{ "??????", "??????", 0 }, { "N/A", "N/A", 0 }, { "n/a", "n/a", 0 },
		{ "Unknown", "Unknown", 0 }, { "Not Available", "Not Available", 0 },
		{ "0-0", "0-0", 0 }, { "100", "100", 1 }, { "NA1", "NA1", 1 },
	};
	char s[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(s, sizeof(s), "%s", t[i].in);
		ok(printer_serial_ok(s) == t[i].ok && strcmp(s, t[i].out) == 0,
		    "serial '%s': %s", t[i].in, t[i].ok ? "kept" : "refused");
	}
}

int
main(void)
{
	test_vb_int();
	test_printer_plan();
	test_ram_and_dates();
	test_reading_figures();
	test_storage_classes();
	test_host_fs_join();
	test_oid_and_paths();
	test_rrd_schema();
	test_v3disc();
	test_profile_serial();
	test_serial_ok();
	return tap_done();
}
