/*
 * kind.h - what a finding is about: a pupil's name, or one of the kinds of
 * confidential detail the rule packs look for.
 *
 * Rule packs name a rule's kind by a string (type = "upn"); it is parsed
 * once, when the rules load, and code compares kinds, never strings.  A
 * type no built-in kind has (a school's own rule pack may add one) is
 * PG_KIND_OTHER and keeps its string for display.
 */
#ifndef PG_KIND_H
#define PG_KIND_H

enum pg_kind {
	PG_KIND_NONE = 0,     /* no kind: an anchor made by a name */
	PG_KIND_NAME,         /* a pupil's full name */
	PG_KIND_PARTIAL_NAME, /* initial and surname */
	PG_KIND_UPN,
	PG_KIND_NHS,
	PG_KIND_ULN,
	PG_KIND_NI,
	PG_KIND_DOB,
	PG_KIND_ADDRESS,
	PG_KIND_SAFEGUARDING,
	PG_KIND_LOOKED_AFTER,
	PG_KIND_SEN,
	PG_KIND_MEDICAL,
	PG_KIND_FSM,
	PG_KIND_WELFARE,
	PG_KIND_PUPIL_LIST,   /* many pupils named in one place (lists.c) */
	PG_KIND_OTHER,        /* a rule pack's own type */
	PG_KIND_COUNT
};

/* The kind a rule's type string names; PG_KIND_OTHER if none. */
enum pg_kind kind_parse(const char *type);
/* The type string of KIND ("upn"); "other" for PG_KIND_OTHER. */
const char *kind_name(enum pg_kind kind);
/* KIND in plain words for notices ("a pupil number (UPN)"); NULL for
 * PG_KIND_OTHER and PG_KIND_NONE, whose callers show the type itself. */
const char *kind_words(enum pg_kind kind);
/* Whether KIND is a pupil's name (full or partial). */
int kind_is_name(enum pg_kind kind);

#endif
