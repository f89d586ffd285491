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
	/* Look-alike letters inside a Latin word; a wholly Cyrillic word stays. */
	{ "Nw\xD0\xBEsu", "nwosu" }, { "B\xD0\xB0ird", "baird" }, { "\xCE\x9Fscar", "oscar" },
	{ "\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB0", "\xD0\xBE\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB0" },
	{ "Ham\xE2\x80\x8Bish", "hamish" }, { "Ha\xE2\x80\x8Emish", "hamish" },
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

/* The word walkers against plain byte loops that say what they mean. */
static int ref_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int ref_alnum(unsigned char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

static size_t ref_back(const char *text, size_t pos, size_t k)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i = pos;

	while (k > 0 && i > 0) {
		int word = 0;

		while (i > 0 && ref_space(u[i - 1]))
			i--;
		while (i > 0 && !ref_space(u[i - 1]))
			word |= ref_alnum(u[--i]);
		k -= (size_t)word;
	}
	return i;
}

static size_t ref_forward(const char *text, size_t len, size_t pos, size_t k)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i = pos;

	while (k > 0 && i < len) {
		int word = 0;

		while (i < len && ref_space(u[i]))
			i++;
		while (i < len && !ref_space(u[i]))
			word |= ref_alnum(u[i++]);
		k -= (size_t)word;
	}
	return i;
}

START_TEST(test_words_walk)
{
	const char *s = "Dear  parents, -- (Amelia) \xC3\xA9\xC3\xA0 & Khan\n";
	size_t len = strlen(s), amelia = (size_t)(strstr(s, "(Amelia") - s);

	/* "--" and "&" hold no letter: they are not words. */
	ck_assert_uint_eq(norm_words_back(s, amelia, 1), (size_t)(strstr(s, "parents") - s));
	ck_assert_uint_eq(norm_words_back(s, amelia, 2), 0);
	ck_assert_uint_eq(norm_words_back(s, amelia, 3), 0);
	ck_assert_uint_eq(norm_words_back(s, amelia, 0), amelia);
	/* "éà" has no ASCII letter either. */
	ck_assert_uint_eq(norm_words_forward(s, len, amelia, 1), amelia + strlen("(Amelia)"));
	ck_assert_uint_eq(norm_words_forward(s, len, amelia, 2), len - 1);
	ck_assert_uint_eq(norm_words_forward(s, len, amelia, 3), len);
	ck_assert_uint_eq(norm_words_forward(s, len, len, 1), len);
	ck_assert_uint_eq(norm_words_back(s, 0, 1), 0);
}
END_TEST

START_TEST(test_words_walk_long)
{
	/* A word of 300 bytes with its only letter at one end: it spans five
	 * 64-byte blocks and still counts. */
	char buf[400];

	memset(buf, '(', sizeof(buf));
	buf[0] = 'a';
	buf[300] = ' ';
	buf[301] = 'b';
	ck_assert_uint_eq(norm_words_forward(buf, 302, 0, 1), 300);
	ck_assert_uint_eq(norm_words_forward(buf, 302, 0, 2), 302);
	ck_assert_uint_eq(norm_words_back(buf, 302, 2), 0);
	buf[0] = '(';
	buf[299] = 'a';
	ck_assert_uint_eq(norm_words_back(buf, 302, 2), 0);
	ck_assert_uint_eq(norm_words_back(buf, 300, 1), 0);
	buf[299] = '(';
	ck_assert_uint_eq(norm_words_back(buf, 302, 2), 0); /* one word only */
	ck_assert_uint_eq(norm_words_forward(buf, 302, 0, 1), 302);
}
END_TEST

