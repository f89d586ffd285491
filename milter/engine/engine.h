/*
 * engine.h - scan one message with a policy snapshot: extract, tokenise,
 * match names, score, decide.
 *
 * The engine knows nothing of libmilter: the milter, pupilguard-scan, the
 * unit tests and the fuzzers all call engine_scan_stream() and get the same
 * result.  Findings never hold a pupil's name unless the caller asks for it
 * (show_names); the excerpt is always the redacted form ("A. K***").
 */
#ifndef PG_ENGINE_H
#define PG_ENGINE_H

#include <gmime/gmime.h>
#include <stdint.h>

#include "conf.h"
#include "extract.h"
#include "kind.h"
#include "policy.h"

struct pg_finding {
	enum pg_kind kind;
	const char *type;  /* kind_name(kind), or a rule pack's own type (not owned) */
	const char *rule;  /* "pupil_name", "pupil_partial_name" */
	char *pupil;       /* roster key (UPN), or NULL */
	char *where;       /* segment it was first seen in */
	char *excerpt;     /* redacted: "A. K***" */
	char *shown;       /* the text as written; NULL unless show_names */
	char *year;        /* the pupil's year group, for notifications; may be NULL */
	int score;
	unsigned count;    /* occurrences in the message */
	unsigned pupils;   /* PG_KIND_PUPIL_LIST: how many pupils it names */
	char *members;     /* PG_KIND_PUPIL_LIST: their roster keys, space-separated */
	char *details;     /* PG_KIND_PUPIL_LIST: the types of detail in it, ", "-separated */
	uint32_t pupil_idx;
	uint8_t form;      /* PG_FORM_* of the first occurrence */
};

struct pg_result {
	struct pg_finding *v;
	size_t n, cap;
	int score;
	enum pg_action action;
	enum pg_direction dir;
	unsigned extract_flags; /* PG_EXTRACT_* */
	size_t text_bytes;
	unsigned segments;
	unsigned suppressed;    /* name hits set aside by context rules */
};

struct pg_scan_opts {
	enum pg_direction dir;
	int show_names;
};

/* Once per process, before threads: GMime and the Unicode tables. */
void engine_global_init(void);

void engine_result_init(struct pg_result *r);
void engine_result_free(struct pg_result *r);

/* Free what finding F owns (not F itself). */
void engine_finding_free(struct pg_finding *f);

/* Scan the message in STREAM. */
void engine_scan_stream(const struct pg_policy *pol, GMimeStream *stream,
			const struct pg_scan_opts *opts, struct pg_result *res);
/* Scan already extracted text (the benchmark and tests use this directly). */
void engine_scan_extract(const struct pg_policy *pol, const struct pg_extract *ex,
			 const struct pg_scan_opts *opts, struct pg_result *res);

/* TEXT with every pupil name form replaced by its redaction ("A. K***"):
 * for subjects and locations quoted in notifications. */
char *engine_redact_text(const struct pg_policy *pol, const char *text);

#endif
