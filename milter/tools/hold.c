/*
 * hold.c - pupilguard-hold: list, show, release or delete the messages that
 * pupilguard held, in Postfix's hold queue or Sendmail's quarantine.
 *
 * It drives the MTA's own tools (postqueue, postcat, postsuper; mailq and
 * sendmail) without a shell, shows names redacted unless asked, and logs
 * every release and delete with the user who asked for it.  Exit status: 0
 * done, 1 unknown queue ID or nothing to do, 2 error (MTA not running, bad
 * usage).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"
#include "report.h"
#include "rfc2047.h"

#ifndef PG_SYSCONFDIR
#define PG_SYSCONFDIR "/etc"
#endif
#define PG_DEFAULT_CONFIG PG_SYSCONFDIR "/pupilguard/pupilguard.conf"

struct opts {
	const char *config;
	const char *mta;          /* "postfix" or "sendmail" */
	const char *postfix_dir;  /* postfix -c DIR */
	const char *sendmail_queue;
	const char *sendmail_cf;  /* sendmail -C FILE */
	const char *sendmail_bin;
	int show_names, all;
};

static int hold_is_sendmail(const struct opts *o)
{
	return strcmp(o->mta, "sendmail") == 0;
}

static void hold_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: pupilguard-hold [OPTION]... list\n"
		"       pupilguard-hold [OPTION]... show|release|delete QUEUE-ID\n"
		"Review the messages pupilguard held: list them, show what was found,\n"
		"release one for delivery or delete it.\n"
		"\n"
		"  -c, --config FILE        pupilguard configuration, for `show` and for\n"
		"                           redacting subjects (default " PG_DEFAULT_CONFIG ")\n"
		"  -m, --mta postfix|sendmail  the MTA (default postfix)\n"
		"  -C, --postfix-config DIR Postfix configuration directory (postqueue -c DIR)\n"
		"  -Q, --queue-dir DIR      Sendmail queue directory (default: QueueDirectory\n"
		"                           of the sendmail.cf, else /var/spool/mqueue)\n"
		"  -S, --sendmail-config FILE  sendmail.cf of the Sendmail instance (sendmail -C)\n"
		"      --sendmail PATH      the sendmail program (default sendmail)\n"
		"  -a, --all                list every held message, not only pupilguard's\n"
		"      --show-names         show names as written (show); default redacted\n"
		"  -h, --help               this help\n"
		"\n"
		"Exit status: 0 done, 1 unknown queue ID, 2 error (MTA not running, usage).\n");
}

/* Run ARGV; its standard output in *out (if not NULL); exit status or -1. */
static int hold_run(char *const argv[], struct pg_buf *out)
{
	int pfd[2], status;
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		(void)dup2(pfd[1], 1);
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "pupilguard-hold: cannot run %s: %s\n", argv[0], strerror(errno));
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

static int hold_valid_id(const char *id)
{
	if (id == NULL || *id == '\0' || strlen(id) > 64)
		return 0;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return 1;
}

/* Who asked, for the log: the real user, and for root the sudo user as
 * sudo reports it (only root's environment is taken at its word: anyone
 * else could set SUDO_USER). */
static const char *hold_user(char *buf, size_t size)
{
	const char *u = getenv("SUDO_USER");
	struct passwd *pw = getpwuid(getuid());
	const char *name = pw ? pw->pw_name : "unknown";

	if (getuid() == 0 && u != NULL && *u != '\0')
		(void)snprintf(buf, size, "%s via sudo", u);
	else
		(void)snprintf(buf, size, "%s", name);
	return buf;
}

/* argv for a Postfix tool, with -c DIR when given. */
static void hold_postfix_argv(const struct opts *o, const char *tool, char **argv, int *n)
{
	*n = 0;
	argv[(*n)++] = (char *)tool;
	if (o->postfix_dir != NULL) {
		argv[(*n)++] = "-c";
		argv[(*n)++] = (char *)o->postfix_dir;
	}
}

/* argv for sendmail, with -C FILE when given. */
static void hold_sendmail_argv(const struct opts *o, char **argv, int *n)
{
	*n = 0;
	argv[(*n)++] = (char *)o->sendmail_bin;
	if (o->sendmail_cf != NULL) {
		argv[(*n)++] = "-C";
		argv[(*n)++] = (char *)o->sendmail_cf;
	}
}

