/*
 * mlfi.c - libmilter callbacks for pupilguard.
 *
 * Each callback gathers what libmilter hands it into the per-message
 * context (envelope, the headers the decision needs, the message buffer);
 * end-of-message hands that to decide_message() (decide.c, where the failure
 * modes live) with libmilter's operations, maps the disposition to an
 * sfsistat and spools the notices the decision asks for.  If the milter is
 * unreachable the MTA applies its own milter_default_action.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "decide.h"
#include "log.h"
#include "mlfi.h"
#include "msgbuf.h"
#include "notifier.h"
#include "notify.h"
#include "reload.h"

struct mlfi_msg {
	char *sender;
	char **rcpts;
	size_t nrcpts;
	int authenticated;
	struct pg_headers hdrs; /* what the decision needs of the header */
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
	decide_headers_free(&m->hdrs);
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
	const char *error;

	if (c == NULL || !c->msg.buf_ready)
		return SMFIS_TEMPFAIL;
	m = &c->msg;
	if (decide_header(c->pol, &m->hdrs, name, value))
		return SMFIS_CONTINUE;
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

/* Spool the notices the decision asks for; the notifier thread delivers them. */
static void mlfi_notify(struct mlfi_conn *c, const struct pg_decision *d, const char *qid)
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
	info.subject_raw = c->msg.hdrs.subject;
	info.key = &c->pol->notice_key;
	info.from = conf->notify_from;
	info.hold_tool = conf->hold_tool;
	summary = notify_summary(c->pol, &d->res, &info);
	for (size_t i = 0; d->notify_leadership && conf->notify_leadership[i]; i++) {
		size_t len;
		char *msg = notify_build(c->pol, &c->pol->tpl_leadership, &d->res, &info,
					 conf->notify_leadership[i], &len);

		if (notifier_enqueue(conf->notify_spool_dir, conf->notify_from,
				     conf->notify_leadership[i], msg, len, summary, &error) < 0)
			pg_log(PG_LOG_CRIT, qid, "cannot spool the notification to %s: %s",
			       conf->notify_leadership[i], error);
		free(msg);
	}
	if (d->notify_sender) {
		size_t len;
		char *msg;

		/* The sender's notice goes to staff, who could copy a mark into a
		 * resend: it carries none and is scanned like their other mail. */
		info.key = NULL;
		msg = notify_build(c->pol, &c->pol->tpl_sender, &d->res, &info, c->msg.sender, &len);

		if (notifier_enqueue(conf->notify_spool_dir, conf->notify_from, c->msg.sender, msg,
				     len, summary, &error) < 0)
			pg_log(PG_LOG_ERR, qid, "cannot spool the sender notice: %s", error);
		free(msg);
	}
	free(summary);
	notifier_kick();
}

/* Gather the envelope, decide (decide.c), map the disposition to libmilter. */
static sfsistat mlfi_eom(SMFICTX *ctx)
{
	struct mlfi_conn *c = mlfi_conn(ctx);
	struct mlfi_msg *m;
	struct pg_decide_in in;
	struct pg_decision d;
	sfsistat rc;

	if (c == NULL || !c->msg.buf_ready)
		return SMFIS_TEMPFAIL;
	m = &c->msg;
	memset(&in, 0, sizeof(in));
	in.env.client_addr = c->client_addr[0] ? c->client_addr
					       : smfi_getsymval(ctx, "{client_addr}");
	in.env.authenticated = m->authenticated;
	in.env.sender = m->sender;
	in.env.rcpts = (const char *const *)m->rcpts;
	in.env.nrcpts = m->nrcpts;
	in.qid = mlfi_qid(ctx);
	in.hdrs = &m->hdrs;
	in.buffer_failed = m->failed;
	in.buf = &m->buf;
	decide_message(c->pol, &in, &mlfi_ops, ctx, &d);
	decide_log(&d, &in);
	rc = mlfi_disposition(d.disp);
	if (d.notify_leadership || d.notify_sender)
		mlfi_notify(c, &d, in.qid);
	decide_free(&d);
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
