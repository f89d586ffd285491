/*
 * notify.c - notification and digest messages.
 */
#include "config.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "noticemac.h"
#include "notify.h"
#include "rfc2047.h"

struct vars {
	const struct pg_notice_info *info;
	const struct pg_result *res;
	char *subject, *sender, *recipients, *findings, *rules, *reason, *digest;
	char time[64], score[32], count[32];
	char *release_postfix, *delete_postfix, *release_sendmail, *delete_sendmail;
};

static const char *notify_lookup(void *ctx, const char *name)
{
	struct vars *v = ctx;

	if (strcmp(name, "queue_id") == 0) return v->info->qid;
	if (strcmp(name, "time") == 0) return v->time;
	if (strcmp(name, "hostname") == 0) return v->info->hostname;
	if (strcmp(name, "sender") == 0) return v->sender;
	if (strcmp(name, "recipients") == 0) return v->recipients;
	if (strcmp(name, "subject") == 0) return v->subject;
	if (strcmp(name, "direction") == 0) return v->res ? conf_direction_name(v->res->dir) : "";
	if (strcmp(name, "score") == 0) return v->score;
	if (strcmp(name, "action") == 0)
		return v->res == NULL ? "" : v->res->action == PG_ACTION_HOLD ? "held"
				      : v->res->action == PG_ACTION_REJECT ? "rejected" : "tagged";
	if (strcmp(name, "rules") == 0) return v->rules;
	if (strcmp(name, "findings") == 0) return v->findings;
	if (strcmp(name, "count") == 0) return v->count;
	if (strcmp(name, "reason") == 0) return v->reason;
	if (strcmp(name, "digest") == 0) return v->digest;
	if (strcmp(name, "release_postfix") == 0) return v->release_postfix;
	if (strcmp(name, "delete_postfix") == 0) return v->delete_postfix;
	if (strcmp(name, "release_sendmail") == 0) return v->release_sendmail;
	if (strcmp(name, "delete_sendmail") == 0) return v->delete_sendmail;
	return NULL;
}

/* "Year 4", "Reception" */
static void notify_year(const char *year, struct pg_buf *b)
{
	if (year == NULL || *year == '\0')
		return;
	if (strcmp(year, "R") == 0 || strcmp(year, "r") == 0)
		pg_buf_puts(b, " (Reception)");
	else
		pg_buf_printf(b, " (Year %s)", year);
}

/* FINDING's kind in plain words; a rule pack's own type as written. */
static const char *notify_kind(const struct pg_finding *f)
{
	const char *words = kind_words(f->kind);

	return words != NULL ? words : f->type;
}

/* Message text as a notice may quote it: every name and identifier
 * redacted, then one visible line (pg_str_visible()). */
static char *notify_quote(const struct pg_policy *pol, const char *text)
{
	char *red = engine_redact_text(pol, text ? text : "");
	char *out = pg_str_visible(red);

	pg_wipe(red, strlen(red));
	free(red);
	return out;
}

static void notify_vars(struct vars *v, const struct pg_policy *pol, const struct pg_result *res,
			const struct pg_notice_info *info)
{
	struct pg_buf b, r, why;
	struct tm tm;
	char *decoded;
	const char *tool = info->hold_tool ? info->hold_tool : "pupilguard-hold";

	memset(v, 0, sizeof(*v));
	v->info = info;
	v->res = res;
	(void)strftime(v->time, sizeof(v->time), "%Y-%m-%d %H:%M:%S %z",
		       localtime_r(&info->when, &tm));
	(void)snprintf(v->score, sizeof(v->score), "%d", res ? res->score : 0);
	pg_buf_init(&b, 128);
	rfc2047_decode(info->subject_raw ? info->subject_raw : "",
		       info->subject_raw ? strlen(info->subject_raw) : 0, &b);
	decoded = pg_buf_steal(&b);
	v->subject = notify_quote(pol, decoded);
	pg_wipe(decoded, strlen(decoded));
	free(decoded);
	v->sender = pg_str_visible(info->sender);
	pg_buf_init(&b, 64);
	for (size_t i = 0; i < info->nrcpts; i++) {
		if (i > 0)
			pg_buf_puts(&b, ", ");
		pg_buf_put_visible(&b, info->rcpts[i], strlen(info->rcpts[i]), 0);
	}
	v->recipients = pg_buf_steal(&b);
	pg_buf_init(&b, 256);
	pg_buf_init(&r, 64);
	pg_buf_init(&why, 64);
	for (size_t i = 0; res != NULL && i < res->n; i++) {
		const struct pg_finding *f = &res->v[i];
		char *where = notify_quote(pol, f->where);
		char *excerpt = pg_str_visible(f->excerpt);
		const char *kind = notify_kind(f);

		pg_buf_printf(&b, "  - %s: %s", kind, excerpt);
		free(excerpt);
		notify_year(f->year, &b);
		pg_buf_printf(&b, " in %s", where);
		if (f->count > 1)
			pg_buf_printf(&b, " (%u times)", f->count);
		pg_buf_printf(&b, " [rule %s, score %d]\n", f->rule, f->score);
		free(where);
		pg_buf_list_add(&r, f->rule);
		pg_buf_list_add(&why, kind);
	}
	v->findings = pg_buf_steal(&b);
	v->rules = pg_buf_steal(&r);
	v->reason = pg_buf_steal(&why);
	v->release_postfix = pg_asprintf("%s release %s   (or: postsuper -H %s; postqueue -i %s)",
					 tool, info->qid, info->qid, info->qid);
	v->delete_postfix = pg_asprintf("%s delete %s   (or: postsuper -d %s)", tool, info->qid,
					info->qid);
	v->release_sendmail = pg_asprintf("%s --mta sendmail release %s   (or: sendmail -qQ -Q "
					  "-qI%s; sendmail -qI%s)", tool, info->qid, info->qid,
					  info->qid);
	v->delete_sendmail = pg_asprintf("%s --mta sendmail delete %s", tool, info->qid);
}

