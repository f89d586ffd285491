/*
 * fuzz_roster.c - libFuzzer target: a roster CSV (any bytes, any encoding)
 * through the loader and the name index build.
 */
#include <stdint.h>

#include "engine.h"
#include "names.h"
#include "roster.h"

/* As the milter does before it loads a roster: GMime's charset tables are
 * set up once (without them g_mime_charset_iconv_name() hands out a copy
 * per call, which the loader does not own). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	engine_global_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_roster r;
	struct pg_diag diag;
	struct pg_names *names;

	roster_init(&r);
	pg_diag_init(&diag);
	(void)roster_load_data(&r, "fuzz.csv", (const char *)data, size, NULL, &diag);
	names = names_build(&r, NULL);
	names_free(&names);
	roster_free(&r);
	pg_diag_free(&diag);
	return 0;
}
