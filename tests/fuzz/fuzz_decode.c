/*
 * Fuzz target: the varbind decoders and reading builders (printer.c,
 * host.c, reading.c, storage.c, util.c, profile plans), driven as the poller drives
 * them (src/poll/snmp.c): a chain of net-snmp varbinds, shaped as net-snmp's
 * parser hands them over, is matched against a read plan's scalars and table
 * columns, then the plan finishes the reading. The reading must stay within
 * its bounds, its strings clean, its figures in range.
 *
 * Input (tests/fuzz/snmprec2seed.py writes it from snmpsim recordings):
 *   byte 0: the plan: 0 printer (discovery, then the plan it chooses),
 *           1 workstation, 2 workstation with the daily tables,
 *           3 + N vendor profile N of conf/profiles.d (if GF_FUZZ_SRCDIR is set);
 *   then records: OID length (1 byte, 1..128), the subidentifiers
 *   (base-128, high bit = more, as in BER), the ASN.1 type (1 byte), the
 *   value length (base-128) and the value: big-endian two's complement for
 *   INTEGER, unsigned for Counter32/Gauge32/TimeTicks/Counter64, base-128
 *   subidentifiers for an OBJECT IDENTIFIER, raw bytes for strings.
 * A record net-snmp would refuse (unknown type, IpAddress of 5 bytes) is
 * skipped; a truncated one ends the input.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printer.h"
#include "profile.h"
#include "readplan.h"
#include "storage.h"
#include "util.h"

#define MAX_VALUE	65536

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gf_profiles *profiles;
static struct gf_printer_plans *pplans;
static struct gf_readplan **plans;	/* one per profile */

/* Vendor profiles from the source tree, as the daemon loads them; none without GF_FUZZ_SRCDIR. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *src = getenv("GF_FUZZ_SRCDIR");
	char dir[4096];
	int nerr = 0;
	size_t i;

	(void)argc;
	(void)argv;
	if (src == NULL) {
		profiles = calloc(1, sizeof(*profiles));
		pplans = printer_plans_new(profiles);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/conf/profiles.d", src);
	profiles = profiles_load(dir, dir, 0, stderr, &nerr);
	if (nerr > 0)
		abort();
	pplans = printer_plans_new(profiles);
	plans = calloc(profiles->n + 1, sizeof(*plans));
	for (i = 0; i < profiles->n; i++)
		plans[i] = printer_plan_for_profile(&profiles->v[i]);
	return 0;
}

struct in {
	const uint8_t *p, *end;
};

/* One base-128 number (at most 64 bits kept); -1 past the end. */
static int
take_num(struct in *in, uint64_t *v)
{
	int i;

	*v = 0;
	for (i = 0; in->p < in->end; i++) {
		*v = *v << 7 | (*in->p & 0x7f);
		if (!(*in->p++ & 0x80))
			return i < 10 ? 0 : -1;
	}
	return -1;
}

/* Subidentifiers are 32-bit in BER as net-snmp reads it. */
static oid *
take_oid(struct in *in, size_t n)
{
	oid *o = malloc((n ? n : 1) * sizeof(oid));
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (take_num(in, &v) != 0) {
			free(o);
			return NULL;
		}
		o[i] = (oid)(uint32_t)v;
	}
	return o;
}

/* An integer of LEN bytes, big-endian, signed or not. */
static uint64_t
be_value(const uint8_t *b, size_t len, int sign)
{
	uint64_t v = sign && len > 0 && (b[0] & 0x80) ? UINT64_MAX : 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = v << 8 | b[i];
	return v;
}

/*
 * Sets VB's value as net-snmp's snmp_pdu_parse would: a long for the
 * integer types, a counter64, an OID array, or exactly LEN string bytes.
 * Returns -1 for what net-snmp refuses.
 */