/* The Sendmail queue directories: --queue-dir, else QueueDirectory from
 * the sendmail.cf (a pattern such as /var/spool/mqueue/q* names several),
 * else /var/spool/mqueue. */
static void hold_sendmail_queues(const struct opts *o, glob_t *g)
{
	char *pattern = NULL;

	if (o->sendmail_queue != NULL) {
		pattern = pg_strdup(o->sendmail_queue);
	} else if (o->sendmail_cf != NULL) {
		const char *error;
		size_t len;
		char *cf = pg_read_file(o->sendmail_cf, 1u << 22, &len, &error);
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
static int hold_sendmail_files(const struct opts *o, const char *id, char **hf, char **df)
{
	glob_t g;
	int found = -1;

	*hf = *df = NULL;
	hold_sendmail_queues(o, &g);
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

/* A quarantined Sendmail message as text: the headers from the H lines
 * of its control file ("H?P?Return-Path: <x>", continuation lines after)
 * and, unless HEADERS_ONLY, the body from its data file. */
static int hold_sendmail_read(const struct opts *o, const char *id, int headers_only,
			      struct pg_buf *out)
{
	char *hf, *df, *text, *save = NULL;
	const char *error;
	size_t len;
	int in_header = 0;

	if (hold_sendmail_files(o, id, &hf, &df) < 0)
		return -1;
	text = pg_read_file(hf, 1u << 24, &len, &error);
	if (text == NULL) {
		fprintf(stderr, "pupilguard-hold: %s: %s\n", hf, error);
		free(hf);
		free(df);
		return -1;
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
			fprintf(stderr, "pupilguard-hold: %s: %s\n", df, error);
			free(hf);
			free(df);
			return -1;
		}
		pg_buf_putc(out, '\n');
		pg_buf_append(out, body, len);
		free(body);
	}
	free(hf);
	free(df);
	return out->len > 0 ? 0 : -1;
}

/* Delete a quarantined Sendmail message: its control file first (the
 * message is gone from the queue at once), then its data file.  A queue
 * runner working on it holds a lock on the control file: then nothing is
 * removed. */
static int hold_sendmail_delete(const struct opts *o, const char *id)
{
	char *hf, *df;
	int fd, rc = -1;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (hold_sendmail_files(o, id, &hf, &df) < 0) {
		fprintf(stderr, "pupilguard-hold: no queue file for %s\n", id);
		return -1;
	}
	fd = open(hf, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "pupilguard-hold: %s: %s\n", hf, strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fcntl(fd, F_SETLK, &fl) < 0) {
		fprintf(stderr, "pupilguard-hold: %s is in use by sendmail; try again\n", id);
	} else if (unlink(hf) < 0) {
		fprintf(stderr, "pupilguard-hold: %s: %s\n", hf, strerror(errno));
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

struct held {
	char id[65];
	char *sender;
	char *rcpts;
	char *arrival;
};

/* Parse `postqueue -p` (mailq format): held entries have '!' after the ID. */
static size_t hold_parse_mailq(char *text, struct held **out, int quarantine_marker)
{
	struct held *v = NULL;
	size_t n = 0;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t idlen = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

		if (idlen > 0 && idlen < 65 && (line[idlen] == '!' || (quarantine_marker &&
									 (line[idlen] == ' ' || line[idlen] == '*')))) {
			char *p = line + idlen + 1;
			char size[32], wday[8], mon[8], day[8], tm[16], sender[512];

			if (!quarantine_marker && line[idlen] != '!')
				continue;
			v = pg_reallocarray(v, n + 1, sizeof(*v));
			memset(&v[n], 0, sizeof(v[n]));
			memcpy(v[n].id, line, idlen);
			if (sscanf(p, "%31s %7s %7s %7s %15s %511s", size, wday, mon, day, tm, sender) == 6) {
				v[n].sender = pg_strdup(sender);
				v[n].arrival = pg_asprintf("%s %s %s %s", wday, mon, day, tm);
			}
			n++;
		} else if (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
			char *r = line + strspn(line, " \t");

			if (*r == '(' || strncmp(r, "QUARANTINE", 10) == 0 ||
			    strncmp(r, "Total requests", 14) == 0)
				continue;
			if (v[n - 1].rcpts == NULL) {
				v[n - 1].rcpts = pg_strdup(r);
			} else {
				char *j = pg_asprintf("%s, %s", v[n - 1].rcpts, r);

				free(v[n - 1].rcpts);
				v[n - 1].rcpts = j;
			}
		}
	}
	*out = v;
	return n;
}

static void hold_free_list(struct held *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].sender);
		free(v[i].rcpts);
		free(v[i].arrival);
	}
	free(v);
}

