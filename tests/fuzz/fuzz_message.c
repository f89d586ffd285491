/*
 * fuzz_message.c - libFuzzer target: a whole message through extraction,
 * name matching and every shipped rule pack, as the milter scans it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"

static struct pg_policy *fuzz_policy;

/* A small roster with the hard cases: accents, apostrophes, hyphens,
 * particles, preferred names, a staff homonym. */
static const char fuzz_roster[] =
	"UPN,Legal Forename,Middle Names,Legal Surname,Preferred Forename,Preferred Surname,DOB,Year\n"
	"B801200005001,Zoë,Anne,O'Connor,Zoe,O'Connor,04/05/2015,5\n"
	"H801200001001,Łukasz,,van der Berg,Luke,van der Berg,11/09/2012,8\n"
	"E801200003001,Mary Kate,,Smith-Jones,Mary Kate,Smith-Jones,23/01/2018,R\n"
	"K801200002001,Rose,,Hill,Rose,Hill,01/01/2014,6\n";

static void fuzz_init(void)
{
	const char *dir = getenv("PG_RULES_DIR");
	static const char *const packs[] = { "identifiers", "safeguarding", "send", "health",
					     "welfare" };
	struct pg_diag diag;
	char path[] = "/tmp/pg-fuzz-roster-XXXXXX";
	char conf_text[4096];
	int fd = mkstemp(path);

	engine_global_init();
	if (fd < 0 || write(fd, fuzz_roster, sizeof(fuzz_roster) - 1) < 0)
		abort();
	close(fd);
	pg_diag_init(&diag);
	snprintf(conf_text, sizeof(conf_text), "rosters = ( \"%s\" );\n", path);
	if (dir != NULL) {
		strcat(conf_text, "rules = [");
		for (size_t i = 0; i < 5; i++) {
			char one[1024];

			snprintf(one, sizeof(one), "%s\"%s/%s.rules\"", i ? ", " : "", dir, packs[i]);
			strcat(conf_text, one);
		}
		strcat(conf_text, "];\n");
	}
	{
		char cpath[] = "/tmp/pg-fuzz-conf-XXXXXX";
		int cfd = mkstemp(cpath);

		if (cfd < 0 || write(cfd, conf_text, strlen(conf_text)) < 0)
			abort();
		close(cfd);
		fuzz_policy = policy_load(cpath, NULL, NULL, &diag);
		unlink(cpath);
	}
	unlink(path);
	if (fuzz_policy == NULL)
		abort();
	pg_diag_free(&diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_scan_opts opts = { .dir = PG_DIR_OUTBOUND, .show_names = 1 };
	struct pg_result r;
	GMimeStream *s;

	if (fuzz_policy == NULL)
		fuzz_init();
	s = g_mime_stream_mem_new_with_buffer((const char *)data, size);
	engine_result_init(&r);
	engine_scan_stream(fuzz_policy, s, &opts, &r);
	g_object_unref(s);
	engine_result_free(&r);
	return 0;
}
