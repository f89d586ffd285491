/*
 * check_extract.c - text extraction: HTML as a reader sees it, RFC 2047
 * headers (including the split base64 words GMime 3.2 loses), charsets,
 * iCalendar and vCard content lines, export rows read as names, and the MIME walk (encodings,
 * attachments, file names, nested messages).
 */
#include "testlib.h"

#include "cards.h"
#include "charset.h"
#include "html.h"
#include "rfc2047.h"
#include "tables.h"

static struct pg_policy *pol;

static const struct {
	const char *html, *text;
} htmls[] = {
	{ "<b>Amelia</b> Khan", "Amelia Khan" },
	{ "Amelia Kh<span>an</span>", "Amelia Khan" },
	{ "Amelia<br>Khan", "Amelia\nKhan" },
	{ "<p>Amelia</p><p>Khan</p>", "\n\nAmelia\n\n\n\nKhan\n\n" },
	{ "<tr><td>Amelia</td><td>Khan</td></tr>", "\n\nAmelia\tKhan\n\n" },
	{ "O&#39;Connor &amp; Zo&euml; &#x142;&rsquo;s&nbsp;x", "O'Connor & Zoë ł’s\xC2\xA0x" },
	{ "a&unknown;b &amp;amp;", "a&unknown;b &amp;" },
	{ "x<script>Amelia Khan</script>y<style>p{}</style>z<!-- Amelia Khan -->", "x y z" },
	{ "<pre>a\n b</pre>", "\n\na\n b\n\n" },
	{ "<img alt=\"Amelia Khan\" src=x>", " Amelia Khan " },
	{ "1 < 2 and <broken", "1 < 2 and" },
	{ "  lots \n of \t space  ", "lots of space" },
	/* Headings are underlined and <hr> is a rule, so that sections show. */
	{ "<h2>Notices</h2>x<hr>y", "\n\nNotices\n---\n\nx\n\n---\n\ny" },
};

START_TEST(test_html)
{
	struct pg_buf b;

	pg_buf_init(&b, 64);
	html_to_text(htmls[_i].html, strlen(htmls[_i].html), &b);
	ck_assert_msg(strcmp(b.data, htmls[_i].text) == 0, "html '%s' -> '%s', want '%s'",
		      htmls[_i].html, b.data, htmls[_i].text);
	pg_buf_free(&b, 0);
}
END_TEST

static const struct {
	const char *in, *out;
} headers[] = {
	{ "=?utf-8?B?TG90dGk=?= =?utf-8?B?ZSBNb3Nz?=", "Lottie Moss" },
	{ "=?utf-8?B?TG90dGk=?=\r\n =?utf-8?B?ZSBNb3Nz?= - absence", "Lottie Moss - absence" },
	{ "=?UTF-8?Q?Zo=C3?= =?UTF-8?Q?=AB_Sharp?=", "Zoë Sharp" },
	{ "=?iso-8859-1?q?S=E9an_Murphy?=", "Séan Murphy" },
	{ "Re: =?utf-8?Q?Br=C3=ADd?= and Co", "Re: Bríd and Co" },
	{ "plain words  stay", "plain words  stay" },
	{ "=?x-unknown?Q?Amelia?= Khan", "Amelia Khan" },
	{ "=?utf-8?Q?broken", "=?utf-8?Q?broken" },
	{ "Caf\xE9 raw latin-1", "Café raw latin-1" },
};

static const struct {
	const char *in, *out;
} cards[] = {
	/* folded lines, escapes, the machinery left out */
	{ "BEGIN:VEVENT\r\nUID:x@y\r\nDTSTART:20261204T090000Z\r\nSUMMARY:Review\\, Khan\\,\r\n  Amelia\r\n"
	  "DESCRIPTION:a\\nb\\;c\\\\d\r\nEND:VEVENT\r\n",
	  "Review, Khan, Amelia\n\na\nb;c\\d\n\n" },
	/* a CN parameter, quoted, and a group prefix */
	{ "ATTENDEE;ROLE=REQ;CN=\"Amelia Khan\":mailto:a@example.org\nitem1.NOTE:Oak\n",
	  "Amelia Khan\n\nmailto:a@example.org\n\nOak\n\n" },
	/* N in reading order; vCard 2.1 quoted-printable across lines in a charset */
	{ "N:Khan;Amelia;Rose;Miss;\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Mu=\r\n=F1oz;Jos=E9\n",
	  "Miss Amelia Rose Khan \n\nJos\xC3\xA9 Mu\xC3\xB1oz \n\n" },
	/* binary values and broken lines are no text */
	{ "PHOTO;ENCODING=b:QW1lbGlhIEtoYW4=\nKEY:x\nno colon here\nADR:;;1 Oak Lane;Town\n",
	  ", , 1 Oak Lane, Town\n\n" },
};

