/*
 * decision.c - the decisions record (see decision.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "decision.h"
#include "util.h"

/* One field: visible, and without the TAB that separates fields. */
static char *decision_field(const char *s)
{
	char *v = pg_str_visible(s != NULL && *s != '\0' ? s : "-");

	for (char *p = v; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return v;
}

int pg_decision_record(const char *path, time_t when, const char *qid, const char *verb,
		       const char *who, const char *via, const char *reason,
		       const char **error_r)
{
	const char *in[] = { qid, verb, who, via, reason };
	char *f[PG_ARRAY_LEN(in)], *line;
	struct tm tm;
	char stamp[32];
	int fd, rc = 0;
	size_t len;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		*error_r = pg_errorf("%s: %s", path, strerror(errno));
		return -1;
	}
	(void)gmtime_r(&when, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < PG_ARRAY_LEN(in); i++)
		f[i] = decision_field(in[i]);
	line = pg_asprintf("%s\t%s\t%s\t%s\t%s\t%s\n", stamp, f[0], f[1], f[2], f[3], f[4]);
	len = strlen(line);
	if (flock(fd, LOCK_EX) < 0 || write(fd, line, len) != (ssize_t)len) {
		*error_r = pg_errorf("%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (close(fd) < 0 && rc == 0) {
		*error_r = pg_errorf("%s: %s", path, strerror(errno));
		rc = -1;
	}
	for (size_t i = 0; i < PG_ARRAY_LEN(in); i++)
		free(f[i]);
	free(line);
	return rc;
}

static time_t decision_time(const char *s)
{
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);

	return end != NULL ? timegm(&tm) : (time_t)0;
}

long pg_decision_tail(const char *path, size_t max, struct pg_decision **v,
		      const char **error_r)
{
	const char *error;
	size_t len, n = 0, cap = max ? max : 1;
	char *text = pg_read_file(path, 1u << 26, &len, &error);
	char *save = NULL;
	struct pg_decision *ring;
	size_t total = 0;

	*v = NULL;
	if (text == NULL) {
		if (access(path, F_OK) < 0 && errno == ENOENT)
			return 0;
		*error_r = pg_errorf("%s: %s", path, error);
		return -1;
	}
	ring = pg_calloc(cap, sizeof(*ring));
	for (char *l = strtok_r(text, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		char *f[6];
		size_t k = pg_split_tabs(l, f, 6);
		struct pg_decision *d;

		if (k != 6 || max == 0)
			continue; /* not a decision line */
		d = &ring[total % cap];
		free(d->qid);
		free(d->verb);
		free(d->who);
		free(d->via);
		free(d->reason);
		d->when = decision_time(f[0]);
		d->qid = pg_strdup(f[1]);
		d->verb = pg_strdup(f[2]);
		d->who = pg_strdup(f[3]);
		d->via = pg_strdup(f[4]);
		d->reason = pg_strdup(f[5]);
		total++;
	}
	free(text);
	n = total < cap ? total : cap;
	*v = pg_calloc(n ? n : 1, sizeof(**v));
	for (size_t i = 0; i < n; i++)
		(*v)[i] = ring[(total - n + i) % cap];
	free(ring);
	return (long)n;
}

size_t pg_split_tabs(char *line, char **f, size_t max)
{
	size_t k = 0;

	while (k < max) {
		f[k++] = line;
		if (k == max || (line = strchr(line, '\t')) == NULL)
			break;
		*line++ = '\0';
	}
	return k;
}

void pg_decision_free(struct pg_decision *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++) {
		free(v[i].qid);
		free(v[i].verb);
		free(v[i].who);
		free(v[i].via);
		free(v[i].reason);
	}
	free(v);
}
