/*
 * check_prefilter.c - the literal prefilter of rule patterns: the literal
 * sets it works out, the syntax it declines, and that it is sound: wherever
 * PCRE2 finds a match of a shipped pattern in a window of text, the
 * prefilter says the pattern may match there.  The texts are generated
 * (seeded) around the packs' own keywords, with the near misses that the
 * word-boundary marks skip ("sent" for "\bSEN\b"), case changes, and the
 * two characters PCRE2 folds to ASCII letters.
 */
#include "testlib.h"

#include "prefilter.h"
#include "rules.h"

/* The literals of PATTERN as one string: sorted, '|'-separated, word
 * boundaries shown as '^'. */
static char *lits_of(const char *pattern)
{
	char **l = prefilter_literals(pattern);
	size_t n = 0;
	struct pg_buf b;

	if (l == NULL)
		return NULL;
	while (l[n] != NULL)
		n++;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(l[j], l[i]) < 0) {
				char *t = l[i];

				l[i] = l[j];
				l[j] = t;
			}
	pg_buf_init(&b, 64);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			pg_buf_putc(&b, '|');
		for (const char *p = l[i]; *p; p++)
			pg_buf_putc(&b, *p == '\x01' ? '^' : *p);
	}
	prefilter_literals_free(l);
	return pg_buf_steal(&b);
}

static const struct {
	const char *pattern, *want; /* want NULL: always searched */
} cases[] = {
	{ "\\bchild protection\\b", "^child protection^" },
	{ "\\bsocial (?:worker|services|care)\\b",
	  "^social care^|^social services^|^social worker^" },
	{ "\\bs\\.? ?47 (?:enquir|strategy)",
	  "^s 47 enquir|^s 47 strategy|^s. 47 enquir|^s. 47 strategy|^s.47 enquir|"
	  "^s.47 strategy|^s47 enquir|^s47 strategy" },
	{ "\\bASD\\b", "^asd^" },
	{ "\\bepi-?pens?\\b", "^epi-pen^|^epi-pens^|^epipen^|^epipens^" },
	{ "\\bimmuni[sz]ations?\\b",
	  "^immunisation^|^immunisations^|^immunization^|^immunizations^" },
	/* A gap (\w+, .*) ends a run; the longest run found is kept. */
	{ "\\bfree \\w+ meals", " meals" },
	{ "abc.*defgh", "defgh" },
	{ "(?:abc)+x", "abc" },
	{ "x(?=abc)yzw", "xyzw" },
	{ "\\QA.b*c\\E", "a.b*c" },
	{ "\\x41\\x{62}c", "abc" },
	{ "[Aa]bc", "abc" },
	{ "a(?<name>bcd)e", "abcde" },
	/* Nothing usable, or syntax it does not follow. */
	{ "\\w+", NULL },
	{ "ab", NULL },
	{ "a.*b", NULL },
	{ "(?i)abc", NULL },
	{ "(*UTF)abc", NULL },
	{ "abc|\\d+", NULL },
	{ "(?:abc)*", NULL },
	{ "[^abc]def", "def" },
	{ "\\p{Lu}bcd", "bcd" },
	{ "café", "caf" },
	{ "(abc", NULL },
};

START_TEST(test_literals)
{
	char *got = lits_of(cases[_i].pattern);

	if (cases[_i].want == NULL)
		ck_assert_msg(got == NULL, "%s: want none, got %s", cases[_i].pattern, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, cases[_i].want) == 0,
			      "%s: want %s, got %s", cases[_i].pattern, cases[_i].want,
			      got ? got : "(none)");
	free(got);
}
END_TEST

/* The words of the text generator: the packs' keywords, near misses, and
 * ordinary words. */
static const char *const words[] = {
	"child", "protection", "plan", "social", "worker", "services", "SEN", "sent", "send",
	"SEND", "ASD", "ADHD", "EHCP", "EHC", "plan", "looked", "after", "looked-after", "LAC",
	"CLA", "class", "MASH", "mashed", "asthma", "asthmatic", "allergy", "epi-pen", "EpiPen",
	"inhaler", "free", "school", "meals", "FSM", "pupil", "premium", "exclusion",
	"excluded", "young", "carer", "self-harm", "CAMHS", "counselling", "section", "47",
	"s47", "s.47", "strategy", "meeting", "domestic", "abuse", "neglect", "neglected",
	"court", "order", "the", "and", "a", "to", "Year", "4", "trip", "on", "Friday",
	"04/05/2015", "2015-05-04", "4th", "May", "2015", "B801200005001", "943", "476",
	"5919", "SW1A", "1AA", "NHS", "number", "born", "date", "of", "birth", "DOB",
	"_SEN", "SEN_", "SENs", "xSEN", "Sen",
	/* Last: U+017F and U+212A, which turn the prefilter off; in one text
	 * in ten. */
	"\xc5\xbf" "ocial", "wor\xe2\x84\xaa" "er",
};

