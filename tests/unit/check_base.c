/*
 * check_base.c - the base layer's small modules: the CSV reader, finding
 * kinds, the error convention's pg_errorf, HMAC-SHA256 and key files, and
 * pg_str_visible() for message text on its way to a terminal or a notice.
 */
#include "config.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "hmac.h"
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

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block). */
static const struct {
	const char *key_hex, *data, *mac;
} hmac_cases[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "4a656665", "what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "Test Using Larger Than Block-Size Key - Hash Key First",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
};

static size_t unhex(const char *hex, unsigned char *out)
{
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		unsigned v;

		ck_assert_int_eq(sscanf(hex, "%2x", &v), 1);
		out[n++] = (unsigned char)v;
	}
	return n;
}

START_TEST(test_hmac_rfc4231)
{
	unsigned char key[256], mac[PG_HMAC_BYTES], want[PG_HMAC_BYTES];
	size_t klen = unhex(hmac_cases[_i].key_hex, key);

	ck_assert_uint_eq(unhex(hmac_cases[_i].mac, want), PG_HMAC_BYTES);
	pg_hmac_sha256(key, klen, hmac_cases[_i].data, strlen(hmac_cases[_i].data), mac);
	ck_assert(pg_equal_const(mac, want, sizeof(mac)));
	mac[31] ^= 1;
	ck_assert(!pg_equal_const(mac, want, sizeof(mac)));
}
END_TEST

/* Parts are length-prefixed: "ab"+"c" is not "a"+"bc", and the framing is
 * exactly 4-byte big-endian lengths before each part. */
START_TEST(test_hmac_parts_framed)
{
	struct pg_key k;
	const char *p1[] = { "ab", "c" }, *p2[] = { "a", "bc" };
	char h1[PG_HMAC_HEX], h2[PG_HMAC_HEX], h3[PG_HMAC_HEX];
	unsigned char raw[PG_HMAC_BYTES], framed[PG_HMAC_BYTES];
	const unsigned char input[] = { 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 1, 'c' };
	const size_t lens[] = { 2, 1 };

	memset(&k, 7, sizeof(k));
	pg_hmac_hex(&k, p1, 2, h1);
	pg_hmac_hex(&k, p2, 2, h2);
	pg_hmac_hex(&k, p1, 2, h3);
	ck_assert_str_ne(h1, h2);
	ck_assert_str_eq(h1, h3);
	ck_assert_uint_eq(strlen(h1), 2 * PG_HMAC_BYTES);
	pg_hmac_sha256(k.bytes, sizeof(k.bytes), input, sizeof(input), raw);
	pg_hmac_parts(k.bytes, sizeof(k.bytes), p1, lens, 2, framed);
	ck_assert(pg_equal_const(raw, framed, sizeof(raw)));
}
END_TEST

/* A key file is made 0600 when asked, read back the same, and refused when
 * others can read it or it is short. */
START_TEST(test_key_file)
{
	char dir[] = "/tmp/check_base.XXXXXX", path[64];
	struct pg_key a, b;
	const char *err = NULL;
	struct stat st;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/key", dir);
	ck_assert_int_eq(pg_key_load(&a, path, 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
	ck_assert_int_eq(pg_key_load(&a, path, 1, &err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(pg_key_load(&b, path, 0, &err), 0);
	ck_assert(pg_equal_const(a.bytes, b.bytes, sizeof(a.bytes)));
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(pg_key_load(&b, path, 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "only by its owner"));
	ck_assert_int_eq(unlink(path), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("short", f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(pg_key_load(&b, path, 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "fewer than"));
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	pg_key_wipe(&a);
	pg_key_wipe(&b);
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

static const struct {
	const char *in;
	const char *want;
} visible_cases[] = {
	{ "plain text", "plain text" },
	{ "ESC \x1b[31mred", "ESC \\x1b[31mred" },
	{ "bell\x07", "bell\\x07" },
	{ "a\r\nX-Fake: 1", "a\\x0d\\x0aX-Fake: 1" },
	{ "tab\there", "tab here" },
	{ "del\x7f", "del\\x7f" },
	/* C1 controls written as UTF-8 (U+009B CSI, U+0085 NEL) */
	{ "csi\xc2\x9b" "2J nel\xc2\x85", "csi\\u009b2J nel\\u0085" },
	/* the same bytes alone are not UTF-8 */
	{ "raw\x9b" "2J", "raw\\x9b2J" },
	/* bidi override, isolate, mark; line separator */
	{ "txt.\xe2\x80\xae" "exe", "txt.\\u202eexe" },
	{ "\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8f", "\\u2066x\\u2069\\u200f" },
	{ "one\xe2\x80\xa8two", "one\\u2028two" },
	/* valid UTF-8 kept: accents, CJK, emoji, a non-breaking space */
	{ "Zo\xc3\xab \xc5\x81ukasz \xe5\xad\xa6 \xf0\x9f\x93\x9a\xc2\xa0!",
	  "Zo\xc3\xab \xc5\x81ukasz \xe5\xad\xa6 \xf0\x9f\x93\x9a\xc2\xa0!" },
	/* overlong, surrogate and cut sequences are bytes, not characters */
	{ "\xc0\xaf", "\\xc0\\xaf" },
	{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },
	{ "cut\xe2\x80", "cut\\xe2\\x80" },
	{ "back\\slash", "back\\slash" },
	{ "", "" },
};

START_TEST(test_visible)
{
	char *got = pg_str_visible(visible_cases[_i].in);
	char fixed[64];

	ck_assert_str_eq(got, visible_cases[_i].want);
	/* The fixed-size form the logger uses gives the same when it fits. */
	pg_str_visible_to(fixed, sizeof(fixed), visible_cases[_i].in);
	ck_assert_str_eq(fixed, visible_cases[_i].want);
	free(got);
}
END_TEST

START_TEST(test_visible_keep_lf_and_cut)
{
	struct pg_buf b;
	char small[8];

	pg_buf_init(&b, 16);
	pg_buf_put_visible(&b, "a\nb\r\n\x1b", 6, PG_VISIBLE_KEEP_LF);
	ck_assert_str_eq(b.data, "a\nb\\x0d\n\\x1b");
	pg_buf_free(&b, 0);
	/* Cut before an escape that does not fit, never inside one. */
	pg_str_visible_to(small, sizeof(small), "abcd\x1b");
	ck_assert_str_eq(small, "abcd");
	pg_str_visible_to(small, sizeof(small), "ab\xc3\xab\xc3\xab\xc3\xab");
	ck_assert_str_eq(small, "ab\xc3\xab\xc3\xab");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("base");
	TCase *th = tcase_create("hmac");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_csv_rows, 0, (int)PG_ARRAY_LEN(csv_cases));
	tcase_add_test(tc, test_csv_malformed_goes_on);
	tcase_add_test(tc, test_csv_sniff);
	tcase_add_test(tc, test_kind_round_trip);
	tcase_add_test(tc, test_errorf_slots);
	tcase_add_loop_test(tc, test_visible, 0, (int)PG_ARRAY_LEN(visible_cases));
	tcase_add_test(tc, test_visible_keep_lf_and_cut);
	tcase_add_loop_test(th, test_hmac_rfc4231, 0, (int)PG_ARRAY_LEN(hmac_cases));
	tcase_add_test(th, test_hmac_parts_framed);
	tcase_add_test(th, test_key_file);
	suite_add_tcase(s, th);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
