/*
 * decide.c - one message from envelope and buffer to a carried-out decision.
 *
 * Failure modes (documented in pupilguard.conf(5)): a message that could
 * not be buffered or read back takes milter.on_error (tempfail by default,
 * so the sending MTA retries and nothing is lost); a message over
 * milter.max_message_bytes is scanned as far as it was kept and takes at
 * least milter.on_oversize, or passes unscanned when that is "accept".
 * Audit mode computes, logs and stamps every verdict but holds, rejects,
 * tags and notifies nothing; a temporary failure still tempfails, since
 * that loses nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decide.h"
#include "log.h"
#include "noticemac.h"
#include "verdict.h"

/* Our notices are a few KiB; a bigger message is not one of them. */
#define PG_NOTICE_MAX_BYTES (1024 * 1024)

int decide_header(const struct pg_policy *pol, struct pg_headers *h, const char *name,
		  const char *value)
{
	(void)pol;
	if (strcasecmp(name, PG_HEADER_STATUS) == 0) {
		h->n_status++;
		return 1;
	}
	if (strcasecmp(name, PG_HEADER_REPORT) == 0) {
		h->n_report++;
		return 1;
	}
	if (strcasecmp(name, PG_HEADER_NOTICE) == 0) {
		if (h->n_notice++ == 0)
			h->notice_mark = pg_strdup(value);
		return 1;
	}
	if (strcasecmp(name, "Message-ID") == 0 && h->message_id == NULL)
		h->message_id = pg_strdup(value);
	if (strcasecmp(name, "Subject") == 0 && h->subject == NULL)
		h->subject = pg_strdup(value);
	else if (strcasecmp(name, "List-Id") == 0)
		h->has_list_id = 1;
	else if (strcasecmp(name, "Precedence") == 0 && h->precedence == NULL)
		h->precedence = pg_strdup(value);
	return 0;
}

void decide_headers_free(struct pg_headers *h)
{
	if (h->subject != NULL)
		pg_wipe(h->subject, strlen(h->subject));
	free(h->subject);
	free(h->precedence);
	free(h->notice_mark);
	free(h->message_id);
	memset(h, 0, sizeof(*h));
}

static void decide_action_msg(const struct pg_decide_in *in, int audit, struct pg_action_msg *am)
{
	memset(am, 0, sizeof(*am));
	am->qid = in->qid;
	am->subject = in->hdrs->subject;
	am->n_status = in->hdrs->n_status;
	am->n_report = in->hdrs->n_report;
	am->n_notice = in->hdrs->n_notice;
	am->audit = audit;
}

/* 1 if the message carries the mark of one of our own notices made for
 * exactly this message: its Message-ID, envelope recipients and body, and
 * not older than notice_max_age.  Any other mark is logged and the message
 * scanned (the header is removed like every forged status header). */
static int decide_own_notice(const struct pg_policy *pol, const struct pg_decide_in *in)
{
	const struct pg_headers *h = in->hdrs;
	const char *why = "more than one mark";
	GMimeStream *stream;
	struct pg_buf b;
	char chunk[4096];
	ssize_t n;
	int ok = 0;

	if (h->notice_mark == NULL)
		return 0;
	if (h->n_notice != 1 || in->buffer_failed || in->buf == NULL ||
	    msgbuf_truncated(in->buf) || in->buf->size > PG_NOTICE_MAX_BYTES) {
		if (h->n_notice == 1)
			why = "not read whole";
		goto out;
	}
	stream = msgbuf_stream(in->buf);
	if (stream == NULL) {
		why = "cannot read buffer";
		goto out;
	}
	pg_buf_init(&b, in->buf->size + 1);
	while ((n = g_mime_stream_read(stream, chunk, sizeof(chunk))) > 0)
		pg_buf_append(&b, chunk, (size_t)n);
	g_object_unref(stream);
	pg_buf_putc(&b, '\0');
	{
		/* The buffer is the header lines kept, a blank line, the body. */
		const char *end = b.data + b.len - 1, *body = strstr(b.data, "\n\n");

		body = b.data[0] == '\n' ? b.data + 1 : body ? body + 2 : end;
		ok = noticemac_verify(&pol->notice_key, h->notice_mark, h->message_id,
				      in->env.rcpts, in->env.nrcpts, body, (size_t)(end - body),
				      time(NULL), pol->conf->notice_max_age, &why) == 0;
	}
	pg_buf_free(&b, 1);
out:
	if (!ok)
		pg_log(PG_LOG_NOTICE, in->qid, "X-PupilGuard-Notice not accepted (%s): scanned", why);
	return ok;
}

