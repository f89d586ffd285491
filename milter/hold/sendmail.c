/*
 * sendmail.c - the held-mail driver for Sendmail's quarantine: sendmail
 * -bp -qQ lists it, the hf (control) and df (data) files are read directly,
 * sendmail -qQ -Q -qI releases, and a delete removes both files under the
 * queue runner's lock (see queue.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "queue.h"

static int sendmail_argv(const struct pg_mta *m, char **argv)
{
	int n = 0;

	argv[n++] = (char *)(m->sendmail_bin ? m->sendmail_bin : "sendmail");
	if (m->sendmail_cf != NULL) {
		argv[n++] = "-C";
		argv[n++] = (char *)m->sendmail_cf;
	}
	return n;
}

/* The queue directories: the configured one, else QueueDirectory from the
 * sendmail.cf (a pattern such as /var/spool/mqueue/q* names several), else
 * /var/spool/mqueue. */
static void sendmail_queues(const struct pg_mta *m, glob_t *g)
{
	char *pattern = NULL;

	if (m->sendmail_queue != NULL) {
		pattern = pg_strdup(m->sendmail_queue);
	} else if (m->sendmail_cf != NULL) {
		const char *error;
		size_t len;
		char *cf = pg_read_file(m->sendmail_cf, 1u << 22, &len, &error);
		char *save = NULL;

		for (char *l = cf ? strtok_r(cf, "\n", &save) : NULL; l != NULL && pattern == NULL;
		     l = strtok_r(NULL, "\n", &save))
			if (strncmp(l, "O QueueDirectory=", 17) == 0)
				pattern = pg_strndup(l + 17, strcspn(l + 17, " \t\r"));
		free(cf);
	}
	if (pattern == NULL)
		pattern = pg_strdup("/var/spool/mqueue");
	memset(g, 0, sizeof(*g));
	if (glob(pattern, GLOB_NOCHECK, NULL, g) != 0)
		memset(g, 0, sizeof(*g));
	free(pattern);
}

/* The control (hf) and data (df) files of quarantined message ID, in a
 * queue directory or its qf/ and df/ subdirectories; -1 if not found. */
static int sendmail_files(const struct pg_mta *m, const char *id, char **hf, char **df)
{
	glob_t g;
	int found = -1;

	*hf = *df = NULL;
	sendmail_queues(m, &g);
	for (size_t i = 0; i < g.gl_pathc && found < 0; i++) {
		const char *dir = g.gl_pathv[i];
		struct stat st;

		*hf = pg_asprintf("%s/qf/hf%s", dir, id);
		if (stat(*hf, &st) < 0) {
			free(*hf);
			*hf = pg_asprintf("%s/hf%s", dir, id);
			if (stat(*hf, &st) < 0) {
				free(*hf);
				*hf = NULL;
				continue;
			}
		}
		*df = pg_asprintf("%s/df/df%s", dir, id);
		if (stat(*df, &st) < 0) {
			free(*df);
			*df = pg_asprintf("%s/df%s", dir, id);
		}
		found = 0;
	}
	globfree(&g);
	return found;
}

static ssize_t sendmail_list(const struct pg_mta *m, struct pg_held **v, const char **error_r)
{
	struct pg_buf out;
	char *argv[8];
	int n = sendmail_argv(m, argv);
	ssize_t count;

	argv[n++] = "-bp";
	argv[n++] = "-qQ";
	argv[n] = NULL;
	pg_buf_init(&out, 4096);
	if (pg_queue_run(argv, &out) != 0) {
		*error_r = "sendmail -bp -qQ failed (is the queue readable?)";
		pg_buf_free(&out, 0);
		return -1;
	}
	count = (ssize_t)pg_parse_mailq(out.data, 0, v);
	pg_buf_free(&out, 1);
	return count;
}

/* The headers come from the H lines of the control file ("H?P?Return-Path:
 * <x>", continuation lines after), the body from the data file. */
