/*
 * postfix.c - the held-mail driver for Postfix's hold queue: postqueue -p
 * lists it ('!' marks a held entry), postcat reads an entry, postsuper -H
 * releases and postsuper -d ... hold deletes (see queue.h).
 */
#include "config.h"

#include <string.h>

#include "queue.h"

/* argv for a Postfix tool, with -c DIR when given. */
static int postfix_argv(const struct pg_mta *m, const char *tool, char **argv)
{
	int n = 0;

	argv[n++] = (char *)tool;
	if (m->postfix_dir != NULL) {
		argv[n++] = "-c";
		argv[n++] = (char *)m->postfix_dir;
	}
	return n;
}

static ssize_t postfix_list(const struct pg_mta *m, struct pg_held **v, const char **error_r)
{
	struct pg_buf out;
	char *argv[8];
	int n = postfix_argv(m, "postqueue", argv);
	ssize_t count;

	argv[n++] = "-p";
	argv[n] = NULL;
	pg_buf_init(&out, 4096);
	if (pg_queue_run(argv, &out) != 0) {
		*error_r = "postqueue -p failed (is Postfix running?)";
		pg_buf_free(&out, 0);
		return -1;
	}
	count = (ssize_t)pg_parse_mailq(out.data, '!', v);
	pg_buf_free(&out, 1);
	return count;
}

/* postcat prints "*** ENVELOPE RECORDS" and "*** MESSAGE CONTENTS"
 * banners (-hb without -e prints only the contents, older versions print
 * the banners all the same): keep what lies between the contents banner and
 * the next one. */
static void postfix_strip_banners(struct pg_buf *msg)
{
	char *start = strstr(msg->data, "*** MESSAGE CONTENTS");
	char *end;
	size_t len;

	if (start == NULL)
		return;
	start = strchr(start, '\n');
	start = start ? start + 1 : msg->data + msg->len;
	end = strstr(start, "*** HEADER EXTRACTED");
	if (end == NULL)
		end = strstr(start, "*** MESSAGE FILE END");
	len = (size_t)((end ? end : msg->data + msg->len) - start);
	memmove(msg->data, start, len);
	pg_buf_truncate(msg, len);
}

static int postfix_read(const struct pg_mta *m, const char *id, int headers_only,
			struct pg_buf *out, const char **error_r)
{
	char *argv[10];
	int n = postfix_argv(m, "postcat", argv);

	argv[n++] = headers_only ? "-h" : "-hb";
	argv[n++] = "-q";
	argv[n++] = (char *)id;
	argv[n] = NULL;
	if (pg_queue_run(argv, out) != 0 || out->len == 0) {
		*error_r = pg_errorf("postcat cannot read %s", id);
		return -1;
	}
	postfix_strip_banners(out);
	return 0;
}

static int postfix_release(const struct pg_mta *m, const char *id, const char **error_r)
{
	char *argv[10];
	int n = postfix_argv(m, "postsuper", argv);

	argv[n++] = "-H";
	argv[n++] = (char *)id;
	argv[n] = NULL;
	if (pg_queue_run(argv, NULL) != 0) {
		*error_r = pg_errorf("postsuper -H %s failed", id);
		return -1;
	}
	n = postfix_argv(m, "postqueue", argv);
	argv[n++] = "-i";
	argv[n++] = (char *)id;
	argv[n] = NULL;
	(void)pg_queue_run(argv, NULL); /* delivered at the next queue run anyway */
	return 0;
}

static int postfix_remove(const struct pg_mta *m, const char *id, const char **error_r)
{
	char *argv[10];
	int n = postfix_argv(m, "postsuper", argv);

	argv[n++] = "-d";
	argv[n++] = (char *)id;
	argv[n++] = "hold"; /* only from the hold queue, never a message in flight */
	argv[n] = NULL;
	if (pg_queue_run(argv, NULL) != 0) {
		*error_r = pg_errorf("postsuper -d %s hold failed", id);
		return -1;
	}
	return 0;
}

const struct pg_queue_driver pg_queue_postfix = {
	"postfix", postfix_list, postfix_read, postfix_release, postfix_remove,
};
