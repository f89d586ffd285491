/*
 * check_notify.c - notification templates, the redacted notice, the spool
 * (atomic and crash-safe) and the per-address rate limiter.
 */
#include <sys/stat.h>

#include "noticemac.h"
#include "testlib.h"

#include "notify.h"
#include "ratelimit.h"
#include "spool.h"
#include "template.h"

static struct pg_policy *pol;

static const char *lookup_upper(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "queue_id") == 0 ? "4ABC" : name;
}

START_TEST(test_template_placeholders)
{
	struct pg_template t;
	struct pg_diag d;
	struct pg_buf text, out;

	/* every placeholder is known and expands */
	pg_buf_init(&text, 256);
	pg_buf_puts(&text, "Subject: held {queue_id}\n\n");
	for (size_t i = 0; template_placeholders[i] != NULL; i++)
		pg_buf_printf(&text, "{%s} ", template_placeholders[i]);
	pg_buf_puts(&text, "{{literal}");
	pg_diag_init(&d);
	ck_assert_int_eq(template_parse(&t, "t.txt", text.data, &d), 0);
	ck_assert_str_eq(t.subject, "held {queue_id}");
	pg_buf_init(&out, 256);
	template_expand(t.body, lookup_upper, NULL, &out);
	ck_assert_msg(strstr(out.data, "4ABC findings") == NULL, "order kept");
	ck_assert_msg(strstr(out.data, "{literal}") != NULL, "{{ is a literal brace: %s", out.data);
	for (size_t i = 1; template_placeholders[i] != NULL; i++)
		ck_assert_msg(strstr(out.data, template_placeholders[i]) != NULL, "%s expanded",
			      template_placeholders[i]);
	ck_assert_msg(strchr(out.data, '}') == NULL || strstr(out.data, "{literal}"), "no braces left");
	template_free(&t);
	pg_buf_free(&text, 0);
	pg_buf_free(&out, 0);
	pg_diag_free(&d);
}
END_TEST

START_TEST(test_template_errors)
{
	struct pg_template t;
	struct pg_diag d;

	pg_diag_init(&d);
	ck_assert_int_eq(template_parse(&t, "t.txt", "Subject: x\n\nline\nHello {name}\n", &d), -1);
	ck_assert_msg(strstr(d.items[0].text, "t.txt:4: unknown placeholder {name}") != NULL, "%s",
		      d.items[0].text);
	pg_diag_free(&d);
	pg_diag_init(&d);
	ck_assert_int_eq(template_parse(&t, "t.txt", "open {queue_id\n", &d), -1);
	ck_assert_msg(strstr(d.items[0].text, "t.txt:1: unclosed") != NULL, "%s", d.items[0].text);
	pg_diag_free(&d);
	pg_diag_init(&d);
	ck_assert_int_eq(template_load(&t, "/nonexistent/t.txt", &d), -1);
	pg_diag_free(&d);
}
END_TEST

/* The decoded text body of a message, as a reader sees it. */
static char *body_text(const char *msg)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(msg, strlen(msg));
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(g_mime_message_get_mime_part(m)));
	char *out = strdup(text);

	g_free(text);
	g_object_unref(m);
	g_object_unref(p);
	g_object_unref(s);
	return out;
}

/* NOTE's X-PupilGuard-Notice verifies over NOTE itself for TO (WANT 1), or
 * NOTE carries no mark (WANT 0); a copy with another body never verifies. */
static void notice_mark_verifies(const char *note, const char *to, int want)
{
	const char *mark = strstr(note, "X-PupilGuard-Notice: "), *id = strstr(note, "Message-Id: ");
	const char *body = strstr(note, "\n\n"), *why = NULL;
	char *m, *i, *other;

	if (!want) {
		ck_assert_msg(mark == NULL, "no mark:\n%s", note);
		return;
	}
	ck_assert_msg(mark != NULL && id != NULL && body != NULL, "marked:\n%s", note);
	m = strndup(mark + 21, strcspn(mark + 21, "\n"));
	i = strndup(id + 12, strcspn(id + 12, "\n"));
	body += 2;
	ck_assert_msg(noticemac_verify(&pol->notice_key, m, i, &to, 1, body, strlen(body), 60,
				       86400, &why) == 0, "%s: %s", m, why);
	other = pg_asprintf("%sAmelia Khan\n", body);
	ck_assert_int_lt(noticemac_verify(&pol->notice_key, m, i, &to, 1, other, strlen(other), 60,
					  86400, &why), 0);
	free(other);
	free(m);
	free(i);
}

