/*
 * expand.h - where local recipients end up once Postfix's aliases expand
 * them.  `governors@school` may be an alias for the chair's own address
 * outside: Postfix expands virtual_alias_maps in cleanup(8) and alias_maps
 * in local(8), both after the milter has seen RCPT, and a milter never sees
 * mail that local(8) forwards.  So pupilguard asks the same tables the same
 * questions, with Postfix's own postmap(1) (every table type Postfix reads,
 * the compiled .db or .lmdb it uses): one postmap run per table kind per
 * round of expansion for the whole message, only while every recipient is
 * still local.  What the tables cannot answer (a table unreadable, postmap
 * failing or overrunning, an expansion deeper than PG_ALIAS_DEPTH or wider
 * than PG_ALIAS_MAX) counts as outside: pupilguard errs towards outbound.
 * Lookups follow Postfix: for virtual, user+ext@domain, user@domain,
 * user+ext, user, @domain; for aliases, user+ext, user; a result that is a
 * command, a file or "\user" stays here; :include: files are read.  Both
 * kinds are asked of every local address (Postfix applies aliases only to
 * mydestination's domains): again, erring towards outbound.
 */
#ifndef PG_EXPAND_H
#define PG_EXPAND_H

#include <stddef.h>

#include "conf.h"

/* Rounds of expansion followed, and addresses met, at most. */
#define PG_ALIAS_DEPTH 10
#define PG_ALIAS_MAX 1000

/* Whether any of the N local addresses ADDRS reaches an address outside
 * the local domains through C's Postfix alias tables (C->pf_postmap set):
 * 1 yes, 0 no; -1 with *error_r when that cannot be known (take it as yes). */
int aliases_outside(const struct pg_conf *c, char *const *addrs, size_t n,
		    const char **error_r);

#endif
