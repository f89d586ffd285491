/*
 * bench_scan.c - pupilguard's engine on a benchmark roster and text:
 * roster load time, name-scan throughput over a text file, whole-message
 * scan rate over .eml files, and peak resident memory.  Prints key=value
 * lines for tests/bench/run.sh.  Not a test: it measures.
 *
 *   bench_scan ROSTER TEXT REPEAT [CONFIG] [MSG.eml...]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "engine.h"

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long bench_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	const char *rosters[2] = { NULL, NULL };
	struct pg_scan_opts opts = { .dir = PG_DIR_OUTBOUND };
	struct pg_policy *pol;
	struct pg_diag diag;
	struct pg_extract ex;
	const char *error;
	size_t len, found = 0;
	double t0, t1;
	char *text;
	int repeat;

	if (argc < 4) {
		fprintf(stderr, "usage: bench_scan ROSTER TEXT REPEAT [CONFIG] [MSG.eml...]\n");
		return 2;
	}
	rosters[0] = argv[1];
	repeat = atoi(argv[3]);
	engine_global_init();
	pg_diag_init(&diag);
	t0 = bench_now();
	pol = policy_load(argc > 4 && strcmp(argv[4], "-") != 0 ? argv[4] : NULL, rosters, NULL,
			  &diag);
	t1 = bench_now();
	if (pol == NULL) {
		for (size_t i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.items[i].text);
		return 1;
	}
	pg_diag_free(&diag);
	printf("pupils=%zu\nload_seconds=%.3f\nrss_after_load_kb=%ld\nindex_bytes=%zu\n",
	       pol->roster.npupils, t1 - t0, bench_rss_kb(), names_memory(pol->names));
	text = pg_read_file(argv[2], 1u << 30, &len, &error);
	if (text == NULL) {
		fprintf(stderr, "%s: %s\n", argv[2], error);
		return 1;
	}
	/* How much of the text the name prefilter hands to the tokeniser. */
	{
		struct pg_spans spans = { 0 };
		size_t covered = 0;

		names_candidates(pol->names, text, len, &spans);
		for (size_t i = 0; i < spans.n; i++)
			covered += spans.v[i].end - spans.v[i].start;
		printf("windows=%zu\nwindowed_fraction=%.3f\n", spans.n, (double)covered / (double)len);
		names_spans_free(&spans);
	}
	/* The name scan over the text, as one extracted segment (what the
	 * engine does to each text part of a message). */
	extract_init(&ex);
	extract_add(&ex, "text", text, len);
	t0 = bench_now();
	for (int i = 0; i < repeat; i++) {
		struct pg_result r;

		engine_result_init(&r);
		engine_scan_extract(pol, &ex, &opts, &r);
		found = r.n;
		engine_result_free(&r);
	}
	t1 = bench_now();
	printf("text_bytes=%zu\ntext_findings=%zu\ntext_mb_per_s=%.1f\n", len, found,
	       (double)len * repeat / (1024.0 * 1024.0) / (t1 - t0));
	extract_free(&ex);
	free(text);
	if (argc > 5) {
		size_t bytes = 0;
		int n = 0;

		t0 = bench_now();
		for (int i = 5; i < argc; i++) {
			char *msg = pg_read_file(argv[i], 1u << 26, &len, &error);
			GMimeStream *s;
			struct pg_result r;

			if (msg == NULL)
				continue;
			s = g_mime_stream_mem_new_with_buffer(msg, len);
			engine_result_init(&r);
			engine_scan_stream(pol, s, &opts, &r);
			engine_result_free(&r);
			g_object_unref(s);
			free(msg);
			bytes += len;
			n++;
		}
		t1 = bench_now();
		printf("messages=%d\nmessages_per_s=%.0f\nmessage_mb_per_s=%.1f\n", n, n / (t1 - t0),
		       (double)bytes / (1024.0 * 1024.0) / (t1 - t0));
	}
	printf("rss_peak_kb=%ld\n", bench_rss_kb());
	policy_unref(&pol);
	return 0;
}
