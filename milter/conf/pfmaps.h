/*
 * pfmaps.h - the alias maps of the Postfix that pupilguard serves, read
 * from its own main.cf (postconf -x) when directions.postfix_maps names its
 * configuration directory: alias_maps, virtual_alias_maps,
 * recipient_delimiter and where postmap is.  Read at every load, so a
 * reload (SIGUSR1) follows a changed main.cf; the tables themselves are
 * queried per message (decide/expand.c), so a changed alias is seen at once.
 */
#ifndef PG_PFMAPS_H
#define PG_PFMAPS_H

#include "conf.h"

/* postconf and postmap wait at most this long (milliseconds). */
#define PG_PFMAPS_TIMEOUT_MS 10000

/* Fill C's pf_* fields from the Postfix configuration in C->postfix_maps;
 * 0, or -1 with *error_r. */
int pfmaps_read(struct pg_conf *c, const char **error_r);

#endif
