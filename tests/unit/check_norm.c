/*
 * check_norm.c - folding and tokenising: accents, scripts, apostrophes,
 * hyphens, white space, separators and token flags.
 */
#include "testlib.h"

#include "norm.h"

static const struct {
	const char *in, *out;
} folds[] = {
	{ "Zoë", "zoe" }, { "ZOË", "zoe" }, { "Łukasz", "lukasz" }, { "Ștefan", "stefan" },
	{ "Nguyễn", "nguyen" }, { "Strauß", "strauss" }, { "Søren Kjærgaard", "soren kjaergaard" },
	{ "ﬁona", "fiona" }, { "ＡＭＥＬＩＡ", "amelia" }, { "O’Connor", "o connor" },
	{ "O'Connor", "o connor" }, { "Smith-Jones", "smith jones" }, { "Smith‑Jones", "smith jones" },
	{ "Bríd Ní Bhriain", "brid ni bhriain" }, { "Yılmaz", "yilmaz" }, { "Иван", "иван" },
	{ "  Amelia \t Khan  ", "amelia khan" }, { "Amelia\xC2\xA0Khan", "amelia khan" },
	{ "co\xC2\xADop", "coop" },
};

START_TEST(test_fold)
{
	char *f = norm_fold_phrase(folds[_i].in, strlen(folds[_i].in));

	ck_assert_msg(strcmp(f, folds[_i].out) == 0, "fold('%s') = '%s', want '%s'", folds[_i].in, f,
		      folds[_i].out);
	free(f);
}
END_TEST

/* The separator before the second token of TEXT. */
static const struct {
	const char *text;
	enum pg_sep sep;
} seps[] = {
	{ "Amelia Khan", PG_SEP_SPACE }, { "Amelia\nKhan", PG_SEP_SPACE },
	{ "Amelia\r\n> Khan", PG_SEP_SPACE }, { "Amelia\n\nKhan", PG_SEP_BREAK },
	{ "Amelia\xC2\xA0Khan", PG_SEP_SPACE }, { "Amelia\xE2\x80\xAFKhan", PG_SEP_SPACE },
	{ "Amelia\tKhan", PG_SEP_CELL }, { "Amelia | Khan", PG_SEP_CELL },
	{ "Amelia;Khan", PG_SEP_CELL }, { "Khan, Amelia", PG_SEP_COMMA },
	{ "Khan,Amelia", PG_SEP_COMMA }, { "O'Connor", PG_SEP_JOIN },
	{ "O\xE2\x80\x99" "Connor", PG_SEP_JOIN }, { "Smith-Jones", PG_SEP_JOIN },
	{ "Smith - Jones", PG_SEP_BREAK }, { "Amelia. Khan", PG_SEP_BREAK },
	{ "A. Khan", PG_SEP_SPACE }, { "A.Khan", PG_SEP_SPACE }, { "Amelia (Khan)", PG_SEP_BREAK },
	{ "Amelia > Khan", PG_SEP_BREAK }, { "Amelia\n\t\n\tKhan", PG_SEP_CELL },
};

START_TEST(test_separators)
{
	struct pg_tokens t;

	norm_tokens_init(&t);
	norm_tokenize(seps[_i].text, strlen(seps[_i].text), &t);
	ck_assert_msg(t.n >= 2, "'%s': two tokens", seps[_i].text);
	ck_assert_msg(t.v[1].sep == seps[_i].sep, "'%s': separator %d, want %d", seps[_i].text,
		      t.v[1].sep, seps[_i].sep);
	ck_assert_msg(t.v[0].sep == PG_SEP_NONE, "first token has no separator");
	norm_tokens_free(&t);
}
END_TEST

START_TEST(test_flags_offsets)
{
	const char *text = "KHAN Amelia khan Zoë 4B A.";
	struct pg_tokens t;

	norm_tokens_init(&t);
	norm_tokenize(text, strlen(text), &t);
	ck_assert_int_eq(t.n, 6);
	ck_assert(t.v[0].flags & PG_TOK_UPPER);
	ck_assert(t.v[1].flags & PG_TOK_CAPITAL);
	ck_assert(!(t.v[1].flags & PG_TOK_UPPER));
	ck_assert(t.v[2].flags & PG_TOK_LOWER);
	ck_assert(t.v[3].flags & PG_TOK_CAPITAL);
	ck_assert(t.v[4].flags & PG_TOK_DIGIT);
	ck_assert(t.v[5].flags & PG_TOK_DOTTED);
	/* offsets map back to the source */
	ck_assert_int_eq(t.v[3].start, 17);
	ck_assert_int_eq(t.v[3].end, 21); /* "Zoë" is 4 bytes */
	ck_assert(strncmp(norm_token_text(&t, 3), "zoe", t.v[3].norm_len) == 0);
	ck_assert_uint_eq(norm_token_at(&t, 18), 3);
	ck_assert_uint_eq(norm_token_at(&t, 0), 0);
	norm_tokens_free(&t);
}
END_TEST

START_TEST(test_invalid_utf8_and_long)
{
	char big[300];
	struct pg_tokens t;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	norm_tokens_init(&t);
	norm_tokenize("Amelia\xFF\xFEKhan", 10, &t);
	ck_assert_int_eq(t.n, 2);
	ck_assert_int_eq(t.v[1].sep, PG_SEP_BREAK); /* invalid bytes separate */
	norm_tokens_reset(&t);
	norm_tokenize(big, strlen(big), &t);
	ck_assert_int_eq(t.n, 1);
	ck_assert(t.v[0].flags & PG_TOK_LONG);
	ck_assert_int_eq(t.v[0].norm_len, PG_TOKEN_MAX);
	norm_tokens_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("norm");
	TCase *tc = tcase_create("norm");

	tcase_add_loop_test(tc, test_fold, 0, (int)PG_ARRAY_LEN(folds));
	tcase_add_loop_test(tc, test_separators, 0, (int)PG_ARRAY_LEN(seps));
	tcase_add_test(tc, test_flags_offsets);
	tcase_add_test(tc, test_invalid_utf8_and_long);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