START_TEST(test_cards)
{
	struct pg_buf b;

	pg_buf_init(&b, 64);
	cards_to_text(cards[_i].in, strlen(cards[_i].in), &b);
	ck_assert_msg(b.len == strlen(cards[_i].out) && memcmp(b.data, cards[_i].out, b.len) == 0,
		      "card '%s' -> '%.*s', want '%s'", cards[_i].in, (int)b.len, b.data,
		      cards[_i].out);
	pg_buf_free(&b, 0);
}
END_TEST

static const struct {
	const char *in, *out;
} tables[] = {
	/* header roles by the words exports use; quotes undone; blank lines go on */
	{ "\"UPN\";\"Legal Surname\";\"Legal Forename\"\r\n\r\n\"A1\";\"Khan\";\"Amelia \"\"Millie\"\"\"\n",
	  "Amelia \"Millie\" Khan\n\n" },
	/* two forename columns, an empty cell, a row that no longer fits ends it */
	{ "First Name\tKnown As\tFamily Name\nAmelia\t\tKhan\nThe end\nRose\tx\tHill\n",
	  "Amelia Khan\n\n" },
	/* fixed width; a row whose columns do not line up is not read */
	{ "Surname    Forename  Reg\nKhan       Amelia    4O\nHill Rose x\n", "Amelia Khan\n\n" },
	/* other columns are never joined to a name; no header, no quotes: nothing */
	{ "Forename,House\nAmelia,Khan\n", "" },
	{ "Khan,Amelia,4O\n", "" },
	/* a row with an adult's title is not a pupil; an empty title is */
	{ "Title,Forename,Surname\nMrs,Amelia,Khan\n,Rose,Hill\nDr.,Zoe,Ng\n", "Rose Hill\n\n" },
	/* a quoted row without a header reads as "Surname, Forename" */
	{ "\"Khan\",\"Amelia\",\"4O\"\n", "Khan, Amelia, 4O\n\n" },
};

START_TEST(test_tables)
{
	struct pg_buf b;

	pg_buf_init(&b, 64);
	(void)tables_names(tables[_i].in, strlen(tables[_i].in), &b);
	ck_assert_msg(b.len == strlen(tables[_i].out) && memcmp(b.data, tables[_i].out, b.len) == 0,
		      "table '%s' -> '%.*s', want '%s'", tables[_i].in, (int)b.len, b.data ? b.data : "",
		      tables[_i].out);
	pg_buf_free(&b, 0);
}
END_TEST

START_TEST(test_rfc2047)
{
	struct pg_buf b;

	pg_buf_init(&b, 64);
	rfc2047_decode(headers[_i].in, strlen(headers[_i].in), &b);
	ck_assert_msg(strcmp(b.data, headers[_i].out) == 0, "decode '%s' -> '%s', want '%s'",
		      headers[_i].in, b.data, headers[_i].out);
	pg_buf_free(&b, 0);
}
END_TEST

START_TEST(test_charsets)
{
	struct pg_buf b;

	pg_buf_init(&b, 64);
	charset_to_utf8("Zo\xEB \x80 \x93x\x94", 9, "iso-8859-1", &b);
	ck_assert_str_eq(b.data, "Zoë € “x”");
	pg_buf_truncate(&b, 0);
	charset_to_utf8("Zo\xC3\xAB", 4, NULL, &b); /* undeclared, valid UTF-8 */
	ck_assert_str_eq(b.data, "Zoë");
	pg_buf_truncate(&b, 0);
	charset_to_utf8("Zo\xEB", 3, "us-ascii", &b); /* lying label */
	ck_assert_str_eq(b.data, "Zoë");
	pg_buf_truncate(&b, 0);
	charset_to_utf8("\xFF\xFE" "Z\0o\0\xEB\0", 8, NULL, &b); /* UTF-16LE BOM */
	ck_assert_str_eq(b.data, "Zoë");
	pg_buf_truncate(&b, 0);
	charset_to_utf8("a\xC3(b", 4, "utf-8", &b); /* invalid UTF-8 repaired */
	ck_assert(g_utf8_validate(b.data, (gssize)b.len, NULL));
	pg_buf_free(&b, 0);
}
END_TEST

