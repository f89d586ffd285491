/*
 * check_validators.c - unit tests for validators.c.
 *
 * Table-driven: each identifier has a table of values that must pass and a
 * table that must fail.  Published examples are marked with their source;
 * the other valid values were derived by computing the check character with
 * an independent script and checking it by hand.  Invalid values are mostly
 * one change away from a valid one, so that each rule is tested on its own.
 *
 * Every value is copied into a heap buffer of exactly its length, with no
 * terminating NUL, so that AddressSanitizer catches any read past len.
 *
 * It does not test the rule engine's use of the validators.
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "validators.h"

struct vcase {
	const char *value;
	const char *why; /* source of a valid value, or the rule an invalid one breaks */
};

/* Run fn on value from an unterminated heap copy of exactly its length. */
static bool run_exact(validators_fn *fn, const char *value)
{
	size_t len = strlen(value);
	char *copy = malloc(len > 0 ? len : 1);
	bool ok;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, value, len);
	ok = fn(copy, len);
	free(copy);
	return ok;
}

/* Assert that fn accepts, or rejects, every value in a table. */
static void check_table(const char *what, validators_fn *fn, const struct vcase *t, size_t n,
			bool expect)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(run_exact(fn, t[i].value) == expect, "%s(\"%s\") should be %s (%s)",
			      what, t[i].value, expect ? "valid" : "invalid", t[i].why);
}

#define CHECK_TABLE(fn, t, expect) check_table(#fn, fn, t, sizeof(t) / sizeof((t)[0]), expect)

/* ---- UPN ---- */

static const struct vcase upn_valid[] = {
	{ "B801200005001", "published example (gov.uk UPN guidance; python-stdnum gb.upn)" },
	{ "H801200001001", "DfE UPN guidance example (cited in DfE MTC pupil validator tests)" },
	{ "G80120000101A", "DfE UPN guidance temporary UPN example" },
	{ "b801200005001", "lower case" },
	{ "g80120000101a", "lower case temporary" },
	{ "J201001120001", "derived: weighted sum 54, remainder 8 -> J" },
	{ "V351411223017", "derived" },
	{ "H886400124099", "derived" },
	{ "V938210509901", "derived" },
	{ "A821014523001", "derived: remainder 0 -> A" },
	{ "Z821014523008", "derived: remainder 22 -> Z" },
	{ "X35141122301T", "derived temporary: T counts 16 (23-letter index), not 19" },
	{ "G35141122301Z", "derived temporary: Z counts 22, not 25" },
	{ "H80120000101T", "derived temporary" },
	{ "T80120000101Z", "derived temporary" },
};

static const struct vcase upn_invalid[] = {
	{ "", "empty" },
	{ "A801200005001", "wrong check letter" },
	{ "C801200005001", "wrong check letter" },
	{ "Z801200001001", "wrong check letter (DfE guidance counter-example)" },
	{ "B801200005002", "last digit changed" },
	{ "B801200005010", "adjacent digits transposed" },
	{ "B901200005001", "LA digit changed" },
	{ "B80120000500", "12 characters" },
	{ "B8012000050011", "14 characters" },
	{ "801200005001", "check letter missing" },
	{ "B 801200005001", "space inside" },
	{ "B801 200005001", "space inside" },
	{ "B801-200005001", "hyphen inside" },
	{ "B80120000A001", "letter in the middle" },
	{ "1801200005001", "digit as check letter" },
	{ "I801200005001", "I is never a check letter" },
	{ "O801200005001", "O is never a check letter" },
	{ "S801200005001", "S is never a check letter" },
	{ "G80120000101S", "S not allowed as temporary letter" },
	{ "G80120000101I", "I not allowed as temporary letter" },
	{ "G80120000101O", "O not allowed as temporary letter" },
	{ "P35141122301T", "check letter from A=0..Z=25 mapping of T" },
	{ "Z35141122301Z", "check letter from A=0..Z=25 mapping of Z" },
	{ "A80120000101T", "check letter from A=0..Z=25 mapping of T" },
	{ "H80120000101B", "temporary letter changed" },
	{ "X201001120001", "check letter from reversed weights 13..2" },
	{ "B80120000500\xc3", "non-ASCII byte" },
	{ "B8012000050\xd9\xa1", "non-ASCII digit lookalike" },
};

