/*
 * prefilter.h - required literals of rule patterns, and one pass over a
 * text that tells which patterns could match where.
 *
 * A rule pack has some 150 patterns; searching a text with each in turn is
 * 150 passes, most of them for words that are not there.  For each pattern
 * prefilter_literals() works out, from the pattern's own syntax, a set of
 * literal strings one of which every match must contain ("child protection"
 * for "\bchild protection\b"; " abuse" for "\b(?:physical|sexual) abuse\b";
 * the 12 spellings of "s.47 enquir..." for "\bs\.? ?47 (?:enquir|...)").
 * A pattern whose syntax it does not follow, or whose literals are shorter
 * than three bytes, gets no set: it is always searched.
 *
 * prefilter_cover() then finds every occurrence of every literal in a range
 * of the text (ASCII case folded, keyed on their first three bytes), once,
 * and records, per pattern, where its literals occur; prefilter_may_match()
 * covers the range it is asked about, so only ranges that are searched are
 * ever scanned.  A pattern can match inside [from, to)
 * only if one of its literals lies wholly inside it, so a search there may
 * be skipped when prefilter_may_match() says no.  That is exact, not a
 * heuristic: the answers of the search are the same with or without it.
 *
 * Case folding is ASCII only, which is what caseless matching in PCRE2 does
 * with ASCII letters except two: U+017F (long s) matches 's' and U+212A
 * (Kelvin sign) matches 'k'.  A text holding either is not prefiltered.
 */
#ifndef PG_PREFILTER_H
#define PG_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

/* Shortest literal worth keying on. */
#define PG_PREFILTER_MIN 3

/* The literal set of PATTERN, folded to lower case, as a NULL-terminated
 * array the caller frees with prefilter_literals_free(); NULL when every
 * match need not contain one (or the syntax is beyond this analysis).  A
 * literal starting or ending with '\x01' is one the pattern puts a word
 * boundary (\b) before or after: "\x01asd\x01" for "\bASD\b".  The scan
 * then skips an occurrence inside a longer word ("sent" for "\bsen\b"). */
char **prefilter_literals(const char *pattern);
void prefilter_literals_free(char **lits);

struct pg_prefilter;

struct pg_prefilter *prefilter_new(void);
void prefilter_free(struct pg_prefilter **pf);
/* Register pattern ID (ids are dense, from 0) with its literals (NULL:
 * always searched).  Copies what it keeps. */
void prefilter_add(struct pg_prefilter *pf, uint32_t id, char *const *lits);

/* Whether pattern ID has no literals and is always searched. */
int prefilter_always(const struct pg_prefilter *pf, uint32_t id);

/* Where the literals were found in one text; reused from text to text.
 * The text is searched lazily: only the ranges asked about. */
struct pg_prefilter_hits {
	struct pg_prefilter_pos {
		uint32_t start, end;
		uint8_t blocked; /* an ASCII letter or digit follows where the pattern wants
				  * \b: it fails unless a search ends right there */
		uint32_t id;     /* the pattern */
	} *v;           /* every pattern's, in text order */
	size_t n, cap;
	const char *text;
	size_t len;
	struct pg_prefilter_range {
		uint32_t from, to;
	} *cov;         /* searched so far: sorted, apart */
	size_t ncov, covcap;
	int all;        /* the text is not prefiltered: everything may match */
};

void prefilter_hits_init(struct pg_prefilter_hits *h);
void prefilter_hits_free(struct pg_prefilter_hits *h);
/* Start on TEXT (kept by reference until the next call): nothing found yet. */
void prefilter_begin(const struct pg_prefilter *pf, const char *text, size_t len,
		     struct pg_prefilter_hits *h);
/* Find the literals that start in [FROM, TO), unless already done. */
void prefilter_cover(const struct pg_prefilter *pf, size_t from, size_t to,
		     struct pg_prefilter_hits *h);
/* prefilter_begin() and the whole text covered. */
void prefilter_scan(const struct pg_prefilter *pf, const char *text, size_t len,
		    struct pg_prefilter_hits *h);
/* Whether one of the patterns whose IDS[id] is set could match within
 * [FROM, TO) of the text, by its literals (patterns without literals are the
 * caller's to judge). */
int prefilter_may_match_some(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
			     const uint8_t *ids, size_t from, size_t to);
/* Whether pattern ID could match within [FROM, TO) of the text (covering
 * that range first). */
int prefilter_may_match(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
			uint32_t id, size_t from, size_t to);

#endif
