/*
 * scan.c - pupilguard-scan: show what the milter would find in messages and
 * what it would do, without an MTA.  Exit status as grep: 0 nothing found,
 * 1 findings, 2 trouble (bad file, bad configuration).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decide.h"
#include "log.h"
#include "record.h"
#include "report.h"

#ifndef PG_SYSCONFDIR
#define PG_SYSCONFDIR "/etc"
#endif
#define PG_DEFAULT_CONFIG PG_SYSCONFDIR "/pupilguard/pupilguard.conf"

static void scan_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: pupilguard-scan [OPTION]... [FILE.eml]...\n"
		"Report pupils' names and details that pupilguard finds in each message, and\n"
		"what the milter would do with it.  Reads standard input (a file or a pipe)\n"
		"when no FILE is given.\n"
		"\n"
		"  -c, --config FILE      configuration (default " PG_DEFAULT_CONFIG ";\n"
		"                         built-in defaults when --roster is given and FILE is absent)\n"
		"  -r, --roster FILE      pupil roster CSV, instead of the configured ones (repeatable)\n"
		"  -s, --staff FILE       staff list CSV, instead of the configured ones (repeatable)\n"
		"  -d, --direction DIR    inbound, outbound (default), internal or newsletter,\n"
		"                         instead of the direction the envelope gives\n"
		"      --from ADDR        envelope sender (MAIL FROM)\n"
		"      --rcpt ADDR        envelope recipient (RCPT TO; repeatable)\n"
		"      --client IP        address the message came from\n"
		"      --auth             the sender authenticated (SMTP AUTH)\n"
		"      --list-id          the message carries a List-Id header\n"
		"                         (with any of these five and no -d, the direction,\n"
		"                         exemptions and notices are decided as the milter does)\n"
		"      --edits            also print the header edits, quarantine and reply\n"
		"                         the milter would make\n"
		"  -j, --json             one JSON object per message per line\n"
		"      --show-names       show names as written instead of redacted (\"A. K***\")\n"
		"  -q, --quiet            print nothing; the exit status tells\n"
		"      --dump-text        print the text extracted from each message (it is\n"
		"                         the message's own content, names unredacted) and stop\n"
		"  -h, --help             this help\n"
		"  -V, --version          version\n"
		"\n"
		"Exit status: 0 nothing found, 1 findings in at least one message, 2 error.\n");
}

/* NULL-terminated growing list of strings from repeated options. */
static void scan_push(const char ***v, size_t *n, const char *s)
{
	*v = pg_reallocarray(*v, *n + 2, sizeof(**v));
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

/* Print each extracted segment, for an administrator asking "what did it read?". */
static void scan_dump(const struct pg_policy *pol, GMimeStream *stream, const char *file)
{
	struct pg_extract ex;

	extract_init(&ex);
	extract_stream(stream, &pol->limits, &ex);
	for (size_t i = 0; i < ex.n; i++) {
		/* The text as read, but no control character reaches the terminal. */
		struct pg_buf b;

		pg_buf_init(&b, ex.v[i].len + 64);
		pg_buf_printf(&b, "==> %s: ", file);
		pg_buf_put_visible(&b, ex.v[i].where, strlen(ex.v[i].where), 0);
		pg_buf_printf(&b, " (%zu bytes)\n", ex.v[i].len);
		pg_buf_put_visible(&b, ex.v[i].text, ex.v[i].len, PG_VISIBLE_KEEP_LF);
		printf("%s\n", b.data);
		pg_buf_free(&b, 1);
	}
	extract_free(&ex);
}

/* The envelope and options a message is decided with. */
struct scan_opts {
	struct pg_decide_in in;   /* envelope; the buffer is filled per message */
	struct pg_scan_opts scan; /* for --dump-text only */
	int json, quiet, dump, edits;
};

/* Read FILE ("-": standard input, a pipe as well as a file) into BUF. */
static int scan_read(const char *file, struct pg_msgbuf *buf)
{
	char chunk[65536];
	const char *error;
	ssize_t n;
	int fd = 0, rc = 0;

	if (strcmp(file, "-") != 0) {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "pupilguard-scan: %s: %s\n", file, strerror(errno));
			return -1;
		}
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "pupilguard-scan: %s: %s\n", file, strerror(errno));
			rc = -1;
			break;
		}
		if (msgbuf_append(buf, chunk, (size_t)n, &error) < 0) {
			fprintf(stderr, "pupilguard-scan: %s: %s\n", file, error);
			rc = -1;
			break;
		}
	}
	pg_wipe(chunk, sizeof(chunk));
	if (fd != 0)
		(void)close(fd);
	return rc;
}