START_TEST(test_upn)
{
	CHECK_TABLE(validators_upn, upn_valid, true);
	CHECK_TABLE(validators_upn, upn_invalid, false);
}
END_TEST

/* Only len bytes count: a valid prefix of a longer buffer passes, a truncation fails. */
START_TEST(test_upn_len)
{
	const char buf[] = "B801200005001X";

	ck_assert_msg(validators_upn(buf, 13), "validators_upn(\"%.13s\", 13) should be valid", buf);
	ck_assert_msg(!validators_upn(buf, 12), "validators_upn(\"%.12s\", 12) should be invalid", buf);
	ck_assert_msg(!validators_upn(buf, 14), "validators_upn(\"%s\", 14) should be invalid", buf);
	ck_assert_msg(!validators_upn(NULL, 0), "validators_upn(NULL, 0) should be invalid");
}
END_TEST

/* ---- ULN ---- */

static const struct vcase uln_valid[] = {
	{ "1234567899", "published example (brief; weights 10..2 sum 210, r 1, check 9)" },
	{ "9276308686", "published example (HESA student record field ULN)" },
	{ "1000000000", "derived: remainder 10, check 0" },
	{ "5000000004", "derived" },
	{ "2222222221", "derived" },
	{ "1231231237", "derived" },
	{ "1122334450", "derived" },
	{ "9000000008", "derived" },
};

static const struct vcase uln_invalid[] = {
	{ "", "empty" },
	{ "1234567898", "check digit changed" },
	{ "1234567890", "check digit changed" },
	{ "9276308687", "check digit changed" },
	{ "2134567899", "adjacent digits transposed" },
	{ "0123456788", "first digit zero (checksum would pass)" },
	{ "0000000000", "first digit zero" },
	{ "9876543210", "remainder 0: check would be 10" },
	{ "9876543219", "remainder 0: check would be 10" },
	{ "123456789", "9 digits" },
	{ "12345678999", "11 digits" },
	{ "12345 67899", "space inside" },
	{ "123456789X", "letter check digit" },
	{ "A234567899", "letter" },
};

START_TEST(test_uln)
{
	CHECK_TABLE(validators_uln, uln_valid, true);
	CHECK_TABLE(validators_uln, uln_invalid, false);
}
END_TEST

/* ---- NHS number ---- */

static const struct vcase nhs_valid[] = {
	{ "9434765919", "published example (brief): weighted sum 299, r 2, check 9" },
	{ "943 476 5919", "published example, spaced 3-3-4" },
	{ "943-476-5919", "published example, hyphenated 3-3-4" },
	{ "4010232137", "derived: check 7" },
	{ "401 023 2137", "derived, spaced" },
	{ "9876543210", "derived: 11 - 0 = 11 -> check 0" },
	{ "1000000001", "derived" },
	{ "4857773457", "derived" },
	{ "6401571306", "derived" },
	{ "9000000017", "derived" },
};

static const struct vcase nhs_invalid[] = {
	{ "", "empty" },
	{ "9434765918", "check digit changed" },
	{ "9434765910", "check digit changed" },
	{ "9434765991", "adjacent digits transposed" },
	{ "9434756919", "adjacent digits transposed" },
	{ "1234567890", "11 - remainder = 10: never issued" },
	{ "1234567891", "11 - remainder = 10: never issued" },
	{ "0000000000", "repeated digit dummy" },
	{ "1111111111", "repeated digit dummy" },
	{ "2222222222", "repeated digit dummy" },
	{ "5555555555", "repeated digit dummy" },
	{ "9999999999", "repeated digit dummy" },
	{ "999 999 9999", "repeated digit dummy, spaced" },
	{ "943476591", "9 digits" },
	{ "94347659190", "11 digits" },
	{ "943 4765919", "only one separator" },
	{ "9434765 919", "separator in the wrong place" },
	{ "9434 765 919", "grouped 4-3-3" },
	{ "943-476 5919", "mixed separators" },
	{ "943 476-5919", "mixed separators" },
	{ "943  476 5919", "double space" },
	{ "943.476.5919", "dot separators" },
	{ "943/476/5919", "slash separators" },
	{ "943 476 591X", "letter" },
	{ "94347659I9", "letter" },
};

