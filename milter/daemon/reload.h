/*
 * reload.h - the daemon's current policy snapshot and its replacement.
 *
 * reload_current() hands out a counted reference; a connection keeps it from
 * connect to close, so a message never sees half a reload.  reload_now()
 * builds a whole new snapshot off to the side and swaps it in under a
 * mutex; if the new configuration, roster or rules are broken it logs every
 * problem and keeps the old snapshot.  A dedicated thread waits for SIGUSR1
 * (libmilter stops the filter on SIGHUP, so SIGHUP cannot be the reload).
 */
#ifndef PG_RELOAD_H
#define PG_RELOAD_H

#include "policy.h"

/* First load; -1 if there is no usable policy (start-up must stop). */
int reload_init(const char *config_path, struct pg_diag *diag);
struct pg_policy *reload_current(void);
/* Rebuild now; 0 if the new policy is in force, -1 if the old one was kept. */
int reload_now(void);
/* Block SIGUSR1 here (call before any other thread starts) and start the
 * thread that reloads on it. */
int reload_start_thread(void);
void reload_shutdown(void);

#endif
