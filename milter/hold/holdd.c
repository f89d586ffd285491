/*
 * holdd.c - the hold service and its client (see holdd.h).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "decision.h"
#include "holdd.h"

static volatile sig_atomic_t holdd_stop;

static void holdd_on_signal(int sig)
{
	(void)sig;
	holdd_stop = 1;
}

static int holdd_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void holdd_reply_err(int fd, int code, const char *text)
{
	char *line = pg_asprintf("err\t%d\t%s\n", code, text);

	(void)holdd_write_all(fd, line, strlen(line));
	free(line);
}

static void holdd_reply_ok(int fd, const struct pg_buf *data)
{
	char head[40];

	(void)snprintf(head, sizeof(head), "ok\t%zu\n", data->len);
	if (holdd_write_all(fd, head, strlen(head)) == 0 && data->len > 0)
		(void)holdd_write_all(fd, data->data, data->len);
}

/* Whether held entry ID is pupilguard's: its headers carry the status
 * header the milter adds (and strips from incoming mail).  The headers are
 * left in *headers when it is. */
static int holdd_ours(const struct pg_mta *m, const char *id, struct pg_buf *headers,
		      char **status_r)
{
	const char *error;

	*status_r = NULL;
	if (pg_queue_read(m, id, 1, headers, &error) < 0)
		return 0;
	*status_r = pg_header_value(headers->data, "X-PupilGuard-Status");
	/* "hold; score=...": a clean or tagged message someone else held is
	 * not the review page's to release. */
	return *status_r != NULL && strncmp(*status_r, "hold;", 5) == 0;
}

static void holdd_list(const struct pg_holdd_conf *c, int fd)
{
	struct pg_held *v;
	const char *error;
	ssize_t n = pg_queue_list(&c->mta, &v, &error);
	struct pg_buf out;

	if (n < 0) {
		holdd_reply_err(fd, 2, error);
		return;
	}
	pg_buf_init(&out, 1024);
	for (ssize_t i = 0; i < n; i++) {
		struct pg_buf h;
		char *status, *f[4];

		pg_buf_init(&h, 2048);
		if (holdd_ours(&c->mta, v[i].id, &h, &status)) {
			char *subject = pg_header_value(h.data, "Subject");
			char *report = pg_header_value(h.data, "X-PupilGuard-Report");
			const char *raw[] = { v[i].arrival, v[i].sender, v[i].rcpts, subject };

			for (size_t k = 0; k < 4; k++) {
				f[k] = pg_str_visible(raw[k] ? raw[k] : "");
				for (char *p = f[k]; *p; p++)
					if (*p == '\t')
						*p = ' ';
			}
			pg_buf_printf(&out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v[i].id, f[0], f[1], f[2],
				      status, f[3], report ? report : "");
			for (size_t k = 0; k < 4; k++)
				free(f[k]);
			free(subject);
			free(report);
		}
		free(status);
		pg_buf_free(&h, 1);
	}
	holdd_reply_ok(fd, &out);
	pg_buf_free(&out, 1);
	pg_held_free(v, (size_t)n);
}

static void holdd_act(const struct pg_holdd_conf *c, int fd, const char *verb, const char *id,
		      const char *who, const char *reason)
{
	struct pg_buf h, none;
	char *status;
	const char *error = NULL;
	int rc;

	pg_buf_init(&h, 2048);
	if (pg_queue_exists(&c->mta, id, &error) != 1 || !holdd_ours(&c->mta, id, &h, &status)) {
		holdd_reply_err(fd, 1, "not a message pupilguard holds");
		pg_buf_free(&h, 1);
		return;
	}
	free(status);
	if (strcmp(verb, "read") == 0) {
		struct pg_buf msg;

		pg_buf_init(&msg, 65536);
		if (pg_queue_read(&c->mta, id, 0, &msg, &error) < 0)
			holdd_reply_err(fd, 2, error);
		else
			holdd_reply_ok(fd, &msg);
		pg_buf_free(&msg, 1);
		pg_buf_free(&h, 1);
		return;
	}
	rc = strcmp(verb, "release") == 0 ? pg_queue_release(&c->mta, id, &error)
					  : pg_queue_delete(&c->mta, id, &error);
	pg_buf_free(&h, 1);
	if (rc < 0) {
		syslog(LOG_ERR, "%s: %s asked by %s failed: %s", id, verb, who, error);
		holdd_reply_err(fd, 2, error);
		return;
	}
	syslog(LOG_NOTICE, "%s: %s by %s via the review page", id, verb, who);
	if (c->decisions_path != NULL &&
	    pg_decision_record(c->decisions_path, time(NULL), id, verb, who, "review page", reason,
			       &error) < 0)
		syslog(LOG_ERR, "%s: decision not recorded: %s", id, error);
	pg_buf_init(&none, 1);
	holdd_reply_ok(fd, &none);
	pg_buf_free(&none, 1);
}

