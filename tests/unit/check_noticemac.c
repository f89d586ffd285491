/*
 * check_noticemac.c - the per-notice mark verifies over exactly the notice
 * it was made for: its Message-ID, its recipients, its body, its age and
 * the key.  (HMAC-SHA256 itself is tested in check_base.)
 */
#include "config.h"

#include "noticemac.h"
#include "testlib.h"

#define T0 ((time_t)1790000000)
#define DAY 86400UL

static const char body[] = "Held: a message from x@school.example.\n\nReference: 4XyZ\n";
static const char *const rcpts[] = { "Head@School.example", "dsl@school.example" };

static void key_fill(struct pg_key *k, unsigned char b)
{
	memset(k->bytes, b, sizeof(k->bytes));
	k->set = 1;
}

static const struct {
	const char *what;
	const char *msgid;           /* verify with this Message-ID */
	const char *const *rcpts;
	size_t nrcpts;
	const char *body;
	time_t now;
	unsigned char key;
	const char *why;             /* NULL: verifies */
} cases[] = {
	{ "the notice itself", "<n1@school.example>", rcpts, 2, body, T0 + 60, 1, NULL },
	{ "CRLF line ends and trailing blank lines", "<n1@school.example>", rcpts, 2,
	  "Held: a message from x@school.example.\r\n\r\nReference: 4XyZ\r\n\r\n", T0, 1, NULL },
	{ "Message-ID without <> and recipients in another order and case",
	  " n1@school.example ", (const char *const[]){ "DSL@school.example",
							"head@school.example" }, 2, body, T0, 1,
	  NULL },
	{ "at exactly the maximum age", "<n1@school.example>", rcpts, 2, body, T0 + DAY, 1, NULL },
	{ "tampered body", "<n1@school.example>", rcpts, 2,
	  "Held: a message from x@school.example.\n\nReference: 4XyZ\nAmelia Khan 04/05/2015\n",
	  T0, 1, "does not verify" },
	{ "another Message-ID", "<n2@school.example>", rcpts, 2, body, T0, 1, "does not verify" },
	{ "another recipient", "<n1@school.example>",
	  (const char *const[]){ "head@school.example", "parent@home.example" }, 2, body, T0, 1,
	  "does not verify" },
	{ "one recipient fewer", "<n1@school.example>", rcpts, 1, body, T0, 1,
	  "does not verify" },
	{ "expired", "<n1@school.example>", rcpts, 2, body, T0 + DAY + 1, 1, "expired" },
	{ "from the future", "<n1@school.example>", rcpts, 2, body,
	  T0 - PG_NOTICEMAC_SKEW - 1, 1, "from the future" },
	{ "wrong key", "<n1@school.example>", rcpts, 2, body, T0, 2, "does not verify" },
};

START_TEST(test_verify)
{
	struct pg_key k, kv;
	char value[PG_NOTICEMAC_LEN];
	const char *why = NULL;
	int rc;

	key_fill(&k, 1);
	key_fill(&kv, cases[_i].key);
	noticemac_make(&k, "<n1@school.example>", rcpts, 2, T0, body, strlen(body), value);
	ck_assert_msg(strncmp(value, "v1; t=1790000000; mac=", 22) == 0, "%s", value);
	ck_assert_uint_eq(strlen(value), 22 + 64);
	rc = noticemac_verify(&kv, value, cases[_i].msgid, cases[_i].rcpts, cases[_i].nrcpts,
			      cases[_i].body, strlen(cases[_i].body), cases[_i].now, DAY, &why);
	if (cases[_i].why == NULL)
		ck_assert_msg(rc == 0, "%s: %s", cases[_i].what, why);
	else
		ck_assert_msg(rc < 0 && strcmp(why, cases[_i].why) == 0, "%s: rc %d, %s",
			      cases[_i].what, rc, rc < 0 ? why : "verified");
}
END_TEST

/* What a recipient might copy or guess is refused before any MAC is made. */
START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"", "s3cret-notice", "v2; t=1790000000; mac=00",
		"v1; t=; mac=0000000000000000000000000000000000000000000000000000000000000000",
		"v1; t=1790000000; mac=00",
		"v1; t=1790000000; mac=000000000000000000000000000000000000000000000000000000000000000g",
		"v1; t=1790000000; mac=0000000000000000000000000000000000000000000000000000000000000000x",
		"v1; t=99999999999999999999999; mac=0000000000000000000000000000000000000000000000000000000000000000",
	};
	struct pg_key k;
	const char *why = NULL;

	key_fill(&k, 1);
	for (size_t i = 0; i < PG_ARRAY_LEN(bad); i++) {
		ck_assert_msg(noticemac_verify(&k, bad[i], "<n1@school.example>", rcpts, 2, body,
					       strlen(body), T0, DAY, &why) < 0, "%s", bad[i]);
		ck_assert_str_eq(why, "malformed");
	}
	/* Well formed but made up: it does not verify. */
	ck_assert_int_lt(noticemac_verify(&k, "v1; t=1790000000; mac=00000000000000000000000000000"
					  "00000000000000000000000000000000000", "<n1@school.example>",
					  rcpts, 2, body, strlen(body), T0, DAY, &why), 0);
	ck_assert_str_eq(why, "does not verify");
}
END_TEST

/* A body that differs only after a NUL byte is another body. */
START_TEST(test_body_bytes)
{
	struct pg_key k;
	char value[PG_NOTICEMAC_LEN];
	const char *why = NULL;
	static const char a[] = "Reference: 4XyZ\0Amelia Khan";

	key_fill(&k, 1);
	noticemac_make(&k, "<n1@x>", rcpts, 1, T0, a, 15, value);
	ck_assert_int_eq(noticemac_verify(&k, value, "<n1@x>", rcpts, 1, a, 15, T0, DAY, &why), 0);
	ck_assert_int_lt(noticemac_verify(&k, value, "<n1@x>", rcpts, 1, a, sizeof(a) - 1, T0, DAY,
					  &why), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("noticemac");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_verify, 0, (int)PG_ARRAY_LEN(cases));
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_body_bytes);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
