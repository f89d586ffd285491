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

#include "decision.h"
#include "engine.h"
#include "holdd.h"
#include "log.h"
#include "queue.h"
#include "report.h"
#include "rfc2047.h"

#ifndef PG_SYSCONFDIR
#define PG_SYSCONFDIR "/etc"
#endif
#define PG_DEFAULT_CONFIG PG_SYSCONFDIR "/pupilguard/pupilguard.conf"

struct opts {
	const char *config;
	const char *socket;       /* serve: override review.hold_socket */
	const char *reason;       /* release, delete: recorded with the decision */
	struct pg_mta mta;
	int show_names, all;
};

static void hold_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: pupilguard-hold [OPTION]... list\n"
		"       pupilguard-hold [OPTION]... show|release|delete QUEUE-ID\n"
		"       pupilguard-hold [OPTION]... serve\n"
		"Review the messages pupilguard held: list them, show what was found,\n"
		"release one for delivery or delete it; or serve the review page's\n"
		"requests on the hold socket (as root).\n"
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
		"  -r, --reason TEXT        why (release, delete): kept in the decisions record\n"
		"  -s, --socket PATH        serve: the socket (default review.hold_socket)\n"
		"  -h, --help               this help\n"
		"\n"
		"Exit status: 0 done, 1 unknown queue ID, 2 error (MTA not running, usage).\n");
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

/* One held message as `list` shows it.  Every field can come from the
 * message (a forged header, a subject with ESC or CR LF): each is one
 * visible line (pg_str_visible()), so none moves the cursor or fakes a line. */
