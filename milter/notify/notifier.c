/*
 * notifier.c - the notification delivery thread: spool, retry, rate limit,
 * digest.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "notifier.h"
#include "notify.h"
#include "ratelimit.h"
#include "smtp.h"
#include "spool.h"

static pthread_mutex_t notifier_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notifier_cond = PTHREAD_COND_INITIALIZER;
static pthread_t notifier_tid;
static int notifier_running, notifier_stopping, notifier_pending;
static struct pg_ratelimit *notifier_rl;
static unsigned notifier_rl_limit, notifier_rl_period;

int notifier_enqueue(const char *spool_dir, const char *from, const char *to, const char *msg,
		     size_t len, const char *summary, const char **error_r)
{
	struct pg_spool_meta meta = { 0 };
	time_t now = time(NULL);

	meta.from = (char *)from;
	meta.to = (char *)to;
	meta.next = now;
	meta.created = now;
	meta.kind = PG_SPOOL_NOTICE;
	meta.summary = (char *)summary;
	return spool_write(spool_dir, &meta, msg, len, NULL, error_r);
}

void notifier_kick(void)
{
	pthread_mutex_lock(&notifier_lock);
	notifier_pending = 1;
	pthread_cond_signal(&notifier_cond);
	pthread_mutex_unlock(&notifier_lock);
}

static int notifier_deliver(const struct pg_notifier_conf *nc, const char *from, const char *to,
			    const char *msg, size_t len, const char **error_r)
{
	if (nc->sendmail_path != NULL && *nc->sendmail_path != '\0')
		return smtp_sendmail(nc->sendmail_path, from, to, msg, len, error_r);
	return smtp_send(nc->relay, nc->helo, from, to, msg, len, 30, error_r);
}

/* Backoff after ATTEMPTS failures: retry_min doubling up to retry_max. */
static time_t notifier_backoff(const struct pg_notifier_conf *nc, unsigned attempts)
{
	unsigned long d = nc->retry_min ? nc->retry_min : 1;

	for (unsigned i = 1; i < attempts && d < nc->retry_max; i++)
		d *= 2;
	return (time_t)(d > nc->retry_max ? nc->retry_max : d);
}

/* Handle a failed delivery: retry later, or give up loudly. */
static void notifier_failed(const struct pg_notifier_conf *nc, const char *name,
			    struct pg_spool_meta *m, time_t now, const char *why)
{
	m->attempts++;
	if (now - m->created >= (time_t)nc->expire) {
		pg_log(PG_LOG_CRIT, NULL,
		       "notification %s to %s EXPIRED after %u attempts (%s); moved to %s/failed",
		       name, m->to, m->attempts, why, nc->spool_dir);
		(void)spool_fail(nc->spool_dir, name);
		return;
	}
	m->next = now + notifier_backoff(nc, m->attempts);
	pg_log(PG_LOG_WARNING, NULL, "notification %s to %s not delivered (%s); retry %u at +%llds",
	       name, m->to, why, m->attempts, (long long)(m->next - now));
	(void)spool_update(nc->spool_dir, name, m);
}

/* Digests that failed, by address, with when to try again: the same
 * backoff as single notices, so a relay that is down is not asked every
 * few seconds.  Only the notifier thread sends digests. */
static struct digest_retry {
	char *to;
	time_t next;
	unsigned failures;
} *digest_retry;
static size_t ndigest_retry;

static struct digest_retry *notifier_digest_retry(const char *to)
{
	for (size_t i = 0; i < ndigest_retry; i++)
		if (strcasecmp(digest_retry[i].to, to) == 0)
			return &digest_retry[i];
	return NULL;
}

static void notifier_digest_result(const struct pg_notifier_conf *nc, const char *to, int ok,
				   time_t now)
{
	struct digest_retry *r = notifier_digest_retry(to);

	if (ok) {
		if (r != NULL) {
			free(r->to);
			*r = digest_retry[--ndigest_retry];
		}
		return;
	}
	if (r == NULL) {
		digest_retry = pg_reallocarray(digest_retry, ndigest_retry + 1,
					       sizeof(*digest_retry));
		r = &digest_retry[ndigest_retry++];
		r->to = pg_strdup(to);
		r->failures = 0;
	}
	r->failures++;
	r->next = now + notifier_backoff(nc, r->failures);
}