START_TEST(test_notice_redacted)
{
	const char *msg = "Subject: =?utf-8?Q?Amelia_Khan?= and Zoe O'Connor\n\n"
			  "Amelia Khan and Zoë O'Connor, inhaler.\n";
	const char *rcpts[] = { "partner@agency.example" };
	struct pg_notice_info info = { .qid = "4ABC123", .when = 0, .hostname = "mx",
				       .sender = "t@school.example", .rcpts = rcpts, .nrcpts = 1,
				       .subject_raw = "=?utf-8?Q?Amelia_Khan?= and Zoe O'Connor",
				       .key = &pol->notice_key, .from = "pg@school.example" };
	struct pg_result r;
	size_t len;
	char *note, *summary, *body;

	tl_scan(pol, msg, PG_DIR_OUTBOUND, &r);
	r.action = PG_ACTION_HOLD;
	note = notify_build(pol, &pol->tpl_leadership, &r, &info, "head@school.example", &len);
	ck_assert_msg(strstr(note, "4ABC123") != NULL, "queue ID in the notice");
	notice_mark_verifies(note, "head@school.example", 1);
	body = body_text(note);
	ck_assert_msg(strstr(body, "A. K***") != NULL, "redacted excerpt");
	ck_assert_msg(strstr(body, "(Year 4)") != NULL, "year group");
	ck_assert_msg(strstr(body, "postsuper -H 4ABC123") != NULL, "release command:\n%s", body);
	ck_assert_msg(strstr(body, "postsuper -d 4ABC123") != NULL, "delete command");
	ck_assert_msg(strstr(body, "Subject:    A. K*** and Z. O***") != NULL, "redacted subject");
	ck_assert_msg(strstr(body, "Khan") == NULL && strstr(body, "Amelia") == NULL, "%s", body);
	free(body);
	ck_assert_msg(strstr(note, "Khan") == NULL && strstr(note, "Connor") == NULL &&
		      strstr(note, "Amelia") == NULL, "no name anywhere:\n%s", note);
	summary = notify_summary(pol, &r, &info);
	ck_assert_msg(strstr(summary, "Khan") == NULL && strchr(summary, '\n') == NULL, "%s", summary);
	free(summary);
	free(note);
	engine_result_free(&r);
}
END_TEST

/* The sender's notice carries no mark, so it is scanned on its way to the
 * teacher: it names no one, so the scan lets it through. */
START_TEST(test_sender_notice_unmarked_and_clean)
{
	const char *msg = "Subject: Amelia Khan and Zoe O'Connor\n\n"
			  "Amelia Khan (04/05/2015) and Zoë O'Connor, inhaler, EHCP.\n";
	const char *rcpts[] = { "parent@home.example" };
	struct pg_notice_info info = { .qid = "4ABC124", .when = 0, .hostname = "mx",
				       .sender = "t@school.example", .rcpts = rcpts, .nrcpts = 1,
				       .subject_raw = "Amelia Khan and Zoe O'Connor",
				       .key = NULL, .from = "pg@school.example" };
	struct pg_result r, back;
	size_t len;
	char *note;

	tl_scan(pol, msg, PG_DIR_OUTBOUND, &r);
	ck_assert_int_eq(r.action, PG_ACTION_HOLD);
	note = notify_build(pol, &pol->tpl_sender, &r, &info, "t@school.example", &len);
	notice_mark_verifies(note, "t@school.example", 0);
	tl_scan(pol, note, PG_DIR_INTERNAL, &back);
	ck_assert_msg(back.action == PG_ACTION_NONE && back.n == 0, "score %d, %zu findings:\n%s",
		      back.score, back.n, note);
	engine_result_free(&back);
	/* The same notice under the key is marked. */
	info.key = &pol->notice_key;
	free(note);
	note = notify_build(pol, &pol->tpl_sender, &r, &info, "t@school.example", &len);
	notice_mark_verifies(note, "t@school.example", 1);
	free(note);
	engine_result_free(&r);
}
END_TEST