static int
set_value(netsnmp_variable_list *vb, const uint8_t *b, size_t len)
{
	struct counter64 *c;
	struct in in = { b, b + len };
	uint64_t v;
	size_t n;

	switch (vb->type) {
	case ASN_INTEGER:
		if (len < 1 || len > 8)
			return -1;
		vb->val.integer = malloc(sizeof(long));
		*vb->val.integer = (long)be_value(b, len, 1);
		vb->val_len = sizeof(long);
		return 0;
	case ASN_COUNTER: case ASN_GAUGE: case ASN_TIMETICKS: case ASN_UINTEGER:
		if (len < 1 || len > 9)
			return -1;
		vb->val.integer = malloc(sizeof(long));
		*vb->val.integer = (long)(be_value(b, len, 0) & 0xffffffff);
		vb->val_len = sizeof(long);
		return 0;
	case ASN_COUNTER64:
		if (len < 1 || len > 9)
			return -1;
		v = be_value(b, len, 0);
		c = malloc(sizeof(*c));
		c->high = v >> 32;
		c->low = v & 0xffffffff;
		vb->val.counter64 = c;
		vb->val_len = sizeof(*c);
		return 0;
	case ASN_OBJECT_ID:
		for (n = 0; in.p < in.end && n <= MAX_OID_LEN; n++)
			if (take_num(&in, &v) != 0)
				return -1;
		if (n < 1 || n > MAX_OID_LEN)
			return -1;
		in.p = b;
		if ((vb->val.objid = take_oid(&in, n)) == NULL)
			return -1;
		vb->val_len = n * sizeof(oid);
		return 0;
	case ASN_IPADDRESS:
		if (len != 4)
			return -1;
		/* FALLTHROUGH */
	case ASN_OCTET_STR: case ASN_OPAQUE: case ASN_NSAP: case ASN_BIT_STR:
		vb->val.string = malloc(len ? len : 1);
		memcpy(vb->val.string, b, len);
		vb->val_len = len;
		return 0;
	case ASN_NULL: case SNMP_NOSUCHOBJECT: case SNMP_NOSUCHINSTANCE: case SNMP_ENDOFMIBVIEW:
		return 0;
	default:
		return -1;
	}
}

/* The varbinds of the input, in order; NULL if none. */
static netsnmp_variable_list *
parse_varbinds(struct in *in)
{
	netsnmp_variable_list *head = NULL, **tail = &head, *vb;
	uint64_t len;
	size_t n;
	u_char type;
	oid *name;

	while (in->p < in->end) {
		n = *in->p++;
		if (n < 1 || n > MAX_OID_LEN || (name = take_oid(in, n)) == NULL)
			break;
		if (in->p >= in->end || (type = *in->p++, take_num(in, &len) != 0) ||
		    len > MAX_VALUE || len > (uint64_t)(in->end - in->p)) {
			free(name);
			break;
		}
		vb = calloc(1, sizeof(*vb));
		vb->name = name;
		vb->name_length = n;
		vb->type = type;
		if (set_value(vb, in->p, (size_t)len) != 0) {
			snmp_free_var(vb);
		} else {
			*tail = vb;
			tail = &vb->next_variable;
		}
		in->p += len;
	}
	return head;
}

static int
is_exception(const netsnmp_variable_list *vb)
{
	return vb->type == SNMP_NOSUCHOBJECT || vb->type == SNMP_NOSUCHINSTANCE ||
	    vb->type == SNMP_ENDOFMIBVIEW;
}

/* Gives VB to table T of PLAN if it is a cell of one of its columns; 1 if taken. */
static int
give_cell(const struct gf_readplan *plan, struct gf_reading *r, int t, int *cells,
    const netsnmp_variable_list *vb)
{
	const struct gf_plan_table *tb = &plan->tables[t];
	size_t plen = tb->entry_len + 1;
	int c;

	if (vb->name_length <= plen ||
	    snmp_oidtree_compare(vb->name, vb->name_length, tb->entry, tb->entry_len) != 0)
		return 0;
	for (c = 0; c < tb->ncols; c++)
		if (vb->name[tb->entry_len] == (oid)tb->cols[c])
			break;
	/* The poller stops a table after max_rows rows, and skips what the plan does not want. */
	if (c == tb->ncols || cells[t] >= tb->max_rows * tb->ncols ||
	    (t > 0 && plan->want != NULL && !plan->want(r, t)))
		return 1;
	plan->cell(r, t, tb->cols[c], vb->name + plen, vb->name_length - plen, vb);
	cells[t]++;
	return 1;
}

/* Reads the varbinds with PLAN as the poller would, answers in any order. */
static void
run_plan(const struct gf_readplan *plan, struct gf_reading *r, const netsnmp_variable_list *vbs)
{
	const netsnmp_variable_list *vb;
	int cells[64] = { 0 }, i, t, taken;

	reading_init(r, 1700000000);
	r->plan = plan;
	r->reachable = 1;
	if (plan->ntables > 64)
		abort();
	for (vb = vbs; vb != NULL; vb = vb->next_variable) {
		if (is_exception(vb))
			continue;
		for (i = 0, taken = 0; i < plan->nscalars && !taken; i++)
			if (snmp_oid_compare(vb->name, vb->name_length, plan->scalars[i].o,
			    plan->scalars[i].len) == 0) {
				plan->scalar(r, i, vb);
				taken = 1;
			}
		for (t = 0; t < plan->ntables && !taken; t++)
			taken = give_cell(plan, r, t, cells, vb);
	}
	if (plan->finish != NULL)
		plan->finish(r);
}

