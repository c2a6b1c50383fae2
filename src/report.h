/*
 * Reports: exact page figures from the ledger over a range of days, per
 * department or per device, with the environmental figures of the paper
 * they used, computed from the configured factor set.
 */
#ifndef GF_REPORT_H
#define GF_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "store.h"

struct gf_report_row {
	char key[GF_SHORT];		/* department id, or device id */
	char department[GF_SHORT];
	uint64_t total, mono, colour, duplex, sheets;
	int has_total, has_mono, has_colour, has_duplex, has_sheets;
	uint64_t paper_sheets;		/* sheets of paper: counted, or estimated (see report.c) */
};

struct gf_report {
	struct gf_report_row *rows;
	size_t n, cap;
	int by_device;
};

/* Sums the ledger between days FIRST and LAST into R. -1 on a store error. */
int report_build(struct gf_store *s, const char *first, const char *last, int by_device,
    struct gf_report *r);
void report_free(struct gf_report *r);

/* Environmental figures of a row's paper with factor set F. */
struct gf_env {
	double paper_kg, co2e_kg, energy_kwh, trees;
};
void report_env(const struct gf_report_row *row, const struct gf_factors *f, struct gf_env *e);

#endif
