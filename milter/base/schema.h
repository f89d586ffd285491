/*
 * schema.h - what a pupil roster and a staff list hold: their columns, the
 * record flags and the options a roster is read with.  Configuration (which
 * names the columns) and the roster loader both use it.
 */
#ifndef PG_SCHEMA_H
#define PG_SCHEMA_H

/* Pupil record flags. */
#define PG_PUPIL_PROTECTED 0x01 /* must never be named: scores are multiplied */

enum pg_roster_field {
	PG_COL_UPN,
	PG_COL_FORENAME,
	PG_COL_MIDDLE,
	PG_COL_SURNAME,
	PG_COL_PREF_FORENAME,
	PG_COL_PREF_SURNAME,
	PG_COL_DOB,
	PG_COL_YEAR,
	PG_COL_REG,
	PG_COL_FLAGS,
	PG_COL_COUNT
};

enum pg_staff_field {
	PG_SCOL_TITLE,
	PG_SCOL_FORENAME,
	PG_SCOL_SURNAME,
	PG_SCOL_ROLE,
	PG_SCOL_EMAIL,
	PG_SCOL_COUNT
};

struct pg_roster_opts {
	const char *encoding;                 /* "auto" (default), "utf-8", "windows-1252", ... */
	const char *columns[PG_COL_COUNT];    /* header overrides; NULL: built-in aliases */
	const char *flag_protected;           /* flags-column value meaning protected ("protected") */
};

/* Field name for messages and config ("forename", "upn", ...). */
const char *schema_field_name(enum pg_roster_field f);
int schema_field_parse(const char *name, enum pg_roster_field *f_r);

#endif
