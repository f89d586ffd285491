/*
 * decision.h - the record of what was decided about held messages: one
 * line per release or delete, "time<TAB>queue-id<TAB>verb<TAB>who<TAB>via
 * <TAB>reason", appended under a lock so two writers never interleave.
 * pupilguard-hold list shows its last lines; pupilguard-report reads it.
 * Fields are made one visible line each (no TAB, CR, LF or ESC).
 */
#ifndef PG_DECISION_H
#define PG_DECISION_H

#include <stddef.h>
#include <time.h>

struct pg_decision {
	time_t when;
	char *qid, *verb, *who, *via, *reason;
};

/* Append one decision to PATH (created 0640); -1 with *error_r. */
int pg_decision_record(const char *path, time_t when, const char *qid, const char *verb,
		       const char *who, const char *via, const char *reason,
		       const char **error_r);

/* The last MAX decisions of PATH, oldest first, into *v (the count is
 * returned; 0 if PATH does not exist); -1 if it cannot be read. */
long pg_decision_tail(const char *path, size_t max, struct pg_decision **v,
		      const char **error_r);
void pg_decision_free(struct pg_decision *v, size_t n);

/* Cut LINE in place at its TABs into at most MAX fields in F (the last
 * keeps any TAB left); the number of fields. */
size_t pg_split_tabs(char *line, char **f, size_t max);

#endif
