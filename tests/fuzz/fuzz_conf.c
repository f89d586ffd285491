/*
 * fuzz_conf.c - libFuzzer target: a configuration file (libconfig text)
 * through the parser and its checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_diag diag;
	struct pg_conf *c;
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	pg_diag_init(&diag);
	c = conf_load_text("/etc/pupilguard/fuzz.conf", s, &diag);
	conf_free(&c);
	pg_diag_free(&diag);
	free(s);
	return 0;
}
