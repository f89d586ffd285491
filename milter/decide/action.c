/*
 * action.c - headers, subject prefix, quarantine and replies from a verdict.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "extract.h"
#include "log.h"

void action_rule_list(const struct pg_result *r, struct pg_buf *out)
{
	for (size_t i = 0; i < r->n; i++) {
		int seen = 0;

		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(r->v[k].rule, r->v[i].rule) == 0;
		if (seen)
			continue;
		if (out->len > 0)
			pg_buf_putc(out, ',');
		pg_buf_puts(out, r->v[i].rule);
	}
}

/* Delete every incoming copy of our own headers (index is 1-based, from the end
 * so that earlier indexes stay valid). */
static void action_strip(const struct pg_action_msg *msg, const struct pg_mta_ops *ops, void *ctx)
{
	for (unsigned i = msg->n_status; i > 0; i--)
		if (ops->change_header(ctx, PG_HEADER_STATUS, (int)i, NULL) < 0)
			pg_log(PG_LOG_WARNING, msg->qid, "could not remove a forged %s header",
			       PG_HEADER_STATUS);
	for (unsigned i = msg->n_report; i > 0; i--)
		if (ops->change_header(ctx, PG_HEADER_REPORT, (int)i, NULL) < 0)
			pg_log(PG_LOG_WARNING, msg->qid, "could not remove a forged %s header",
			       PG_HEADER_REPORT);
	for (unsigned i = msg->n_notice; i > 0; i--)
		if (ops->change_header(ctx, PG_HEADER_NOTICE, (int)i, NULL) < 0)
			pg_log(PG_LOG_WARNING, msg->qid, "could not remove a %s header",
			       PG_HEADER_NOTICE);
}

enum pg_disposition action_pass(const struct pg_conf *c, const char *status,
				const struct pg_action_msg *msg, const struct pg_mta_ops *ops,
				void *ctx)
{
	action_strip(msg, ops, ctx);
	if (c->add_status_header && ops->add_header(ctx, PG_HEADER_STATUS, status) < 0)
		pg_log(PG_LOG_WARNING, msg->qid, "could not add %s", PG_HEADER_STATUS);
	return PG_DISP_ACCEPT;
}

/* Split "550 5.7.1 text" into its three parts. */
static void action_reply_parts(const char *reply, char *rcode, char *xcode, const char **text_r)
{
	const char *p = reply;

	strcpy(rcode, "550");
	strcpy(xcode, "5.7.1");
	*text_r = reply;
	if (strlen(p) >= 4 && p[0] == '5' && p[3] == ' ') {
		memcpy(rcode, p, 3);
		p += 4;
		if (p[0] == '5' && p[1] == '.') {
			size_t n = strcspn(p, " ");

			if (n < 16) {
				memcpy(xcode, p, n);
				xcode[n] = '\0';
				p += n;
				while (*p == ' ')
					p++;
			}
		}
		*text_r = p;
	}
}

enum pg_disposition action_apply(const struct pg_conf *c, const struct pg_result *r,
				 const struct pg_action_msg *msg, const struct pg_mta_ops *ops,
				 void *ctx)
{
	struct pg_buf status, report, rules;
	enum pg_disposition disp = PG_DISP_ACCEPT;
	enum pg_action act = msg->audit ? PG_ACTION_NONE : r->action;
	unsigned names = 0, partial = 0, other = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].kind == PG_KIND_NAME)
			names++;
		else if (r->v[i].kind == PG_KIND_PARTIAL_NAME)
			partial++;
		else if (r->v[i].kind == PG_KIND_PUPIL_LIST)
			names += r->v[i].pupils;
		else
			other++;
	}
	pg_buf_init(&rules, 64);
	action_rule_list(r, &rules);
	pg_buf_init(&status, 64);
	if (msg->audit && r->action != PG_ACTION_NONE)
		pg_buf_printf(&status, "audit; would=%s; score=%d; direction=%s",
			      conf_action_name(r->action), r->score, conf_direction_name(r->dir));
	else
		pg_buf_printf(&status, "%s; score=%d; direction=%s",
			      act == PG_ACTION_NONE ? (r->n ? "logged" : "clean")
						    : conf_action_name(act),
			      r->score, conf_direction_name(r->dir));
	pg_buf_init(&report, 128);
	pg_buf_printf(&report, "rules=%s; names=%u; partial_names=%u; details=%u",
		      rules.len ? rules.data : "none", names, partial, other);
	if (r->extract_flags & PG_EXTRACT_PARTLY)
		pg_buf_puts(&report, "; scanned=partly");
	if (r->extract_flags & PG_EXTRACT_UNREADABLE)
		pg_buf_puts(&report, "; unreadable_attachment");
	if (r->extract_flags & PG_EXTRACT_ENCRYPTED)
		pg_buf_puts(&report, "; encrypted_attachment");

	action_strip(msg, ops, ctx);
	switch (act) {
	case PG_ACTION_REJECT: {
		char rcode[4], xcode[16];
		const char *text;

		action_reply_parts(c->reject_reply, rcode, xcode, &text);
		if (ops->set_reply(ctx, rcode, xcode, text) < 0)
			pg_log(PG_LOG_WARNING, msg->qid, "could not set the reject reply");
		disp = PG_DISP_REJECT;
		goto out;
	}
	case PG_ACTION_TEMPFAIL:
		disp = PG_DISP_TEMPFAIL;
		goto out;
	case PG_ACTION_HOLD: {
		char *reason = pg_asprintf("%s: score %d, %s", c->quarantine_reason, r->score,
					   rules.len ? rules.data : "limits");

		if (ops->quarantine(ctx, reason) < 0) {
			/* A hold that did not happen must not become a delivery. */
			pg_log(PG_LOG_ERR, msg->qid, "quarantine failed; tempfailing instead");
			disp = PG_DISP_TEMPFAIL;
		}
		free(reason);
		break;
	}
	case PG_ACTION_TAG: {
		const char *prefix = c->dir[r->dir].subject_prefix;

		if (prefix != NULL && *prefix != '\0') {
			char *subj = pg_asprintf("%s %s", prefix, msg->subject ? msg->subject : "");

			if (msg->subject != NULL ? ops->change_header(ctx, "Subject", 1, subj)
						 : ops->add_header(ctx, "Subject", subj))
				pg_log(PG_LOG_WARNING, msg->qid, "could not prefix the subject");
			free(subj);
		}
		break;
	}
	default:
		break;
	}
	if (c->add_status_header || r->action != PG_ACTION_NONE) {
		if (ops->add_header(ctx, PG_HEADER_STATUS, status.data) < 0)
			pg_log(PG_LOG_WARNING, msg->qid, "could not add %s", PG_HEADER_STATUS);
	}
	/* A message scanned only in part says so even when nothing was found. */
	if ((r->n > 0 || (r->extract_flags & (PG_EXTRACT_PARTLY | PG_EXTRACT_ENCRYPTED |
						PG_EXTRACT_UNREADABLE))) &&
	    ops->add_header(ctx, PG_HEADER_REPORT, report.data) < 0)
		pg_log(PG_LOG_WARNING, msg->qid, "could not add %s", PG_HEADER_REPORT);
out:
	pg_buf_free(&status, 0);
	pg_buf_free(&report, 0);
	pg_buf_free(&rules, 0);
	return disp;
}
