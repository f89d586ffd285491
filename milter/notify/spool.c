/*
 * spool.c - crash-safe notification spool (tmp, fsync, rename).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"

static int spool_mkdir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return -1;
}

int spool_create(const char *dir, const char **error_r)
{
	static const char *const subs[] = { "tmp", "new", "failed" };
	char path[4096];

	if (spool_mkdir(dir) < 0) {
		*error_r = strerror(errno);
		return -1;
	}
	for (size_t i = 0; i < PG_ARRAY_LEN(subs); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, subs[i]);
		if (spool_mkdir(path) < 0) {
			*error_r = strerror(errno);
			return -1;
		}
	}
	return 0;
}

int spool_open(const char *dir, const char **error_r)
{
	char path[4096];
	DIR *d;

	if (spool_create(dir, error_r) < 0)
		return -1;
	/* Half-written files from a crash: never renamed, so never sent. */
	(void)snprintf(path, sizeof(path), "%s/tmp", dir);
	d = opendir(path);
	if (d != NULL) {
		struct dirent *e;

		while ((e = readdir(d)) != NULL) {
			char f[4096 + 256];

			if (e->d_name[0] == '.')
				continue;
			(void)snprintf(f, sizeof(f), "%s/%s", path, e->d_name);
			(void)unlink(f);
		}
		(void)closedir(d);
	}
	return 0;
}

static void spool_format_meta(struct pg_buf *b, const struct pg_spool_meta *m)
{
	pg_buf_printf(b, "X-PG-From: %s\nX-PG-To: %s\nX-PG-Attempts: %u\nX-PG-Next: %lld\n"
			 "X-PG-Created: %lld\nX-PG-Kind: %s\nX-PG-Summary: %s\n\n",
		      m->from ? m->from : "", m->to ? m->to : "", m->attempts, (long long)m->next,
		      (long long)m->created, m->kind == PG_SPOOL_DIGEST_ITEM ? "digest-item" : "notice",
		      m->summary ? m->summary : "");
}

/* Write BUF to DIR/tmp, fsync, rename to DIR/new/NAME. */
static int spool_commit(const char *dir, const char *name, const struct pg_buf *b,
			const char **error_r)
{
	char tmp[4096], final[4096];
	const char *p = b->data;
	size_t left = b->len;
	int fd, dfd;

	(void)snprintf(tmp, sizeof(tmp), "%s/tmp/%s", dir, name);
	(void)snprintf(final, sizeof(final), "%s/new/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		*error_r = strerror(errno);
		return -1;
	}
	while (left > 0) {
		ssize_t w = write(fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			*error_r = strerror(errno);
			(void)close(fd);
			(void)unlink(tmp);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		*error_r = strerror(errno);
		(void)unlink(tmp);
		return -1;
	}
	if (rename(tmp, final) < 0) {
		*error_r = strerror(errno);
		(void)unlink(tmp);
		return -1;
	}
	/* Make the rename itself durable. */
	(void)snprintf(tmp, sizeof(tmp), "%s/new", dir);
	dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		(void)close(dfd);
	}
	return 0;
}

int spool_write(const char *dir, const struct pg_spool_meta *meta, const char *msg, size_t len,
		char **name_r, const char **error_r)
{
	static unsigned counter;
	struct pg_buf b;
	struct timespec ts;
	char name[128];
	int rc;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	(void)snprintf(name, sizeof(name), "%lld.%09ld.%ld.%u", (long long)ts.tv_sec, ts.tv_nsec,
		       (long)getpid(), __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
	pg_buf_init(&b, len + 256);
	spool_format_meta(&b, meta);
	pg_buf_append(&b, msg, len);
	rc = spool_commit(dir, name, &b, error_r);
	pg_buf_free(&b, 1);
	if (rc == 0 && name_r != NULL)
		*name_r = pg_strdup(name);
	return rc;
}

static int spool_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **spool_list(const char *dir)
{
	char path[4096];
	char **v = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	(void)snprintf(path, sizeof(path), "%s/new", dir);
	d = opendir(path);
	v = pg_calloc(1, sizeof(*v));
	if (d == NULL)
		return v;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		v = pg_reallocarray(v, n + 2, sizeof(*v));
		v[n++] = pg_strdup(e->d_name);
		v[n] = NULL;
	}
	(void)closedir(d);
	qsort(v, n, sizeof(*v), spool_name_cmp);
	return v;
}

