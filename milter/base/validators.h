/*
 * validators.h - check digits and formats of UK personal identifiers.
 *
 * Each validator answers one question: could these bytes be a well-formed
 * identifier of its kind?  It checks length, character classes, the allocation
 * rules that are published, and the check character where the scheme has one
 * (UPN, ULN, NHS number).  Input is (pointer, length), not necessarily
 * NUL-terminated; no byte past len is read.  The caller trims surrounding
 * white space and punctuation; the separators that the function accepts
 * inside the value are listed with each function.  ASCII letters are matched
 * case-insensitively.
 *
 * They do not find candidates in text (the rule engine's patterns do), nor
 * know whether a number was ever issued: a pass means "well-formed", which
 * for schemes without a check character (National Insurance number, postcode)
 * is a much weaker statement.  Every function is pure and thread-safe.
 */
#ifndef PG_VALIDATORS_H
#define PG_VALIDATORS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * DfE Unique Pupil Number: check letter + 12 characters (LA 3, establishment
 * 4, year 2, serial 3); a temporary UPN ends in a letter.  Exactly 13
 * characters, no separators.
 */
bool validators_upn(const char *s, size_t len);

/* Unique Learner Number: 10 digits, first non-zero, modulus 11 check digit. */
bool validators_uln(const char *s, size_t len);

/*
 * NHS number: 10 digits, modulus 11 check digit; written either without
 * separators or 3-3-4 with single spaces or single hyphens (not mixed).
 */
bool validators_nhs(const char *s, size_t len);

/*
 * National Insurance number: prefix of two letters, six digits, optional
 * suffix A-D; a single optional space at each boundary ("AB 12 34 56 C").
 */
bool validators_nino(const char *s, size_t len);

/* UK postcode (Royal Mail formats, plus GIR 0AA); the middle space is optional. */
bool validators_postcode(const char *s, size_t len);

typedef bool validators_fn(const char *s, size_t len);

/* Look up a validator by its config name ("upn", "uln", "nhs", "ni", "postcode", "date"); NULL if unknown. */
validators_fn *validators_lookup(const char *name);

/* A calendar date between 1990 and 2039, numeric (dd/mm/yyyy, d-m-yy,
 * dd.mm.yyyy, yyyy-mm-dd, 10-Oct-2012) or written ("4th of November 2010", "4 Nov 2010",
 * "November 4, 2010"); the parse variant also returns its parts. */
bool validators_date(const char *s, size_t len);
bool validators_date_parse(const char *s, size_t len, int *y_r, int *m_r, int *d_r);

#endif /* PG_VALIDATORS_H */