/* Send one digest to TO of every digest item waiting for it, if the oldest
 * has waited a whole period (and, after a failure, the backoff). */
static void notifier_digest(const struct pg_notifier_conf *nc, const char *to, char **names,
			    time_t now)
{
	const char **summaries = NULL;
	char **mine = NULL;
	time_t oldest = now;
	size_t n = 0;

	for (size_t i = 0; names[i] != NULL; i++) {
		struct pg_spool_meta m;

		if (spool_read(nc->spool_dir, names[i], &m, NULL, NULL) < 0)
			continue;
		if (m.kind == PG_SPOOL_DIGEST_ITEM && strcasecmp(m.to, to) == 0) {
			summaries = pg_reallocarray(summaries, n + 2, sizeof(*summaries));
			mine = pg_reallocarray(mine, n + 2, sizeof(*mine));
			summaries[n] = pg_strdup(m.summary ? m.summary : "(no summary)");
			mine[n++] = names[i];
			summaries[n] = NULL;
			if (m.created < oldest)
				oldest = m.created;
		}
		spool_meta_free(&m);
	}
	if (n > 0 && now - oldest >= (time_t)nc->rate_period &&
	    (notifier_digest_retry(to) == NULL || now >= notifier_digest_retry(to)->next)) {
		struct pg_notice_info info = { .when = now, .hostname = nc->hostname,
					       .key = nc->key, .from = nc->from };
		size_t len;
		const char *err;
		char *msg = notify_build_digest(nc->digest, summaries, &info, to, &len);

		if (notifier_deliver(nc, nc->from, to, msg, len, &err) == 0) {
			pg_log(PG_LOG_NOTICE, NULL, "digest of %zu held messages sent to %s", n, to);
			for (size_t i = 0; i < n; i++)
				(void)spool_remove(nc->spool_dir, mine[i]);
			notifier_digest_result(nc, to, 1, now);
		} else {
			notifier_digest_result(nc, to, 0, now);
			pg_log(PG_LOG_WARNING, NULL, "digest to %s not delivered (%s); will retry "
			       "in %ld s", to, err, (long)(notifier_digest_retry(to)->next - now));
		}
		free(msg);
	}
	for (size_t i = 0; i < n; i++)
		free((char *)summaries[i]);
	free(summaries);
	free(mine);
}

void notifier_run_once(const struct pg_notifier_conf *nc, time_t now)
{
	char **names = spool_list(nc->spool_dir);
	char **digest_to = NULL;
	size_t ndigest = 0;

	if (notifier_rl == NULL || notifier_rl_limit != nc->rate_limit ||
	    notifier_rl_period != nc->rate_period) {
		ratelimit_free(&notifier_rl);
		notifier_rl = ratelimit_new(nc->rate_limit, nc->rate_period);
		notifier_rl_limit = nc->rate_limit;
		notifier_rl_period = nc->rate_period;
	}
	for (size_t i = 0; names[i] != NULL; i++) {
		struct pg_spool_meta m;
		const char *err;
		size_t len;
		char *msg;

		if (spool_read(nc->spool_dir, names[i], &m, &msg, &len) < 0)
			continue;
		if (m.kind == PG_SPOOL_DIGEST_ITEM) {
			int seen = 0;

			for (size_t k = 0; k < ndigest && !seen; k++)
				seen = strcasecmp(digest_to[k], m.to) == 0;
			if (!seen) {
				digest_to = pg_reallocarray(digest_to, ndigest + 1, sizeof(*digest_to));
				digest_to[ndigest++] = pg_strdup(m.to);
			}
		} else if (m.next <= now) {
			if (m.attempts == 0 && !ratelimit_take(notifier_rl, m.to, now)) {
				/* Over the cap for this address: fold into a digest. */
				m.kind = PG_SPOOL_DIGEST_ITEM;
				(void)spool_update(nc->spool_dir, names[i], &m);
				pg_log(PG_LOG_INFO, NULL, "notification %s to %s folded into a digest",
				       names[i], m.to);
				i--; /* look at it again as a digest item */
			} else if (notifier_deliver(nc, m.from ? m.from : nc->from, m.to, msg, len,
						    &err) == 0) {
				pg_log(PG_LOG_INFO, NULL, "notification %s delivered to %s", names[i],
				       m.to);
				(void)spool_remove(nc->spool_dir, names[i]);
			} else {
				notifier_failed(nc, names[i], &m, now, err);
			}
		}
		pg_wipe(msg, len);
		free(msg);
		spool_meta_free(&m);
	}
	for (size_t k = 0; k < ndigest; k++) {
		notifier_digest(nc, digest_to[k], names, now);
		free(digest_to[k]);
	}
	free(digest_to);
	spool_list_free(names);
}

