/*
 * schema.c - the names of a roster's columns, as configuration writes them.
 */
#include "config.h"

#include <strings.h>

#include "schema.h"

static const char *const field_names[PG_COL_COUNT] = {
	"upn", "forename", "middle_names", "surname", "preferred_forename",
	"preferred_surname", "dob", "year", "reg_group", "flags",
};

const char *schema_field_name(enum pg_roster_field f)
{
	return field_names[f];
}

int schema_field_parse(const char *name, enum pg_roster_field *f_r)
{
	for (int i = 0; i < PG_COL_COUNT; i++) {
		if (strcasecmp(name, field_names[i]) == 0) {
			*f_r = (enum pg_roster_field)i;
			return 0;
		}
	}
	return -1;
}

