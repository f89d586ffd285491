/*
 * check_action.c - what a verdict does to a message through the MTA
 * operations table: headers, subject prefix, quarantine, reject reply,
 * audit mode, forged headers removed, and a failed hold never delivered.
 */
#include "config.h"

#include "action.h"
#include "record.h"
#include "testlib.h"

static struct pg_conf *act_conf(const char *text)
{
	struct pg_diag d;
	struct pg_conf *c;

	pg_diag_init(&d);
	c = conf_load_text("action.conf", text, &d);
	pg_diag_free(&d);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* A result of one finding of KIND, with ACTION and SCORE. */
static void act_result(struct pg_result *r, enum pg_kind kind, const char *rule,
		       enum pg_action action, int score)
{
	struct pg_finding *f;

	engine_result_init(r);
	r->v = calloc(1, sizeof(*r->v));
	ck_assert_ptr_nonnull(r->v);
	r->n = r->cap = 1;
	f = &r->v[0];
	f->kind = kind;
	f->type = kind_name(kind);
	f->rule = rule;
	f->score = score;
	f->count = 1;
	r->score = score;
	r->action = action;
	r->dir = PG_DIR_OUTBOUND;
}

static int fail_quarantine(void *ctx, const char *reason)
{
	(void)ctx;
	(void)reason;
	return -1;
}

START_TEST(test_action_hold)
{
	struct pg_conf *c = act_conf("");
	struct pg_result r;
	struct pg_record rec;
	struct pg_action_msg msg = { .qid = "Q1", .subject = "Report" };

	act_result(&r, PG_KIND_NAME, "pupil_name", PG_ACTION_HOLD, 40);
	record_init(&rec);
	ck_assert_int_eq(action_apply(c, &r, &msg, &record_ops, &rec), PG_DISP_ACCEPT);
	ck_assert_str_eq(rec.lines.data,
			 "quarantine: pupilguard: score 40, pupil_name\n"
			 "add X-PupilGuard-Status: hold; score=40; direction=outbound\n"
			 "add X-PupilGuard-Report: rules=pupil_name; names=1; partial_names=0; "
			 "details=0\n");
	record_free(&rec);
	engine_result_free(&r);
	conf_free(&c);
}
END_TEST

START_TEST(test_action_hold_failed_is_tempfail)
{
	struct pg_conf *c = act_conf("");
	struct pg_result r;
	struct pg_record rec;
	struct pg_mta_ops ops = record_ops;
	struct pg_action_msg msg = { .qid = "Q2" };

	ops.quarantine = fail_quarantine;
	act_result(&r, PG_KIND_UPN, "upn", PG_ACTION_HOLD, 50);
	record_init(&rec);
	ck_assert_int_eq(action_apply(c, &r, &msg, &ops, &rec), PG_DISP_TEMPFAIL);
	record_free(&rec);
	engine_result_free(&r);
	conf_free(&c);
}
END_TEST

START_TEST(test_action_tag_prefix)
{
	struct pg_conf *c = act_conf("policy = { outbound = { subject_prefix = \"[CHECK]\"; }; };");
	struct pg_result r;
	struct pg_record rec;
	struct pg_action_msg with = { .qid = "Q3", .subject = "Trip" }, without = { .qid = "Q4" };

	act_result(&r, PG_KIND_PARTIAL_NAME, "pupil_partial_name", PG_ACTION_TAG, 10);
	record_init(&rec);
	ck_assert_int_eq(action_apply(c, &r, &with, &record_ops, &rec), PG_DISP_ACCEPT);
	ck_assert_ptr_nonnull(strstr(rec.lines.data, "change Subject[1]: [CHECK] Trip\n"));
	ck_assert_ptr_nonnull(strstr(rec.lines.data, "names=0; partial_names=1; details=0"));
	record_free(&rec);
	record_init(&rec);
	(void)action_apply(c, &r, &without, &record_ops, &rec);
	ck_assert_ptr_nonnull(strstr(rec.lines.data, "add Subject: [CHECK] \n"));
	record_free(&rec);
	engine_result_free(&r);
	conf_free(&c);
}
END_TEST

START_TEST(test_action_reject_reply)
{
	struct pg_conf *c = act_conf("actions = { reject_reply = \"554 5.7.0 Not sent: pupil data\"; };");
	struct pg_conf *plain = act_conf("actions = { reject_reply = \"Refused\"; };");
	struct pg_result r;
	struct pg_record rec;
	struct pg_action_msg msg = { .qid = "Q5" };

	act_result(&r, PG_KIND_SEN, "sen", PG_ACTION_REJECT, 90);
	record_init(&rec);
	ck_assert_int_eq(action_apply(c, &r, &msg, &record_ops, &rec), PG_DISP_REJECT);
	ck_assert_str_eq(rec.lines.data, "reply: 554 5.7.0 Not sent: pupil data\n");
	record_free(&rec);
	record_init(&rec);
	ck_assert_int_eq(action_apply(plain, &r, &msg, &record_ops, &rec), PG_DISP_REJECT);
	ck_assert_str_eq(rec.lines.data, "reply: 550 5.7.1 Refused\n");
	record_free(&rec);
	engine_result_free(&r);
	conf_free(&c);
	conf_free(&plain);
}
END_TEST

START_TEST(test_action_audit_enforces_nothing)
{
	struct pg_conf *c = act_conf("");
	struct pg_result r;
	struct pg_record rec;
	struct pg_action_msg msg = { .qid = "Q6", .subject = "x", .audit = 1 };

	act_result(&r, PG_KIND_NAME, "pupil_name", PG_ACTION_REJECT, 99);
	record_init(&rec);
	ck_assert_int_eq(action_apply(c, &r, &msg, &record_ops, &rec), PG_DISP_ACCEPT);
	ck_assert_ptr_null(strstr(rec.lines.data, "quarantine"));
	ck_assert_ptr_null(strstr(rec.lines.data, "reply"));
	ck_assert_ptr_nonnull(strstr(rec.lines.data,
				     "add X-PupilGuard-Status: audit; would=reject; score=99"));
	record_free(&rec);
	engine_result_free(&r);
	conf_free(&c);
}
END_TEST

START_TEST(test_action_strips_forged_headers)
{
	struct pg_conf *c = act_conf("actions = { add_status_header = false; };");
	struct pg_result r;
	struct pg_record rec;
	struct pg_action_msg msg = { .qid = "Q7", .n_status = 2, .n_report = 1, .n_notice = 1 };

	engine_result_init(&r);
	r.dir = PG_DIR_INBOUND;
	record_init(&rec);
	ck_assert_int_eq(action_apply(c, &r, &msg, &record_ops, &rec), PG_DISP_ACCEPT);
	/* From the last to the first, so that indexes stay valid; nothing added. */
	ck_assert_str_eq(rec.lines.data,
			 "delete X-PupilGuard-Status[2]\ndelete X-PupilGuard-Status[1]\n"
			 "delete X-PupilGuard-Report[1]\ndelete X-PupilGuard-Notice[1]\n");
	record_free(&rec);
	engine_result_free(&r);
	conf_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("action");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_action_hold);
	tcase_add_test(tc, test_action_hold_failed_is_tempfail);
	tcase_add_test(tc, test_action_tag_prefix);
	tcase_add_test(tc, test_action_reject_reply);
	tcase_add_test(tc, test_action_audit_enforces_nothing);
	tcase_add_test(tc, test_action_strips_forged_headers);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
