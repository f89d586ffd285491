/*
 * bench_scan.c - pupilguard's engine on a benchmark roster and text:
 * roster load time, name-scan throughput over a text file, whole-message
 * scan rate over .eml files, and peak resident memory.  Prints key=value
 * lines for tests/bench/run.sh.  Not a test: it measures.
 *
 *   bench_scan [-st] ROSTER TEXT REPEAT [CONFIG|-] [MSG.eml|DIR ...]
 *
 * The policy (configuration, roster, name index) is built once and timed:
 * that is the roster load.  Text mode scans TEXT as one extracted segment
 * with engine_scan_extract(), the path every text part of a message takes,
 * REPEAT times after one untimed scan, and reports the best and the median
 * scan, by the clock and by CPU time.  Message mode reads every MSG (a
 * directory stands for the .eml files in it) into memory once and runs
 * engine_scan_stream() over each from a fresh memory stream, REPEAT rounds
 * over the whole set.  -t also times the whole text tokenised and matched
 * without the candidate-window prefilter; -s times the stages of the name
 * scan one by one.  Nothing here prints a name: counts only.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "names.h"
#include "norm.h"

#define BENCH_MAX_REPEAT 1000

struct bench_msgs {
	char **data;
	size_t *len;
	size_t n, cap, bytes;
};

static double bench_clock(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double bench_now(void)
{
	return bench_clock(CLOCK_MONOTONIC);
}

/* CPU time of the process: what a scan costs, whatever else the machine
 * is doing (a shared machine takes the CPU away now and then). */
static double bench_cpu(void)
{
	return bench_clock(CLOCK_PROCESS_CPUTIME_ID);
}

