/*
 * notify.h - the notifications leadership (and optionally the sender)
 * receive about a held, tagged or rejected message, built with GMime from
 * the templates in conf/.
 *
 * They say who sent what to whom, which rules fired with redacted excerpts
 * ("A. K*** (Year 4)"), the queue ID, and exactly how to release or delete
 * the message; the subject is redacted too, so the notification never
 * spreads the disclosure it reports.  A leadership notice and a digest
 * carry X-PupilGuard-Notice with a mark made for that one message
 * (noticemac.h), so pupilguard does not scan its own mail and no recipient
 * can reuse the mark; the sender's notice carries none and is scanned.
 */
#ifndef PG_NOTIFY_H
#define PG_NOTIFY_H

#include <stddef.h>
#include <time.h>

#include "engine.h"
#include "hmac.h"
#include "template.h"

struct pg_notice_info {
	const char *qid;
	time_t when;
	const char *hostname;
	const char *sender;
	const char *const *rcpts;
	size_t nrcpts;
	const char *subject_raw; /* as received; may hold RFC 2047 words */
	const struct pg_key *key; /* marks the notice as ours; NULL: no mark */
	const char *from;        /* notification sender address */
	const char *hold_tool;   /* command shown for release/delete, e.g. pupilguard-hold */
};

/* A whole RFC 5322 message for TO; *len_r its length. */
char *notify_build(const struct pg_policy *pol, const struct pg_template *tpl,
		   const struct pg_result *res, const struct pg_notice_info *info, const char *to,
		   size_t *len_r);
/* One line for digests and logs, without names. */
char *notify_summary(const struct pg_policy *pol, const struct pg_result *res,
		     const struct pg_notice_info *info);
/* A digest of SUMMARIES (NULL-terminated) for TO. */
char *notify_build_digest(const struct pg_template *tpl, const char *const *summaries,
			  const struct pg_notice_info *info, const char *to, size_t *len_r);

#endif
