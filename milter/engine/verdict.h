/*
 * verdict.h - from a message's score to an action, per direction.
 *
 * Thresholds come from the policy section of the configuration; a threshold
 * of 0 means "never".  The strongest action whose threshold the score reaches
 * wins.  A message that could not be scanned whole (too deep, too many parts,
 * too much text) gets at least the configured on_truncated action.
 */
#ifndef PG_VERDICT_H
#define PG_VERDICT_H

#include "conf.h"

/* The stronger of two actions (none < tag < hold < tempfail < reject). */
enum pg_action verdict_max(enum pg_action a, enum pg_action b);

/* The least action for a message of DIR not scanned whole: the stronger of
 * limits.on_truncated and the direction's own on_truncated. */
enum pg_action verdict_truncated(const struct pg_conf *conf, enum pg_direction dir);

enum pg_action verdict_decide(const struct pg_conf *conf, enum pg_direction dir, int score,
			      unsigned extract_flags);

#endif
