/*
 * check_base.c - the base layer's small modules: the CSV reader, finding
 * kinds and the error convention's pg_errorf.
 */
#include "config.h"

#include "csv.h"
#include "kind.h"
#include "testlib.h"

/* Every row of DATA joined as "f1|f2;" with its line, and errors as "!line;". */
static void csv_all(const char *data, char delim, struct pg_buf *out)
{
	struct pg_csv *csv = csv_open(data, strlen(data), delim);
	struct pg_csv_row row;
	const char *err;
	int rc;

	ck_assert_ptr_nonnull(csv);
	while ((rc = csv_next(csv, &row, &err)) != 0) {
		if (rc < 0) {
			ck_assert_ptr_nonnull(err);
			pg_buf_printf(out, "!%u;", row.line);
			continue;
		}
		pg_buf_printf(out, "%u:", row.line);
		for (size_t i = 0; i < row.nfields; i++)
			pg_buf_printf(out, "%s%s", i ? "|" : "", row.fields[i]);
		pg_buf_putc(out, ';');
	}
	csv_close(&csv);
	ck_assert_ptr_null(csv);
}

static const struct {
	const char *data;
	char delim;
	const char *want;
} csv_cases[] = {
	{ "a,b,c\n1,2,3\n", ',', "1:a|b|c;2:1|2|3;" },
	{ "a,b\r\n1,2\r\n", ',', "1:a|b;2:1|2;" },
	{ "a,b", ',', "1:a|b;" },
	{ "\"Qureshi\",\"Isha\"\n", ',', "1:Qureshi|Isha;" },
	{ "\"a,b\",\"say \"\"hi\"\"\"\n", ',', "1:a,b|say \"hi\";" },
	/* A quoted line break keeps the record, and the next starts on line 3. */
	{ "\"two\nlines\",x\ny,z\n", ',', "1:two\nlines|x;3:y|z;" },
	{ "a;b;;d\n", ';', "1:a|b||d;" },
	{ "a\tb\t\n", '\t', "1:a|b|;" },
	{ ",\n", ',', "1:|;" },
};

START_TEST(test_csv_rows)
{
	struct pg_buf out;

	pg_buf_init(&out, 64);
	csv_all(csv_cases[_i].data, csv_cases[_i].delim, &out);
	ck_assert_msg(strcmp(out.data, csv_cases[_i].want) == 0, "case %d: got [%s]", _i,
		      out.data);
	pg_buf_free(&out, 1);
}
END_TEST

START_TEST(test_csv_malformed_goes_on)
{
	struct pg_buf out;

	pg_buf_init(&out, 64);
	/* A stray quote inside an unquoted field, then a good row. */
	csv_all("a,b\"c\nd,e\n", ',', &out);
	ck_assert_ptr_nonnull(strstr(out.data, "d|e;"));
	pg_buf_free(&out, 1);
	pg_buf_init(&out, 64);
	/* A quote never closed: an error, then the end. */
	csv_all("x,y\n\"open,z\n", ',', &out);
	ck_assert_msg(strncmp(out.data, "1:x|y;!2;", 9) == 0, "got [%s]", out.data);
	pg_buf_free(&out, 1);
}
END_TEST

START_TEST(test_csv_sniff)
{
	ck_assert_int_eq(csv_sniff_delimiter("a,b,c\n", 6), ',');
	ck_assert_int_eq(csv_sniff_delimiter("a;b;c\n", 6), ';');
	ck_assert_int_eq(csv_sniff_delimiter("a\tb\tc\n", 6), '\t');
	ck_assert_int_eq(csv_sniff_delimiter("\"a;b\",c\n", 8), ',');
}
END_TEST

START_TEST(test_kind_round_trip)
{
	for (int k = PG_KIND_NAME; k < PG_KIND_OTHER; k++) {
		ck_assert_int_eq(kind_parse(kind_name((enum pg_kind)k)), k);
		ck_assert_ptr_nonnull(kind_words((enum pg_kind)k));
	}
	ck_assert_int_eq(kind_parse("upn"), PG_KIND_UPN);
	ck_assert_int_eq(kind_parse("UPN"), PG_KIND_OTHER);
	ck_assert_int_eq(kind_parse("bus_pass"), PG_KIND_OTHER);
	ck_assert_ptr_null(kind_words(PG_KIND_OTHER));
	ck_assert(kind_is_name(PG_KIND_PARTIAL_NAME));
	ck_assert(!kind_is_name(PG_KIND_DOB));
}
END_TEST

START_TEST(test_errorf_slots)
{
	const char *e[PG_ERROR_SLOTS];
	char longer[PG_ERROR_MAX * 2];

	for (int i = 0; i < PG_ERROR_SLOTS; i++)
		e[i] = pg_errorf("error %d", i);
	/* Each of the last PG_ERROR_SLOTS messages is still readable. */
	for (int i = 0; i < PG_ERROR_SLOTS; i++) {
		char want[16];

		snprintf(want, sizeof(want), "error %d", i);
		ck_assert_str_eq(e[i], want);
	}
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ck_assert_uint_eq(strlen(pg_errorf("%s", longer)), PG_ERROR_MAX - 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("base");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_csv_rows, 0, (int)PG_ARRAY_LEN(csv_cases));
	tcase_add_test(tc, test_csv_malformed_goes_on);
	tcase_add_test(tc, test_csv_sniff);
	tcase_add_test(tc, test_kind_round_trip);
	tcase_add_test(tc, test_errorf_slots);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