/* Whether TEXT has a control character other than a line feed (and the
 * CR of a CR LF line end when CRLF), or a line that starts with PREFIX. */
static int has_raw_control(const char *text, int crlf)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if ((*p < 0x20 && *p != '\n' && !(crlf && *p == '\r' && p[1] == '\n')) ||
		    *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
		    (*p == 0xe2 && p[1] == 0x80 && p[2] == 0xae))
			return 1;
	return 0;
}

static int has_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p != NULL; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, n) == 0)
			return 1;
	return 0;
}

/* A subject with ESC, BEL, CR LF and a bidi override, and a UPN in it and
 * in an attachment's file name: the notice and the digest line show them
 * as escapes and masks, and no forged line appears. */
START_TEST(test_notice_escapes)
{
	const char *subject = "=?utf-8?Q?B801200005001_=1B[2J=07x=0D=0AX-Fake:_1_=E2=80=AEcod?=";
	struct pg_buf msg;
	const char *rcpts[] = { "partner@agency.example" };
	struct pg_notice_info info = { .qid = "4ABC124", .when = 0, .hostname = "mx",
				       .sender = "t@school.example", .rcpts = rcpts, .nrcpts = 1,
				       .subject_raw = subject, .from = "pg@school.example" };
	struct pg_result r;
	size_t len;
	char *note, *summary, *body;

	pg_buf_init(&msg, 512);
	pg_buf_printf(&msg, "Subject: %s\nMIME-Version: 1.0\n"
		      "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
		      "Content-Type: text/plain\n\nhello\n--b\n"
		      "Content-Type: text/plain; name=\"J801200009001_=1B]0;x=07.txt\"\n"
		      "Content-Disposition: attachment; filename=\"J801200009001_x.txt\"\n\n"
		      "Amelia Khan, inhaler.\n--b--\n", subject);
	tl_scan(pol, msg.data, PG_DIR_OUTBOUND, &r);
	r.action = PG_ACTION_HOLD;
	note = notify_build(pol, &pol->tpl_leadership, &r, &info, "head@school.example", &len);
	body = body_text(note);
	ck_assert_msg(!has_raw_control(body, 0), "raw control in the body:\n%s", body);
	ck_assert_msg(!has_raw_control(note, 1), "raw control in the notice:\n%s", note);
	ck_assert_msg(!has_line(body, "X-Fake") && !has_line(note, "X-Fake"), "forged line:\n%s", note);
	ck_assert_msg(strstr(body, "\\x1b[2J\\x07x\\x0d\\x0aX-Fake: 1 \\u202ecod") != NULL,
		      "escapes shown:\n%s", body);
	ck_assert_msg(strstr(body, "B##########01") != NULL && strstr(body, "J##########01") != NULL,
		      "UPNs masked:\n%s", body);
	ck_assert_msg(strstr(note, "801200005001") == NULL && strstr(note, "801200009001") == NULL,
		      "no UPN anywhere:\n%s", note);
	summary = notify_summary(pol, &r, &info);
	ck_assert_msg(!has_raw_control(summary, 0) && strchr(summary, '\n') == NULL &&
		      strstr(summary, "801200005001") == NULL, "%s", summary);
	free(summary);
	free(body);
	free(note);
	engine_result_free(&r);
	pg_buf_free(&msg, 0);
}
END_TEST