START_TEST(test_nhs)
{
	CHECK_TABLE(validators_nhs, nhs_valid, true);
	CHECK_TABLE(validators_nhs, nhs_invalid, false);
}
END_TEST

/* ---- National Insurance number ---- */

static const struct vcase nino_valid[] = {
	{ "AB123456C", "compact" },
	{ "AB 12 34 56 C", "spaced pairs" },
	{ "ab 12 34 56 c", "lower case" },
	{ "aB123456d", "mixed case" },
	{ "AB123456", "suffix absent" },
	{ "AB 12 34 56", "suffix absent, spaced" },
	{ "AB 123456 C", "spaces around the digits only" },
	{ "AB123456 A", "space before suffix only" },
	{ "OA123456B", "O allowed as first letter" },
	{ "ZY123456D", "Z allowed first when not ZZ" },
	{ "NA123456A", "N first letter" },
	{ "GA000000A", "G first letter, all-zero digits" },
	{ "BH999999B", "B first letter" },
	{ "TA123456C", "T first letter" },
	{ "KA123456C", "K first letter" },
};

static const struct vcase nino_invalid[] = {
	{ "", "empty" },
	{ "QQ123456C", "HMRC specimen: Q never used" },
	{ "QQ 12 34 56 C", "HMRC specimen: Q never used" },
	{ "DA123456A", "first letter D" },
	{ "FA123456A", "first letter F" },
	{ "IA123456A", "first letter I" },
	{ "QA123456A", "first letter Q" },
	{ "UA123456A", "first letter U" },
	{ "VA123456A", "first letter V" },
	{ "AD123456A", "second letter D" },
	{ "AF123456A", "second letter F" },
	{ "AI123456A", "second letter I" },
	{ "AO123456A", "second letter O" },
	{ "AQ123456A", "second letter Q" },
	{ "AU123456A", "second letter U" },
	{ "AV123456A", "second letter V" },
	{ "BG123456A", "prefix BG not allocated" },
	{ "GB123456A", "prefix GB not allocated" },
	{ "KN123456A", "prefix KN not allocated" },
	{ "NK123456A", "prefix NK not allocated" },
	{ "NT123456A", "prefix NT not allocated" },
	{ "TN123456A", "prefix TN not allocated" },
	{ "ZZ123456A", "prefix ZZ not allocated" },
	{ "zz 12 34 56 a", "prefix ZZ, lower case" },
	{ "AB123456E", "suffix E" },
	{ "AB1234561", "digit suffix" },
	{ "AB123456CC", "two suffix letters" },
	{ "AB12345C", "five digits" },
	{ "AB1234567C", "seven digits" },
	{ "AB12345", "five digits, no suffix" },
	{ "A1123456C", "digit in prefix" },
	{ "1B123456C", "digit in prefix" },
	{ "AB12345XC", "letter among digits" },
	{ "AB 12 34 56 C ", "trailing space" },
	{ "AB 12 34 56 ", "trailing space, no suffix" },
	{ " AB123456C", "leading space" },
	{ "A B123456C", "space inside prefix" },
	{ "AB  12 34 56 C", "double space" },
	{ "AB 1 234 56 C", "space splitting a pair" },
	{ "AB-12-34-56-C", "hyphens" },
};

START_TEST(test_nino)
{
	CHECK_TABLE(validators_nino, nino_valid, true);
	CHECK_TABLE(validators_nino, nino_invalid, false);
}
END_TEST

/* ---- Postcode ---- */

static const struct vcase postcode_valid[] = {
	{ "M1 1AE", "A9 9AA" },
	{ "B33 8TH", "A99 9AA" },
	{ "CR2 6XH", "AA9 9AA" },
	{ "DN55 1PT", "AA99 9AA" },
	{ "W1A 0AX", "A9A 9AA" },
	{ "EC1A 1BB", "AA9A 9AA" },
	{ "SW1A 1AA", "AA9A 9AA" },
	{ "M60 1NW", "A99 9AA" },
	{ "M11AE", "no space" },
	{ "SW1A1AA", "no space" },
	{ "DN551PT", "no space" },
	{ "sw1a 1aa", "lower case" },
	{ "Ec1a 1bB", "mixed case" },
	{ "GIR 0AA", "Girobank" },
	{ "gir0aa", "Girobank, lower case, no space" },
	{ "BX1 1LT", "X allowed second" },
	{ "N1C 4AG", "letter third" },
	{ "YO10 5DD", "O allowed second" },
};

