/*
 * roster.h - pupils and staff loaded from management-information-system
 * exports (SIMS, Arbor, Bromcom and similar CSV files).
 *
 * A roster is a plain list of records; names.c compiles it into the matching
 * index.  Several files may be loaded into one roster (the schools of a
 * trust).  Columns are found by header name: built-in aliases cover the usual
 * exports and the configuration may name others.  A file that cannot be read,
 * or whose header lacks a forename or surname column, is an error; a bad row
 * is reported as file:line and skipped; an empty name is never kept.
 */
#ifndef PG_ROSTER_H
#define PG_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "util.h"

struct pg_pupil {
	char *key;            /* UPN, or "file:line" where the export has none */
	char *forename;       /* legal */
	char *middle;         /* space-separated, may be NULL */
	char *surname;        /* legal */
	char *pref_forename;  /* NULL when equal to the legal one */
	char *pref_surname;
	char *dob;            /* as exported, may be NULL */
	char *year;
	char *reg;
	unsigned flags;
};

struct pg_staff {
	char *title, *forename, *surname, *role, *email;
};

struct pg_roster {
	struct pg_pupil *pupils;
	size_t npupils, pupils_cap;
	struct pg_staff *staff;
	size_t nstaff, staff_cap;
};

void roster_init(struct pg_roster *r);
void roster_free(struct pg_roster *r);

/* Load pupils from PATH; -1 (with a diagnostic) if the file is unusable. */
int roster_load(struct pg_roster *r, const char *path, const struct pg_roster_opts *opts,
		struct pg_diag *diag);
/* The same from bytes in memory; NAME labels the diagnostics. */
int roster_load_data(struct pg_roster *r, const char *name, const char *data, size_t len,
		     const struct pg_roster_opts *opts, struct pg_diag *diag);
/* Load a staff list (title, forename, surname, role, email). */
int roster_load_staff(struct pg_roster *r, const char *path, const char *encoding,
		      struct pg_diag *diag);

#endif
