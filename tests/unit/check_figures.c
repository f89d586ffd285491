/*
 * check_figures.c - public figures and recurring phrases: a name on the
 * figures list is the figure only with one of its words near it, a phrase
 * judged a place, phrase or figure once is judged so wherever it recurs in
 * the message, and a bad figures file is reported by line.
 */
#include "config.h"

#include "figures.h"
#include "testlib.h"

static const char roster[] =
	"UPN,Legal Forename,Middle Names,Legal Surname,Preferred Forename,Preferred Surname,"
	"DOB,Year,Reg Group\n"
	"A801200020001,Harry,,Kane,Harry,Kane,04/05/2015,5,5 Oak\n"
	"B801200021001,Rose,,Hill,Rose,Hill,02/02/2013,7,7C\n"
	"C801200022001,Emma,,Watson,Emma,Watson,03/03/2016,3,3 Ash\n";

static const char figures[] =
	"# test list\n"
	"Harry Kane: England, striker, World Cup\n"
	"Emma Watson: actress, Hermione\n";

static struct pg_policy *pol;

static void setup(void)
{
	char *f = tl_tempfile(figures, sizeof(figures) - 1);
	char extra[512];

	snprintf(extra, sizeof(extra), "names = { public_figures = \"%s\"; };", f);
	pol = tl_policy_of(roster, NULL, extra);
	unlink(f);
	free(f);
}

static void teardown(void)
{
	policy_unref(&pol);
}

static const struct {
	const char *subject, *body;
	const char *want; /* UPNs named in full, space-separated; "" for none */
} cases[] = {
	/* the figure, by a word near the name */
	{ "Sports day", "Our guest was England captain Harry Kane, who signed shirts.", "" },
	{ "Assembly", "We watched Emma Watson, the actress, talk about books.", "" },
	{ "Football", "Harry Kane scored in the World Cup.", "" },
	/* the pupil: no word of the figure near the name (negatives) */
	{ "Late", "Harry Kane was late to school today.", "A801200020001" },
	{ "Reading", "Emma Watson read her story to the class.", "C801200022001" },
	/* a word of another figure does not make this one a figure */
	{ "Play", "Emma Watson played the striker in the match.", "C801200022001" },
	/* recurrence: judged the figure once, the same words are the figure */
	{ "Harry Kane visit", "The England striker Harry Kane visited. Harry Kane waved.", "" },
	/* judged a place once, the heading with the same words is the place */
	{ "Rose Hill", "The coach leaves from Rose Hill Road at nine.", "" },
	/* the place is not another pupil's cover: Harry Kane still counts */
	{ "Rose Hill", "Meet at Rose Hill Road. Harry Kane forgot his kit.", "A801200020001" },
	/* another written form of the name is not the same words */
	{ "Trip", "Meet at Rose Hill Road. Please tell HILL, Rose to bring a coat.",
	  "B801200021001" },
	/* with no place anywhere, the heading names the pupil */
	{ "Rose Hill", "Rose Hill has hurt her arm.", "B801200021001" },
};

START_TEST(test_figures_cases)
{
	char msg[2048];
	struct pg_result r;
	struct pg_buf got;

	snprintf(msg, sizeof(msg),
		 "From: teacher@school.example\nSubject: %s\n"
		 "Content-Type: text/plain; charset=utf-8\n\n%s\n",
		 cases[_i].subject, cases[_i].body);
	tl_scan(pol, msg, PG_DIR_OUTBOUND, &r);
	pg_buf_init(&got, 64);
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].kind == PG_KIND_NAME) {
			if (got.len)
				pg_buf_putc(&got, ' ');
			pg_buf_puts(&got, r.v[i].pupil);
		}
	pg_buf_putc(&got, '\0');
	ck_assert_msg(strcmp(got.data, cases[_i].want) == 0, "'%s' / '%s': got '%s', want '%s'",
		      cases[_i].subject, cases[_i].body, got.data, cases[_i].want);
	pg_buf_free(&got, 1);
	engine_result_free(&r);
}
END_TEST

static const struct {
	const char *text;
	const char *error; /* expected in the diagnostic, or NULL when it loads */
} files[] = {
	{ "Harry Kane: England\n\n# comment\nEmma Watson: actress # and more\n", NULL },
	{ "Harry Kane: England\nno colon here\n", ":2: expected" },
	{ "Madonna: singer\n", ":1: a public figure's name needs" },
	{ "\n\nHarry Kane:  , ,\n", ":3: no words" },
};

START_TEST(test_figures_file)
{
	char *path = tl_tempfile(files[_i].text, strlen(files[_i].text));
	struct pg_diag diag;
	struct pg_figures *f;

	pg_diag_init(&diag);
	f = figures_load(path, &diag);
	if (files[_i].error == NULL) {
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(figures_count(f), 2);
		ck_assert_uint_eq(diag.n, 0);
	} else {
		ck_assert_ptr_null(f);
		ck_assert_uint_ge(diag.n, 1);
		ck_assert_msg(strstr(diag.items[0].text, files[_i].error) != NULL, "%s",
			      diag.items[0].text);
		ck_assert_msg(strncmp(diag.items[0].text, path, strlen(path)) == 0,
			      "file named: %s", diag.items[0].text);
	}
	figures_free(&f);
	figures_free(&f);
	pg_diag_free(&diag);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_figures_missing_file)
{
	struct pg_diag diag;

	pg_diag_init(&diag);
	ck_assert_ptr_null(figures_load("/nonexistent/figures.list", &diag));
	ck_assert_uint_eq(diag.n, 1);
	pg_diag_free(&diag);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("figures");
	TCase *tc = tcase_create("figures");
	int rc;

	engine_global_init();
	setup();
	tcase_add_loop_test(tc, test_figures_cases, 0, (int)PG_ARRAY_LEN(cases));
	tcase_add_loop_test(tc, test_figures_file, 0, (int)PG_ARRAY_LEN(files));
	tcase_add_test(tc, test_figures_missing_file);
	suite_add_tcase(s, tc);
	rc = tl_run(s);
	teardown();
	return rc;
}
