/*
 * figures.h - public figures whose names a pupil may share.
 *
 * A school with a pupil called Harry Kane still writes about the England
 * captain.  A figures file lists such names, each with the words that mark
 * the public figure ("Harry Kane: England, striker, goals"); a name on the
 * list, with one of its words near it, is the public figure and not the
 * pupil.  Without such a word it is the pupil, as any other name.  The
 * file is the school's to edit; rules/public-figures.list is shipped.
 *
 * Format: one figure a line, "Name: word, word, two words"; '#' starts a
 * comment; blank lines are skipped.  A name has two words or more.
 */
#ifndef PG_FIGURES_H
#define PG_FIGURES_H

#include <stddef.h>

#include "norm.h"
#include "util.h"

struct pg_figures;

/* Load PATH; NULL with every bad line added to DIAG as "file:line: ...". */
struct pg_figures *figures_load(const char *path, struct pg_diag *diag);

void figures_free(struct pg_figures **f);

/* How many figures F lists. */
size_t figures_count(const struct pg_figures *f);

/* 1 if tokens [FIRST, LAST] of T spell a listed figure's name and one of
 * its words is in TEXT (LEN bytes, the text T was made from) within
 * PG_FIGURES_REACH bytes of the name. */
int figures_written_as(const struct pg_figures *f, const struct pg_tokens *t, size_t first,
		       size_t last, const char *text, size_t len);

#define PG_FIGURES_REACH 200

#endif
