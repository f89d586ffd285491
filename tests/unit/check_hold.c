/*
 * check_hold.c - the held-mail layer's parsing and records: the mailq
 * listings of both MTAs (only held entries, recipients under the right
 * one), header lookup that stays in the header block, and the decisions
 * record (one visible line per decision, the last N read back in order).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decision.h"
#include "queue.h"

START_TEST(postfix_listing_takes_only_held_entries)
{
	char text[] =
		"-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
		"4F1A2B3C4D!     1234 Sun Dec  6 10:00:00  teacher@school.example\n"
		"                                          partner@agency.example\n"
		"\n"
		"5A6B7C8D9E*      999 Sun Dec  6 10:01:00  office@school.example\n"
		"                                          leak@outside.example\n"
		"\n"
		"6B7C8D9E0F!      500 Sun Dec  6 10:02:00  head@school.example\n"
		"      (connect to x: Connection refused)\n"
		"                                          a@b.example\n"
		"                                          c@d.example\n"
		"\n"
		"-- 3 Kbytes in 3 Requests.\n";
	struct pg_held *v;
	size_t n = pg_parse_mailq(text, '!', &v);

	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].id, "4F1A2B3C4D");
	ck_assert_str_eq(v[0].sender, "teacher@school.example");
	ck_assert_str_eq(v[0].rcpts, "partner@agency.example");
	ck_assert_str_eq(v[0].arrival, "Sun Dec 6 10:00:00");
	/* The active entry's recipient is not attached to the held one above. */
	ck_assert_str_eq(v[1].id, "6B7C8D9E0F");
	ck_assert_str_eq(v[1].rcpts, "a@b.example, c@d.example");
	pg_held_free(v, n);
}
END_TEST

START_TEST(sendmail_quarantine_listing)
{
	char text[] =
		"\t\t/var/spool/mqueue (1 request)\n"
		"-----Q-ID----- --Size-- -----Q-Time----- ------------Sender/Recipient-----------\n"
		"0B6AbCdE012345      321 Sun Dec  6 10:00 <teacher@school.example>\n"
		"     QUARANTINE: pupilguard: score 20\n"
		"                                         <partner@agency.example>\n"
		"\t\tTotal requests: 1\n";
	struct pg_held *v;
	size_t n = pg_parse_mailq(text, 0, &v);

	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].id, "0B6AbCdE012345");
	ck_assert_str_eq(v[0].rcpts, "<partner@agency.example>");
	pg_held_free(v, n);
}
END_TEST

START_TEST(header_lookup_stays_in_the_header_block)
{
	const char msg[] = "Subject: a\r\n folded\r\nX-PupilGuard-Status: hold; score=20\r\n\r\n"
			   "X-Forged: in the body\r\n";
	char *s = pg_header_value(msg, "subject");
	char *st = pg_header_value(msg, "X-PupilGuard-Status");

	ck_assert_str_eq(s, "a folded");
	ck_assert_str_eq(st, "hold; score=20");
	ck_assert_ptr_null(pg_header_value(msg, "X-Forged"));
	free(s);
	free(st);
}
END_TEST

START_TEST(queue_ids_are_letters_and_digits)
{
	ck_assert(pg_queue_valid_id("4F1A2B3C4D"));
	ck_assert(!pg_queue_valid_id(""));
	ck_assert(!pg_queue_valid_id("../etc"));
	ck_assert(!pg_queue_valid_id("A B"));
	ck_assert(!pg_queue_valid_id(NULL));
}
END_TEST

START_TEST(decisions_are_recorded_and_read_back)
{
	char path[] = "/tmp/pg-decisions-XXXXXX";
	int fd = mkstemp(path);
	struct pg_decision *d;
	const char *error;
	long n;

	ck_assert_int_ge(fd, 0);
	close(fd);
	for (int i = 0; i < 12; i++) {
		char qid[16];

		snprintf(qid, sizeof(qid), "ID%d", i);
		ck_assert_int_eq(pg_decision_record(path, 1700000000 + i, qid,
						    i % 2 ? "release" : "delete", "head@school.example",
						    "review page", i == 11 ? "a\tb\nc\x1b[2J" : NULL,
						    &error), 0);
	}
	n = pg_decision_tail(path, 10, &d, &error);
	ck_assert_int_eq(n, 10);
	ck_assert_str_eq(d[0].qid, "ID2");
	ck_assert_str_eq(d[9].qid, "ID11");
	ck_assert_str_eq(d[9].verb, "release");
	ck_assert_int_eq(d[9].when, 1700000011);
	ck_assert_str_eq(d[0].reason, "-");
	/* TAB, LF and ESC cannot split the line or reach a terminal. */
	ck_assert_ptr_null(strchr(d[9].reason, '\t'));
	ck_assert_ptr_null(strchr(d[9].reason, '\x1b'));
	pg_decision_free(d, (size_t)n);
	unlink(path);
	ck_assert_int_eq(pg_decision_tail(path, 10, &d, &error), 0);
	pg_decision_free(d, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hold");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, postfix_listing_takes_only_held_entries);
	tcase_add_test(tc, sendmail_quarantine_listing);
	tcase_add_test(tc, header_lookup_stays_in_the_header_block);
	tcase_add_test(tc, queue_ids_are_letters_and_digits);
	tcase_add_test(tc, decisions_are_recorded_and_read_back);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