/* Not scanned: pass it (headers cleaned and stamped) or fail it for a retry. */
static void decide_unscanned(const struct pg_policy *pol, const struct pg_decide_in *in,
			     const struct pg_mta_ops *ops, void *ctx, const char *why,
			     enum pg_action act, struct pg_decision *d)
{
	struct pg_action_msg am;
	char *status;

	d->unscanned = why;
	d->verdict = d->applied = act;
	if (act == PG_ACTION_TEMPFAIL) {
		if (ops->set_reply(ctx, "451", "4.3.0", "Temporary failure in message scanning") < 0)
			pg_log(PG_LOG_WARNING, in->qid, "could not set the tempfail reply");
		d->disp = PG_DISP_TEMPFAIL;
		return;
	}
	decide_action_msg(in, d->audit, &am);
	status = pg_asprintf("unscanned; reason=%s; direction=%s", why,
			     conf_direction_name(d->dir));
	d->disp = action_pass(pol->conf, status, &am, ops, ctx);
	free(status);
}

/* Scan the buffered message into D->res and choose the verdict. */
static int decide_scan(const struct pg_policy *pol, const struct pg_decide_in *in,
		       struct pg_decision *d)
{
	const struct pg_conf *conf = pol->conf;
	struct pg_scan_opts opts = { .dir = d->dir, .show_names = in->show_names };
	struct timespec t0, t1;
	GMimeStream *stream = msgbuf_stream(in->buf);

	if (stream == NULL)
		return -1;
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	engine_scan_stream(pol, stream, &opts, &d->res);
	g_object_unref(stream);
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	d->scan_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	d->scanned = 1;
	if (msgbuf_truncated(in->buf)) {
		d->res.extract_flags |= PG_EXTRACT_TRUNCATED;
		/* Scanned in part: the oversize floor, and the direction's floor
		 * for a message not read whole. */
		d->res.action = verdict_max(d->res.action, conf->on_oversize);
		d->res.action = verdict_max(d->res.action, verdict_truncated(conf, d->dir));
	}
	d->verdict = d->res.action;
	return 0;
}

void decide_message(const struct pg_policy *pol, const struct pg_decide_in *in,
		    const struct pg_mta_ops *ops, void *ctx, struct pg_decision *d)
{
	const struct pg_conf *conf = pol->conf;
	struct pg_envelope env = in->env;
	struct pg_action_msg am;
	const char *why;

	memset(d, 0, sizeof(*d));
	engine_result_init(&d->res);
	env.has_list_id = env.has_list_id || in->hdrs->has_list_id;
	if (env.precedence == NULL)
		env.precedence = in->hdrs->precedence;
	d->dir = in->force_dir ? in->dir : direction_decide(conf, &env);
	d->audit = conf_audit(conf, d->dir);
	d->res.dir = d->dir;
	if (decide_own_notice(pol, in)) {
		decide_unscanned(pol, in, ops, ctx, "pupilguard notification", PG_ACTION_ACCEPT, d);
		return;
	}
	if (direction_exempt(conf, &env, &why)) {
		decide_unscanned(pol, in, ops, ctx, why, PG_ACTION_ACCEPT, d);
		return;
	}
	if (in->buffer_failed || in->buf == NULL) {
		decide_unscanned(pol, in, ops, ctx, "buffering failed", conf->on_error, d);
		return;
	}
	if (msgbuf_truncated(in->buf) && conf->on_oversize == PG_ACTION_ACCEPT) {
		decide_unscanned(pol, in, ops, ctx, "oversize", PG_ACTION_ACCEPT, d);
		return;
	}
	if (decide_scan(pol, in, d) < 0) {
		decide_unscanned(pol, in, ops, ctx, "cannot read buffer", conf->on_error, d);
		return;
	}
	d->applied = d->audit ? PG_ACTION_NONE : d->verdict;
	decide_action_msg(in, d->audit, &am);
	d->disp = action_apply(conf, &d->res, &am, ops, ctx);
	if (!d->audit && (conf->notify_on & (1u << d->verdict))) {
		d->notify_leadership = conf->notify_leadership != NULL;
		/* The sender hears only about a hold, and only if they are one of ours. */
		d->notify_sender = conf->notify_sender && d->verdict == PG_ACTION_HOLD &&
				   in->env.sender != NULL && *in->env.sender != '\0' &&
				   direction_is_local(conf, in->env.sender);
	}
}