/* Settings from the current policy snapshot. */
static void notifier_conf(struct pg_notifier_conf *nc, const struct pg_policy *p)
{
	const struct pg_conf *c = p->conf;

	memset(nc, 0, sizeof(*nc));
	nc->spool_dir = c->notify_spool_dir;
	nc->relay = c->notify_relay;
	nc->sendmail_path = c->notify_sendmail;
	nc->helo = p->hostname;
	nc->retry_min = (unsigned)c->notify_retry_min;
	nc->retry_max = (unsigned)c->notify_retry_max;
	nc->expire = (unsigned)c->notify_expire;
	nc->rate_limit = (unsigned)c->notify_rate_limit;
	nc->rate_period = (unsigned)c->notify_rate_period;
	nc->digest = &p->tpl_digest;
	nc->from = c->notify_from;
	nc->key = &p->notice_key;
	nc->hostname = p->hostname;
}

static pg_policy_getter *notifier_current;

static void *notifier_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct pg_policy *p;
		struct pg_notifier_conf nc;
		struct timespec until;

		pthread_mutex_lock(&notifier_lock);
		if (!notifier_pending && !notifier_stopping) {
			(void)clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 5;
			(void)pthread_cond_timedwait(&notifier_cond, &notifier_lock, &until);
		}
		notifier_pending = 0;
		if (notifier_stopping) {
			pthread_mutex_unlock(&notifier_lock);
			break;
		}
		pthread_mutex_unlock(&notifier_lock);
		p = notifier_current();
		if (p == NULL)
			continue;
		if (conf_notifies(p->conf)) {
			notifier_conf(&nc, p);
			notifier_run_once(&nc, time(NULL));
		}
		policy_unref(&p);
	}
	return NULL;
}

int notifier_start(pg_policy_getter *current, const char **error_r)
{
	struct pg_policy *p;
	int rc = 0;

	notifier_current = current;
	p = current();
	if (p == NULL) {
		*error_r = "no policy";
		return -1;
	}
	if (conf_notifies(p->conf))
		rc = spool_open(p->conf->notify_spool_dir, error_r);
	policy_unref(&p);
	if (rc < 0)
		return -1;
	if (pthread_create(&notifier_tid, NULL, notifier_thread, NULL) != 0) {
		*error_r = "cannot create the notifier thread";
		return -1;
	}
	notifier_running = 1;
	return 0;
}

void notifier_stop(void)
{
	if (!notifier_running)
		return;
	pthread_mutex_lock(&notifier_lock);
	notifier_stopping = 1;
	pthread_cond_signal(&notifier_cond);
	pthread_mutex_unlock(&notifier_lock);
	(void)pthread_join(notifier_tid, NULL);
	notifier_running = 0;
	ratelimit_free(&notifier_rl);
	for (size_t i = 0; i < ndigest_retry; i++)
		free(digest_retry[i].to);
	free(digest_retry);
	digest_retry = NULL;
	ndigest_retry = 0;
}
