/*
 * check_smtp.c - the notification sender against a fake relay on loopback:
 * the dialogue, dot stuffing and CRLF line ends, a refused recipient, a
 * relay that never answers, and nobody listening, each with its reason.
 */
#include "config.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include "smtp.h"
#include "testlib.h"

enum relay_mode { RELAY_OK, RELAY_REFUSE_RCPT, RELAY_SILENT };

struct relay {
	int lfd;
	int port;
	enum relay_mode mode;
	char got[8192]; /* everything the client sent */
	size_t len;
};

static void relay_say(int fd, const char *s)
{
	ck_assert(write(fd, s, strlen(s)) == (ssize_t)strlen(s));
}

/* Read more of the client's bytes until they end in END; 0 at end of file. */
static int relay_until(struct relay *r, int fd, const char *end)
{
	size_t n = strlen(end), from = r->len;

	while (r->len < from + n || memcmp(r->got + r->len - n, end, n) != 0) {
		ssize_t k = read(fd, r->got + r->len, sizeof(r->got) - 1 - r->len);

		if (k <= 0)
			return 0;
		r->len += (size_t)k;
		r->got[r->len] = '\0';
	}
	return 1;
}

static void *relay_run(void *arg)
{
	struct relay *r = arg;
	int fd = accept(r->lfd, NULL, NULL);

	if (fd < 0)
		return NULL;
	if (r->mode == RELAY_SILENT) {
		sleep(3);
		close(fd);
		return NULL;
	}
	relay_say(fd, "220 relay.test ESMTP\r\n");
	if (relay_until(r, fd, "\r\n"))
		relay_say(fd, "250-relay.test\r\n250 8BITMIME\r\n");
	if (relay_until(r, fd, "\r\n"))
		relay_say(fd, "250 ok\r\n");
	if (relay_until(r, fd, "\r\n"))
		relay_say(fd, r->mode == RELAY_REFUSE_RCPT ? "550 5.1.1 no such user\r\n"
							    : "250 ok\r\n");
	if (r->mode == RELAY_OK && relay_until(r, fd, "\r\n")) {
		relay_say(fd, "354 go\r\n");
		if (relay_until(r, fd, "\r\n.\r\n"))
			relay_say(fd, "250 queued\r\n");
		if (relay_until(r, fd, "\r\n"))
			relay_say(fd, "221 bye\r\n");
	} else {
		(void)relay_until(r, fd, "\r\n");
	}
	close(fd);
	return NULL;
}

static void relay_start(struct relay *r, enum relay_mode mode, pthread_t *t)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);

	memset(r, 0, sizeof(*r));
	r->mode = mode;
	r->lfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(r->lfd, 0);
	ck_assert_int_eq(bind(r->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(r->lfd, 1), 0);
	ck_assert_int_eq(getsockname(r->lfd, (struct sockaddr *)&sa, &sl), 0);
	r->port = ntohs(sa.sin_port);
	ck_assert_int_eq(pthread_create(t, NULL, relay_run, r), 0);
}

static void relay_stop(struct relay *r, pthread_t t)
{
	pthread_join(t, NULL);
	close(r->lfd);
}

START_TEST(test_smtp_delivers)
{
	struct relay r;
	pthread_t t;
	char hp[32];
	const char *err = NULL;
	const char msg[] = "Subject: x\n\n.hidden line\nlast";

	relay_start(&r, RELAY_OK, &t);
	snprintf(hp, sizeof(hp), "127.0.0.1:%d", r.port);
	ck_assert_int_eq(smtp_send(hp, "pg.test", "pg@school.test", "head@school.test", msg,
				   sizeof(msg) - 1, 5, &err), 0);
	relay_stop(&r, t);
	ck_assert_ptr_nonnull(strstr(r.got, "EHLO pg.test\r\n"));
	ck_assert_ptr_nonnull(strstr(r.got, "MAIL FROM:<pg@school.test>\r\n"));
	ck_assert_ptr_nonnull(strstr(r.got, "RCPT TO:<head@school.test>\r\n"));
	/* LF became CRLF, a leading dot was doubled, the end line was added. */
	ck_assert_ptr_nonnull(strstr(r.got, "DATA\r\nSubject: x\r\n\r\n..hidden line\r\nlast\r\n.\r\n"));
	ck_assert_ptr_nonnull(strstr(r.got, "QUIT\r\n"));
}
END_TEST

START_TEST(test_smtp_refused_recipient)
{
	struct relay r;
	pthread_t t;
	char hp[32];
	const char *err = NULL;

	relay_start(&r, RELAY_REFUSE_RCPT, &t);
	snprintf(hp, sizeof(hp), "127.0.0.1:%d", r.port);
	ck_assert_int_eq(smtp_send(hp, "pg.test", "pg@school.test", "nobody@school.test", "x", 1,
				   5, &err), -1);
	relay_stop(&r, t);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, "relay said: 550 5.1.1 no such user");
	ck_assert_ptr_null(strstr(r.got, "DATA"));
}
END_TEST

START_TEST(test_smtp_silent_relay_times_out)
{
	struct relay r;
	pthread_t t;
	char hp[32];
	const char *err = NULL;

	relay_start(&r, RELAY_SILENT, &t);
	snprintf(hp, sizeof(hp), "127.0.0.1:%d", r.port);
	ck_assert_int_eq(smtp_send(hp, "pg.test", "a@b", "c@d", "x", 1, 1, &err), -1);
	ck_assert_str_eq(err, "relay timed out");
	relay_stop(&r, t);
}
END_TEST

START_TEST(test_smtp_nobody_listening)
{
	struct relay r;
	pthread_t t;
	char hp[32];
	const char *err = NULL;
	int port;

	/* A port that was just free: open and close a listener on it. */
	relay_start(&r, RELAY_SILENT, &t);
	port = r.port;
	pthread_cancel(t);
	relay_stop(&r, t);
	snprintf(hp, sizeof(hp), "127.0.0.1:%d", port);
	ck_assert_int_eq(smtp_send(hp, "pg.test", "a@b", "c@d", "x", 1, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "Connection refused"));
	ck_assert_int_eq(smtp_send("host.invalid:25", "pg.test", "a@b", "c@d", "x", 1, 1, &err),
			 -1);
	ck_assert_ptr_nonnull(strstr(err, "host.invalid"));
}
END_TEST

START_TEST(test_smtp_sendmail_status)
{
	const char *err = NULL;

	ck_assert_int_eq(smtp_sendmail("/bin/true", "a@b", "c@d", "x\n", 2, &err), 0);
	ck_assert_int_eq(smtp_sendmail("/bin/false", "a@b", "c@d", "x\n", 2, &err), -1);
	ck_assert_str_eq(err, "/bin/false exited with status 1");
	ck_assert_int_eq(smtp_sendmail("/nonexistent/sendmail", "a@b", "c@d", "x\n", 2, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "status 127"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("smtp");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_smtp_delivers);
	tcase_add_test(tc, test_smtp_refused_recipient);
	tcase_add_test(tc, test_smtp_silent_relay_times_out);
	tcase_add_test(tc, test_smtp_nobody_listening);
	tcase_add_test(tc, test_smtp_sendmail_status);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
