/*
 * names.h - the compiled name index and the full-name matcher.
 *
 * names_build() compiles a roster once into a trie over folded token ids
 * (dict.c): every written form of every pupil's name (legal or preferred
 * forename, optional middle names, legal or preferred surname, and
 * "Surname, Forename") is a path, so names_scan() costs one hash probe per
 * token of text however large the roster is.  Staff names are paths too, so
 * that a teacher who shares a pupil's name can be told apart by context.
 *
 * The matcher also applies the context rules that keep ordinary prose from
 * being mistaken for a name ("the Grace Church car park", "Mrs Emily
 * Roberts"); their word lists come from the configuration.  It reports hits
 * as token ranges; it does not score, redact or decide (engine.c does).
 */
#ifndef PG_NAMES_H
#define PG_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "norm.h"
#include "roster.h"

#define PG_NAMES_NONE UINT32_MAX
/* Words in the longest name form: forename, middle names, surname. */
#define PG_NAMES_MAX_WORDS 16

enum pg_name_kind {
	PG_NAME_FULL,    /* forename [middle] surname, in any accepted order */
	PG_NAME_PARTIAL  /* initial + surname, or forename + surname initial */
};

/* Why a hit was set aside; PG_WHY_NONE for a finding. */
enum pg_name_why {
	PG_WHY_NONE = 0,
	PG_WHY_PHRASE,  /* a determiner before: "the Summer Day Camp" */
	PG_WHY_PLACE,   /* a place or thing noun after: "Rose Hill Road" */
	PG_WHY_STAFF,   /* a staff member's name, written as staff are written */
	PG_WHY_ALLOWED, /* an allowlisted phrase (engine.c sets this) */
	PG_WHY_PUBLIC   /* a public figure, written as one (engine.c, figures.h) */
};

/* Forms, for reports and tests. */
#define PG_FORM_PREFERRED 0x01
#define PG_FORM_SURNAME_FIRST 0x02
#define PG_FORM_MIDDLE 0x04
#define PG_FORM_POSSESSIVE 0x08
#define PG_FORM_CELLS 0x10

struct pg_name_hit {
	uint32_t pupil;   /* index into the roster's pupils */
	uint32_t npupils; /* pupils that share this written form (partial: often > 1) */
	uint32_t staff;   /* staff member with the same name, or PG_NAMES_NONE */
	uint32_t first;   /* token range, inclusive */
	uint32_t last;
	uint8_t kind;     /* enum pg_name_kind */
	uint8_t form;     /* PG_FORM_* */
	uint8_t why;      /* enum pg_name_why */
};

struct pg_name_hits {
	struct pg_name_hit *v;
	size_t n, cap;
};

/* Word lists for the context rules, as folded single words. */
struct pg_names_opts {
	const char *const *determiners; /* NULL-terminated; NULL: built-in list */
	const char *const *place_nouns;
	const char *const *titles;
	const char *const *locatives;    /* "at", "in", ...: before place-like names */
	const char *const *common_words; /* everyday words that are also names */
	const char *const *everyday_words; /* surnames that are everyday words */
	int partial_names;              /* index initial+surname forms */
};

struct pg_names;

struct pg_names *names_build(const struct pg_roster *roster, const struct pg_names_opts *opts);
void names_free(struct pg_names **names);

/* Byte ranges of a text, half open. */
struct pg_spans {
	struct { size_t start, end; } *v;
	size_t n, cap;
};

void names_spans_free(struct pg_spans *s);

/* The parts of TEXT that may hold a name: windows around every two
 * consecutive words that could both belong to a name, at least one of them
 * a word of some name (by a bit filter over words hashed as they are read,
 * without tokenising), the other such a word or a single letter (an
 * initial); and around every word with non-ASCII bytes, which may be
 * several words glued by a no-break space.  Every name is such a pair, and
 * its context lies within a few words of it, so matching only these
 * windows finds what matching the whole text finds. */
void names_candidates(const struct pg_names *names, const char *text, size_t len,
		      struct pg_spans *out);

/* Append the hits in TOKENS to OUT (suppressed ones too, with their why). */
void names_scan(const struct pg_names *names, const struct pg_tokens *tokens,
		struct pg_name_hits *out);

void names_hits_free(struct pg_name_hits *hits);

/* Sizes, for the benchmark and -n. */
size_t names_memory(const struct pg_names *names);
size_t names_paths(const struct pg_names *names);

/* The built-in word lists (documented in pupilguard.conf(5)). */
extern const char *const names_default_determiners[];
extern const char *const names_default_place_nouns[];
extern const char *const names_default_titles[];
extern const char *const names_default_locatives[];
extern const char *const names_default_common_words[];
extern const char *const names_default_everyday_words[];

#endif
