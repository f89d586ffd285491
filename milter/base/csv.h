/*
 * csv.h - an RFC 4180 reader over a UTF-8 buffer.
 *
 * Quoted fields may hold commas, doubled quotes and line breaks; CRLF and LF
 * both end a record.  Each row reports the line it started on so that a
 * loader can say "file:line: reason".  The reader does not know what the
 * columns mean (roster.c does).
 */
#ifndef PG_CSV_H
#define PG_CSV_H

#include <stddef.h>

struct pg_csv;

struct pg_csv_row {
	char **fields;  /* NUL-terminated, owned by the reader until the next call */
	size_t nfields;
	unsigned line;  /* 1-based line where the record starts */
};

/* DATA must stay valid while the reader is used. DELIM is ',' or ';' or '\t'. */
struct pg_csv *csv_open(const char *data, size_t len, char delim);
void csv_close(struct pg_csv **csv);
/* 1: a row; 0: end of data; -1: malformed record (*error_r says why; the
 * reader has skipped to the next line and may be called again). */
int csv_next(struct pg_csv *csv, struct pg_csv_row *row, const char **error_r);
/* Guess the delimiter from the first line: ',', ';' or '\t'. */
char csv_sniff_delimiter(const char *data, size_t len);

#endif