/* Note the message's header fields as the milter's header callback does. */
static void scan_headers(const struct pg_policy *pol, struct pg_msgbuf *buf, struct pg_headers *h)
{
	GMimeStream *stream = msgbuf_stream(buf);
	GMimeParser *parser;
	GMimeMessage *msg;

	if (stream == NULL)
		return;
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (msg != NULL) {
		GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
		int n = g_mime_header_list_get_count(list);

		for (int i = 0; i < n; i++) {
			GMimeHeader *hdr = g_mime_header_list_get_header_at(list, i);
			const char *raw = g_mime_header_get_raw_value(hdr);
			char *value;
			size_t len;

			raw = raw ? raw + strspn(raw, " \t") : "";
			len = strlen(raw);
			while (len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r'))
				len--;
			value = pg_strndup(raw, len);
			(void)decide_header(pol, h, g_mime_header_get_name(hdr), value);
			free(value);
		}
		g_object_unref(msg);
	}
	g_object_unref(parser);
	g_object_unref(stream);
}

/* The header edits and the notices, after the report. */
static void scan_print_decision(struct pg_buf *out, const struct pg_decision *d,
				const struct pg_record *rec, const struct scan_opts *o)
{
	const char *p = rec->lines.data, *nl;

	if (o->json) {
		pg_buf_printf(out, ", \"applied\": \"%s\", \"audit\": %s, \"unscanned\": ",
			      conf_action_name(d->applied), d->audit ? "true" : "false");
		if (d->unscanned != NULL)
			report_json_string(out, d->unscanned);
		else
			pg_buf_puts(out, "null");
		pg_buf_printf(out, ", \"notices\": {\"leadership\": %s, \"sender\": %s}",
			      d->notify_leadership ? "true" : "false",
			      d->notify_sender ? "true" : "false");
		if (o->edits) {
			pg_buf_puts(out, ", \"edits\": [");
			for (unsigned i = 0; (nl = strchr(p, '\n')) != NULL; i++, p = nl + 1) {
				char *line = pg_strndup(p, (size_t)(nl - p));

				if (i > 0)
					pg_buf_puts(out, ", ");
				report_json_string(out, line);
				free(line);
			}
			pg_buf_putc(out, ']');
		}
		pg_buf_puts(out, "}\n");
		return;
	}
	if (d->unscanned != NULL)
		pg_buf_printf(out, "  not scanned: %s\n", d->unscanned);
	if (d->audit)
		pg_buf_printf(out, "  audit mode: would %s, does nothing\n",
			      conf_action_name(d->verdict));
	if (d->notify_leadership || d->notify_sender)
		pg_buf_printf(out, "  notices: %s%s%s\n", d->notify_leadership ? "leadership" : "",
			      d->notify_leadership && d->notify_sender ? ", " : "",
			      d->notify_sender ? "sender" : "");
	if (o->edits)
		for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
			pg_buf_printf(out, "  edit: %.*s\n", (int)(nl - p), p);
}

/* Decide about one message as the milter would, through recording operations. */
static int scan_one(const struct pg_policy *pol, const char *file, const struct scan_opts *o,
		    int *found_r)
{
	const struct pg_conf *conf = pol->conf;
	struct pg_decide_in in = o->in;
	struct pg_headers hdrs = { 0 };
	struct pg_msgbuf buf;
	struct pg_decision d;
	struct pg_record rec;
	struct pg_buf out;
	int rc = 0;

	msgbuf_init(&buf, conf->memory_buffer_bytes, conf->max_message_bytes, conf->temp_dir);
	if (scan_read(file, &buf) < 0) {
		msgbuf_free(&buf);
		return -1;
	}
	if (o->dump) {
		GMimeStream *stream = msgbuf_stream(&buf);

		if (stream == NULL) {
			fprintf(stderr, "pupilguard-scan: %s: cannot read the buffer\n", file);
			rc = -1;
		} else {
			scan_dump(pol, stream, file);
			g_object_unref(stream);
		}
		msgbuf_free(&buf);
		return rc;
	}
	in.buf = &buf;
	scan_headers(pol, &buf, &hdrs);
	in.hdrs = &hdrs;
	record_init(&rec);
	decide_message(pol, &in, &record_ops, &rec, &d);
	if (d.res.n > 0)
		*found_r = 1;
	if (d.unscanned != NULL && d.verdict == PG_ACTION_TEMPFAIL) {
		fprintf(stderr, "pupilguard-scan: %s: not scanned: %s\n", file, d.unscanned);
		rc = -1;
	}
	pg_buf_init(&out, 256);
	if (o->json)
		report_json_open(&out, file, &d.res);
	else
		report_text(&out, file, &d.res);
	scan_print_decision(&out, &d, &rec, o);
	if (!o->quiet)
		fputs(out.data, stdout);
	pg_buf_free(&out, 1);
	record_free(&rec);
	decide_free(&d);
	decide_headers_free(&hdrs);
	msgbuf_free(&buf);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "roster", required_argument, NULL, 'r' },
		{ "staff", required_argument, NULL, 's' },
		{ "direction", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'F' },
		{ "rcpt", required_argument, NULL, 'R' },
		{ "client", required_argument, NULL, 'C' },
		{ "auth", no_argument, NULL, 'A' },
		{ "list-id", no_argument, NULL, 'L' },
		{ "edits", no_argument, NULL, 'E' },
		{ "json", no_argument, NULL, 'j' },
		{ "show-names", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dump-text", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char **rosters = NULL, **staff = NULL, **rcpts = NULL, *config = NULL;
	size_t nrosters = 0, nstaff = 0, nrcpts = 0;
	struct scan_opts o;
	struct pg_policy *pol;
	struct pg_diag diag;
	int c, envelope = 0, found = 0, failed = 0;

	memset(&o, 0, sizeof(o));
	o.in.qid = "NOQUEUE";
	o.in.dir = PG_DIR_OUTBOUND;
	pg_log_open("pupilguard-scan", 0, 0);
	while ((c = getopt_long(argc, argv, "c:r:s:d:jqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'r': scan_push(&rosters, &nrosters, optarg); break;
		case 's': scan_push(&staff, &nstaff, optarg); break;
		case 'd':
			if (conf_direction_parse(optarg, &o.in.dir) < 0) {
				fprintf(stderr, "pupilguard-scan: unknown direction '%s'\n", optarg);
				return 2;
			}
			o.in.force_dir = 1;
			break;
		case 'F': o.in.env.sender = optarg; envelope = 1; break;
		case 'R': scan_push(&rcpts, &nrcpts, optarg); envelope = 1; break;
		case 'C': o.in.env.client_addr = optarg; envelope = 1; break;
		case 'A': o.in.env.authenticated = 1; envelope = 1; break;
		case 'L': o.in.env.has_list_id = 1; envelope = 1; break;
		case 'E': o.edits = 1; break;
		case 'j': o.json = 1; break;
		case 'N': o.scan.show_names = 1; break;
		case 'q': o.quiet = 1; break;
		case 'T': o.dump = 1; break;
		case 'h': scan_usage(stdout); return 0;
		case 'V': printf("pupilguard-scan %s\n", PACKAGE_VERSION); return 0;
		default: scan_usage(stderr); return 2;
		}
	}
	/* With no envelope given, the direction is -d's (outbound by default). */
	if (!envelope)
		o.in.force_dir = 1;
	o.in.env.rcpts = rcpts;
	o.in.env.nrcpts = nrcpts;
	o.in.show_names = o.scan.show_names;
	if (config == NULL && (nrosters == 0 || access(PG_DEFAULT_CONFIG, R_OK) == 0))
		config = PG_DEFAULT_CONFIG;
	engine_global_init();
	pg_diag_init(&diag);
	pol = policy_load(config, rosters, staff, &diag);
	for (size_t i = 0; i < diag.n; i++)
		fprintf(stderr, "pupilguard-scan: %s%s\n",
			diag.items[i].level == PG_DIAG_ERROR ? "error: " : "warning: ",
			diag.items[i].text);
	pg_diag_free(&diag);
	free(rosters);
	free(staff);
	if (pol == NULL) {
		free(rcpts);
		return 2;
	}
	if (optind == argc)
		failed |= scan_one(pol, "-", &o, &found) < 0;
	for (int i = optind; i < argc; i++)
		failed |= scan_one(pol, argv[i], &o, &found) < 0;
	policy_unref(&pol);
	free(rcpts);
	g_mime_shutdown();
	if (failed)
		return 2;
	return found ? 1 : 0;
}
