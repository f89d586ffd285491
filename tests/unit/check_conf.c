/*
 * check_conf.c - configuration parsing: defaults, every section, relative
 * paths, and file:line errors for unknown options, types and ranges.
 */
#include "testlib.h"

#include "conf.h"

static struct pg_conf *parse(const char *text, struct pg_diag *d)
{
	pg_diag_init(d);
	return conf_load_text("/etc/pupilguard/pupilguard.conf", text, d);
}

START_TEST(test_defaults)
{
	struct pg_diag d;
	struct pg_conf *c = parse("", &d);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->score_name, 10);
	ck_assert_int_eq(c->dir[PG_DIR_OUTBOUND].tag, 10);
	ck_assert_int_eq(c->dir[PG_DIR_OUTBOUND].hold, 20);
	ck_assert_int_eq(c->dir[PG_DIR_NEWSLETTER].hold, 10);
	ck_assert_int_eq(c->dir[PG_DIR_INTERNAL].tag, 0);
	ck_assert_int_eq(c->on_error, PG_ACTION_TEMPFAIL);
	ck_assert_int_eq(c->on_truncated, PG_ACTION_NONE);
	ck_assert_int_eq(c->dir[PG_DIR_OUTBOUND].on_truncated, PG_ACTION_HOLD);
	ck_assert_int_eq(c->dir[PG_DIR_NEWSLETTER].on_truncated, PG_ACTION_HOLD);
	ck_assert_int_eq(c->dir[PG_DIR_INBOUND].on_truncated, PG_ACTION_TAG);
	ck_assert_int_eq(c->dir[PG_DIR_INTERNAL].on_truncated, PG_ACTION_TAG);
	ck_assert_str_eq(c->socket, "unix:/var/spool/postfix/pupilguard/pupilguard.sock");
	ck_assert_str_eq(c->socket_group, "postfix");
	ck_assert_int_eq(c->socket_mode, 0660);
	ck_assert_int_eq(c->allow_root, 0);
	ck_assert_int_eq(c->notify_on, 1u << PG_ACTION_HOLD);
	ck_assert_ptr_null(c->notify_leadership);
	conf_free(&c);
	ck_assert_ptr_null(c);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_everything)
{
	const char *text =
		"rosters = ( \"a.csv\", { file = \"/srv/b.csv\"; encoding = \"windows-1252\";\n"
		"  columns = { forename = \"Given\"; }; } );\n"
		"staff = \"staff.csv\"; rules = [ \"../rules/x.rules\" ];\n"
		"scores = { name = 12; partial_name = 2; protected_multiplier = 4; };\n"
		"names = { partial_names = false; allow_phrases = [ \"Rose Hill Road\" ]; titles = \"mr\"; };\n"
		"policy = { outbound = { tag = 5; hold = 15; reject = 40; subject_prefix = \"[X]\"; }; };\n"
		"limits = { max_mime_parts = 10; on_truncated = \"hold\"; };\n"
		"milter = { socket = \"unix:/run/pg.sock\"; umask = \"027\"; on_oversize = \"accept\"; };\n"
		"directions = { local_domains = [ \"school.example\" ]; newsletter_min_recipients = 0; };\n"
		"exemptions = { allowed_recipients = [ \"@la.example\" ]; notification_secret = \"s\"; };\n"
		"notify = { leadership = [ \"head@school.example\" ]; on = [ \"hold\", \"reject\" ];\n"
		"  template = \"t.txt\"; rate_limit = 3; };\n"
		"actions = { reject_reply = \"550 5.7.1 no\"; add_status_header = false; };\n";
	struct pg_diag d;
	struct pg_conf *c = parse(text, &d);

	ck_assert_msg(c != NULL, "%s", d.n ? d.items[0].text : "");
	ck_assert_uint_eq(c->nrosters, 2);
	ck_assert_str_eq(c->rosters[0].file, "/etc/pupilguard/a.csv");
	ck_assert_str_eq(c->rosters[1].file, "/srv/b.csv");
	ck_assert_str_eq(c->rosters[1].opts.encoding, "windows-1252");
	ck_assert_str_eq(c->rosters[1].opts.columns[PG_COL_FORENAME], "Given");
	ck_assert_str_eq(c->staff[0], "/etc/pupilguard/staff.csv");
	ck_assert_str_eq(c->rules[0], "/etc/pupilguard/../rules/x.rules");
	ck_assert_int_eq(c->score_name, 12);
	ck_assert_int_eq(c->partial_names, 0);
	ck_assert_str_eq(c->allow_phrases[0], "Rose Hill Road");
	ck_assert_int_eq(c->dir[PG_DIR_OUTBOUND].reject, 40);
	ck_assert_str_eq(c->dir[PG_DIR_OUTBOUND].subject_prefix, "[X]");
	ck_assert_int_eq(c->on_truncated, PG_ACTION_HOLD);
	ck_assert_int_eq(c->umask, 027);
	ck_assert_int_eq(c->on_oversize, PG_ACTION_ACCEPT);
	ck_assert_int_eq(c->newsletter_min_recipients, 0);
	ck_assert_int_eq(c->notify_on, (1u << PG_ACTION_HOLD) | (1u << PG_ACTION_REJECT));
	ck_assert_str_eq(c->notify_template, "/etc/pupilguard/t.txt");
	ck_assert_int_eq(c->add_status_header, 0);
	conf_free(&c);
	pg_diag_free(&d);
}
END_TEST

