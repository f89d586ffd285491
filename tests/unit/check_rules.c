/*
 * check_rules.c - rule files and rule features: validators, proximity to a
 * named pupil, directions, capture groups, masking, a pupil's own UPN and
 * date of birth, dates of birth, allowlists; and the errors a bad rule file
 * gets.
 */
#include "testlib.h"

#include "rules.h"

static struct pg_policy *pol;

static const char rules_text[] =
	"rules = (\n"
	" { name = \"upn\"; type = \"upn\"; patterns = [ \"\\\\b[A-Z][0-9]{11}[0-9A-Z]\\\\b\" ];\n"
	"   validator = \"upn\"; score = 20; },\n"
	" { name = \"kw\"; type = \"medical\"; patterns = [ \"\\\\binhaler\\\\b\" ];\n"
	"   near_pupil = 5; near_score = 15; },\n"
	" { name = \"outonly\"; type = \"fsm\"; patterns = [ \"\\\\bfree school meals\\\\b\" ];\n"
	"   near_pupil = 10; near_score = 15; directions = [ \"outbound\" ]; },\n"
	" { name = \"dob\"; type = \"dob\"; validator = \"date\"; near_pupil = 10; near_score = 15;\n"
	"   patterns = [ \"\\\\b[0-3]?[0-9]/[01]?[0-9]/(?:19|20)[0-9]{2}\\\\b\" ]; },\n"
	" { name = \"nhs_labelled\"; type = \"nhs\"; validator = \"nhs\"; score = 15;\n"
	"   patterns = [ \"NHS (?:no|number):? ?([0-9 ]{10,12}[0-9])\" ]; },\n"
	" { name = \"dob_roster\"; type = \"dob\"; validator = \"date\"; roster_only = true;\n"
	"   score = 5; patterns = [ \"\\\\b[0-3]?[0-9]/[01]?[0-9]/(?:19|20)[0-9]{2}\\\\b\" ]; },\n"
	" { name = \"dob_labelled\"; type = \"dob\"; validator = \"date\"; score = 10;\n"
	"   patterns = [ \"\\\\bborn ([0-3]?[0-9]/[01]?[0-9]/(?:19|20)[0-9]{2})\\\\b\" ]; },\n"
	" { name = \"off\"; type = \"x\"; patterns = [ \"Amelia\" ]; score = 1; enabled = false; }\n"
	");\n";

static void scan(const char *body, enum pg_direction dir, struct pg_result *r)
{
	char msg[4096];

	snprintf(msg, sizeof(msg), "Subject: s\n\n%s\n", body);
	tl_scan(pol, msg, dir, r);
}

static const struct pg_finding *find(const struct pg_result *r, const char *rule)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].rule, rule) == 0)
			return &r->v[i];
	return NULL;
}

START_TEST(test_identifiers)
{
	struct pg_result r;
	const struct pg_finding *f;

	scan("UPN B801200005001 and a wrong one C801200005001.", PG_DIR_OUTBOUND, &r);
	f = find(&r, "upn");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->count, 1); /* the wrong check letter does not count */
	ck_assert_str_eq(f->pupil, "B801200005001"); /* a pupil's own UPN names them */
	ck_assert_str_eq(f->excerpt, "B##########01");
	engine_result_free(&r);
	scan("NHS number: 943 476 5919; order 943 476 5918.", PG_DIR_OUTBOUND, &r);
	f = find(&r, "nhs_labelled");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->count, 1);
	ck_assert_str_eq(f->excerpt, "### ### ##19"); /* the group only, masked */
	engine_result_free(&r);
}
END_TEST

