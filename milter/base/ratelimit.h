/*
 * ratelimit.h - at most N events per key in a sliding window of P seconds.
 *
 * Used to cap notifications per leadership address; what is over the cap is
 * folded into a digest by the caller.  Not thread-safe: the notifier thread
 * owns it.
 */
#ifndef PG_RATELIMIT_H
#define PG_RATELIMIT_H

#include <stddef.h>
#include <time.h>

struct pg_ratelimit;

struct pg_ratelimit *ratelimit_new(unsigned limit, unsigned period);
void ratelimit_free(struct pg_ratelimit **rl);
/* Whether one more event for KEY at NOW fits; if so it is counted. */
int ratelimit_take(struct pg_ratelimit *rl, const char *key, time_t now);

#endif