START_TEST(test_words_walk_random)
{
	/* Random texts over bytes of each class, long enough to cross many
	 * 64-byte blocks, with words that cross them. */
	static const char alphabet[] = { ' ', ' ', '\n', '\t', 'a', 'Z', '7', '-', '(', '.',
					 (char)0xC3, (char)0xA9, 'b', 'q', '\r', '&' };
	char buf[700];
	unsigned seed = 12345;
	size_t compared = 0, nonzero = 0;

	for (int round = 0; round < 4000; round++) {
		size_t len, pos, k;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % sizeof(buf);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Runs of one class now and then, so long words and gaps occur. */
			unsigned keep = round % 3 == 0 ? 4 : round % 3 == 1 ? 100 : 1;

			buf[i] = (keep > 1 && i > 0 && (seed >> 20) % keep != 0)
					 ? buf[i - 1]
					 : alphabet[(seed >> 16) % sizeof(alphabet)];
		}
		seed = seed * 1103515245u + 12345u;
		pos = len ? (seed >> 8) % (len + 1) : 0;
		k = (seed >> 4) % 60;
		ck_assert_msg(norm_words_back(buf, pos, k) == ref_back(buf, pos, k),
			      "back: round %d len %zu pos %zu k %zu", round, len, pos, k);
		ck_assert_msg(norm_words_forward(buf, len, pos, k) == ref_forward(buf, len, pos, k),
			      "forward: round %d len %zu pos %zu k %zu", round, len, pos, k);
		nonzero += ref_back(buf, pos, k) > 0 && ref_forward(buf, len, pos, k) < len;
		compared++;
	}
	ck_assert_uint_eq(compared, 4000);
	/* Most walks stop inside the text, so the block logic is exercised. */
	ck_assert_uint_gt(nonzero, 300);
}
END_TEST

static const struct {
	const char *text, *from, *to; /* between the end of FROM and the start of TO */
	int section;
} sections[] = {
	/* A heading after a blank line, underlined: the section below starts. */
	{ "Winners: Amelia Khan.\n\nNotices\n-------\nFree school meals", "Khan.", "Free", 1 },
	{ "Winners: Amelia Khan.\r\n \r\nNotices\r\n=======\r\nFree", "Khan.", "Free", 1 },
	/* A rule after a blank line (<hr>, or written by hand). */
	{ "Amelia Khan\n\n* * *\n\nasthma", "Khan", "asthma", 1 },
	/* The heading belongs to what is under it. */
	{ "Child protection plans\n----------------------\nAmelia Khan", "plans", "Amelia", 0 },
	/* A table's header row is underlined but starts no section. */
	{ "On CP plans:\n\nName | Year\n-----------\nAmelia Khan | 4", "plans:", "Amelia", 0 },
	{ "On CP plans:\n\nName\tYear\n-----------\nAmelia Khan\t4", "plans:", "Amelia", 0 },
	/* No blank line before it; a signature's "-- "; two dashes. */
	{ "Amelia Khan\nNotices\n-------\nasthma", "Khan", "asthma", 0 },
	{ "Amelia Khan\n\n-- \nasthma", "Khan", "asthma", 0 },
	{ "Amelia Khan\n\nNotices\n--\nasthma", "Khan", "asthma", 0 },
	/* A heading outside the range counts for nothing. */
	{ "Notices\n-------\nAmelia Khan has asthma\n\nMore\n----\n", "Khan", "asthma", 0 },
};

START_TEST(test_sections)
{
	const char *t = sections[_i].text;
	size_t from = (size_t)(strstr(t, sections[_i].from) - t) + strlen(sections[_i].from);
	size_t to = (size_t)(strstr(t, sections[_i].to) - t);

	ck_assert_msg(norm_section_between(t, strlen(t), from, to) == sections[_i].section,
		      "case %d: want %d", _i, sections[_i].section);
}
END_TEST

START_TEST(test_sections_long_line)
{
	/* A heading line longer than any heading is not looked into, nor is a
	 * text of one long line (that would cost its length per anchor). */
	char buf[1200];

	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "x\n\n", 3);
	buf[400] = '\n';
	memcpy(buf + 401, "-----\ny", 7);
	buf[sizeof(buf) - 1] = '\0';
	ck_assert_int_eq(norm_section_between(buf, strlen(buf), 1, 402 + 6), 0);
	buf[40] = '\n'; /* now a short heading line "aaa...a" from 3 to 40 */
	memcpy(buf + 41, "-----\n", 6);
	ck_assert_int_eq(norm_section_between(buf, strlen(buf), 1, 60), 1);
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
	tcase_add_loop_test(tc, test_sections, 0, (int)PG_ARRAY_LEN(sections));
	tcase_add_test(tc, test_sections_long_line);
	tcase_add_test(tc, test_words_walk);
	tcase_add_test(tc, test_words_walk_long);
	tcase_add_test(tc, test_words_walk_random);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