static const struct vcase postcode_invalid[] = {
	{ "", "empty" },
	{ "QA1 1AA", "Q first" },
	{ "VA1 1AA", "V first" },
	{ "XA1 1AA", "X first" },
	{ "Q1 1AA", "Q first" },
	{ "AI1 1AA", "I second" },
	{ "AJ1 1AA", "J second" },
	{ "AZ1 1AA", "Z second" },
	{ "M1 1CA", "C in inward" },
	{ "M1 1AI", "I in inward" },
	{ "M1 1AK", "K in inward" },
	{ "M1 1MA", "M in inward" },
	{ "M1 1AO", "O in inward" },
	{ "M1 1VA", "V in inward" },
	{ "sw1a 1ca", "c in inward, lower case" },
	{ "M1 AAA", "inward starts with a letter" },
	{ "M1 1A1", "digit at end of inward" },
	{ "M1  1AA", "double space" },
	{ "M1-1AA", "hyphen" },
	{ "SW1A 1A", "inward too short" },
	{ "SW1AA 1AA", "outward too long" },
	{ "SW1A1 1AA", "outward too long" },
	{ "M 1AA", "outward too short" },
	{ "1M1 1AA", "outward starts with a digit" },
	{ "ABC 1AA", "three-letter outward other than GIR" },
	{ "A9A9 9AA", "outward A9A9" },
	{ "M1AA 1AA", "outward A9AA" },
	{ "M111 1AA", "outward A999" },
	{ "GIR 1AA", "GIR other than 0AA" },
	{ "GIR 0AB", "GIR other than 0AA" },
	{ " M1 1AA", "leading space" },
	{ "M1 1AA ", "trailing space" },
	{ "SW1A 1AA\xc3", "non-ASCII" },
	{ "1AA", "inward only" },
};

START_TEST(test_postcode)
{
	CHECK_TABLE(validators_postcode, postcode_valid, true);
	CHECK_TABLE(validators_postcode, postcode_invalid, false);
}
END_TEST

/* ---- lookup ---- */

START_TEST(test_lookup)
{
	static const struct {
		const char *name;
		validators_fn *fn;
	} known[] = {
		{ "upn", validators_upn },
		{ "uln", validators_uln },
		{ "nhs", validators_nhs },
		{ "ni", validators_nino },
		{ "postcode", validators_postcode },
	};
	static const char *const unknown[] = { "", "UPN", "nino", "nhs ", "post", "postcodes", "x" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ck_assert_msg(validators_lookup(known[i].name) == known[i].fn,
			      "validators_lookup(\"%s\") returned the wrong function", known[i].name);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_msg(validators_lookup(unknown[i]) == NULL,
			      "validators_lookup(\"%s\") should be NULL", unknown[i]);
	ck_assert_msg(validators_lookup(NULL) == NULL, "validators_lookup(NULL) should be NULL");
}
END_TEST

/* Build the suite: one test case per validator. */
static Suite *validators_suite(void)
{
	Suite *s = suite_create("validators");
	TCase *tc;

	tc = tcase_create("upn");
	tcase_add_test(tc, test_upn);
	tcase_add_test(tc, test_upn_len);
	suite_add_tcase(s, tc);
	tc = tcase_create("uln");
	tcase_add_test(tc, test_uln);
	suite_add_tcase(s, tc);
	tc = tcase_create("nhs");
	tcase_add_test(tc, test_nhs);
	suite_add_tcase(s, tc);
	tc = tcase_create("nino");
	tcase_add_test(tc, test_nino);
	suite_add_tcase(s, tc);
	tc = tcase_create("postcode");
	tcase_add_test(tc, test_postcode);
	suite_add_tcase(s, tc);
	tc = tcase_create("lookup");
	tcase_add_test(tc, test_lookup);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(validators_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
