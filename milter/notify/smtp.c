/*
 * smtp.c - a small, strict SMTP client and a sendmail(1) pipe.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "smtp.h"
#include "util.h"

struct conn {
	int fd;
	int timeout;
	char buf[4096];
	size_t len;
	const char **error_r;
};

static int smtp_fail(struct conn *c, const char *what, const char *detail)
{
	*c->error_r = pg_errorf("%s%s%s", what, detail ? ": " : "", detail ? detail : "");
	return -1;
}

static int smtp_write(struct conn *c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return smtp_fail(c, "write", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read one whole reply (all continuation lines); its code, or -1. */
static int smtp_reply(struct conn *c)
{
	for (;;) {
		char *eol;

		while ((eol = memchr(c->buf, '\n', c->len)) != NULL) {
			size_t linelen = (size_t)(eol - c->buf) + 1;
			int code = -1, last = 0;

			if (linelen >= 4 && c->buf[0] >= '2' && c->buf[0] <= '5') {
				code = atoi(c->buf);
				last = c->buf[3] != '-';
			}
			if (last) {
				char line[256];
				size_t n = linelen < sizeof(line) ? linelen : sizeof(line) - 1;

				memcpy(line, c->buf, n);
				line[n] = '\0';
				line[strcspn(line, "\r\n")] = '\0';
				if (code >= 400)
					*c->error_r = pg_errorf("relay said: %s", line);
			}
			memmove(c->buf, eol + 1, c->len - linelen);
			c->len -= linelen;
			if (code < 0)
				return smtp_fail(c, "malformed reply from relay", NULL);
			if (last)
				return code;
		}
		{
			struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
			int pr = poll(&pfd, 1, c->timeout * 1000);
			ssize_t r;

			if (pr == 0)
				return smtp_fail(c, "relay timed out", NULL);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr < 0)
				return smtp_fail(c, "poll", strerror(errno));
			if (c->len == sizeof(c->buf))
				return smtp_fail(c, "reply line too long", NULL);
			r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return smtp_fail(c, "relay closed the connection", NULL);
			c->len += (size_t)r;
		}
	}
}

/* Send a command and expect a reply in the WANT hundred. */
static int smtp_cmd(struct conn *c, const char *cmd, int want)
{
	int code;

	if (cmd != NULL && smtp_write(c, cmd, strlen(cmd)) < 0)
		return -1;
	code = smtp_reply(c);
	if (code < 0)
		return -1;
	if (code / 100 != want) {
		if (code < 400)
			*c->error_r = pg_errorf("unexpected reply %d", code);
		return -1;
	}
	return 0;
}

static int smtp_connect(const char *hostport, int timeout, const char **error_r)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], port[16] = "25";
	const char *colon = strrchr(hostport, ':');
	int fd = -1, rc;

	if (colon != NULL && strchr(colon, ']') == NULL) {
		size_t n = (size_t)(colon - hostport);

		if (n >= sizeof(host))
			n = sizeof(host) - 1;
		memcpy(host, hostport, n);
		host[n] = '\0';
		(void)snprintf(port, sizeof(port), "%s", colon + 1);
	} else {
		(void)snprintf(host, sizeof(host), "%s", hostport);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0) {
		*error_r = pg_errorf("%s: %s", hostport, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		struct timeval tv = { .tv_sec = timeout };

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			*error_r = pg_errorf("%s: %s", hostport, strerror(errno));
			(void)close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

int smtp_send(const char *hostport, const char *helo, const char *from, const char *to,
	      const char *msg, size_t len, int timeout, const char **error_r)
{
	struct conn c = { .fd = -1, .timeout = timeout, .error_r = error_r };
	struct pg_buf b;
	int rc = -1;

	*error_r = "no address to connect to";
	c.fd = smtp_connect(hostport, timeout, error_r);
	if (c.fd < 0)
		return -1;
	pg_buf_init(&b, len + len / 32 + 64);
	if (smtp_cmd(&c, NULL, 2) < 0)
		goto out;
	pg_buf_printf(&b, "EHLO %s\r\n", helo);
	if (smtp_cmd(&c, b.data, 2) < 0)
		goto out;
	pg_buf_truncate(&b, 0);
	pg_buf_printf(&b, "MAIL FROM:<%s>\r\n", from);
	if (smtp_cmd(&c, b.data, 2) < 0)
		goto out;
	pg_buf_truncate(&b, 0);
	pg_buf_printf(&b, "RCPT TO:<%s>\r\n", to);
	if (smtp_cmd(&c, b.data, 2) < 0 || smtp_cmd(&c, "DATA\r\n", 3) < 0)
		goto out;
	/* The message with CRLF line ends and leading dots doubled. */
	pg_buf_truncate(&b, 0);
	for (size_t i = 0, bol = 1; i < len; i++) {
		if (bol && msg[i] == '.')
			pg_buf_putc(&b, '.');
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			pg_buf_putc(&b, '\r');
		pg_buf_putc(&b, msg[i]);
		bol = msg[i] == '\n';
	}
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		pg_buf_puts(&b, "\r\n");
	pg_buf_puts(&b, ".\r\n");
	if (smtp_write(&c, b.data, b.len) < 0 || smtp_cmd(&c, NULL, 2) < 0)
		goto out;
	(void)smtp_cmd(&c, "QUIT\r\n", 2);
	rc = 0;
out:
	pg_buf_free(&b, 1);
	(void)close(c.fd);
	return rc;
}

int smtp_sendmail(const char *path, const char *from, const char *to, const char *msg,
		  size_t len, const char **error_r)
{
	int pfd[2], status;
	pid_t pid;
	size_t off = 0;

	if (pipe(pfd) < 0) {
		*error_r = pg_errorf("pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*error_r = pg_errorf("fork: %s", strerror(errno));
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		/* The daemon blocks SIGUSR1 in every thread: sendmail must not inherit that. */
		(void)sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		(void)dup2(pfd[0], 0);
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		execl(path, path, "-i", "-f", from, "--", to, (char *)NULL);
		_exit(127);
	}
	(void)close(pfd[0]);
	while (off < len) {
		ssize_t w = write(pfd[1], msg + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		off += (size_t)w;
	}
	(void)close(pfd[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			*error_r = pg_errorf("waitpid: %s", strerror(errno));
			return -1;
		}
	if (off < len || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*error_r = pg_errorf("%s exited with status %d", path,
				     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}
