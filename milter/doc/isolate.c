/*
 * isolate.c - doc_extract() in a forked child within CPU, memory and
 * wall-clock limits (see isolate.h).  The result crosses a pipe as
 * length-prefixed fields: flags, reason, then where/text per segment; the
 * parent caps what it reads at the expanded-bytes limit plus headroom.
 * The child only extracts and exits with _exit(): it runs no atexit
 * handlers and touches nothing the milter's other threads hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "isolate.h"
#include "util.h"

/* AddressSanitizer reserves terabytes of address space for its shadow, so a
 * sanitizer build cannot run under RLIMIT_AS: it keeps the CPU and
 * wall-clock limits only. */
#if defined(__SANITIZE_ADDRESS__)
#define ISOLATE_AS_LIMIT 0
#else
#define ISOLATE_AS_LIMIT 1
#endif

enum pg_doc_fault isolate_fault_parse(const char *s)
{
	if (!s)
		return PG_DOC_FAULT_NONE;
	if (strcmp(s, "crash") == 0)
		return PG_DOC_FAULT_CRASH;
	if (strcmp(s, "hang") == 0)
		return PG_DOC_FAULT_HANG;
	if (strcmp(s, "oom") == 0)
		return PG_DOC_FAULT_OOM;
	return PG_DOC_FAULT_NONE;
}

static void isolate_put(struct pg_buf *b, const char *s, size_t len)
{
	uint32_t n = (uint32_t)len;

	pg_buf_append(b, &n, sizeof n);
	pg_buf_append(b, s, len);
}

static void isolate_fault(enum pg_doc_fault fault)
{
	if (fault == PG_DOC_FAULT_CRASH)
		abort();
	while (fault == PG_DOC_FAULT_HANG)
		;
	for (size_t n = 1 << 20; fault == PG_DOC_FAULT_OOM; n *= 2) {
		char *p = malloc(n);
		if (!p)
			abort();
		memset(p, 1, n);
	}
}

/* The child: limits, extract, write the result to FD, exit. */
static void isolate_child(int fd, const unsigned char *data, size_t len, const char *ctype,
			  const char *name, const char *where, const struct pg_doc_limits *limits,
			  const struct pg_doc_isolation *iso)
{
	struct rlimit cpu = {iso->cpu_seconds, iso->cpu_seconds + 1};
	struct rlimit as = {iso->memory_bytes, iso->memory_bytes};
	struct pg_doc doc;
	struct pg_buf b;
	uint32_t n;
	size_t off = 0;

	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	/* A parser's chatter on stdout (libytnef prints) must not reach the
	 * caller's output: pupilguard-scan's report, the milter's log. */
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
		_exit(2);
	(void)close(null);
	if (setrlimit(RLIMIT_CPU, &cpu) < 0 || (ISOLATE_AS_LIMIT && setrlimit(RLIMIT_AS, &as) < 0))
		_exit(2);
	isolate_fault(iso->fault);
	doc_init(&doc);
	doc_extract(data, len, ctype, name, where, limits, &doc);
	pg_buf_init(&b, 0);
	n = doc.flags;
	pg_buf_append(&b, &n, sizeof n);
	isolate_put(&b, doc.reason ? doc.reason : "", doc.reason ? strlen(doc.reason) : 0);
	for (size_t i = 0; i < doc.n; i++) {
		isolate_put(&b, doc.v[i].where, strlen(doc.v[i].where));
		isolate_put(&b, doc.v[i].text, doc.v[i].len);
	}
	while (off < b.len) {
		ssize_t w = write(fd, b.data + off, b.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		off += (size_t)w;
	}
	_exit(0);
}

static long isolate_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Read everything from FD until EOF, MAX bytes or the deadline; -1 on a
 * timeout, too much output or a read error. */
static int isolate_read(int fd, long deadline, size_t max, struct pg_buf *b)
{
	char chunk[65536];

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long left = deadline - isolate_now_ms();
		ssize_t got;
		int r;

		if (left <= 0)
			return -1;
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		if (b->len + (size_t)got > max)
			return -1;
		pg_buf_append(b, chunk, (size_t)got);
	}
}

/* Take a length-prefixed field at *OFF from B; -1 if B is short. */
static int isolate_get(const struct pg_buf *b, size_t *off, const char **s_r, size_t *len_r)
{
	uint32_t n;

	if (b->len - *off < sizeof n)
		return -1;
	memcpy(&n, b->data + *off, sizeof n);
	*off += sizeof n;
	if (b->len - *off < n)
		return -1;
	*s_r = b->data + *off;
	*len_r = n;
	*off += n;
	return 0;
}

/* Turn the child's output into DOC; -1 if it is malformed. */
static int isolate_decode(const struct pg_buf *b, struct pg_doc *doc)
{
	size_t off = sizeof(uint32_t), len, tlen;
	const char *s, *text;
	uint32_t flags;

	if (b->len < sizeof flags)
		return -1;
	memcpy(&flags, b->data, sizeof flags);
	if (isolate_get(b, &off, &s, &len) < 0)
		return -1;
	doc->flags |= flags;
	if (len && !doc->reason)
		doc->reason = pg_strndup(s, len);
	while (off < b->len) {
		char *where;

		if (isolate_get(b, &off, &s, &len) < 0 || isolate_get(b, &off, &text, &tlen) < 0)
			return -1;
		where = pg_strndup(s, len);
		doc_add(doc, where, text, tlen);
		free(where);
	}
	return 0;
}

void isolate_extract(const unsigned char *data, size_t len, const char *ctype,
		     const char *name, const char *where, const struct pg_doc_limits *limits,
		     const struct pg_doc_isolation *iso, struct pg_doc *doc)
{
	long deadline = isolate_now_ms() + iso->timeout_ms;
	const char *failure = NULL;
	struct pg_buf out;
	int fds[2], status = 0, got;
	pid_t pid;

	pg_buf_init(&out, 0);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		doc_flag(doc, PG_DOC_FAILED, where, "no pipe for the document reader");
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		isolate_child(fds[1], data, len, ctype, name, where, limits, iso);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		doc_flag(doc, PG_DOC_FAILED, where, "could not start the document reader");
		goto out;
	}
	got = isolate_read(fds[0], deadline, limits->max_bytes + (1u << 20), &out);
	close(fds[0]);
	if (got < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got < 0)
		failure = "document reader timed out or said too much";
	else if (WIFSIGNALED(status))
		failure = WTERMSIG(status) == SIGXCPU ? "document reader over its CPU limit"
						      : "document reader crashed";
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		failure = "document reader failed";
	else if (isolate_decode(&out, doc) < 0)
		failure = "document reader sent a malformed result";
	if (failure)
		doc_flag(doc, PG_DOC_FAILED, where, failure);
out:
	pg_buf_free(&out, 1);
}
