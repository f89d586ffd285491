/*
 * fuzz_rules.c - libFuzzer target: a rule file (libconfig text with PCRE2
 * patterns) through the loader and one scan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static void fuzz_cb(void *ctx, const struct pg_rule_match *m)
{
	(void)ctx;
	(void)m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] = "Amelia Khan, UPN B801200005001, NHS 943 476 5919, "
				   "born 4 May 2015, has an EHCP and an inhaler.";
	struct pg_anchor anchor = { 0, 1, 0, NULL };
	struct pg_rules rules;
	struct pg_diag diag;
	struct pg_tokens t;
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	rules_init(&rules);
	pg_diag_init(&diag);
	if (rules_load_text(&rules, "fuzz.rules", s, &diag) == 0) {
		struct pg_rules_scan *sc = rules_scan_new(&rules);

		norm_tokens_init(&t);
		norm_tokenize(text, sizeof(text) - 1, &t);
		rules_scan(&rules, PG_RULES_ALONE, PG_DIR_OUTBOUND, text, sizeof(text) - 1, &t,
			   &anchor, 1, sc, fuzz_cb, NULL);
		rules_scan(&rules, PG_RULES_NEAR, PG_DIR_OUTBOUND, text, sizeof(text) - 1, &t,
			   &anchor, 1, sc, fuzz_cb, NULL);
		norm_tokens_free(&t);
		rules_scan_free(&sc);
	}
	rules_free(&rules);
	pg_diag_free(&diag);
	free(s);
	return 0;
}