START_TEST(test_spool)
{
	char dir[] = "/tmp/pg-spool-XXXXXX";
	struct pg_spool_meta m = { 0 }, back;
	const char *error;
	char **names, *name = NULL, *msg, stray[4200];
	struct stat st;
	size_t len;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(spool_open(dir, &error), 0);
	m.from = "pg@school.example";
	m.to = "head@school.example";
	m.next = 100;
	m.created = 50;
	m.summary = "4ABC held";
	ck_assert_int_eq(spool_write(dir, &m, "Subject: x\n\nbody\n", 17, &name, &error), 0);
	/* a crash between write and rename leaves a file in tmp/ only */
	snprintf(stray, sizeof(stray), "%s/tmp/half-written", dir);
	fp = fopen(stray, "w");
	fputs("X-PG-To: head@school.example\n", fp);
	fclose(fp);
	names = spool_list(dir);
	ck_assert_ptr_nonnull(names[0]);
	ck_assert_ptr_null(names[1]); /* the half file is not an entry */
	ck_assert_str_eq(names[0], name);
	spool_list_free(names);
	ck_assert_int_eq(spool_open(dir, &error), 0); /* restart: tmp/ cleared */
	ck_assert_int_eq(stat(stray, &st), -1);
	snprintf(stray, sizeof(stray), "%s/new/%s", dir, name);
	ck_assert_int_eq(stat(stray, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(spool_read(dir, name, &back, &msg, &len), 0);
	ck_assert_str_eq(back.to, "head@school.example");
	ck_assert_int_eq(back.next, 100);
	ck_assert_str_eq(msg, "Subject: x\n\nbody\n");
	free(msg);
	back.attempts = 3;
	back.kind = PG_SPOOL_DIGEST_ITEM;
	ck_assert_int_eq(spool_update(dir, name, &back), 0);
	spool_meta_free(&back);
	ck_assert_int_eq(spool_read(dir, name, &back, &msg, &len), 0);
	ck_assert_uint_eq(back.attempts, 3);
	ck_assert_int_eq(back.kind, PG_SPOOL_DIGEST_ITEM);
	ck_assert_str_eq(msg, "Subject: x\n\nbody\n");
	free(msg);
	spool_meta_free(&back);
	ck_assert_int_eq(spool_fail(dir, name), 0);
	names = spool_list(dir);
	ck_assert_ptr_null(names[0]);
	spool_list_free(names);
	free(name);
}
END_TEST

START_TEST(test_ratelimit)
{
	struct pg_ratelimit *rl = ratelimit_new(3, 60);

	ck_assert(ratelimit_take(rl, "head@school.example", 1000));
	ck_assert(ratelimit_take(rl, "head@school.example", 1001));
	ck_assert(ratelimit_take(rl, "HEAD@school.example", 1002));
	ck_assert(!ratelimit_take(rl, "head@school.example", 1003)); /* fourth in the window */
	ck_assert(ratelimit_take(rl, "dsl@school.example", 1003));   /* per address */
	ck_assert(!ratelimit_take(rl, "head@school.example", 1059));
	ck_assert(ratelimit_take(rl, "head@school.example", 1060)); /* the first left the window */
	ck_assert(!ratelimit_take(rl, "head@school.example", 1060));
	ratelimit_free(&rl);
	ck_assert_ptr_null(rl);
	rl = ratelimit_new(0, 60); /* 0: no limit */
	for (int i = 0; i < 100; i++)
		ck_assert(ratelimit_take(rl, "a", 5));
	ratelimit_free(&rl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");
	int rc;

	engine_global_init();
	pol = tl_policy(NULL);
	tcase_add_test(tc, test_template_placeholders);
	tcase_add_test(tc, test_template_errors);
	tcase_add_test(tc, test_notice_redacted);
	tcase_add_test(tc, test_sender_notice_unmarked_and_clean);
	tcase_add_test(tc, test_notice_escapes);
	tcase_add_test(tc, test_spool);
	tcase_add_test(tc, test_ratelimit);
	suite_add_tcase(s, tc);
	rc = tl_run(s);
	policy_unref(&pol);
	return rc;
}