void spool_list_free(char **names)
{
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
}

void spool_meta_free(struct pg_spool_meta *m)
{
	free(m->from);
	free(m->to);
	free(m->summary);
	memset(m, 0, sizeof(*m));
}

static const char *spool_field(const char *line, const char *name)
{
	size_t n = strlen(name);

	return strncmp(line, name, n) == 0 && line[n] == ':' ? line + n + 1 + (line[n + 1] == ' ') : NULL;
}

int spool_read(const char *dir, const char *name, struct pg_spool_meta *m, char **msg_r,
	       size_t *len_r)
{
	char path[4096 + 256];
	const char *error, *v;
	size_t len;
	char *data, *p;

	memset(m, 0, sizeof(*m));
	(void)snprintf(path, sizeof(path), "%s/new/%s", dir, name);
	data = pg_read_file(path, 64u * 1024 * 1024, &len, &error);
	if (data == NULL)
		return -1;
	p = data;
	while (*p != '\0' && *p != '\n') {
		char *eol = strchr(p, '\n');

		if (eol == NULL)
			break;
		*eol = '\0';
		if ((v = spool_field(p, "X-PG-From")) != NULL)
			m->from = pg_strdup(v);
		else if ((v = spool_field(p, "X-PG-To")) != NULL)
			m->to = pg_strdup(v);
		else if ((v = spool_field(p, "X-PG-Attempts")) != NULL)
			m->attempts = (unsigned)strtoul(v, NULL, 10);
		else if ((v = spool_field(p, "X-PG-Next")) != NULL)
			m->next = (time_t)strtoll(v, NULL, 10);
		else if ((v = spool_field(p, "X-PG-Created")) != NULL)
			m->created = (time_t)strtoll(v, NULL, 10);
		else if ((v = spool_field(p, "X-PG-Kind")) != NULL)
			m->kind = strcmp(v, "digest-item") == 0 ? PG_SPOOL_DIGEST_ITEM : PG_SPOOL_NOTICE;
		else if ((v = spool_field(p, "X-PG-Summary")) != NULL)
			m->summary = pg_strdup(v);
		p = eol + 1;
	}
	if (*p != '\n' || m->to == NULL) {
		spool_meta_free(m);
		free(data);
		return -1;
	}
	p++;
	if (msg_r != NULL) {
		*len_r = len - (size_t)(p - data);
		*msg_r = pg_strndup(p, *len_r);
	}
	pg_wipe(data, len);
	free(data);
	return 0;
}

int spool_update(const char *dir, const char *name, const struct pg_spool_meta *meta)
{
	struct pg_spool_meta old;
	struct pg_buf b;
	const char *error;
	size_t len;
	char *msg;
	int rc;

	if (spool_read(dir, name, &old, &msg, &len) < 0)
		return -1;
	spool_meta_free(&old);
	pg_buf_init(&b, len + 256);
	spool_format_meta(&b, meta);
	pg_buf_append(&b, msg, len);
	free(msg);
	rc = spool_commit(dir, name, &b, &error);
	pg_buf_free(&b, 1);
	return rc;
}

int spool_remove(const char *dir, const char *name)
{
	char path[4096 + 256];

	(void)snprintf(path, sizeof(path), "%s/new/%s", dir, name);
	return unlink(path);
}

int spool_fail(const char *dir, const char *name)
{
	char from[4096 + 256], to[4096 + 256];

	(void)snprintf(from, sizeof(from), "%s/new/%s", dir, name);
	(void)snprintf(to, sizeof(to), "%s/failed/%s", dir, name);
	return rename(from, to);
}
