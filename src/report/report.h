/*
 * Reports: exact page figures from the ledger over a range of days, per
 * department or per device, with the environmental figures of the paper
 * they used, computed from the configured factor set.
 */
#ifndef GF_REPORT_H
#define GF_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <time.h>

#include "advice.h"
#include "conf.h"
#include "quota.h"
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

/* ---- the yearly responsible-IT report (REEN law, MiNumEco indicators) ---- */

enum { GF_NTYPES = GF_HW_PRINTER + 1 };

struct gf_sustain_dept {
	const struct gf_department *d;
	struct gf_report_row pages;	/* the year's figures */
	int periods, breached;		/* quota periods so far this year, and over 100 % */
};

struct gf_sustain {
	int year;
	struct gf_sustain_dept *depts;
	size_t ndepts;
	uint64_t printer_pages, pooled_pages;
	int printers, pooled_printers;
	int nage[GF_NTYPES];		/* devices in service per type with a known age */
	double age_mean[GF_NTYPES], age_median[GF_NTYPES], age_oldest[GF_NTYPES];
	int retired, retired_this_year;
	int lifespans;			/* retired devices with a known start */
	double lifespan_mean;		/* years */
	int repairs, upgraded_units;	/* repair log entries this year, distinct devices */
	double repairs_avoided_kg;
};

/* Computes year YEAR's report at NOW. -1 on a store error. */
int report_sustain(struct gf_store *s, const struct gf_conf *conf, int year, time_t now,
    struct gf_sustain *out);
void report_sustain_free(struct gf_sustain *out);

const char *report_type_name(int type);

#endif