/* The held entries of the MTA; -1 if the queue cannot be read. */
static ssize_t hold_list_queue(const struct opts *o, struct held **v)
{
	struct pg_buf out;
	char *argv[8];
	int n, rc;
	ssize_t count;

	pg_buf_init(&out, 4096);
	if (hold_is_sendmail(o)) {
		hold_sendmail_argv(o, argv, &n);
		argv[n++] = "-bp";
		argv[n++] = "-qQ";
		argv[n] = NULL;
	} else {
		hold_postfix_argv(o, "postqueue", argv, &n);
		argv[n++] = "-p";
		argv[n] = NULL;
	}
	rc = hold_run(argv, &out);
	if (rc != 0) {
		fprintf(stderr, "pupilguard-hold: %s failed (is the MTA running?)\n", argv[0]);
		pg_buf_free(&out, 0);
		return -1;
	}
	count = (ssize_t)hold_parse_mailq(out.data, v, hold_is_sendmail(o));
	pg_buf_free(&out, 1);
	return count;
}

/* The whole message (or only its headers) of a held Postfix entry. */
static int hold_read_message(const struct opts *o, const char *id, int headers_only,
			     struct pg_buf *out)
{
	char *argv[10];
	int n;

	if (hold_is_sendmail(o))
		return hold_sendmail_read(o, id, headers_only, out);
	hold_postfix_argv(o, "postcat", argv, &n);
	argv[n++] = headers_only ? "-h" : "-hb";
	argv[n++] = "-q";
	argv[n++] = (char *)id;
	argv[n] = NULL;
	return hold_run(argv, out) == 0 && out->len > 0 ? 0 : -1;
}

