/*
 * msgbuf.c - memory-then-file message buffering with a hard cap.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgbuf.h"

void msgbuf_init(struct pg_msgbuf *b, size_t mem_limit, size_t cap, const char *temp_dir)
{
	memset(b, 0, sizeof(*b));
	pg_buf_init(&b->mem, mem_limit < 65536 ? (mem_limit ? mem_limit : 16) : 65536);
	b->fd = -1;
	b->mem_limit = mem_limit;
	b->cap = cap;
	b->temp_dir = temp_dir;
}

static int msgbuf_write(int fd, const char *p, size_t n, const char **error_r)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			*error_r = strerror(errno);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Move what is in memory into a fresh unlinked temp file. */
static int msgbuf_spill(struct pg_msgbuf *b, const char **error_r)
{
	char *path = pg_asprintf("%s/pupilguard.XXXXXX", b->temp_dir ? b->temp_dir : "/tmp");
	mode_t old = umask(077);
	int fd = mkstemp(path);

	(void)umask(old);
	if (fd < 0) {
		*error_r = strerror(errno);
		free(path);
		return -1;
	}
	(void)unlink(path);
	free(path);
	if (msgbuf_write(fd, b->mem.data, b->mem.len, error_r) < 0) {
		(void)close(fd);
		return -1;
	}
	pg_wipe(b->mem.data, b->mem.len);
	pg_buf_truncate(&b->mem, 0);
	b->fd = fd;
	return 0;
}

int msgbuf_append(struct pg_msgbuf *b, const void *data, size_t len, const char **error_r)
{
	size_t keep = len;

	b->seen += len;
	if (b->size >= b->cap)
		return 0;
	if (keep > b->cap - b->size)
		keep = b->cap - b->size;
	if (b->fd < 0 && b->size + keep > b->mem_limit && msgbuf_spill(b, error_r) < 0)
		return -1;
	if (b->fd >= 0) {
		if (msgbuf_write(b->fd, data, keep, error_r) < 0)
			return -1;
	} else {
		pg_buf_append(&b->mem, data, keep);
	}
	b->size += keep;
	return 0;
}

int msgbuf_header(struct pg_msgbuf *b, const char *name, const char *value, const char **error_r)
{
	if (msgbuf_append(b, name, strlen(name), error_r) < 0 ||
	    msgbuf_append(b, ": ", 2, error_r) < 0 ||
	    msgbuf_append(b, value, strlen(value), error_r) < 0)
		return -1;
	return msgbuf_append(b, "\n", 1, error_r);
}

int msgbuf_truncated(const struct pg_msgbuf *b)
{
	return b->seen > b->size;
}

GMimeStream *msgbuf_stream(struct pg_msgbuf *b)
{
	if (b->fd >= 0) {
		int fd = dup(b->fd);

		if (fd < 0)
			return NULL;
		return g_mime_stream_fs_new_with_bounds(fd, 0, (gint64)b->size);
	}
	/* GMime copies the bytes into the stream's own array. */
	return g_mime_stream_mem_new_with_buffer(b->mem.data, b->mem.len);
}

void msgbuf_free(struct pg_msgbuf *b)
{
	if (b->fd >= 0)
		(void)close(b->fd);
	b->fd = -1;
	pg_buf_free(&b->mem, 1);
	b->size = b->seen = 0;
}
