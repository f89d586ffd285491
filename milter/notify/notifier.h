/*
 * notifier.h - queue notifications and deliver them in the background.
 *
 * notifier_enqueue() writes one spool file per recipient (spool.c) and wakes
 * the delivery thread; the milter thread that held the message never waits
 * on the relay.  The thread sends each file by SMTP to the configured relay
 * or through the sendmail binary, retries failures with exponential backoff
 * (across restarts: the spool is on disk), logs loudly and moves a file to
 * failed/ when it expires, and folds what is over the per-address rate
 * limit into one digest per period.
 */
#ifndef PG_NOTIFIER_H
#define PG_NOTIFIER_H

#include <time.h>

#include "conf.h"
#include "policy.h"

struct pg_notifier_conf {
	const char *spool_dir;
	const char *relay;         /* host:port */
	const char *sendmail_path; /* when set, used instead of SMTP */
	const char *helo;
	unsigned retry_min, retry_max, expire;
	unsigned rate_limit, rate_period;
	const struct pg_template *digest;
	const char *from;
	const struct pg_key *key; /* marks digests as ours */
	const char *hostname;
};

/* The policy in force, with a reference the caller drops (the daemon's
 * reload_current); the notifier takes its settings from it on every pass. */
typedef struct pg_policy *pg_policy_getter(void);

/* Start the thread (spool_dir is created); -1 with *error_r on failure. */
int notifier_start(pg_policy_getter *current, const char **error_r);
void notifier_stop(void);
/* Spool MSG for TO (a notice, or a digest item when rate-limited later). */
int notifier_enqueue(const char *spool_dir, const char *from, const char *to, const char *msg,
		     size_t len, const char *summary, const char **error_r);
/* Wake the thread now (after enqueueing, or on reload). */
void notifier_kick(void);
/* One pass over the spool (the thread's body; tests call it directly). */
void notifier_run_once(const struct pg_notifier_conf *nc, time_t now);

#endif
