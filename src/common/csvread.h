/*
 * A reader of CSV files from elsewhere (inventory exports): RFC 4180
 * quoting, the separator (';' or ',') guessed from the header line, UTF-8
 * with or without a byte order mark, CRLF, LF or CR line ends, newlines
 * inside quotes. The bytes are untrusted: every field, record and the
 * number of records is capped, and each problem is one "FILE:LINE: message".
 */
#ifndef GF_CSVREAD_H
#define GF_CSVREAD_H

#include <stddef.h>

#define GF_CSV_MAX_FILE		(64 * 1024 * 1024)	/* bytes in a file */
#define GF_CSV_MAX_FIELD	(16 * 1024)		/* bytes in one field */
#define GF_CSV_MAX_RECORD	(256 * 1024)		/* bytes in one record */
#define GF_CSV_MAX_FIELDS	256			/* fields in one record */
#define GF_CSV_MAX_ROWS		100000			/* records after the header */

/* A CSV text being read; fields point into its record buffer until the next call. */
struct gf_csv {
	const char *name;		/* the file, for messages */
	const unsigned char *buf;
	size_t len, pos;
	char sep;			/* ';' or ',' */
	unsigned line;			/* line where the last record started (1: the first) */
	unsigned next_line;
	size_t nrecords;		/* records returned, the header included */
	size_t max_rows;		/* GF_CSV_MAX_ROWS unless the caller lowers it */
	char *rec;			/* the record's fields, each NUL-terminated */
	size_t reclen, reccap;
	char *fields[GF_CSV_MAX_FIELDS];
	size_t nfields;
	char err[256];			/* "FILE:LINE: message" after a return of -1 or 2 */
};

/* Starts reading the LEN bytes at BUF (kept by the caller) named NAME: skips a BOM, finds the separator. */
void csv_open(struct gf_csv *c, const char *name, const unsigned char *buf, size_t len);

/*
 * Reads the next record into c->fields: 1 a record, 0 the end, 2 a record
 * that was skipped (too long, not UTF-8, a NUL, text after a closing quote:
 * c->err says why; reading goes on at the next one), -1 the text cannot be
 * read further (a quote never closed, too many records: c->err).
 */
int csv_next(struct gf_csv *c);

void csv_close(struct gf_csv *c);

/* Reads file PATH (at most GF_CSV_MAX_FILE bytes) into *BUF (free()d by the caller); -1 and ERR. */
int csv_slurp(const char *path, unsigned char **buf, size_t *len, char *err, size_t errsz);

#endif