/* Value of header NAME in a header block, unfolded; NULL if absent. */
static char *hold_header(const char *headers, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			struct pg_buf b;
			const char *q = p + n + 1;

			q += strspn(q, " \t");
			pg_buf_init(&b, 64);
			for (;;) {
				const char *eol = strchr(q, '\n');
				size_t len = eol ? (size_t)(eol - q) : strlen(q);

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

/* One held message as `list` shows it.  Every field can come from the
 * message (a forged header, a subject with ESC or CR LF): each is one
 * visible line (pg_str_visible()), so none moves the cursor or fakes a line. */
static void hold_print_held(const struct held *h, const char *subject, const char *status,
			    const char *report)
{
	const char *fields[] = {
		h->arrival ? h->arrival : "?", h->sender ? h->sender : "?", h->rcpts ? h->rcpts : "?",
		subject, status ? status : "not held by pupilguard", report ? "; " : "",
		report ? report : "",
	};
	char *vis[PG_ARRAY_LEN(fields)];
	char *id = pg_str_visible(h->id);

	for (size_t i = 0; i < PG_ARRAY_LEN(fields); i++)
		vis[i] = pg_str_visible(fields[i]);
	printf("%s  %s  from %s  to %s\n    subject: %s\n    %s%s%s\n", id, vis[0], vis[1], vis[2],
	       vis[3], vis[4], vis[5], vis[6]);
	for (size_t i = 0; i < PG_ARRAY_LEN(fields); i++)
		free(vis[i]);
	free(id);
}

static int hold_list(const struct opts *o, const struct pg_policy *pol)
{
	struct held *v = NULL;
	ssize_t n = hold_list_queue(o, &v);
	size_t shown = 0;

	if (n < 0)
		return 2;
	for (ssize_t i = 0; i < n; i++) {
		struct pg_buf h;
		char *status = NULL, *report = NULL, *subject = NULL, *redacted = NULL;

		pg_buf_init(&h, 1024);
		if (hold_read_message(o, v[i].id, 1, &h) == 0) {
			status = hold_header(h.data, "X-PupilGuard-Status");
			report = hold_header(h.data, "X-PupilGuard-Report");
			subject = hold_header(h.data, "Subject");
		}
		if (status != NULL || o->all) {
			struct pg_buf dec;

			pg_buf_init(&dec, 64);
			if (subject != NULL)
				rfc2047_decode(subject, strlen(subject), &dec);
			redacted = pol ? engine_redact_text(pol, dec.data) : pg_strdup("(no policy)");
			hold_print_held(&v[i], redacted, status, report);
			pg_buf_free(&dec, 1);
			shown++;
		}
		free(status);
		free(report);
		free(subject);
		free(redacted);
		pg_buf_free(&h, 1);
	}
	if (shown == 0)
		printf("no held messages\n");
	hold_free_list(v, (size_t)n);
	return 0;
}

/* Whether ID is in the hold queue (or quarantine). */
static int hold_exists(const struct opts *o, const char *id)
{
	struct held *v = NULL;
	ssize_t n = hold_list_queue(o, &v);
	int found = 0;

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		found |= strcmp(v[i].id, id) == 0;
	hold_free_list(v, (size_t)n);
	return found;
}

static int hold_show(const struct opts *o, const struct pg_policy *pol, const char *id)
{
	struct pg_scan_opts so = { .dir = PG_DIR_OUTBOUND, .show_names = o->show_names };
	struct pg_result r;
	struct pg_buf msg, out;
	GMimeStream *stream;
	char *status;

	pg_buf_init(&msg, 8192);
	if (hold_read_message(o, id, 0, &msg) < 0) {
		fprintf(stderr, "pupilguard-hold: cannot read %s from the queue\n", id);
		pg_buf_free(&msg, 1);
		return 1;
	}
	/* postcat prints "*** ENVELOPE RECORDS" and "*** MESSAGE CONTENTS" banners. */
	{
		char *start = strstr(msg.data, "*** MESSAGE CONTENTS");
		char *end;

		if (start != NULL) {
			start = strchr(start, '\n');
			start = start ? start + 1 : msg.data;
			end = strstr(start, "*** HEADER EXTRACTED");
			if (end == NULL)
				end = strstr(start, "*** MESSAGE FILE END");
			memmove(msg.data, start, (size_t)((end ? end : msg.data + msg.len) - start));
			pg_buf_truncate(&msg, (size_t)((end ? end : msg.data + msg.len) - start));
		}
	}
	status = hold_header(msg.data, "X-PupilGuard-Status");
	if (status != NULL && strstr(status, "direction=") != NULL)
		(void)conf_direction_parse(strstr(status, "direction=") + 10, &so.dir);
	stream = g_mime_stream_mem_new_with_buffer(msg.data, msg.len);
	engine_result_init(&r);
	engine_scan_stream(pol, stream, &so, &r);
	g_object_unref(stream);
	pg_buf_init(&out, 1024);
	report_text(&out, id, &r);
	{
		char *held_as = pg_str_visible(status ? status : "(no pupilguard status)");

		printf("%s    held as: %s\n", out.data, held_as);
		free(held_as);
	}
	free(status);
	pg_buf_free(&out, 1);
	engine_result_free(&r);
	pg_buf_free(&msg, 1);
	return 0;
}

/* show, for a message that is held: 1 if it is not, 2 if the queue cannot
 * be read. */
static int hold_show_held(const struct opts *o, const struct pg_policy *pol, const char *id)
{
	int ex = hold_exists(o, id);

	if (ex < 0)
		return 2;
	if (ex == 0) {
		fprintf(stderr, "pupilguard-hold: %s is not a held message\n", id);
		return 1;
	}
	return hold_show(o, pol, id);
}

static int hold_act(const struct opts *o, const char *verb, const char *id)
{
	char *argv[12];
	int n, rc, ex = hold_exists(o, id);

	if (ex < 0)
		return 2;
	if (ex == 0) {
		fprintf(stderr, "pupilguard-hold: %s is not a held message\n", id);
		return 1;
	}
	if (hold_is_sendmail(o)) {
		char qi[80];

		/* -qI matches a part of the ID; a whole ID matches only itself. */
		(void)snprintf(qi, sizeof(qi), "-qI%s", id);
		if (strcmp(verb, "release") == 0) {
			hold_sendmail_argv(o, argv, &n);
			argv[n++] = "-qQ";
			argv[n++] = "-Q";
			argv[n++] = qi;
			argv[n] = NULL;
			rc = hold_run(argv, NULL);
			if (rc == 0) {
				hold_sendmail_argv(o, argv, &n);
				argv[n++] = qi;
				argv[n] = NULL;
				/* Delivered at the next queue run if this fails. */
				(void)hold_run(argv, NULL);
			}
		} else {
			rc = hold_sendmail_delete(o, id) < 0 ? 1 : 0;
		}
	} else if (strcmp(verb, "release") == 0) {
		hold_postfix_argv(o, "postsuper", argv, &n);
		argv[n++] = "-H";
		argv[n++] = (char *)id;
		argv[n] = NULL;
		rc = hold_run(argv, NULL);
		if (rc == 0) {
			hold_postfix_argv(o, "postqueue", argv, &n);
			argv[n++] = "-i";
			argv[n++] = (char *)id;
			argv[n] = NULL;
			(void)hold_run(argv, NULL); /* delivery happens anyway at the next queue run */
		}
	} else {
		hold_postfix_argv(o, "postsuper", argv, &n);
		argv[n++] = "-d";
		argv[n++] = (char *)id;
		argv[n++] = "hold";
		argv[n] = NULL;
		rc = hold_run(argv, NULL);
	}
	if (rc != 0) {
		fprintf(stderr, "pupilguard-hold: %s of %s failed\n", verb, id);
		return 2;
	}
	openlog("pupilguard-hold", LOG_PID, LOG_MAIL);
	{
		char who[256];

		syslog(LOG_NOTICE, "%s: %s by %s (uid %ld)", id, verb,
		       hold_user(who, sizeof(who)), (long)getuid());
	}
	closelog();
	printf("%s: %s\n", id, strcmp(verb, "release") == 0 ? "released for delivery" : "deleted");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "mta", required_argument, NULL, 'm' },
		{ "postfix-config", required_argument, NULL, 'C' },
		{ "queue-dir", required_argument, NULL, 'Q' },
		{ "sendmail-config", required_argument, NULL, 'S' },
		{ "sendmail", required_argument, NULL, 'P' },
		{ "all", no_argument, NULL, 'a' },
		{ "show-names", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .config = PG_DEFAULT_CONFIG, .mta = "postfix", .sendmail_bin = "sendmail" };
	struct pg_policy *pol = NULL;
	struct pg_diag diag;
	const char *verb, *id = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:m:C:Q:S:ah", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 'm': o.mta = optarg; break;
		case 'C': o.postfix_dir = optarg; break;
		case 'Q': o.sendmail_queue = optarg; break;
		case 'S': o.sendmail_cf = optarg; break;
		case 'P': o.sendmail_bin = optarg; break;
		case 'a': o.all = 1; break;
		case 'N': o.show_names = 1; break;
		case 'h': hold_usage(stdout); return 0;
		default: hold_usage(stderr); return 2;
		}
	}
	if (optind >= argc || (strcmp(o.mta, "postfix") != 0 && strcmp(o.mta, "sendmail") != 0)) {
		hold_usage(stderr);
		return 2;
	}
	verb = argv[optind++];
	if (strcmp(verb, "list") != 0) {
		id = optind < argc ? argv[optind++] : NULL;
		if (!hold_valid_id(id)) {
			fprintf(stderr, "pupilguard-hold: %s needs a queue ID (letters and digits)\n",
				verb);
			return 2;
		}
	}
	if (optind != argc || (strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0 &&
			       strcmp(verb, "release") != 0 && strcmp(verb, "delete") != 0)) {
		hold_usage(stderr);
		return 2;
	}
	pg_log_open("pupilguard-hold", 0, 0);
	if (strcmp(verb, "list") == 0 || strcmp(verb, "show") == 0) {
		engine_global_init();
		pg_diag_init(&diag);
		pol = policy_load(o.config, NULL, NULL, &diag);
		for (size_t i = 0; i < diag.n; i++)
			if (diag.items[i].level == PG_DIAG_ERROR)
				fprintf(stderr, "pupilguard-hold: %s\n", diag.items[i].text);
		pg_diag_free(&diag);
		if (pol == NULL && strcmp(verb, "show") == 0)
			return 2;
	}
	if (strcmp(verb, "list") == 0)
		rc = hold_list(&o, pol);
	else if (strcmp(verb, "show") == 0)
		rc = hold_show_held(&o, pol, id);
	else
		rc = hold_act(&o, verb, id);
	policy_unref(&pol);
	return rc;
}
