/*
 * tables.h - names in exports: rows whose header names the columns.
 *
 * An MIS export or class list writes a pupil's name across cells, in the
 * order its columns happen to have: "Surname,Forename,Year",
 * "Forename;Middle;Surname", a quoted "Quellan","Farid", a TAB table from a
 * spreadsheet or document, or fixed-width columns padded with spaces.
 * tables_names() finds each header row that names a forename column and a
 * surname column (delimited by TAB, comma, semicolon or bar, with RFC 4180
 * quotes, or fixed-width), and writes every row under it as the name reads
 * ("Farid Quellan"), one row to a paragraph, until a row no longer fits the
 * header.  A quoted row with no such header is written with its quotes
 * undone, cells joined by ", ", so "Surname, Forename" reads as it does in
 * prose.  Cells of other columns (House, Team, Class) are never joined to
 * a name.  Like forms.h, the rewrite only adds text to scan.
 *
 * It knows nothing of rosters.
 */
#ifndef PG_TABLES_H
#define PG_TABLES_H

#include <stddef.h>

#include "util.h"

/* Write the rows of TEXT's tables, as names read, to OUT (cleared first).
 * Returns how many rows were written; 0: nothing to scan again. */
size_t tables_names(const char *text, size_t len, struct pg_buf *out);

#endif
