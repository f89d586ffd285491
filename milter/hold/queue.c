/*
 * queue.c - the MTA-independent half of the held-mail interface (see
 * queue.h): ID checks, the mailq parser, header lookup, running a tool.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "queue.h"

const struct pg_queue_driver *pg_queue_driver(const struct pg_mta *m)
{
	return m->kind == PG_MTA_SENDMAIL ? &pg_queue_sendmail : &pg_queue_postfix;
}

int pg_mta_parse(const char *name, enum pg_mta_kind *kind)
{
	if (strcmp(name, "postfix") == 0)
		*kind = PG_MTA_POSTFIX;
	else if (strcmp(name, "sendmail") == 0)
		*kind = PG_MTA_SENDMAIL;
	else
		return -1;
	return 0;
}

int pg_queue_valid_id(const char *id)
{
	if (id == NULL || *id == '\0' || strlen(id) > 64)
		return 0;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return 1;
}

ssize_t pg_queue_list(const struct pg_mta *m, struct pg_held **v, const char **error_r)
{
	*v = NULL;
	return pg_queue_driver(m)->list(m, v, error_r);
}

void pg_held_free(struct pg_held *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].sender);
		free(v[i].rcpts);
		free(v[i].arrival);
	}
	free(v);
}

int pg_queue_exists(const struct pg_mta *m, const char *id, const char **error_r)
{
	struct pg_held *v;
	ssize_t n = pg_queue_list(m, &v, error_r);
	int found = 0;

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		found |= strcmp(v[i].id, id) == 0;
	pg_held_free(v, (size_t)n);
	return found;
}

/* The acting verbs check both the ID and that it is held, whatever the
 * caller did: a release of a message in the active queue is no-op for
 * postsuper -H but a delete is not. */
static int queue_check(const struct pg_mta *m, const char *id, const char **error_r)
{
	int ex;

	if (!pg_queue_valid_id(id)) {
		*error_r = "a queue ID is letters and digits";
		return -1;
	}
	ex = pg_queue_exists(m, id, error_r);
	if (ex == 0)
		*error_r = pg_errorf("%s is not a held message", id);
	return ex == 1 ? 0 : -1;
}

int pg_queue_read(const struct pg_mta *m, const char *id, int headers_only,
		  struct pg_buf *out, const char **error_r)
{
	if (!pg_queue_valid_id(id)) {
		*error_r = "a queue ID is letters and digits";
		return -1;
	}
	return pg_queue_driver(m)->read(m, id, headers_only, out, error_r);
}

int pg_queue_release(const struct pg_mta *m, const char *id, const char **error_r)
{
	if (queue_check(m, id, error_r) < 0)
		return -1;
	return pg_queue_driver(m)->release(m, id, error_r);
}

int pg_queue_delete(const struct pg_mta *m, const char *id, const char **error_r)
{
	if (queue_check(m, id, error_r) < 0)
		return -1;
	return pg_queue_driver(m)->remove(m, id, error_r);
}

char *pg_header_value(const char *msg, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = msg; p != NULL && *p != '\0' && *p != '\n' &&
	     !(p[0] == '\r' && p[1] == '\n');
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			struct pg_buf b;
			const char *q = p + n + 1;

			q += strspn(q, " \t");
			pg_buf_init(&b, 64);
			for (;;) {
				const char *eol = strchr(q, '\n');
				size_t len = eol ? (size_t)(eol - q) : strlen(q);

				if (len > 0 && q[len - 1] == '\r')
					len--;
				pg_buf_append(&b, q, len);
				if (eol == NULL || (eol[1] != ' ' && eol[1] != '\t'))
					break;
				q = eol + 1;
			}
			return pg_buf_steal(&b);
		}
	}
	return NULL;
}

size_t pg_parse_mailq(char *text, int mark, struct pg_held **out)
{
	static const char idchars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	struct pg_held *v = NULL;
	size_t n = 0;
	int current = 0; /* the last entry line was taken */
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t idlen = strspn(line, idchars);
		char c = line[idlen];

		if (idlen > 0 && (c == '!' || c == ' ' || c == '*' || c == '\t')) {
			char size[32], wday[8], mon[8], day[8], tm[16], sender[512];

			current = 0;
			if (idlen >= sizeof(v[0].id) || (mark && c != mark))
				continue;
			/* An entry line has its size, arrival and sender after the ID;
			 * anything else starting with a word is not an entry. */
			if (sscanf(line + idlen + 1, "%31s %7s %7s %7s %15s %511s", size, wday, mon, day,
				   tm, sender) != 6 || !isdigit((unsigned char)size[0]))
				continue;
			v = pg_reallocarray(v, n + 1, sizeof(*v));
			memset(&v[n], 0, sizeof(v[n]));
			memcpy(v[n].id, line, idlen);
			v[n].sender = pg_strdup(sender);
			v[n].arrival = pg_asprintf("%s %s %s %s", wday, mon, day, tm);
			n++;
			current = 1;
		} else if (current && (line[0] == ' ' || line[0] == '\t')) {
			char *r = line + strspn(line, " \t");
			char *j;

			if (*r == '(' || *r == '\0' || strncmp(r, "QUARANTINE", 10) == 0 ||
			    strncmp(r, "Total requests", 14) == 0)
				continue;
			r[strcspn(r, "\r")] = '\0';
			j = v[n - 1].rcpts ? pg_asprintf("%s, %s", v[n - 1].rcpts, r) : pg_strdup(r);
			free(v[n - 1].rcpts);
			v[n - 1].rcpts = j;
		} else {
			current = 0;
		}
	}
	*out = v;
	return n;
}

int pg_queue_run(char *const argv[], struct pg_buf *out)
{
	int pfd[2], status;
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		(void)dup2(pfd[1], 1);
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	(void)close(pfd[1]);
	for (;;) {
		char buf[8192];
		ssize_t r = read(pfd[0], buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out != NULL)
			pg_buf_append(out, buf, (size_t)r);
	}
	(void)close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