START_TEST(test_proximity)
{
	struct pg_result r;

	scan("Please bring an inhaler on the trip.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_null(find(&r, "kw")); /* no pupil: policy text */
	engine_result_free(&r);
	scan("Amelia Khan needs her inhaler today.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "kw"));
	ck_assert_str_eq(find(&r, "kw")->pupil, "B801200005001");
	engine_result_free(&r);
	scan("Amelia Khan went out to play and then everyone came back for lunch with an inhaler.",
	     PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_null(find(&r, "kw")); /* more than 5 words away */
	engine_result_free(&r);
	/* not across the start of a section: a heading in a newsletter */
	scan("Winners: Amelia Khan.\n\nNotices\n-------\nPlease bring an inhaler.",
	     PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_null(find(&r, "kw"));
	engine_result_free(&r);
	scan("Her inhaler\n-----------\nAmelia Khan", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "kw")); /* a heading is part of its section */
	engine_result_free(&r);
	/* the pupil's own UPN anchors proximity like a name */
	scan("Pupil B801200005001 uses an inhaler.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "kw"));
	engine_result_free(&r);
}
END_TEST

START_TEST(test_directions_and_disabled)
{
	struct pg_result r;

	scan("Amelia Khan has free school meals.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "outonly"));
	ck_assert_ptr_null(find(&r, "off"));
	engine_result_free(&r);
	scan("Amelia Khan has free school meals.", PG_DIR_INBOUND, &r);
	ck_assert_ptr_null(find(&r, "outonly"));
	engine_result_free(&r);
}
END_TEST

START_TEST(test_dates_of_birth)
{
	struct pg_result r;
	int y, m, d;

	/* the roster's own date of birth, and one old enough to be one, count;
	 * an event date this year does not */
	scan("Amelia Khan, born 04/05/2015.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "dob"));
	engine_result_free(&r);
	scan("Amelia Khan's trip is on 12/06/2026.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_null(find(&r, "dob"));
	engine_result_free(&r);
	ck_assert(validators_date_parse("4th of November 2010", 20, &y, &m, &d));
	ck_assert(y == 2010 && m == 11 && d == 4);
	ck_assert(validators_date_parse("10-Oct-2012", 11, &y, &m, &d) && m == 10);
	ck_assert(validators_date_parse("November 4, 2010", 16, &y, &m, &d) && d == 4);
	ck_assert(validators_date("2015-05-04", 10));
	ck_assert(!validators_date("31/02/2015", 10));
	ck_assert(!validators_date("29/02/2015", 10));
	ck_assert(validators_date("29/02/2016", 10));
	ck_assert(!validators_date("04/13/2015", 10));
}
END_TEST

START_TEST(test_roster_date_of_birth)
{
	struct pg_result r;
	const struct pg_finding *f;

	/* Amelia Khan's date of birth, with no name: it names her. */
	scan("Ref 04/05/2015, please update the file.", PG_DIR_OUTBOUND, &r);
	f = find(&r, "dob_roster");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->pupil, "B801200005001");
	ck_assert_int_eq(f->score, 5);
	ck_assert_str_eq(f->excerpt, "##/##/##15");
	/* It is no evidence of a date of birth beside itself. */
	ck_assert_ptr_null(find(&r, "dob"));
	engine_result_free(&r);
	/* Labelled, beside no name: still hers. */
	scan("Born 04/05/2015.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "dob_labelled"));
	ck_assert_str_eq(find(&r, "dob_labelled")->pupil, "B801200005001");
	engine_result_free(&r);
	scan("Born 04/05/2010.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "dob_labelled")); /* a date of birth, of nobody we know */
	ck_assert_ptr_null(find(&r, "dob_labelled")->pupil);
	engine_result_free(&r);
	/* A date that is nobody's birthday on the roster. */
	scan("Ref 04/05/2010, please update the file.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_null(find(&r, "dob_roster"));
	engine_result_free(&r);
	/* Keyword rules count near it as near her name. */
	scan("The child born 04/05/2015 uses an inhaler.", PG_DIR_OUTBOUND, &r);
	ck_assert_ptr_nonnull(find(&r, "kw"));
	ck_assert_str_eq(find(&r, "kw")->pupil, "B801200005001");
	engine_result_free(&r);
}
END_TEST

START_TEST(test_roster_date_of_birth_shared)
{
	static const char roster[] = "UPN,Legal Forename,Legal Surname,DOB\n"
				     "B801200005001,Amelia,Khan,04/05/2015\n"
				     "H801200001001,Tobias,Wren,04/05/2015\n"
				     "E801200003001,Ines,Marlow,23/01/2014\n";
	char *rpath = tl_tempfile(roster, sizeof(roster) - 1), text[1024], *cpath, *rules;
	struct pg_policy *p;
	struct pg_diag diag;
	struct pg_result r;
	const struct pg_finding *f = NULL;

	rules = tl_tempfile(rules_text, sizeof(rules_text) - 1);
	snprintf(text, sizeof(text),
		 "rosters = ( \"%s\" ); world_readable_rosters = \"allow\"; rules = [ \"%s\" ];\n",
		 rpath, rules);
	cpath = tl_tempfile(text, strlen(text));
	pg_diag_init(&diag);
	p = policy_load(cpath, NULL, NULL, &diag);
	ck_assert_msg(p != NULL, "%s", diag.n ? diag.items[0].text : "");
	pg_diag_free(&diag);
	/* Two pupils were born that day: it counts, and names neither. */
	tl_scan(p, "Subject: s\n\nRef 04/05/2015 uses an inhaler.\n", PG_DIR_OUTBOUND, &r);
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.v[i].rule, "dob_roster") == 0)
			f = &r.v[i];
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(f->pupil);
	ck_assert_ptr_null(find(&r, "kw")); /* no pupil named, so no anchor */
	engine_result_free(&r);
	/* The third pupil's is hers alone. */
	tl_scan(p, "Subject: s\n\nRef 23/01/2014.\n", PG_DIR_OUTBOUND, &r);
	ck_assert(tl_has(&r, "dob", "E801200003001"));
	engine_result_free(&r);
	policy_unref(&p);
	unlink(rpath);
	unlink(cpath);
	unlink(rules);
	free(rpath);
	free(cpath);
	free(rules);
}
END_TEST

START_TEST(test_allowlist)
{
	struct pg_policy *p = tl_policy("names = { allow_phrases = [ \"Rose Hill Academy\" ]; };");
	struct pg_result r;

	tl_scan(p, "Subject: s\n\nThe match against Rose Hill Academy.\n", PG_DIR_OUTBOUND, &r);
	ck_assert_uint_eq(r.n, 0);
	engine_result_free(&r);
	tl_scan(p, "Subject: s\n\nRose Hill scored.\n", PG_DIR_OUTBOUND, &r);
	ck_assert(tl_has(&r, "name", "C801200004001"));
	engine_result_free(&r);
	policy_unref(&p);
}
END_TEST

static const struct {
	const char *text, *error;
} bad[] = {
	{ "rules = ( { name = \"x\"; patterns = [ \"a(b\" ]; score = 1; } );",
	  "bad.rules:1: rule x, pattern 1: missing closing parenthesis at offset 3" },
	{ "rules = ( { name = \"x\"; patterns = [ \"a\" ]; } );", "can never count" },
	{ "rules = ( { name = \"x\"; patterns = [ \"a\" ]; score = 1; validator = \"iban\"; } );",
	  "unknown validator 'iban'" },
	{ "rules = ( { name = \"x\"; patterns = [ \"a\" ]; score = 1; colour = 1; } );",
	  "bad.rules:1: unknown rule option colour" },
	{ "rules = ( { name = \"x\"; patterns = [ \"a\" ]; score = 1; directions = [ \"up\" ]; } );",
	  "unknown direction 'up'" },
	{ "rules = ( { patterns = [ \"a\" ]; score = 1; } );", "a rule needs a name" },
	{ "rules = ( { name = \"x\"; score = 1; } );", "needs patterns" },
	{ "rules = ( { name = \"x\" ", "bad.rules:1: syntax error" },
	/* A wrongly typed option would otherwise be ignored: the rule left on,
	 * or applying in every direction. */
	{ "rules = ( { name = \"x\"; patterns = [ \"a\" ]; score = 1;\n enabled = \"no\"; } );",
	  "bad.rules:2: rule option enabled must be true or false" },
	{ "rules = ( { name = \"x\"; patterns = [ \"a\" ]; score = 1; directions = \"outbound\"; } );",
	  "rule option directions must be a list of strings" },
	{ "rules = ( { name = \"x\"; patterns = [ \"a\" ]; near_pupil = 2.5; near_score = 1; } );",
	  "rule option near_pupil must be a whole number" },
	{ "rules = ( { name = \"x\"; patterns = \"a\"; score = 1; } );",
	  "rule option patterns must be a list" },
	{ "rules = ( { name = \"x\"; type = \"sen\"; patterns = [ \"a\" ]; score = 1;\n"
	  " roster_only = true; } );",
	  "bad.rules:1: rule x: roster_only needs type \"upn\" or \"dob\"" },
	{ "rules = ( { name = \"x\"; type = \"dob\"; patterns = [ \"a\" ]; near_pupil = 3;\n"
	  " near_score = 1; roster_only = true; } );",
	  "a roster_only rule needs a score" },
};

START_TEST(test_errors)
{
	struct pg_rules rules;
	struct pg_diag d;
	int seen = 0;

	rules_init(&rules);
	pg_diag_init(&d);
	ck_assert_int_eq(rules_load_text(&rules, "bad.rules", bad[_i].text, &d), -1);
	for (size_t i = 0; i < d.n; i++)
		seen |= strstr(d.items[i].text, bad[_i].error) != NULL;
	ck_assert_msg(seen, "expected '%s', got '%s'", bad[_i].error, d.n ? d.items[0].text : "-");
	rules_free(&rules);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_shipped_packs_load)
{
	static const char *const packs[] = { "identifiers", "safeguarding", "send", "health",
					     "welfare" };
	const char *src = getenv("PG_TOP_SRCDIR");

	for (size_t i = 0; i < PG_ARRAY_LEN(packs); i++) {
		char path[4096];
		struct pg_rules rules;
		struct pg_diag d;

		snprintf(path, sizeof(path), "%s/rules/%s.rules", src ? src : "../..", packs[i]);
		rules_init(&rules);
		pg_diag_init(&d);
		ck_assert_msg(rules_load(&rules, path, 1, &d) == 0, "%s: %s", path,
			      d.n ? d.items[0].text : "");
		ck_assert_msg(rules.n > 0, "%s has rules", path);
		rules_free(&rules);
		pg_diag_free(&d);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");
	char *rules = tl_tempfile(rules_text, sizeof(rules_text) - 1);
	char extra[256];
	int rc;

	engine_global_init();
	snprintf(extra, sizeof(extra), "rules = [ \"%s\" ];", rules);
	pol = tl_policy(extra);
	unlink(rules);
	free(rules);
	tcase_add_test(tc, test_identifiers);
	tcase_add_test(tc, test_proximity);
	tcase_add_test(tc, test_directions_and_disabled);
	tcase_add_test(tc, test_dates_of_birth);
	tcase_add_test(tc, test_roster_date_of_birth);
	tcase_add_test(tc, test_roster_date_of_birth_shared);
	tcase_add_test(tc, test_allowlist);
	tcase_add_loop_test(tc, test_errors, 0, (int)PG_ARRAY_LEN(bad));
	tcase_add_test(tc, test_shipped_packs_load);
	suite_add_tcase(s, tc);
	rc = tl_run(s);
	policy_unref(&pol);
	return rc;
}
