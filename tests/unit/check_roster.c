/*
 * check_roster.c - roster and staff CSV loading: header aliases of the
 * usual exports, BOM, quoting, line ends, encodings, bad rows, overrides.
 */
#include "testlib.h"

#include "roster.h"

static int load(const char *data, const struct pg_roster_opts *opts, struct pg_roster *r,
		struct pg_diag *d)
{
	roster_init(r);
	pg_diag_init(d);
	return roster_load_data(r, "test.csv", data, strlen(data), opts, d);
}

static const char *const exports[] = {
	/* SIMS */
	"UPN,Legal Forename,Middle Name(s),Legal Surname,Preferred Forename,Preferred Surname,Date of Birth,Year,Reg Group\r\n"
	"B801200005001,Alexander,,Whitcombe,Sasha,Whitcombe,01/02/2015,4,\"4 Oak\"\r\n",
	/* Arbor */
	"UPN,First name,Middle names,Last name,Preferred first name,Preferred last name,Date of birth,Year group,Registration form\n"
	"B801200005001,Alexander,,Whitcombe,Sasha,Whitcombe,01/02/2015,4,4 Oak\n",
	/* Bromcom */
	"\xEF\xBB\xBFUPN;Legal Forename;Legal Surname;Preferred Forename;Preferred Surname;Middle Name;DOB;Year Group;Tutor Group\r\n"
	"B801200005001;Alexander;Whitcombe;Sasha;Whitcombe;;01/02/2015;4;4 Oak\r\n",
};

START_TEST(test_exports)
{
	struct pg_roster r;
	struct pg_diag d;

	ck_assert_int_eq(load(exports[_i], NULL, &r, &d), 0);
	ck_assert_uint_eq(r.npupils, 1);
	ck_assert_str_eq(r.pupils[0].key, "B801200005001");
	ck_assert_str_eq(r.pupils[0].forename, "Alexander");
	ck_assert_str_eq(r.pupils[0].surname, "Whitcombe");
	ck_assert_str_eq(r.pupils[0].pref_forename, "Sasha");
	ck_assert_ptr_null(r.pupils[0].pref_surname); /* equal to the legal one */
	ck_assert_str_eq(r.pupils[0].year, "4");
	ck_assert_str_eq(r.pupils[0].reg, "4 Oak");
	ck_assert_uint_eq(d.nerrors, 0);
	roster_free(&r);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_quoting_and_bad_rows)
{
	const char *csv =
		"Forename,Surname,Middle Names,UPN\n"
		"\"Mary Kate\",\"McAllister\",\"Anne \"\"Nan\"\"\",\n"
		"Tom,Jones\n"                    /* line 3: too few fields */
		",Smith,,\n"                     /* line 4: empty forename */
		"\"Multi\nLine\",Jones,,\n"      /* lines 5-6: a quoted newline */
		"Bad\"quote,Jones,,\n"           /* line 7: a stray quote is kept */
		"Ann,\"Lee\"x,,\n";              /* line 8: text after a closing quote */
	struct pg_roster r;
	struct pg_diag d;
	int saw3 = 0, saw4 = 0, saw8 = 0;

	ck_assert_int_eq(load(csv, NULL, &r, &d), 0);
	ck_assert_uint_eq(r.npupils, 3);
	ck_assert_str_eq(r.pupils[0].forename, "Mary Kate");
	ck_assert_str_eq(r.pupils[0].middle, "Anne \"Nan\"");
	ck_assert_str_eq(r.pupils[0].key, "test.csv:2"); /* no UPN: file:line */
	ck_assert_str_eq(r.pupils[1].forename, "Multi\nLine");
	ck_assert_str_eq(r.pupils[2].forename, "Bad\"quote");
	for (size_t i = 0; i < d.n; i++) {
		saw3 |= strstr(d.items[i].text, "test.csv:3:") != NULL;
		saw4 |= strstr(d.items[i].text, "test.csv:4: forename is empty") != NULL;
		saw8 |= strstr(d.items[i].text, "test.csv:8:") != NULL;
	}
	ck_assert_msg(saw3 && saw4 && saw8, "bad rows reported with file:line");
	roster_free(&r);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_encodings)
{
	/* Windows-1252: "Zoë" and "Séan" with 0xEB / 0xE9, a curly apostrophe 0x92 */
	const char cp[] = "Forename,Surname\r\nZo\xEB,O\x92" "Brien\r\nS\xE9" "an,Murphy\r\n";
	struct pg_roster_opts o = { .encoding = "windows-1252" };
	struct pg_roster r;
	struct pg_diag d;

	ck_assert_int_eq(load(cp, &o, &r, &d), 0);
	ck_assert_str_eq(r.pupils[0].forename, "Zoë");
	ck_assert_str_eq(r.pupils[0].surname, "O\xE2\x80\x99" "Brien");
	roster_free(&r);
	pg_diag_free(&d);
	ck_assert_int_eq(load(cp, NULL, &r, &d), 0); /* auto: not UTF-8, so 1252 */
	ck_assert_str_eq(r.pupils[1].forename, "Séan");
	roster_free(&r);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_overrides_and_errors)
{
	struct pg_roster_opts o = { 0 };
	struct pg_roster r;
	struct pg_diag d;

	o.columns[PG_COL_FORENAME] = "Given";
	o.columns[PG_COL_SURNAME] = "Family";
	ck_assert_int_eq(load("Given,Family\nAda,Lovelace\n", &o, &r, &d), 0);
	ck_assert_str_eq(r.pupils[0].surname, "Lovelace");
	roster_free(&r);
	pg_diag_free(&d);
	ck_assert_int_eq(load("Name,Class\nAda,4\n", NULL, &r, &d), -1);
	ck_assert_msg(strstr(d.items[0].text, "test.csv:1: no forename column") != NULL, "%s",
		      d.items[0].text);
	roster_free(&r);
	pg_diag_free(&d);
	ck_assert_int_eq(load("", NULL, &r, &d), -1);
	roster_free(&r);
	pg_diag_free(&d);
	roster_init(&r);
	pg_diag_init(&d);
	ck_assert_int_eq(roster_load(&r, "/nonexistent/roster.csv", NULL, &d), -1);
	ck_assert_msg(strstr(d.items[0].text, "/nonexistent/roster.csv: cannot read roster") != NULL,
		      "%s", d.items[0].text);
	roster_free(&r);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_staff)
{
	char *path = tl_tempfile(tl_staff, sizeof(tl_staff) - 1);
	struct pg_roster r;
	struct pg_diag d;

	roster_init(&r);
	pg_diag_init(&d);
	ck_assert_int_eq(roster_load_staff(&r, path, NULL, &d), 0);
	ck_assert_uint_eq(r.nstaff, 1);
	ck_assert_str_eq(r.staff[0].email, "e.roberts@school.example");
	ck_assert_str_eq(r.staff[0].title, "Miss");
	roster_free(&r);
	pg_diag_free(&d);
	unlink(path);
	free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("roster");
	TCase *tc = tcase_create("roster");

	tcase_add_loop_test(tc, test_exports, 0, (int)PG_ARRAY_LEN(exports));
	tcase_add_test(tc, test_quoting_and_bad_rows);
	tcase_add_test(tc, test_encodings);
	tcase_add_test(tc, test_overrides_and_errors);
	tcase_add_test(tc, test_staff);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