static void hold_print_held(const struct pg_held *h, const char *subject, const char *status,
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

/* The latest decisions, under the list: what leadership did on the review
 * page (or here) shows beside what is still held. */
static void hold_print_decisions(const struct pg_conf *conf)
{
	struct pg_decision *d;
	const char *error;
	long n;

	if (conf == NULL || conf->review_decisions_file == NULL)
		return;
	n = pg_decision_tail(conf->review_decisions_file, 10, &d, &error);
	if (n < 0) {
		fprintf(stderr, "pupilguard-hold: %s\n", error);
		return;
	}
	if (n > 0)
		printf("\nlatest decisions:\n");
	for (long i = 0; i < n; i++) {
		struct tm tm;
		char when[32];

		(void)localtime_r(&d[i].when, &tm);
		(void)strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		printf("  %s  %s  %s by %s (%s)%s%s\n", when, d[i].qid, d[i].verb, d[i].who,
		       d[i].via, strcmp(d[i].reason, "-") != 0 ? ": " : "",
		       strcmp(d[i].reason, "-") != 0 ? d[i].reason : "");
	}
	pg_decision_free(d, (size_t)n);
}

static int hold_list(const struct opts *o, const struct pg_policy *pol,
		     const struct pg_conf *conf)
{
	struct pg_held *v = NULL;
	const char *error;
	ssize_t n = pg_queue_list(&o->mta, &v, &error);
	size_t shown = 0;

	if (n < 0) {
		fprintf(stderr, "pupilguard-hold: %s\n", error);
		return 2;
	}
	for (ssize_t i = 0; i < n; i++) {
		struct pg_buf h;
		char *status = NULL, *report = NULL, *subject = NULL, *redacted = NULL;

		pg_buf_init(&h, 1024);
		if (pg_queue_read(&o->mta, v[i].id, 1, &h, &error) == 0) {
			status = pg_header_value(h.data, "X-PupilGuard-Status");
			report = pg_header_value(h.data, "X-PupilGuard-Report");
			subject = pg_header_value(h.data, "Subject");
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
	pg_held_free(v, (size_t)n);
	hold_print_decisions(conf);
	return 0;
}

/* 1 if ID is held, 0 if not (said on stderr), -1 if the queue is out of
 * reach (said too). */
static int hold_exists(const struct opts *o, const char *id)
{
	const char *error = NULL;
	int ex = pg_queue_exists(&o->mta, id, &error);

	if (ex < 0)
		fprintf(stderr, "pupilguard-hold: %s\n", error);
	else if (ex == 0)
		fprintf(stderr, "pupilguard-hold: %s is not a held message\n", id);
	return ex;
}

static int hold_show(const struct opts *o, const struct pg_policy *pol, const char *id)
{
	struct pg_scan_opts so = { .dir = PG_DIR_OUTBOUND, .show_names = o->show_names };
	struct pg_result r;
	struct pg_buf msg, out;
	GMimeStream *stream;
	const char *error;
	char *status, *held_as;

	pg_buf_init(&msg, 8192);
	if (pg_queue_read(&o->mta, id, 0, &msg, &error) < 0) {
		fprintf(stderr, "pupilguard-hold: cannot read %s from the queue: %s\n", id, error);
		pg_buf_free(&msg, 1);
		return 1;
	}
	status = pg_header_value(msg.data, "X-PupilGuard-Status");
	if (status != NULL && strstr(status, "direction=") != NULL)
		(void)conf_direction_parse(strstr(status, "direction=") + 10, &so.dir);
	stream = g_mime_stream_mem_new_with_buffer(msg.data, msg.len);
	engine_result_init(&r);
	engine_scan_stream(pol, stream, &so, &r);
	g_object_unref(stream);
	pg_buf_init(&out, 1024);
	report_text(&out, id, &r);
	held_as = pg_str_visible(status ? status : "(no pupilguard status)");
	printf("%s    held as: %s\n", out.data, held_as);
	free(held_as);
	free(status);
	pg_buf_free(&out, 1);
	engine_result_free(&r);
	pg_buf_free(&msg, 1);
	return 0;
}

static int hold_act(const struct opts *o, const struct pg_conf *conf, const char *verb,
		    const char *id)
{
	const char *error = NULL;
	char who[256];
	int ex = hold_exists(o, id), rc;

	if (ex <= 0)
		return ex < 0 ? 2 : 1;
	rc = strcmp(verb, "release") == 0 ? pg_queue_release(&o->mta, id, &error)
					  : pg_queue_delete(&o->mta, id, &error);
	if (rc < 0) {
		fprintf(stderr, "pupilguard-hold: %s of %s failed: %s\n", verb, id, error);
		return 2;
	}
	(void)hold_user(who, sizeof(who));
	openlog("pupilguard-hold", LOG_PID, LOG_MAIL);
	syslog(LOG_NOTICE, "%s: %s by %s (uid %ld)", id, verb, who, (long)getuid());
	closelog();
	if (conf != NULL && conf->review_decisions_file != NULL &&
	    pg_decision_record(conf->review_decisions_file, time(NULL), id, verb, who,
			       "pupilguard-hold", o->reason, &error) < 0)
		fprintf(stderr, "pupilguard-hold: decision not recorded: %s\n", error);
	printf("%s: %s\n", id, strcmp(verb, "release") == 0 ? "released for delivery" : "deleted");
	return 0;
}

/* serve: the hold service for the review page, as root. */
static int hold_serve(const struct opts *o, const struct pg_conf *conf)
{
	struct pg_holdd_conf hc = { .mta = o->mta };
	struct passwd *pw;
	const char *error;

	if (geteuid() != 0) {
		fprintf(stderr, "pupilguard-hold: serve runs as root: it releases and deletes "
			"for the review page, which does not\n");
		return 2;
	}
	pw = getpwnam(conf->review_user ? conf->review_user : "");
	if (pw == NULL || pw->pw_uid == 0) {
		fprintf(stderr, "pupilguard-hold: review.user '%s' is not a user other than root "
			"(%s)\n", conf->review_user ? conf->review_user : "",
			pw ? "the review page never runs as root" : "no such user");
		return 2;
	}
	hc.socket_path = o->socket ? o->socket : conf->review_hold_socket;
	hc.decisions_path = conf->review_decisions_file;
	hc.peer_uid = pw->pw_uid;
	hc.socket_gid = pw->pw_gid;
	openlog("pupilguard-hold", LOG_PID, LOG_MAIL);
	if (pg_holdd_serve(&hc, &error) < 0) {
		fprintf(stderr, "pupilguard-hold: %s\n", error);
		syslog(LOG_ERR, "hold service: %s", error);
		return 2;
	}
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
		{ "reason", required_argument, NULL, 'r' },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .config = PG_DEFAULT_CONFIG, .mta = { .sendmail_bin = "sendmail" } };
	struct pg_policy *pol = NULL;
	struct pg_conf *conf = NULL;
	struct pg_diag diag;
	const char *verb, *id = NULL, *mta = "postfix";
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:m:C:Q:S:ar:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 'm': mta = optarg; break;
		case 'C': o.mta.postfix_dir = optarg; break;
		case 'Q': o.mta.sendmail_queue = optarg; break;
		case 'S': o.mta.sendmail_cf = optarg; break;
		case 'P': o.mta.sendmail_bin = optarg; break;
		case 'a': o.all = 1; break;
		case 'N': o.show_names = 1; break;
		case 'r': o.reason = optarg; break;
		case 's': o.socket = optarg; break;
		case 'h': hold_usage(stdout); return 0;
		default: hold_usage(stderr); return 2;
		}
	}
	if (optind >= argc || pg_mta_parse(mta, &o.mta.kind) < 0) {
		hold_usage(stderr);
		return 2;
	}
	verb = argv[optind++];
	if (strcmp(verb, "list") != 0 && strcmp(verb, "serve") != 0) {
		id = optind < argc ? argv[optind++] : NULL;
		if (!pg_queue_valid_id(id)) {
			fprintf(stderr, "pupilguard-hold: %s needs a queue ID (letters and digits)\n",
				verb);
			return 2;
		}
	}
	if (optind != argc || (strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0 &&
			       strcmp(verb, "release") != 0 && strcmp(verb, "delete") != 0 &&
			       strcmp(verb, "serve") != 0)) {
		hold_usage(stderr);
		return 2;
	}
	if (o.reason != NULL && strlen(o.reason) > PG_HOLDD_MAX_REASON) {
		fprintf(stderr, "pupilguard-hold: a reason is at most %d bytes\n",
			PG_HOLDD_MAX_REASON);
		return 2;
	}
	pg_log_open("pupilguard-hold", 0, 0);
	pg_diag_init(&diag);
	if (strcmp(verb, "list") == 0 || strcmp(verb, "show") == 0) {
		engine_global_init();
		pol = policy_load(o.config, NULL, NULL, &diag);
		if (pol != NULL)
			conf = pol->conf;
	} else {
		conf = conf_load(o.config, &diag);
	}
	for (size_t i = 0; i < diag.n; i++)
		if (diag.items[i].level == PG_DIAG_ERROR)
			fprintf(stderr, "pupilguard-hold: %s\n", diag.items[i].text);
	pg_diag_free(&diag);
	if ((pol == NULL && strcmp(verb, "show") == 0) ||
	    (conf == NULL && strcmp(verb, "serve") == 0))
		return 2;
	if (strcmp(verb, "list") == 0)
		rc = hold_list(&o, pol, conf);
	else if (strcmp(verb, "show") == 0) {
		int ex = hold_exists(&o, id);

		rc = ex == 1 ? hold_show(&o, pol, id) : ex < 0 ? 2 : 1;
	} else if (strcmp(verb, "serve") == 0)
		rc = hold_serve(&o, conf);
	else
		rc = hold_act(&o, conf, verb, id);
	if (pol == NULL)
		conf_free(&conf);
	policy_unref(&pol);
	return rc;
}