static int sendmail_read(const struct pg_mta *m, const char *id, int headers_only,
			 struct pg_buf *out, const char **error_r)
{
	char *hf, *df, *text, *save = NULL;
	const char *error;
	size_t len;
	int in_header = 0, rc = -1;

	if (sendmail_files(m, id, &hf, &df) < 0) {
		*error_r = pg_errorf("no quarantined queue file for %s", id);
		return -1;
	}
	text = pg_read_file(hf, 1u << 24, &len, &error);
	if (text == NULL) {
		*error_r = pg_errorf("%s: %s", hf, error);
		goto out;
	}
	for (char *l = strtok_r(text, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		if (l[0] == 'H') {
			const char *h = l + 1;

			if (*h == '?' && strchr(h + 1, '?') != NULL)
				h = strchr(h + 1, '?') + 1;
			pg_buf_puts(out, h);
			pg_buf_putc(out, '\n');
			in_header = 1;
		} else if (in_header && (l[0] == '\t' || l[0] == ' ')) {
			pg_buf_puts(out, l);
			pg_buf_putc(out, '\n');
		} else {
			in_header = 0;
		}
	}
	free(text);
	if (!headers_only) {
		char *body = pg_read_file(df, 1u << 28, &len, &error);

		if (body == NULL) {
			*error_r = pg_errorf("%s: %s", df, error);
			goto out;
		}
		pg_buf_putc(out, '\n');
		pg_buf_append(out, body, len);
		free(body);
	}
	rc = out->len > 0 ? 0 : -1;
	if (rc < 0)
		*error_r = pg_errorf("%s has no headers", hf);
out:
	free(hf);
	free(df);
	return rc;
}

static int sendmail_release(const struct pg_mta *m, const char *id, const char **error_r)
{
	char *argv[10], qi[80];
	int n = sendmail_argv(m, argv);

	/* -qI matches a part of the ID; a whole ID matches only itself. */
	(void)snprintf(qi, sizeof(qi), "-qI%s", id);
	argv[n++] = "-qQ";
	argv[n++] = "-Q";
	argv[n++] = qi;
	argv[n] = NULL;
	if (pg_queue_run(argv, NULL) != 0) {
		*error_r = pg_errorf("sendmail -qQ -Q %s failed", qi);
		return -1;
	}
	n = sendmail_argv(m, argv);
	argv[n++] = qi;
	argv[n] = NULL;
	(void)pg_queue_run(argv, NULL); /* delivered at the next queue run if this fails */
	return 0;
}

/* The control file goes first (the message is gone from the queue at
 * once), then the data file.  A queue runner working on the message holds a
 * lock on the control file: then nothing is removed. */
static int sendmail_remove(const struct pg_mta *m, const char *id, const char **error_r)
{
	char *hf, *df;
	int fd, rc = -1;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (sendmail_files(m, id, &hf, &df) < 0) {
		*error_r = pg_errorf("no quarantined queue file for %s", id);
		return -1;
	}
	fd = open(hf, O_RDWR);
	if (fd < 0) {
		*error_r = pg_errorf("%s: %s", hf, strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fcntl(fd, F_SETLK, &fl) < 0) {
		*error_r = pg_errorf("%s is in use by sendmail; try again", id);
	} else if (unlink(hf) < 0) {
		*error_r = pg_errorf("%s: %s", hf, strerror(errno));
	} else {
		if (unlink(df) < 0 && errno != ENOENT)
			fprintf(stderr, "pupilguard-hold: %s: %s (the message is deleted; remove "
				"this file by hand)\n", df, strerror(errno));
		rc = 0;
	}
	if (fd >= 0)
		(void)close(fd);
	free(hf);
	free(df);
	return rc;
}

const struct pg_queue_driver pg_queue_sendmail = {
	"sendmail", sendmail_list, sendmail_read, sendmail_release, sendmail_remove,
};