/* Read one request line (bounded, with a deadline) and answer it. */
static void holdd_handle(const struct pg_holdd_conf *c, int fd)
{
	struct ucred cred = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
	socklen_t clen = sizeof(cred);
	char req[PG_HOLDD_MAX_REQUEST + 1], *f[4], *nl;
	size_t got = 0, k;

	while (got < PG_HOLDD_MAX_REQUEST && memchr(req, '\n', got) == NULL) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 10000) <= 0)
			return;
		r = read(fd, req + got, PG_HOLDD_MAX_REQUEST - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		got += (size_t)r;
	}
	/* The request is read first even from a peer that is refused, so the
	 * refusal reaches it (a reply to unread data can be lost). */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 ||
	    (cred.uid != 0 && cred.uid != c->peer_uid)) {
		syslog(LOG_WARNING, "hold service: refused a connection from uid %ld",
		       (long)cred.uid);
		holdd_reply_err(fd, 3, "this user may not use the hold service");
		return;
	}
	req[got] = '\0';
	nl = strchr(req, '\n');
	if (nl == NULL) {
		holdd_reply_err(fd, 3, "request too long");
		return;
	}
	*nl = '\0';
	for (k = pg_split_tabs(req, f, 4); k < 4; k++)
		f[k] = "";
	if (strcmp(f[0], "list") == 0) {
		holdd_list(c, fd);
		return;
	}
	if (strcmp(f[0], "read") != 0 && strcmp(f[0], "release") != 0 &&
	    strcmp(f[0], "delete") != 0) {
		holdd_reply_err(fd, 3, "unknown verb");
		return;
	}
	if (!pg_queue_valid_id(f[1])) {
		holdd_reply_err(fd, 3, "a queue ID is letters and digits");
		return;
	}
	if (strcmp(f[0], "read") != 0 && (*f[2] == '\0' || strlen(f[3]) > PG_HOLDD_MAX_REASON)) {
		holdd_reply_err(fd, 3, "a decision needs who took it, and a reason of at most "
			       "500 bytes");
		return;
	}
	holdd_act(c, fd, f[0], f[1], f[2], f[3]);
}

int pg_holdd_serve(const struct pg_holdd_conf *c, const char **error_r)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sigaction act = { .sa_handler = holdd_on_signal };
	int lfd;
	mode_t old;

	if (strlen(c->socket_path) >= sizeof(sa.sun_path)) {
		*error_r = pg_errorf("%s: socket path too long", c->socket_path);
		return -1;
	}
	strcpy(sa.sun_path, c->socket_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		*error_r = pg_errorf("socket: %s", strerror(errno));
		return -1;
	}
	(void)unlink(c->socket_path);
	old = umask(0117);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		*error_r = pg_errorf("%s: %s", c->socket_path, strerror(errno));
		umask(old);
		(void)close(lfd);
		return -1;
	}
	umask(old);
	if (chown(c->socket_path, 0, c->socket_gid) < 0 || chmod(c->socket_path, 0660) < 0 ||
	    listen(lfd, 16) < 0) {
		*error_r = pg_errorf("%s: %s", c->socket_path, strerror(errno));
		(void)close(lfd);
		(void)unlink(c->socket_path);
		return -1;
	}
	sigemptyset(&act.sa_mask);
	(void)sigaction(SIGTERM, &act, NULL);
	(void)sigaction(SIGINT, &act, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
	syslog(LOG_INFO, "hold service listening on %s", c->socket_path);
	while (!holdd_stop) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EINTR)
				syslog(LOG_ERR, "hold service: accept: %s", strerror(errno));
			continue;
		}
		holdd_handle(c, fd);
		(void)close(fd);
	}
	(void)close(lfd);
	(void)unlink(c->socket_path);
	syslog(LOG_INFO, "hold service stopped");
	return 0;
}

int pg_holdc_call(const char *socket_path, const char *verb, const char *qid,
		  const char *who, const char *reason, struct pg_buf *data,
		  const char **error_r)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pg_buf in;
	char *req, *nl;
	int fd, rc = -1;

	if (strlen(socket_path) >= sizeof(sa.sun_path)) {
		*error_r = "hold socket path too long";
		return -1;
	}
	strcpy(sa.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		*error_r = pg_errorf("cannot reach the hold service at %s: %s", socket_path,
				     strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	req = pg_asprintf("%s\t%s\t%s\t%s\n", verb, qid ? qid : "", who ? who : "",
			  reason ? reason : "");
	{
		/* One line of four fields, whatever the fields hold. */
		size_t tabs = 0, len = strlen(req);

		for (size_t i = 0; i + 1 < len; i++) {
			if (req[i] == '\t' && tabs < 3)
				tabs++;
			else if (req[i] == '\t' || req[i] == '\n' || req[i] == '\r')
				req[i] = ' ';
		}
	}
	if (holdd_write_all(fd, req, strlen(req)) < 0) {
		*error_r = pg_errorf("hold service: %s", strerror(errno));
		free(req);
		(void)close(fd);
		return -1;
	}
	free(req);
	pg_buf_init(&in, 4096);
	for (;;) {
		char buf[16384];
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		pg_buf_append(&in, buf, (size_t)r);
	}
	(void)close(fd);
	nl = in.len ? memchr(in.data, '\n', in.len) : NULL;
	*error_r = "the hold service gave no answer";
	if (nl != NULL && strncmp(in.data, "ok\t", 3) == 0) {
		size_t len = strtoul(in.data + 3, NULL, 10);
		size_t have = in.len - (size_t)(nl + 1 - in.data);

		if (have == len) {
			pg_buf_append(data, nl + 1, len);
			rc = 0;
		}
	} else if (nl != NULL && strncmp(in.data, "err\t", 4) == 0 && in.data[4] >= '1' &&
		   in.data[4] <= '3') {
		*nl = '\0';
		rc = in.data[4] - '0';
		*error_r = pg_errorf("%s", in.data + 6);
	}
	pg_buf_free(&in, 1);
	return rc;
}