static const struct {
	const char *text, *error;
} bad[] = {
	{ "colour = 1;", "pupilguard.conf:1: unknown option colour" },
	{ "\n\nscores = { name = \"ten\"; };", "pupilguard.conf:3: name must be a whole number" },
	{ "scores = { name = -1; };", "name must be between 0 and 1000000" },
	{ "policy = { sideways = { tag = 1; }; };", "unknown option sideways" },
	{ "names = { partial_names = 1; };", "partial_names must be true or false" },
	{ "milter = { umask = \"9z\"; };", "umask must be an octal string" },
	{ "milter = { on_error = \"hold\"; };", "on_error: 'hold' is not allowed here" },
	{ "limits = { on_truncated = \"accept\"; };", "on_truncated: 'accept' is not allowed here" },
	{ "notify = { on = [ \"none\" ]; };", "notify.on lists hold, tag or reject" },
	{ "rosters = ( { encoding = \"utf-8\"; } );", "a roster entry needs a file" },
	{ "rosters = ( { file = \"a\"; columns = { shoe_size = \"S\"; }; } );", "unknown roster column shoe_size" },
	{ "world_readable_rosters = \"maybe\";", "allow, warn or refuse" },
	{ "scores = { name = 10;", "pupilguard.conf:1: syntax error" },
};

START_TEST(test_errors)
{
	struct pg_diag d;
	struct pg_conf *c = parse(bad[_i].text, &d);
	int seen = 0;

	ck_assert_msg(c == NULL, "'%s' must be refused", bad[_i].text);
	for (size_t i = 0; i < d.n; i++)
		seen |= strstr(d.items[i].text, bad[_i].error) != NULL;
	ck_assert_msg(seen, "'%s': expected '%s', got '%s'", bad[_i].text, bad[_i].error,
		      d.n ? d.items[0].text : "-");
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_every_error_reported)
{
	struct pg_diag d;
	struct pg_conf *c = parse("a = 1;\nb = 2;\nscores = { name = \"x\"; };\n", &d);

	ck_assert_ptr_null(c);
	ck_assert_uint_eq(d.nerrors, 3);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_shipped_example)
{
	const char *src = getenv("PG_TOP_SRCDIR");
	char path[4096];
	struct pg_diag d;
	struct pg_conf *c;

	snprintf(path, sizeof(path), "%s/conf/pupilguard.conf", src ? src : "../..");
	pg_diag_init(&d);
	c = conf_load(path, &d);
	ck_assert_msg(c != NULL, "%s", d.n ? d.items[0].text : "");
	ck_assert_uint_eq(c->nrosters, 1);
	conf_free(&c);
	pg_diag_free(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("conf");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_everything);
	tcase_add_loop_test(tc, test_errors, 0, (int)PG_ARRAY_LEN(bad));
	tcase_add_test(tc, test_every_error_reported);
	tcase_add_test(tc, test_shipped_example);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