static void gen_text(unsigned *seed, struct pg_buf *b, size_t nwords, int folds)
{
	size_t nw = PG_ARRAY_LEN(words) - (folds ? 0 : 2);

	static const char *const seps[] = { " ", " ", " ", "\n", ", ", ". ", "-", "/", "'", "",
					    "\t", " (", ") " };

	b->len = 0;
	for (size_t i = 0; i < nwords; i++) {
		const char *w = words[(size_t)rand_r(seed) % nw];
		int upper = rand_r(seed) % 5 == 0;

		for (const char *p = w; *p; p++)
			pg_buf_putc(b, upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p);
		pg_buf_puts(b, seps[(size_t)rand_r(seed) % PG_ARRAY_LEN(seps)]);
	}
	pg_buf_putc(b, '\0');
	b->len--;
}

/* PCRE2 start offsets must fall on a character: move FROM forward to one. */
static size_t char_start(const char *t, size_t len, size_t from)
{
	while (from < len && ((unsigned char)t[from] & 0xc0) == 0x80)
		from++;
	return from;
}

/* The most digits in a run of digits (joined by single spaces, hyphens,
 * slashes or dots, as rules.c counts them) that meets [S, E) of TEXT. */
static size_t digit_run_at(const char *t, size_t len, size_t s, size_t e)
{
	size_t best = 0;

	for (size_t i = 0; i < len;) {
		size_t start = i, digits = 0;

		if (t[i] < '0' || t[i] > '9') {
			i++;
			continue;
		}
		while (i < len) {
			if (t[i] >= '0' && t[i] <= '9') {
				digits++;
				i++;
			} else if (i + 1 < len && strchr(" -/.", t[i]) && t[i + 1] >= '0' &&
				   t[i + 1] <= '9') {
				i++;
			} else {
				break;
			}
		}
		if (start < e && i > s && digits > best)
			best = digits;
	}
	return best;
}