/* At log_level debug, what an administrator needs to see why a message got
 * its verdict: the envelope facts that chose the direction, the scan's size
 * and time, and each finding by rule, score, count, roster key and place.
 * Places are redacted like excerpts; no message text. */
static void decide_log_debug(const struct pg_decision *d, const struct pg_decide_in *in)
{
	const struct pg_envelope *env = &in->env;
	const struct pg_result *res = &d->res;

	pg_log(PG_LOG_DEBUG, in->qid,
	       "envelope: client=%s authenticated=%s recipients=%zu list_id=%s precedence=%s",
	       env->client_addr ? env->client_addr : "unknown", env->authenticated ? "yes" : "no",
	       env->nrcpts, env->has_list_id || in->hdrs->has_list_id ? "yes" : "no",
	       in->hdrs->precedence ? in->hdrs->precedence : "none");
	pg_log(PG_LOG_DEBUG, in->qid, "scan: segments=%u text_bytes=%zu ms=%.2f set_aside=%u",
	       res->segments, res->text_bytes, d->scan_ms, res->suppressed);
	for (size_t i = 0; i < res->n; i++) {
		const struct pg_finding *f = &res->v[i];

		pg_log(PG_LOG_DEBUG, in->qid,
		       "finding %zu: type=%s rule=%s score=%d count=%u pupil=%s where=\"%s\"", i + 1,
		       f->type, f->rule, f->score, f->count, f->pupil ? f->pupil : "none",
		       f->where ? f->where : "");
	}
}

void decide_log(const struct pg_decision *d, const struct pg_decide_in *in)
{
	struct pg_buf rules;

	if (!d->scanned) {
		pg_log(PG_LOG_INFO, in->qid, "direction=%s action=%s reason=\"%s\"%s",
		       conf_direction_name(d->dir), conf_action_name(d->applied),
		       d->unscanned ? d->unscanned : "", d->audit ? " mode=audit" : "");
		return;
	}
	pg_buf_init(&rules, 64);
	action_rule_list(&d->res, &rules);
	/* In audit mode "action" is what enforcement would have done. */
	pg_log(PG_LOG_INFO, in->qid,
	       "direction=%s score=%d action=%s rules=%s findings=%zu size=%zu flags=0x%x%s",
	       conf_direction_name(d->res.dir), d->res.score, conf_action_name(d->verdict),
	       rules.len ? rules.data : "none", d->res.n, in->buf->seen,
	       d->res.extract_flags, d->audit ? " mode=audit" : "");
	pg_buf_free(&rules, 0);
	if (pg_log_enabled(PG_LOG_DEBUG))
		decide_log_debug(d, in);
}

void decide_free(struct pg_decision *d)
{
	engine_result_free(&d->res);
	memset(d, 0, sizeof(*d));
}