static void notify_vars_free(struct vars *v)
{
	free(v->subject);
	free(v->sender);
	free(v->recipients);
	free(v->findings);
	free(v->rules);
	free(v->reason);
	free(v->release_postfix);
	free(v->delete_postfix);
	free(v->release_sendmail);
	free(v->delete_sendmail);
}

/* A Subject is one line even if its template quotes a multi-line value. */
static void notify_one_line(struct pg_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] == '\n' || b->data[i] == '\r')
			b->data[i] = ' ';
}

/* Wrap SUBJECT and BODY in a MIME message from INFO->from to TO. */
static char *notify_message(const struct pg_notice_info *info, const char *to, const char *subject,
			    const char *body, size_t *len_r)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	GDateTime *date = g_date_time_new_from_unix_local(info->when);
	char *id = g_mime_utils_generate_message_id(info->hostname ? info->hostname : "localhost");
	char *text, *out;

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, "pupilguard", info->from);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, NULL, to);
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_date(m, date);
	g_mime_message_set_message_id(m, id);
	g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted", "auto-generated", NULL);
	g_mime_text_part_set_text(part, body);
	g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(part));
	text = g_mime_object_to_string(GMIME_OBJECT(m), NULL);
	if (info->key != NULL && info->key->set) {
		/* The mark covers this message as it is written: its Message-ID,
		 * its one recipient, its time and its body. */
		char mark[PG_NOTICEMAC_LEN];
		const char *text_body = strstr(text, "\n\n");

		text_body = text_body ? text_body + 2 : "";
		noticemac_make(info->key, id, &to, 1, info->when, text_body, strlen(text_body), mark);
		out = pg_asprintf("%s: %s\n%s", "X-PupilGuard-Notice", mark, text);
	} else {
		out = pg_strdup(text);
	}
	*len_r = strlen(out);
	g_free(text);
	g_free(id);
	g_date_time_unref(date);
	g_object_unref(part);
	g_object_unref(m);
	return out;
}

char *notify_build(const struct pg_policy *pol, const struct pg_template *tpl,
		   const struct pg_result *res, const struct pg_notice_info *info, const char *to,
		   size_t *len_r)
{
	struct pg_buf subject, body;
	struct vars v;
	char *msg;

	notify_vars(&v, pol, res, info);
	pg_buf_init(&subject, 128);
	pg_buf_init(&body, 1024);
	template_expand(tpl->subject ? tpl->subject : "[pupilguard] {queue_id}", notify_lookup, &v,
			&subject);
	notify_one_line(&subject);
	template_expand(tpl->body, notify_lookup, &v, &body);
	msg = notify_message(info, to, subject.data, body.data, len_r);
	pg_buf_free(&subject, 1);
	pg_buf_free(&body, 1);
	notify_vars_free(&v);
	return msg;
}

char *notify_summary(const struct pg_policy *pol, const struct pg_result *res,
		     const struct pg_notice_info *info)
{
	struct vars v;
	char *s;

	notify_vars(&v, pol, res, info);
	s = pg_asprintf("%s  %s  from %s  score %d  %s  subject: %s", v.time, info->qid,
			v.sender, res->score, v.rules, v.subject);
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	notify_vars_free(&v);
	return s;
}

char *notify_build_digest(const struct pg_template *tpl, const char *const *summaries,
			  const struct pg_notice_info *info, const char *to, size_t *len_r)
{
	struct pg_buf subject, body, list;
	struct vars v;
	size_t n = 0;
	char *msg;

	memset(&v, 0, sizeof(v));
	v.info = info;
	pg_buf_init(&list, 256);
	for (; summaries[n] != NULL; n++)
		pg_buf_printf(&list, "  - %s\n", summaries[n]);
	v.digest = pg_buf_steal(&list);
	(void)snprintf(v.count, sizeof(v.count), "%zu", n);
	pg_buf_init(&subject, 64);
	pg_buf_init(&body, 1024);
	template_expand(tpl->subject ? tpl->subject : "[pupilguard] digest", notify_lookup, &v,
			&subject);
	notify_one_line(&subject);
	template_expand(tpl->body, notify_lookup, &v, &body);
	msg = notify_message(info, to, subject.data, body.data, len_r);
	pg_buf_free(&subject, 1);
	pg_buf_free(&body, 1);
	free(v.digest);
	return msg;
}