/* Messages, each with one pupil to find, and where. */
static const struct {
	const char *msg, *where;
} mimes[] = {
	{ "Subject: =?utf-8?B?QW1lbGlh?= =?utf-8?B?IEtoYW4=?=\n\nhello\n", "Subject" },
	{ "To: \"Khan, Amelia\" <a@b.example>\n\nhello\n", "To" },
	{ "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
	  "Dear parent, Amelia Kh=\r\nan is well.\n", "part 1 text/plain" },
	{ "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
	  "PHA+PGI+QW1lbGlhPC9iPiBLaGFuPC9wPg==\n", "part 1 text/html" },
	{ "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee list\n"
	  "--b\nContent-Type: text/csv; name=list.csv\nContent-Disposition: attachment; filename=list.csv\n\n"
	  "UPN,Forename,Surname\nX,Amelia,Khan\n--b--\n", "part 2 text/csv attachment list.csv" },
	{ "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nfwd\n"
	  "--b\nContent-Type: message/rfc822\n\nSubject: inner\n\nAbout Amelia Khan.\n--b--\n",
	  "part 2.message text/plain" },
	{ "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/pdf\n"
	  "Content-Disposition: attachment; filename*=utf-8''Amelia%20Khan%20report.pdf\n\nJVBERi0=\n--b--\n",
	  "part 1 file name" },
	{ "Content-Type: application/octet-stream; name=notes.txt\nContent-Transfer-Encoding: base64\n\n"
	  "//5BAG0AZQBsAGkAYQAgAEsAaABhAG4A\n", "part 1 application/octet-stream attachment notes.txt" },
	{ "Content-Type: text/calendar; charset=utf-8\n\nBEGIN:VEVENT\nSUMMARY:Review for Amelia Khan\nEND:VEVENT\n",
	  "part 1 text/calendar" },
	{ "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
	  "Zo\xEB O'Connor\n", "part 1 text/plain" },
};

START_TEST(test_mime)
{
	struct pg_result r;
	int found = 0;

	tl_scan(pol, mimes[_i].msg, PG_DIR_OUTBOUND, &r);
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.v[i].type, "name") == 0 && strcmp(r.v[i].where, mimes[_i].where) == 0)
			found = 1;
	ck_assert_msg(found, "case %d: a name in '%s' (%zu findings, first in '%s')", _i,
		      mimes[_i].where, r.n, r.n ? r.v[0].where : "-");
	engine_result_free(&r);
}
END_TEST

START_TEST(test_limits)
{
	struct pg_policy *p = tl_policy("limits = { max_mime_parts = 3; max_mime_depth = 2; "
					"max_text_bytes = 4096; on_truncated = \"hold\"; };");
	struct pg_result r;
	char big[9000];

	tl_scan(p, "Content-Type: multipart/mixed; boundary=b\n\n--b\n\na\n--b\n\nb\n--b\n\nc\n--b\n\nAmelia Khan\n--b--\n",
		PG_DIR_INBOUND, &r);
	ck_assert(r.extract_flags & PG_EXTRACT_TOO_MANY);
	ck_assert_int_eq(r.action, PG_ACTION_HOLD);
	engine_result_free(&r);
	memset(big, 'x', sizeof(big));
	memcpy(big, "Subject: s\n\n", 12);
	big[sizeof(big) - 1] = '\0';
	tl_scan(p, big, PG_DIR_INBOUND, &r);
	ck_assert(r.extract_flags & PG_EXTRACT_TRUNCATED);
	engine_result_free(&r);
	tl_scan(p, "not a MIME message at all \x01\x02 Amelia Khan", PG_DIR_INBOUND, &r);
	ck_assert(tl_has(&r, "name", "B801200005001"));
	engine_result_free(&r);
	policy_unref(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("extract");
	TCase *tc = tcase_create("extract");
	int rc;

	engine_global_init();
	pol = tl_policy(NULL);
	tcase_add_loop_test(tc, test_html, 0, (int)PG_ARRAY_LEN(htmls));
	tcase_add_loop_test(tc, test_rfc2047, 0, (int)PG_ARRAY_LEN(headers));
	tcase_add_loop_test(tc, test_cards, 0, (int)PG_ARRAY_LEN(cards));
	tcase_add_loop_test(tc, test_tables, 0, (int)PG_ARRAY_LEN(tables));
	tcase_add_test(tc, test_charsets);
	tcase_add_loop_test(tc, test_mime, 0, (int)PG_ARRAY_LEN(mimes));
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	rc = tl_run(s);
	policy_unref(&pol);
	return rc;
}
