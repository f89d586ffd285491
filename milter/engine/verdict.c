/*
 * verdict.c - score thresholds to actions.
 */
#include "config.h"

#include "extract.h"
#include "verdict.h"

/* Order of strength, weakest first. */
static int verdict_rank(enum pg_action a)
{
	switch (a) {
	case PG_ACTION_NONE: return 0;
	case PG_ACTION_ACCEPT: return 0;
	case PG_ACTION_TAG: return 1;
	case PG_ACTION_HOLD: return 2;
	case PG_ACTION_TEMPFAIL: return 3;
	case PG_ACTION_REJECT: return 4;
	}
	return 0;
}

enum pg_action verdict_max(enum pg_action a, enum pg_action b)
{
	return verdict_rank(b) > verdict_rank(a) ? b : a;
}

enum pg_action verdict_truncated(const struct pg_conf *c, enum pg_direction dir)
{
	return verdict_max(c->on_truncated, c->dir[dir].on_truncated);
}

enum pg_action verdict_decide(const struct pg_conf *c, enum pg_direction dir, int score,
			      unsigned extract_flags)
{
	const struct pg_dir_policy *p = &c->dir[dir];
	enum pg_action a = PG_ACTION_NONE;

	if (p->reject > 0 && score >= p->reject)
		a = PG_ACTION_REJECT;
	else if (p->hold > 0 && score >= p->hold)
		a = PG_ACTION_HOLD;
	else if (p->tag > 0 && score >= p->tag)
		a = PG_ACTION_TAG;
	if (extract_flags & PG_EXTRACT_PARTLY)
		a = verdict_max(a, verdict_truncated(c, dir));
	if (extract_flags & PG_EXTRACT_UNREADABLE)
		a = verdict_max(a, c->dir[dir].on_unreadable);
	if (extract_flags & PG_EXTRACT_ENCRYPTED)
		a = verdict_max(a, verdict_max(c->on_encrypted, c->dir[dir].on_encrypted));
	return a;
}
