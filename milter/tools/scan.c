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

#include "engine.h"
#include "log.h"
#include "report.h"

#ifndef PG_SYSCONFDIR
#define PG_SYSCONFDIR "/etc"
#endif
#define PG_DEFAULT_CONFIG PG_SYSCONFDIR "/pupilguard/pupilguard.conf"

static void scan_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: pupilguard-scan [OPTION]... [FILE.eml]...\n"
		"Report pupils' names that pupilguard finds in each message, and the action\n"
		"the milter would take.  Reads standard input when no FILE is given.\n"
		"\n"
		"  -c, --config FILE      configuration (default " PG_DEFAULT_CONFIG ";\n"
		"                         built-in defaults when --roster is given and FILE is absent)\n"
		"  -r, --roster FILE      pupil roster CSV, instead of the configured ones (repeatable)\n"
		"  -s, --staff FILE       staff list CSV, instead of the configured ones (repeatable)\n"
		"  -d, --direction DIR    inbound, outbound (default), internal or newsletter\n"
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
	for (size_t i = 0; i < ex.n; i++)
		printf("==> %s: %s (%zu bytes)\n%s\n", file, ex.v[i].where, ex.v[i].len, ex.v[i].text);
	extract_free(&ex);
}

static int scan_one(const struct pg_policy *pol, const char *file, const struct pg_scan_opts *opts,
		    int json, int quiet, int dump, int *found_r)
{
	struct pg_result r;
	struct pg_buf out;
	GMimeStream *stream;
	int fd = 0;

	if (strcmp(file, "-") != 0) {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "pupilguard-scan: %s: %s\n", file, strerror(errno));
			return -1;
		}
	}
	stream = fd == 0 ? g_mime_stream_fs_new(dup(0)) : g_mime_stream_fs_new(fd);
	if (dump) {
		scan_dump(pol, stream, file);
		g_object_unref(stream);
		return 0;
	}
	engine_result_init(&r);
	engine_scan_stream(pol, stream, opts, &r);
	g_object_unref(stream);
	if (r.n > 0)
		*found_r = 1;
	pg_buf_init(&out, 256);
	if (json)
		report_json(&out, file, &r);
	else
		report_text(&out, file, &r);
	if (!quiet)
		fputs(out.data, stdout);
	pg_buf_free(&out, 1);
	engine_result_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "roster", required_argument, NULL, 'r' },
		{ "staff", required_argument, NULL, 's' },
		{ "direction", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "show-names", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dump-text", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char **rosters = NULL, **staff = NULL, *config = NULL;
	size_t nrosters = 0, nstaff = 0;
	struct pg_scan_opts opts = { .dir = PG_DIR_OUTBOUND };
	struct pg_policy *pol;
	struct pg_diag diag;
	int c, json = 0, quiet = 0, dump = 0, found = 0, failed = 0;

	pg_log_open("pupilguard-scan", 0, 0);
	while ((c = getopt_long(argc, argv, "c:r:s:d:jqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'r': scan_push(&rosters, &nrosters, optarg); break;
		case 's': scan_push(&staff, &nstaff, optarg); break;
		case 'd':
			if (conf_direction_parse(optarg, &opts.dir) < 0) {
				fprintf(stderr, "pupilguard-scan: unknown direction '%s'\n", optarg);
				return 2;
			}
			break;
		case 'j': json = 1; break;
		case 'N': opts.show_names = 1; break;
		case 'q': quiet = 1; break;
		case 'T': dump = 1; break;
		case 'h': scan_usage(stdout); return 0;
		case 'V': printf("pupilguard-scan %s\n", PACKAGE_VERSION); return 0;
		default: scan_usage(stderr); return 2;
		}
	}
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
	if (pol == NULL)
		return 2;
	if (optind == argc)
		failed |= scan_one(pol, "-", &opts, json, quiet, dump, &found) < 0;
	for (int i = optind; i < argc; i++)
		failed |= scan_one(pol, argv[i], &opts, json, quiet, dump, &found) < 0;
	policy_unref(&pol);
	g_mime_shutdown();
	if (failed)
		return 2;
	return found ? 1 : 0;
}
