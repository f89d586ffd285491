/*
 * kind.c - the finding kinds, their type strings and their plain words.
 */
#include "kind.h"

#include <string.h>


static const struct {
	const char *name, *words;
} kinds[PG_KIND_COUNT] = {
	[PG_KIND_NONE] = { "none", NULL },
	[PG_KIND_NAME] = { "name", "a pupil's full name" },
	[PG_KIND_PARTIAL_NAME] = { "partial_name", "a pupil's initial and surname" },
	[PG_KIND_UPN] = { "upn", "a pupil number (UPN)" },
	[PG_KIND_NHS] = { "nhs", "an NHS number" },
	[PG_KIND_ULN] = { "uln", "a learner number (ULN)" },
	[PG_KIND_NI] = { "ni", "a National Insurance number" },
	[PG_KIND_DOB] = { "dob", "a date of birth" },
	[PG_KIND_ADDRESS] = { "address", "a home postcode" },
	[PG_KIND_SAFEGUARDING] = { "safeguarding", "safeguarding information" },
	[PG_KIND_LOOKED_AFTER] = { "looked_after", "looked-after child information" },
	[PG_KIND_SEN] = { "sen", "special educational needs information" },
	[PG_KIND_MEDICAL] = { "medical", "medical information" },
	[PG_KIND_FSM] = { "fsm", "free school meals information" },
	[PG_KIND_WELFARE] = { "welfare", "welfare information" },
	[PG_KIND_PUPIL_LIST] = { "pupil_list", "a list of pupils" },
	[PG_KIND_OTHER] = { "other", NULL },
};

enum pg_kind kind_parse(const char *type)
{
	for (int k = PG_KIND_NAME; k < PG_KIND_OTHER; k++)
		if (strcmp(kinds[k].name, type) == 0)
			return (enum pg_kind)k;
	return PG_KIND_OTHER;
}

const char *kind_name(enum pg_kind kind)
{
	return (unsigned)kind < PG_KIND_COUNT ? kinds[kind].name : "other";
}

const char *kind_words(enum pg_kind kind)
{
	return (unsigned)kind < PG_KIND_COUNT ? kinds[kind].words : NULL;
}

int kind_is_name(enum pg_kind kind)
{
	return kind == PG_KIND_NAME || kind == PG_KIND_PARTIAL_NAME;
}
