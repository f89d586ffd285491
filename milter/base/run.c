/*
 * run.c - run a helper program with a deadline (see run.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

extern char **environ;

static long run_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The child's standard input, output and error from IN, OUT and ERR; its
 * signals as at exec of a fresh process. */
static int run_spawn(char *const argv[], int in, int out, int err, pid_t *pid_r)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, err, 2);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(pid_r, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc;
}

/* Read FDS[0] (output) and FDS[1] (error) into BUFS until both end or the
 * DEADLINE (ms); 0, or -1 with *error_r. */
static int run_collect(int fds[2], struct pg_buf bufs[2], long deadline, const char **error_r)
{
	int open = 2;

	while (open > 0) {
		struct pollfd p[2];
		long left = deadline - run_now_ms();
		char chunk[4096];

		if (left <= 0) {
			*error_r = "timed out";
			return -1;
		}
		for (int i = 0; i < 2; i++)
			p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		if (poll(p, 2, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			*error_r = pg_errorf("poll: %s", strerror(errno));
			return -1;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (fds[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(fds[i], chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i]);
				fds[i] = -1;
				open--;
				continue;
			}
			if (bufs[i].len + (size_t)n > PG_RUN_MAX_OUTPUT) {
				*error_r = "wrote too much";
				return -1;
			}
			pg_buf_append(&bufs[i], chunk, (size_t)n);
		}
	}
	return 0;
}

/* Wait for PID (killed first when KILL); its exit status, or -1. */
static int run_reap(pid_t pid, int kill_it, const char **error_r)
{
	int status;

	if (kill_it)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			*error_r = pg_errorf("waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (kill_it)
		return -1;
	if (WIFSIGNALED(status)) {
		*error_r = pg_errorf("killed by signal %d", WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status);
}

int pg_run(char *const argv[], const char *input, int timeout_ms, char **out_r, char **err_r,
	   const char **error_r)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, fds[2];
	struct pg_buf bufs[2];
	long deadline = run_now_ms() + timeout_ms;
	pid_t pid;
	int rc = -1, spawned;

	pg_buf_init(&bufs[0], 256);
	pg_buf_init(&bufs[1], 64);
	/* A socket for the input: send() with MSG_NOSIGNAL, so that a child
	 * gone early costs no SIGPIPE. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 ||
	    pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		*error_r = pg_errorf("%s: %s", argv[0], strerror(errno));
		goto out;
	}
	spawned = run_spawn(argv, in[1], out[1], err[1], &pid);
	close(in[1]);
	close(out[1]);
	close(err[1]);
	in[1] = out[1] = err[1] = -1;
	if (spawned != 0) {
		*error_r = pg_errorf("%s: %s", argv[0], strerror(spawned));
		goto out;
	}
	/* The input is small (a few lookup keys): the socket's buffer takes
	 * it whole before the child reads, so there is no deadlock with its
	 * output. */
	if (input != NULL && *input != '\0' &&
	    send(in[0], input, strlen(input), MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)strlen(input)) {
		*error_r = pg_errorf("%s: input not taken", argv[0]);
		run_reap(pid, 1, error_r);
		goto out;
	}
	shutdown(in[0], SHUT_WR);
	fds[0] = out[0];
	fds[1] = err[0];
	out[0] = err[0] = -1;
	if (run_collect(fds, bufs, deadline, error_r) < 0) {
		const char *why = *error_r;

		run_reap(pid, 1, error_r);
		*error_r = pg_errorf("%s: %s", argv[0], why);
		goto closefds;
	}
	rc = run_reap(pid, 0, error_r);
	if (rc >= 0) {
		*out_r = pg_buf_steal(&bufs[0]);
		*err_r = pg_buf_steal(&bufs[1]);
	}
closefds:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	pg_buf_free(&bufs[0], 0);
	pg_buf_free(&bufs[1], 0);
	return rc;
}

const char *pg_run_complaint(char *err, const char *def)
{
	char *line = strstr(err, "fatal:");

	if (line == NULL)
		line = strstr(err, "error:");
	if (line != NULL)
		while (line > err && line[-1] != '\n')
			line--;
	else
		line = err;
	line[strcspn(line, "\n")] = '\0';
	return *line ? line : def;
}
