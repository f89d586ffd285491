/*
 * mlfi.c - libmilter callbacks for pupilguard.
 *
 * Failure modes (documented in pupilguard.conf(5)): a buffering or engine
 * failure takes milter.on_error (tempfail by default, so the sender's MTA
 * retries and nothing is lost); a message over milter.max_message_bytes takes
 * milter.on_oversize; if the milter is unreachable the MTA applies its own
 * milter_default_action.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "action.h"
#include "direction.h"
#include "engine.h"
#include "log.h"
#include "mlfi.h"
#include "msgbuf.h"
#include "notifier.h"
#include "notify.h"
#include "reload.h"
#include "verdict.h"

struct mlfi_msg {
	char *sender;
	char **rcpts;
	size_t nrcpts;
	int authenticated;
	char *subject;
	char *precedence;
	int has_list_id;
	int notice;          /* carries our own notification secret */
	unsigned n_status, n_report, n_notice;
	int failed;          /* buffering failed */
	struct pg_msgbuf buf;
	int buf_ready;
};

struct mlfi_conn {
	struct pg_policy *pol; /* one snapshot from connect to close */
	char client_addr[INET6_ADDRSTRLEN];
	struct mlfi_msg msg;
};

static struct mlfi_conn *mlfi_conn(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

static const char *mlfi_qid(SMFICTX *ctx)
{
	const char *qid = smfi_getsymval(ctx, "i");

	return qid ? qid : "NOQUEUE";
}

static void mlfi_msg_reset(struct mlfi_msg *m)
{
	free(m->sender);
	for (size_t i = 0; i < m->nrcpts; i++)
		free(m->rcpts[i]);
	free(m->rcpts);
	if (m->subject)
		pg_wipe(m->subject, strlen(m->subject));
	free(m->subject);
	free(m->precedence);
	if (m->buf_ready)
		msgbuf_free(&m->buf);
	memset(m, 0, sizeof(*m));
}

/* "<a@b>" -> "a@b" */
static char *mlfi_addr(const char *arg)
{
	size_t n;

	if (arg == NULL)
		return pg_strdup("");
	if (*arg == '<')
		arg++;
	n = strcspn(arg, ">");
	return pg_strndup(arg, n);
}

static sfsistat mlfi_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	struct mlfi_conn *c = pg_calloc(1, sizeof(*c));

	(void)hostname;
	c->pol = reload_current();
	if (hostaddr != NULL && hostaddr->sa_family == AF_INET)
		(void)inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)hostaddr)->sin_addr,
				c->client_addr, sizeof(c->client_addr));
	else if (hostaddr != NULL && hostaddr->sa_family == AF_INET6)
		(void)inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)hostaddr)->sin6_addr,
				c->client_addr, sizeof(c->client_addr));
	if (smfi_setpriv(ctx, c) != MI_SUCCESS) {
		policy_unref(&c->pol);
		free(c);
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct mlfi_conn *c = mlfi_conn(ctx);
	const char *auth = smfi_getsymval(ctx, "{auth_authen}");
	const struct pg_conf *conf;

	if (c == NULL)
		return SMFIS_TEMPFAIL;
	conf = c->pol->conf;
	mlfi_msg_reset(&c->msg);
	c->msg.sender = mlfi_addr(argv ? argv[0] : NULL);
	c->msg.authenticated = auth != NULL && *auth != '\0';
	msgbuf_init(&c->msg.buf, conf->memory_buffer_bytes, conf->max_message_bytes,
		    conf->temp_dir);
	c->msg.buf_ready = 1;
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_envrcpt(SMFICTX *ctx, char **argv)
{
	struct mlfi_conn *c = mlfi_conn(ctx);
	struct mlfi_msg *m;

	if (c == NULL)
		return SMFIS_TEMPFAIL;
	m = &c->msg;
	m->rcpts = pg_reallocarray(m->rcpts, m->nrcpts + 1, sizeof(*m->rcpts));
	m->rcpts[m->nrcpts++] = mlfi_addr(argv ? argv[0] : NULL);
	return SMFIS_CONTINUE;
}

/* Keep what direction and actions need, and buffer the header for the scan. */
static sfsistat mlfi_header(SMFICTX *ctx, char *name, char *value)
{
	struct mlfi_conn *c = mlfi_conn(ctx);
	struct mlfi_msg *m;
	const char *secret, *error;

	if (c == NULL || !c->msg.buf_ready)
		return SMFIS_TEMPFAIL;
	m = &c->msg;
	if (strcasecmp(name, PG_HEADER_STATUS) == 0) {
		m->n_status++;
		return SMFIS_CONTINUE;
	}
	if (strcasecmp(name, PG_HEADER_REPORT) == 0) {
		m->n_report++;
		return SMFIS_CONTINUE;
	}
	if (strcasecmp(name, "Subject") == 0 && m->subject == NULL)
		m->subject = pg_strdup(value);
	else if (strcasecmp(name, "List-Id") == 0)
		m->has_list_id = 1;
	else if (strcasecmp(name, "Precedence") == 0 && m->precedence == NULL)
		m->precedence = pg_strdup(value);
	secret = c->pol->secret;
	if (strcasecmp(name, PG_HEADER_NOTICE) == 0) {
		m->n_notice++;
		if (secret != NULL && *secret != '\0' && strcmp(value + strspn(value, " "), secret) == 0)
			m->notice = 1;
		return SMFIS_CONTINUE;
	}
	if (!m->failed && msgbuf_header(&m->buf, name, value, &error) < 0) {
		pg_log(PG_LOG_ERR, mlfi_qid(ctx), "cannot buffer the message: %s", error);
		m->failed = 1;
	}
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_eoh(SMFICTX *ctx)
{
	struct mlfi_conn *c = mlfi_conn(ctx);
	const char *error;

	if (c == NULL || !c->msg.buf_ready)
		return SMFIS_TEMPFAIL;
	if (!c->msg.failed && msgbuf_append(&c->msg.buf, "\n", 1, &error) < 0) {
		pg_log(PG_LOG_ERR, mlfi_qid(ctx), "cannot buffer the message: %s", error);
		c->msg.failed = 1;
	}
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct mlfi_conn *c = mlfi_conn(ctx);
	const char *error;

	if (c == NULL || !c->msg.buf_ready)
		return SMFIS_TEMPFAIL;
	if (!c->msg.failed && msgbuf_append(&c->msg.buf, chunk, len, &error) < 0) {
		pg_log(PG_LOG_ERR, mlfi_qid(ctx), "cannot buffer the message: %s", error);
		c->msg.failed = 1;
	}
	return SMFIS_CONTINUE;
}

/* The MTA operations, through libmilter. */
static int mlfi_op_add_header(void *ctx, const char *name, const char *value)
{
	return smfi_addheader(ctx, (char *)name, (char *)value) == MI_SUCCESS ? 0 : -1;
}

static int mlfi_op_change_header(void *ctx, const char *name, int index, const char *value)
{
	return smfi_chgheader(ctx, (char *)name, index, (char *)value) == MI_SUCCESS ? 0 : -1;
}

static int mlfi_op_quarantine(void *ctx, const char *reason)
{
	return smfi_quarantine(ctx, (char *)reason) == MI_SUCCESS ? 0 : -1;
}

static int mlfi_op_set_reply(void *ctx, const char *rcode, const char *xcode, const char *text)
{
	struct pg_buf b;
	int rc;

	/* libmilter treats '%' as a format character. */
	pg_buf_init(&b, strlen(text) + 8);
	for (const char *p = text; *p; p++) {
		if (*p == '%')
			pg_buf_putc(&b, '%');
		pg_buf_putc(&b, *p);
	}
	rc = smfi_setreply(ctx, (char *)rcode, (char *)xcode, b.data) == MI_SUCCESS ? 0 : -1;
	pg_buf_free(&b, 0);
	return rc;
}

static const struct pg_mta_ops mlfi_ops = {
	.add_header = mlfi_op_add_header,
	.change_header = mlfi_op_change_header,
	.quarantine = mlfi_op_quarantine,
	.set_reply = mlfi_op_set_reply,
};

static sfsistat mlfi_disposition(enum pg_disposition d)
{
	switch (d) {
	case PG_DISP_REJECT: return SMFIS_REJECT;
	case PG_DISP_TEMPFAIL: return SMFIS_TEMPFAIL;
	default: return SMFIS_ACCEPT;
	}
}

/* A message not scanned (exempt, our own notice, failure): log and pass or fail. */
static sfsistat mlfi_unscanned(SMFICTX *ctx, struct mlfi_conn *c, enum pg_direction dir,
			       const char *why, enum pg_action act, const struct pg_action_msg *am)
{
	char status[128];

	pg_log(PG_LOG_INFO, am->qid, "direction=%s action=%s reason=\"%s\"",
	       conf_direction_name(dir), conf_action_name(act), why);
	if (act == PG_ACTION_TEMPFAIL) {
		(void)smfi_setreply(ctx, "451", "4.3.0", "Temporary failure in message scanning");
		return SMFIS_TEMPFAIL;
	}
	(void)snprintf(status, sizeof(status), "unscanned; reason=%s; direction=%s", why,
		       conf_direction_name(dir));
	return mlfi_disposition(action_pass(c->pol->conf, status, am, &mlfi_ops, ctx));
}

/* Spool the notifications for a message that was held (or tagged or
 * rejected, as configured); the notifier thread delivers them. */
static void mlfi_notify(struct mlfi_conn *c, const struct pg_result *res, const char *qid)
{
	const struct pg_conf *conf = c->pol->conf;
	struct pg_notice_info info = { 0 };
	const char *error;
	char *summary;

	info.qid = qid;
	info.when = time(NULL);
	info.hostname = c->pol->hostname;
	info.sender = c->msg.sender && *c->msg.sender ? c->msg.sender : "<>";
	info.rcpts = (const char *const *)c->msg.rcpts;
	info.nrcpts = c->msg.nrcpts;
	info.subject_raw = c->msg.subject;
	info.secret = c->pol->secret;
	info.from = conf->notify_from;
	info.hold_tool = conf->hold_tool;
	summary = notify_summary(c->pol, res, &info);
	for (size_t i = 0; conf->notify_leadership != NULL && conf->notify_leadership[i]; i++) {
		size_t len;
		char *msg = notify_build(c->pol, &c->pol->tpl_leadership, res, &info,
					 conf->notify_leadership[i], &len);

		if (notifier_enqueue(conf->notify_spool_dir, conf->notify_from,
				     conf->notify_leadership[i], msg, len, summary, &error) < 0)
			pg_log(PG_LOG_CRIT, qid, "cannot spool the notification to %s: %s",
			       conf->notify_leadership[i], error);
		free(msg);
	}
	/* The sender hears only about a hold, and only if they are one of ours. */
	if (conf->notify_sender && res->action == PG_ACTION_HOLD && c->msg.sender != NULL &&
	    direction_is_local(conf, c->msg.sender)) {
		size_t len;
		char *msg = notify_build(c->pol, &c->pol->tpl_sender, res, &info, c->msg.sender,
					 &len);

		if (notifier_enqueue(conf->notify_spool_dir, conf->notify_from, c->msg.sender, msg,
				     len, summary, &error) < 0)
			pg_log(PG_LOG_ERR, qid, "cannot spool the sender notice: %s", error);
		free(msg);
	}
	free(summary);
	notifier_kick();
}

/* At log_level debug, what an administrator needs to see why a message
 * got its verdict: the envelope facts that chose the direction, the scan's
 * size and time, and each finding by rule, score, count, roster key and
 * place.  Places are redacted like excerpts; no message text. */
static void mlfi_log_debug(const char *qid, const struct pg_envelope *env,
			   const struct pg_result *res, const struct timespec *t0)
{
	struct timespec t1;
	double ms;

	if (!pg_log_enabled(PG_LOG_DEBUG))
		return;
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
	pg_log(PG_LOG_DEBUG, qid,
	       "envelope: client=%s authenticated=%s recipients=%zu list_id=%s precedence=%s",
	       env->client_addr ? env->client_addr : "unknown", env->authenticated ? "yes" : "no",
	       env->nrcpts, env->has_list_id ? "yes" : "no",
	       env->precedence ? env->precedence : "none");
	pg_log(PG_LOG_DEBUG, qid, "scan: segments=%u text_bytes=%zu ms=%.2f set_aside=%u",
	       res->segments, res->text_bytes, ms, res->suppressed);
	for (size_t i = 0; i < res->n; i++) {
		const struct pg_finding *f = &res->v[i];

		pg_log(PG_LOG_DEBUG, qid,
		       "finding %zu: type=%s rule=%s score=%d count=%u pupil=%s where=\"%s\"", i + 1,
		       f->type, f->rule, f->score, f->count, f->pupil ? f->pupil : "none",
		       f->where ? f->where : "");
	}
}

static sfsistat mlfi_eom(SMFICTX *ctx)
{
	struct mlfi_conn *c = mlfi_conn(ctx);
	const struct pg_conf *conf;
	struct mlfi_msg *m;
	struct pg_envelope env;
	struct pg_action_msg am;
	struct pg_scan_opts opts = { 0 };
	struct pg_result res;
	struct pg_buf rules;
	GMimeStream *stream;
	const char *why;
	struct timespec t0;
	sfsistat rc;

	if (c == NULL || !c->msg.buf_ready)
		return SMFIS_TEMPFAIL;
	conf = c->pol->conf;
	m = &c->msg;
	memset(&env, 0, sizeof(env));
	env.client_addr = c->client_addr[0] ? c->client_addr : smfi_getsymval(ctx, "{client_addr}");
	env.authenticated = m->authenticated;
	env.sender = m->sender;
	env.rcpts = (const char *const *)m->rcpts;
	env.nrcpts = m->nrcpts;
	env.has_list_id = m->has_list_id;
	env.precedence = m->precedence;
	am.qid = mlfi_qid(ctx);
	am.subject = m->subject;
	am.n_status = m->n_status;
	am.n_report = m->n_report;
	am.n_notice = m->n_notice;
	opts.dir = direction_decide(conf, &env);

	if (m->notice) {
		rc = mlfi_unscanned(ctx, c, opts.dir, "pupilguard notification", PG_ACTION_ACCEPT, &am);
		goto out;
	}
	if (direction_exempt(conf, &env, &why)) {
		rc = mlfi_unscanned(ctx, c, opts.dir, why, PG_ACTION_ACCEPT, &am);
		goto out;
	}
	if (m->failed) {
		rc = mlfi_unscanned(ctx, c, opts.dir, "buffering failed", conf->on_error, &am);
		goto out;
	}
	if (msgbuf_truncated(&m->buf) && conf->on_oversize == PG_ACTION_ACCEPT) {
		rc = mlfi_unscanned(ctx, c, opts.dir, "oversize", PG_ACTION_ACCEPT, &am);
		goto out;
	}
	stream = msgbuf_stream(&m->buf);
	if (stream == NULL) {
		rc = mlfi_unscanned(ctx, c, opts.dir, "cannot read buffer", conf->on_error, &am);
		goto out;
	}
	engine_result_init(&res);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	engine_scan_stream(c->pol, stream, &opts, &res);
	g_object_unref(stream);
	if (msgbuf_truncated(&m->buf)) {
		res.extract_flags |= PG_EXTRACT_TRUNCATED;
		res.action = verdict_max(res.action, conf->on_oversize);
	}
	pg_buf_init(&rules, 64);
	action_rule_list(&res, &rules);
	pg_log(PG_LOG_INFO, am.qid,
	       "direction=%s score=%d action=%s rules=%s findings=%zu size=%zu flags=0x%x",
	       conf_direction_name(res.dir), res.score, conf_action_name(res.action),
	       rules.len ? rules.data : "none", res.n, m->buf.seen, res.extract_flags);
	pg_buf_free(&rules, 0);
	mlfi_log_debug(am.qid, &env, &res, &t0);
	rc = mlfi_disposition(action_apply(conf, &res, &am, &mlfi_ops, ctx));
	if (conf->notify_on & (1u << res.action))
		mlfi_notify(c, &res, am.qid);
	engine_result_free(&res);
out:
	mlfi_msg_reset(m);
	return rc;
}

static sfsistat mlfi_abort(SMFICTX *ctx)
{
	struct mlfi_conn *c = mlfi_conn(ctx);

	if (c != NULL)
		mlfi_msg_reset(&c->msg);
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_close(SMFICTX *ctx)
{
	struct mlfi_conn *c = mlfi_conn(ctx);

	if (c == NULL)
		return SMFIS_CONTINUE;
	mlfi_msg_reset(&c->msg);
	policy_unref(&c->pol);
	free(c);
	(void)smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

/* Ask only for the steps and macros we use. */
static sfsistat mlfi_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
			       unsigned long f2, unsigned long f3, unsigned long *pf0,
			       unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	(void)f2;
	(void)f3;
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE);
	*pf1 = f1 & (SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_NODATA);
	*pf2 = 0;
	*pf3 = 0;
	(void)smfi_setsymlist(ctx, SMFIM_EOM, "i");
	return SMFIS_CONTINUE;
}

struct smfiDesc mlfi_desc = {
	.xxfi_name = "pupilguard",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
	.xxfi_connect = mlfi_connect,
	.xxfi_envfrom = mlfi_envfrom,
	.xxfi_envrcpt = mlfi_envrcpt,
	.xxfi_header = mlfi_header,
	.xxfi_eoh = mlfi_eoh,
	.xxfi_body = mlfi_body,
	.xxfi_eom = mlfi_eom,
	.xxfi_abort = mlfi_abort,
	.xxfi_close = mlfi_close,
	.xxfi_negotiate = mlfi_negotiate,
};