START_TEST(test_sound_on_shipped_packs)
{
	static const char *const packs[] = { "identifiers", "safeguarding", "send", "health",
					     "welfare" };
	const char *src = getenv("PG_TOP_SRCDIR");
	struct pg_rules rules;
	struct pg_diag d;
	struct pg_rules_scan *sc;
	struct pg_buf text;
	unsigned seed = 2025;
	size_t checked = 0, matched = 0, skipped = 0, unmatched = 0, digit_checked = 0;

	rules_init(&rules);
	pg_diag_init(&d);
	for (size_t i = 0; i < PG_ARRAY_LEN(packs); i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/rules/%s.rules", src ? src : "../..", packs[i]);
		ck_assert_msg(rules_load(&rules, path, 1, &d) == 0, "%s", path);
	}
	sc = rules_scan_new(&rules);
	pg_buf_init(&text, 4096);
	for (int round = 0; round < 300; round++) {
		gen_text(&seed, &text, 200, round % 10 == 0);
		/* Half the texts are covered lazily, window by window. */
		if (round % 2)
			prefilter_scan(rules.pf, text.data, text.len, &sc->hits);
		else
			prefilter_begin(rules.pf, text.data, text.len, &sc->hits);
		for (size_t r = 0; r < rules.n; r++) {
			const struct pg_rule *rule = &rules.v[r];

			for (size_t c = 0; c < rule->ncodes; c++) {
				uint32_t id = rule->first_id + (uint32_t)c;

				for (int w = 0; w < 6; w++) {
					size_t from = w == 0 ? 0 : (size_t)rand_r(&seed) % text.len;
					size_t to = w == 0 ? text.len
							   : from + (size_t)rand_r(&seed) % 200;
					int rc, may;

					from = char_start(text.data, text.len, from);
					to = char_start(text.data, text.len, to > text.len ? text.len : to);
					if (from >= to)
						continue;
					rc = pcre2_match(rule->codes[c], (PCRE2_SPTR)text.data, to, from, 0,
							 sc->md, NULL);
					may = prefilter_may_match(rules.pf, &sc->hits, id, from, to);
					checked++;
					matched += rc >= 0;
					skipped += !may;
					unmatched += rc < 0 && !prefilter_always(rules.pf, id);
					ck_assert_msg(rc < 0 || may,
						      "rule %s pattern %zu matches in [%zu, %zu) of "
						      "round %d, but the prefilter says it cannot",
						      rule->name, c + 1, from, to, round);
					/* A rule is searched only near runs of digits as long
					 * as its needs_digits says: check that the shipped
					 * packs say true. */
					if (rc >= 0 && rule->needs_digits > 0) {
						PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);

						ck_assert_msg(digit_run_at(text.data, text.len, ov[0],
									   ov[1]) >=
							      (size_t)rule->needs_digits,
							      "rule %s matches \"%.*s\" without %d digits "
							      "together", rule->name, (int)(ov[1] - ov[0]),
							      text.data + ov[0], rule->needs_digits);
						digit_checked++;
					}
				}
			}
		}
	}
	/* The test means something only if both kinds of window occurred, and
	 * the prefilter is worth having only if it skips most windows where a
	 * pattern with literals finds nothing. */
	printf("prefilter: %zu windows, %zu with a match, %zu skipped of %zu without\n", checked,
	       matched, skipped, unmatched);
	ck_assert_msg(digit_checked > 100, "only %zu matches of rules with needs_digits",
		      digit_checked);
	ck_assert_msg(matched > 1000, "only %zu of %zu windows with a match", matched, checked);
	ck_assert_msg(skipped > unmatched / 2, "only %zu of %zu windows without a match skipped",
		      skipped, unmatched);
	pg_buf_free(&text, 0);
	rules_scan_free(&sc);
	rules_free(&rules);
	pg_diag_free(&d);
}
END_TEST

/* A prefilter of one PATTERN, with TEXT scanned. */
static struct pg_prefilter *one(const char *pattern, const char *text,
				struct pg_prefilter_hits *h)
{
	struct pg_prefilter *pf = prefilter_new();
	char **l = prefilter_literals(pattern);

	prefilter_add(pf, 0, l);
	prefilter_literals_free(l);
	prefilter_hits_init(h);
	prefilter_scan(pf, text, strlen(text), h);
	return pf;
}

/* A text with U+017F or U+212A is searched whole: PCRE2 folds them to 's'
 * and 'k' without case. */
START_TEST(test_ascii_folds_disable)
{
	struct pg_prefilter_hits h;
	struct pg_prefilter *pf = one("\\bsocial worker\\b", "a note about the weather", &h);
	const char longs[] = "a note about the \xc5\xbf" "ocial worker";

	ck_assert(!prefilter_may_match(pf, &h, 0, 0, h.len));
	prefilter_scan(pf, longs, sizeof(longs) - 1, &h);
	ck_assert(prefilter_may_match(pf, &h, 0, 0, h.len));
	ck_assert(prefilter_may_match(pf, &h, 0, 0, 5));
	prefilter_hits_free(&h);
	prefilter_free(&pf);
}
END_TEST

/* "\bSEN\b" inside "sent" cannot match, unless the search ends after "sen". */
START_TEST(test_word_boundaries)
{
	struct pg_prefilter_hits h;
	struct pg_prefilter *pf = one("\\bSEN\\b", "we sent it; absent; SEN", &h);

	ck_assert(!prefilter_may_match(pf, &h, 0, 0, 18));  /* "sent", "absent" */
	ck_assert(prefilter_may_match(pf, &h, 0, 0, 6));    /* a search ending "we sen" */
	ck_assert(prefilter_may_match(pf, &h, 0, 19, 23));  /* "SEN" */
	prefilter_hits_free(&h);
	prefilter_free(&pf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("prefilter");
	TCase *tc = tcase_create("prefilter");
	int rc;

	engine_global_init();
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_literals, 0, (int)PG_ARRAY_LEN(cases));
	tcase_add_test(tc, test_sound_on_shipped_packs);
	tcase_add_test(tc, test_ascii_folds_disable);
	tcase_add_test(tc, test_word_boundaries);
	suite_add_tcase(s, tc);
	rc = tl_run(s);
	return rc;
}
