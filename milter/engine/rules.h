/*
 * rules.h - confidential-detail rules: PCRE2 patterns with validators,
 * scores, pupil proximity and directions, loaded from the rule files in rules/.
 *
 * A rule counts on its own (score > 0: identifiers such as a UPN or an NHS
 * number), or only within near_pupil words of a named pupil (score = 0:
 * "child protection plan" is policy text until a child is named beside it),
 * or both, with near_score when near; or, with roster_only, only when what
 * it matched is a pupil's own UPN or date of birth from the roster (which
 * then names that pupil).  Patterns are compiled once, with JIT,
 * case-insensitive and in UTF mode unless the rule says otherwise; each scan
 * brings its own match data, so a rule set is shared by all threads.
 *
 * A pattern with a capturing group reports (and validates, and masks) only
 * the first group: "date of birth:? (DATE)".
 *
 * rules_scan() reports matches through a callback; it does not score the
 * message or know about MIME (engine.c does).
 */
#ifndef PG_RULES_H
#define PG_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf.h"
#include "kind.h"
#include "norm.h"
#include "prefilter.h"
#include "validators.h"

struct pg_rule {
	char *name;
	char *description;
	char *type;            /* finding type as written: "upn", "nhs", "sen", ... */
	enum pg_kind kind;     /* kind_parse(type) */
	char *file;            /* where it was defined, for messages */
	unsigned line;
	pcre2_code **codes;
	size_t ncodes;
	validators_fn *validator;
	int score;             /* alone; 0: only near a pupil */
	int near_pupil;        /* words; 0: proximity not used */
	int near_score;        /* near a pupil */
	unsigned directions;   /* bit per enum pg_direction; 0: all */
	int mask;              /* excerpt shows digits masked */
	int needs_digits;      /* a match holds a run of this many digits: search
				* only around such runs (0: everywhere) */
	int roster_only;       /* counts only when the match is a roster pupil's own
				* UPN or date of birth (by type), and names them */
	uint32_t first_id;     /* prefilter id of codes[0]; codes[i] is first_id + i */
	char ***lits;          /* while loading: each pattern's literal set */
};

struct pg_rules {
	struct pg_rule *v;
	size_t n, cap;
	struct pg_prefilter *pf; /* literals of every pattern (prefilter.h) */
	uint32_t npatterns;
	/* By phase and direction, the patterns that apply: those with literals
	 * (a byte per pattern id), whether one has neither literals nor
	 * needs_digits, and the fewest needs_digits of those without literals;
	 * and the largest near_pupil of the rules that apply. */
	uint8_t *lit_ids[2][PG_DIR_COUNT];
	uint8_t no_lits[2][PG_DIR_COUNT];
	int min_digits[2][PG_DIR_COUNT];
	int max_near[2][PG_DIR_COUNT];
};

/* What one scan needs of its own: match data and where the literals of the
 * patterns lie in the current text.  One per thread; reused across texts. */
struct pg_rules_scan {
	pcre2_match_data *md;
	struct pg_prefilter_hits hits;
	int scanned;           /* hits are those of the current text */
	struct digit_run *runs; /* runs of digits in the current text */
	size_t nruns, runs_cap;
	int have_runs;
};

void rules_init(struct pg_rules *r);
void rules_free(struct pg_rules *r);
/* Load one rule file; -1 if it cannot be read or parsed.  Bad rules are
 * reported (file:line, rule, pattern offset) and make the load fail too. */
int rules_load(struct pg_rules *r, const char *path, int jit, struct pg_diag *diag);
/* The same from a string, labelled NAME (tests and fuzzing). */
int rules_load_text(struct pg_rules *r, const char *name, const char *text, struct pg_diag *diag);

/* A named pupil in a segment, as a token range, for proximity: where the
 * name is, or the pupil's own UPN or date of birth.  Rules of the type of
 * the identifier that made an anchor do not count near it: a date is not
 * evidence of a date of birth beside itself. */
struct pg_anchor {
	uint32_t first, last;
	uint32_t pupil;
	enum pg_kind kind; /* kind of that identifier; PG_KIND_NONE for a name */
};

struct pg_rule_match {
	const struct pg_rule *rule;
	size_t start, end;     /* bytes in the segment */
	const struct pg_anchor *near; /* nearest anchor within near_pupil, or NULL */
	int score;
};

typedef void rules_match_cb(void *ctx, const struct pg_rule_match *m);

/* Which rules a scan runs: those that count alone (searched everywhere), or
 * those that count only near a pupil (searched only around the anchors). */
enum pg_rules_phase { PG_RULES_ALONE, PG_RULES_NEAR };

/* Scratch for scans with RULES (one per thread), and its release. */
struct pg_rules_scan *rules_scan_new(const struct pg_rules *rules);
void rules_scan_free(struct pg_rules_scan **sc);
/* Start on a new text: what rules_scan() learnt of the last one is dropped. */
void rules_scan_begin(struct pg_rules_scan *sc);

/* Scan one segment.  ANCHORS must be sorted by first token for
 * PG_RULES_NEAR.  Calls between two rules_scan_begin() must pass the same
 * text: the first finds the patterns' literals in it, and each pattern is
 * then searched only where one of its literals lies. */
void rules_scan(const struct pg_rules *rules, enum pg_rules_phase phase, enum pg_direction dir,
		const char *text,
		size_t len, const struct pg_tokens *tokens, const struct pg_anchor *anchors,
		size_t nanchors, struct pg_rules_scan *sc, rules_match_cb *cb, void *ctx);
/* Whether a rule of PHASE that applies in DIR could match within [FROM,
 * TO) of TEXT (the same text as for rules_scan); when not, its tokens and
 * anchors there need not be worked out. */
int rules_may_match(const struct pg_rules *rules, enum pg_rules_phase phase,
		    enum pg_direction dir, const char *text, size_t len,
		    struct pg_rules_scan *sc, size_t from, size_t to);
/* The largest near_pupil of the rules of PHASE that apply in DIR. */
int rules_max_near(const struct pg_rules *rules, enum pg_rules_phase phase,
		   enum pg_direction dir);
/* Work out M's nearest anchor within its rule's near_pupil words, and not
 * across the start of a section (norm_section_between()), and its score
 * from TOKENS and ANCHORS over TEXT (as rules_scan does); 0 if it does not
 * count. */
int rules_match_near(struct pg_rule_match *m, const char *text, size_t len,
		     const struct pg_tokens *tokens, const struct pg_anchor *anchors,
		     size_t nanchors);

/* Redact a matched detail: digits masked but the last two ("B##########01"). */
char *rules_mask(const char *s, size_t len);

/* A match of a masking rule in text to be redacted: [START, END) as the
 * rule reports it (its first group when it has one: LABELLED). */
typedef void rules_span_cb(void *ctx, const struct pg_rule *rule, size_t start, size_t end,
			   int labelled);
/* Every match in TEXT of every rule that masks (the identifier rules), that
 * passes the rule's validator, whatever the rule's score, phase, direction
 * or proximity: what engine_redact_text() masks.  For short texts (a
 * subject, a file name): no prefilter; TEXT must be valid UTF-8. */
void rules_masked_spans(const struct pg_rules *rules, const char *text, size_t len,
			rules_span_cb *cb, void *ctx);

#endif