/* Peak resident set size of the process so far, in KiB. */
static long bench_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int bench_cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* Best (smallest) and median of N timings; sorts T. */
static void bench_stats(double *t, int n, double *best_r, double *median_r)
{
	qsort(t, (size_t)n, sizeof(*t), bench_cmp_double);
	*best_r = t[0];
	*median_r = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double bench_mb(size_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

static void bench_msgs_add(struct bench_msgs *m, const char *path)
{
	const char *error;
	size_t len;
	char *data = pg_read_file(path, 1u << 26, &len, &error);

	if (data == NULL) {
		fprintf(stderr, "bench_scan: %s: %s\n", path, error);
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->data = pg_reallocarray(m->data, m->cap, sizeof(*m->data));
		m->len = pg_reallocarray(m->len, m->cap, sizeof(*m->len));
	}
	m->data[m->n] = data;
	m->len[m->n++] = len;
	m->bytes += len;
}

static int bench_cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* PATH itself, or the .eml files in the directory PATH in name order. */
static void bench_msgs_load(struct bench_msgs *m, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (d == NULL) {
		bench_msgs_add(m, path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 4 || strcmp(e->d_name + len - 4, ".eml") != 0)
			continue;
		names = pg_reallocarray(names, n + 1, sizeof(*names));
		names[n++] = pg_asprintf("%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), bench_cmp_str);
	for (size_t i = 0; i < n; i++) {
		bench_msgs_add(m, names[i]);
		free(names[i]);
	}
	free(names);
}

static void bench_msgs_free(struct bench_msgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->data[i]);
	free(m->data);
	free(m->len);
	memset(m, 0, sizeof(*m));
}

/* One engine_scan_extract() of EX; the number of findings. */
static size_t bench_scan_text(const struct pg_policy *pol, const struct pg_extract *ex)
{
	struct pg_scan_opts opts = { .dir = PG_DIR_OUTBOUND };
	struct pg_result r;
	size_t n;

	engine_result_init(&r);
	engine_scan_extract(pol, ex, &opts, &r);
	n = r.n;
	engine_result_free(&r);
	return n;
}

/* Text mode: the name scan over TEXT as one segment. */
static void bench_text(const struct pg_policy *pol, const char *text, size_t len, int repeat)
{
	struct pg_extract ex;
	struct pg_spans spans = { 0 };
	double t[BENCH_MAX_REPEAT], cpu[BENCH_MAX_REPEAT], best, median, cpu_best, cpu_median;
	size_t covered = 0, found;

	/* How much of the text the name prefilter hands to the tokeniser. */
	names_candidates(pol->names, text, len, &spans);
	for (size_t i = 0; i < spans.n; i++)
		covered += spans.v[i].end - spans.v[i].start;
	printf("windows=%zu\nwindowed_fraction=%.3f\n", spans.n, (double)covered / (double)len);
	names_spans_free(&spans);

	extract_init(&ex);
	extract_add(&ex, "text", text, len);
	found = bench_scan_text(pol, &ex); /* warm-up, untimed */
	for (int i = 0; i < repeat; i++) {
		double t0 = bench_now(), c0 = bench_cpu();

		if (bench_scan_text(pol, &ex) != found)
			fprintf(stderr, "bench_scan: findings differ between runs\n");
		t[i] = bench_now() - t0;
		cpu[i] = bench_cpu() - c0;
	}
	bench_stats(t, repeat, &best, &median);
	bench_stats(cpu, repeat, &cpu_best, &cpu_median);
	printf("text_bytes=%zu\ntext_repeat=%d\ntext_findings=%zu\n", len, repeat, found);
	printf("text_seconds_best=%.6f\ntext_seconds_median=%.6f\n", best, median);
	printf("text_mb_per_s=%.1f\ntext_mb_per_s_median=%.1f\n", bench_mb(len) / best,
	       bench_mb(len) / median);
	printf("text_cpu_mb_per_s=%.1f\ntext_cpu_mb_per_s_median=%.1f\n", bench_mb(len) / cpu_best,
	       bench_mb(len) / cpu_median);
	extract_free(&ex);
}

/* -t: tokenise the whole text and match every token, no prefilter. */
static void bench_fullscan(const struct pg_policy *pol, const char *text, size_t len,
			   int repeat)
{
	struct pg_name_hits hits = { 0 };
	double t[BENCH_MAX_REPEAT], best, median;
	struct pg_tokens tok;

	norm_tokens_init(&tok);
	for (int i = 0; i < repeat; i++) {
		double t0 = bench_now();

		norm_tokens_reset(&tok);
		hits.n = 0;
		norm_tokenize(text, len, &tok);
		names_scan(pol->names, &tok, &hits);
		t[i] = bench_now() - t0;
	}
	bench_stats(t, repeat, &best, &median);
	printf("fullscan_tokens=%zu\nfullscan_hits=%zu\nfullscan_mb_per_s=%.1f\n", tok.n, hits.n,
	       bench_mb(len) / best);
	names_hits_free(&hits);
	norm_tokens_free(&tok);
}

/* -s: the name scan taken apart, as engine_scan_names() runs it: the
 * prefilter alone, then with the windows tokenised, then with the tokens
 * matched; the rest of engine_scan_extract() is recording the hits.  Best
 * CPU time of REPEAT runs each. */
static void bench_stages(const struct pg_policy *pol, const char *text, size_t len, int repeat)
{
	static const char *const names[] = { "prefilter", "tokenize", "match" };
	struct pg_name_hits hits = { 0 };
	struct pg_spans spans = { 0 };
	struct pg_tokens tok;

	norm_tokens_init(&tok);
	for (int stage = 0; stage < 3; stage++) {
		double t[BENCH_MAX_REPEAT], best, median;
		size_t ntok = 0, nhits = 0;

		for (int i = 0; i < repeat; i++) {
			double c0 = bench_cpu();

			ntok = nhits = 0;
			names_candidates(pol->names, text, len, &spans);
			for (size_t w = 0; stage > 0 && w < spans.n; w++) {
				norm_tokens_reset(&tok);
				size_t a = spans.v[w].start;

				norm_tokenize(text + a, spans.v[w].end - a, &tok);
				ntok += tok.n;
				if (stage < 2)
					continue;
				hits.n = 0;
				names_scan(pol->names, &tok, &hits);
				nhits += hits.n;
			}
			t[i] = bench_cpu() - c0;
		}
		bench_stats(t, repeat, &best, &median);
		printf("stage_%s_ms=%.2f\n", names[stage], best * 1000);
		if (stage == 2)
			printf("stage_tokens=%zu\nstage_hits=%zu\n", ntok, nhits);
	}
	names_spans_free(&spans);
	names_hits_free(&hits);
	norm_tokens_free(&tok);
}

/* Message mode: each message parsed, extracted and scanned whole. */
static void bench_messages(const struct pg_policy *pol, const struct bench_msgs *m, int repeat)
{
	struct pg_scan_opts opts = { .dir = PG_DIR_OUTBOUND };
	double t[BENCH_MAX_REPEAT], best, median;
	size_t findings = 0, flagged = 0, text_bytes = 0;

	for (int round = -1; round < repeat; round++) {
		double t0 = bench_now();

		findings = flagged = text_bytes = 0;
		for (size_t i = 0; i < m->n; i++) {
			GMimeStream *s = g_mime_stream_mem_new_with_buffer(m->data[i], m->len[i]);
			struct pg_result r;

			engine_result_init(&r);
			engine_scan_stream(pol, s, &opts, &r);
			findings += r.n;
			flagged += r.n > 0;
			text_bytes += r.text_bytes;
			engine_result_free(&r);
			g_object_unref(s);
		}
		if (round >= 0) /* round -1 warms up, untimed */
			t[round] = bench_now() - t0;
	}
	bench_stats(t, repeat, &best, &median);
	printf("messages=%zu\nmessage_bytes=%zu\nmessage_text_bytes=%zu\n", m->n, m->bytes,
	       text_bytes);
	printf("message_findings=%zu\nmessages_flagged=%zu\n", findings, flagged);
	printf("message_seconds_best=%.6f\nmessage_seconds_median=%.6f\n", best, median);
	printf("messages_per_s=%.0f\nmessages_per_s_median=%.0f\n", (double)m->n / best,
	       (double)m->n / median);
	printf("message_mb_per_s=%.1f\nmessage_mb_per_s_median=%.1f\n", bench_mb(m->bytes) / best,
	       bench_mb(m->bytes) / median);
}

static void bench_usage(void)
{
	fprintf(stderr,
		"usage: bench_scan [-st] ROSTER TEXT REPEAT [CONFIG|-] [MSG.eml|DIR ...]\n");
}

int main(int argc, char **argv)
{
	const char *rosters[2] = { NULL, NULL }, *config = NULL, *error;
	struct bench_msgs msgs = { 0 };
	struct pg_policy *pol;
	struct pg_diag diag;
	int repeat, fullscan = 0, stages = 0, c;
	size_t len;
	double t0, t1;
	char *text;

	while ((c = getopt(argc, argv, "st")) != -1) {
		if (c == 's')
			stages = 1;
		else if (c == 't')
			fullscan = 1;
		else {
			bench_usage();
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 3 || (repeat = atoi(argv[2])) < 1 || repeat > BENCH_MAX_REPEAT) {
		bench_usage();
		return 2;
	}
	rosters[0] = argv[0];
	if (argc > 3 && strcmp(argv[3], "-") != 0)
		config = argv[3];

	engine_global_init();
	pg_diag_init(&diag);
	t0 = bench_now();
	pol = policy_load(config, rosters, NULL, &diag);
	t1 = bench_now();
	if (pol == NULL) {
		for (size_t i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.items[i].text);
		pg_diag_free(&diag);
		return 1;
	}
	pg_diag_free(&diag);
	printf("pupils=%zu\nname_paths=%zu\nindex_bytes=%zu\n", pol->roster.npupils,
	       names_paths(pol->names), names_memory(pol->names));
	printf("load_seconds=%.4f\nrss_after_load_kb=%ld\n", t1 - t0, bench_rss_kb());

	text = pg_read_file(argv[1], 1u << 30, &len, &error);
	if (text == NULL) {
		fprintf(stderr, "bench_scan: %s: %s\n", argv[1], error);
		policy_unref(&pol);
		return 1;
	}
	bench_text(pol, text, len, repeat);
	if (fullscan)
		bench_fullscan(pol, text, len, repeat);
	if (stages)
		bench_stages(pol, text, len, repeat);
	printf("rss_after_text_kb=%ld\n", bench_rss_kb());
	free(text);

	for (int i = 4; i < argc; i++)
		bench_msgs_load(&msgs, argv[i]);
	if (msgs.n > 0) {
		bench_messages(pol, &msgs, repeat);
		/* The benchmark's own copies of the messages count in the peak. */
		printf("bench_buffers_kb=%zu\n", (msgs.bytes + len) / 1024);
	}
	bench_msgs_free(&msgs);
	printf("rss_peak_kb=%ld\n", bench_rss_kb());
	policy_unref(&pol);
	return 0;
}
