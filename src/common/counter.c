/* Page counter vocabulary. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "counter.h"

static const char *const names[GF_NCOUNTERS] = {
	[GF_C_TOTAL] = "total", [GF_C_MONO] = "mono", [GF_C_COLOUR] = "colour",
	[GF_C_DUPLEX] = "duplex", [GF_C_SHEETS] = "sheets",
	[GF_C_PRINT_MONO] = "print_mono", [GF_C_PRINT_COLOUR] = "print_colour",
	[GF_C_COPY_MONO] = "copy_mono", [GF_C_COPY_COLOUR] = "copy_colour",
	[GF_C_FAX] = "fax", [GF_C_SCAN] = "scan", [GF_C_JAMS] = "jams",
};

static const char *const src_names[] = { "none", "pwg", "profile", "printer-mib", "derived" };
static const char *const unit_names[] = { "unknown", "impressions", "sheets" };

const char *
counter_name(int id)
{
	return id >= 0 && id < GF_NCOUNTERS ? names[id] : "?";
}

int
counter_by_name(const char *name)
{
	int i;

	for (i = 0; i < GF_NCOUNTERS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *
counter_src_name(int src)
{
	return src >= 0 && src <= GF_SRC_DERIVED ? src_names[src] : "?";
}

int
counter_src_by_name(const char *name)
{
	int i;

	for (i = 0; i <= GF_SRC_DERIVED; i++)
		if (strcmp(src_names[i], name) == 0)
			return i;
	return GF_SRC_NONE;
}

const char *
counter_unit_name(int unit)
{
	return unit >= 0 && unit <= GF_UNIT_SHEETS ? unit_names[unit] : "?";
}

int
counter_unit_by_name(const char *name)
{
	int i;

	for (i = 0; i <= GF_UNIT_SHEETS; i++)
		if (strcmp(unit_names[i], name) == 0)
			return i;
	return -1;
}

enum gf_unit
counter_unit_from_prtmib(int unit)
{
	if (unit == 7)
		return GF_UNIT_IMPRESSIONS;
	if (unit == 8)
		return GF_UNIT_SHEETS;
	return GF_UNIT_UNKNOWN;
}

/* A derived counter and its parts, in evaluation order (total uses the derived mono/colour). */
static const struct {
	int id;
	int parts[4];
} rules[] = {
	{ GF_C_MONO, { GF_C_PRINT_MONO, GF_C_COPY_MONO, GF_C_FAX, -1 } },
	{ GF_C_COLOUR, { GF_C_PRINT_COLOUR, GF_C_COPY_COLOUR, -1, -1 } },
	{ GF_C_TOTAL, { GF_C_MONO, GF_C_COLOUR, -1, -1 } },
};

void
counter_derive(int present[GF_NCOUNTERS], int derived[GF_NCOUNTERS], uint64_t v[GF_NCOUNTERS])
{
	size_t r;
	int k, p, any;
	uint64_t sum;

	memset(derived, 0, GF_NCOUNTERS * sizeof(*derived));
	for (r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		if (present[rules[r].id])
			continue;
		sum = 0;
		any = 0;
		for (k = 0; k < 4 && (p = rules[r].parts[k]) >= 0; k++)
			if (present[p]) {
				sum += v[p];
				any = 1;
			}
		if (any) {
			v[rules[r].id] = sum;
			present[rules[r].id] = 1;
			derived[rules[r].id] = 1;
		}
	}
}

const char *
counter_derive_origin(int id, const struct gf_counter *c)
{
	static char buf[64];
	size_t r, n = 0;
	int k, p;

	buf[0] = '\0';
	for (r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		if (rules[r].id != id)
			continue;
		for (k = 0; k < 4 && (p = rules[r].parts[k]) >= 0; k++)
			if (c[p].present && n < sizeof(buf))
				n += snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "+" : "",
				    names[p]);
	}
	return buf;
}