/* Length of the valid UTF-8 sequence at S (written apart from util.c's), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t left)
{
	unsigned cp, n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* A cleaned device string: terminated within its array, no control character, valid UTF-8. */
static void
check_str(const char *s, size_t sz)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i, n;

	if (memchr(s, '\0', sz) == NULL)
		abort();
	len = strlen(s);
	for (i = 0; i < len; i += n)
		if ((n = utf8_len(p + i, len - i)) == 0 || p[i] < 0x20 || p[i] == 0x7f)
			abort();
}

static void
check_pct(int pct)
{
	if (pct < -1 || pct > 100)
		abort();
}

/* What every consumer of a reading relies on. */
static void
check_reading(const struct gf_reading *r)
{
	char descr[GF_SHORT];
	const char *why;
	int i, n = 0;

	check_str(r->sys_descr, sizeof(r->sys_descr));
	check_str(r->sys_name, sizeof(r->sys_name));
	check_str(r->sys_location, sizeof(r->sys_location));
	check_str(r->serial, sizeof(r->serial));
	check_str(r->ent_serial, sizeof(r->ent_serial));
	check_str(r->smart_disk, sizeof(r->smart_disk));
	if (strspn(r->sys_object_id, "0123456789.") != strlen(r->sys_object_id))
		abort();
	if (r->nsupplies < 0 || r->nsupplies > GF_MAX_SUPPLIES || r->nstorage < 0 ||
	    r->nstorage > GF_MAX_STORAGE || r->nrows < 0 || r->nrows > GF_MAX_ROWS ||
	    r->npwg < 0 || r->npwg > GF_MAX_PWG || r->ndisks < 0 || r->ndisks > GF_MAX_DISKS)
		abort();
	for (i = 0; i < r->nsupplies; i++)
		check_str(r->supplies[i].descr, sizeof(r->supplies[i].descr));
	if (r->nfs < 0 || r->nfs > GF_MAX_STORAGE)
		abort();
	for (i = 0; i < r->nstorage; i++) {
		check_str(r->storage[i].descr, sizeof(r->storage[i].descr));
		/* Every row is judged: a disk, or left out with a reason. */
		why = storage_excluded(&r->storage[i]);
		if (why != NULL && why[0] == '\0')
			abort();
	}
	for (i = 0; i < GF_NCOUNTERS; i++) {
		if (!r->counters[i].present)
			continue;
		n++;
		if (memchr(r->counters[i].origin, '\0', sizeof(r->counters[i].origin)) == NULL)
			abort();
		/* A counter read from one OID is below the value it wraps at. */
		if ((r->counters[i].src == GF_SRC_PWG || r->counters[i].src == GF_SRC_PRTMIB) &&
		    r->counters[i].value >= r->counters[i].modulus)
			abort();
	}
	if (n != r->ncounters)
		abort();
	if (r->sw_oldest[0] != '\0' && strlen(r->sw_oldest) != 10)
		abort();
	if (r->mfg_date[0] != '\0' && strlen(r->mfg_date) != 10)
		abort();
	check_pct(reading_min_colorant_pct(r));
	check_pct(reading_storage_pct(r, GF_STORAGE_FIXED_DISK));
	check_pct(reading_storage_pct(r, GF_STORAGE_RAM));
	check_pct(reading_ram_pct(r));
	check_pct(reading_cpu_pct(r));
	check_pct(reading_worst_disk(r, descr, sizeof(descr)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gf_reading r;
	struct in in = { data + 1, data + size };
	netsnmp_variable_list *vbs;
	const struct gf_readplan *plan;

	if (size < 1)
		return 0;
	vbs = parse_varbinds(&in);
	switch (data[0]) {
	case 0:
		/* First contact, then the plan the device's answers choose. */
		run_plan(readplan_first(GF_KIND_PRINTER), &r, vbs);
		check_reading(&r);
		plan = printer_choose_plan(&r, pplans);
		break;
	case 1:
		plan = host_plan();
		break;
	case 2:
		plan = host_full_plan();
		break;
	default:
		plan = profiles->n > 0 ? plans[(data[0] - 3) % profiles->n] :
		    printer_plan();
		break;
	}
	run_plan(plan, &r, vbs);
	check_reading(&r);
	snmp_free_varbind(vbs);
	return 0;
}
