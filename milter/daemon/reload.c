/*
 * reload.c - policy swapping on SIGUSR1 from a signal-waiting thread.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "reload.h"
#include "spool.h"

static pthread_mutex_t reload_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pg_policy *reload_policy;
static char *reload_path;
static unsigned long reload_generation;

static void reload_log_diag(const struct pg_diag *diag, enum pg_log_level level)
{
	for (size_t i = 0; i < diag->n; i++)
		pg_log(diag->items[i].level == PG_DIAG_ERROR ? level : PG_LOG_WARNING, NULL, "%s",
		       diag->items[i].text);
}

int reload_init(const char *config_path, struct pg_diag *diag)
{
	struct pg_policy *p = policy_load(config_path, NULL, NULL, diag);

	if (p == NULL)
		return -1;
	reload_path = pg_strdup(config_path);
	reload_policy = p;
	reload_generation = 1;
	return 0;
}

struct pg_policy *reload_current(void)
{
	struct pg_policy *p;

	pthread_mutex_lock(&reload_lock);
	p = reload_policy ? policy_ref(reload_policy) : NULL;
	pthread_mutex_unlock(&reload_lock);
	return p;
}

/* The new policy's notification spool must exist before it is in force:
 * notifications turned on, or spool_dir changed, at a reload would
 * otherwise find no spool to be written to.  A spool left behind with
 * notifications still in it is named, because they are not sent from
 * there.  Only the reload thread replaces reload_policy, so it reads it
 * here without the lock. */
static int reload_spool(const struct pg_policy *fresh)
{
	const struct pg_conf *c = fresh->conf;
	const struct pg_conf *was = reload_policy ? reload_policy->conf : NULL;
	const char *error;

	if (!conf_notifies(c))
		return 0;
	if (spool_create(c->notify_spool_dir, &error) < 0) {
		pg_log(PG_LOG_ERR, NULL,
		       "reload of %s failed: notification spool %s: %s; the previous policy "
		       "stays in force",
		       reload_path, c->notify_spool_dir, error);
		return -1;
	}
	if (was != NULL && conf_notifies(was) &&
	    strcmp(was->notify_spool_dir, c->notify_spool_dir) != 0) {
		char **left = spool_list(was->notify_spool_dir);
		size_t n = 0;

		while (left[n] != NULL)
			n++;
		if (n > 0)
			pg_log(PG_LOG_WARNING, NULL,
			       "%zu notifications wait in the old spool %s/new and will not be "
			       "sent from there: move them to %s/new",
			       n, was->notify_spool_dir, c->notify_spool_dir);
		spool_list_free(left);
	}
	return 0;
}

int reload_now(void)
{
	struct pg_diag diag;
	struct pg_policy *fresh, *old;
	unsigned long gen;

	pg_diag_init(&diag);
	fresh = policy_load(reload_path, NULL, NULL, &diag);
	if (fresh == NULL) {
		reload_log_diag(&diag, PG_LOG_ERR);
		pg_log(PG_LOG_ERR, NULL,
		       "reload of %s failed (%zu errors); the previous policy stays in force",
		       reload_path, diag.nerrors);
		pg_diag_free(&diag);
		return -1;
	}
	reload_log_diag(&diag, PG_LOG_WARNING);
	pg_diag_free(&diag);
	if (reload_spool(fresh) < 0) {
		policy_unref(&fresh);
		return -1;
	}
	pthread_mutex_lock(&reload_lock);
	old = reload_policy;
	reload_policy = fresh;
	gen = ++reload_generation;
	pthread_mutex_unlock(&reload_lock);
	pg_log(PG_LOG_NOTICE, NULL, "reloaded %s: policy %lu, %zu pupils, %zu staff, %zu rules",
	       reload_path, gen, fresh->roster.npupils, fresh->roster.nstaff, fresh->rules.n);
	/* Connections still holding the old snapshot keep it alive until they close. */
	policy_unref(&old);
	return 0;
}

static void *reload_thread(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (;;) {
		int sig;

		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1)
			(void)reload_now();
	}
	return NULL;
}

int reload_start_thread(void)
{
	pthread_t tid;
	sigset_t set;
	int rc;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	rc = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (rc != 0)
		return -1;
	rc = pthread_create(&tid, NULL, reload_thread, NULL);
	if (rc != 0)
		return -1;
	(void)pthread_detach(tid);
	return 0;
}

void reload_shutdown(void)
{
	pthread_mutex_lock(&reload_lock);
	policy_unref(&reload_policy);
	pthread_mutex_unlock(&reload_lock);
	free(reload_path);
	reload_path = NULL;
}
