/*
 * rules.c - rule files (libconfig), PCRE2 compilation and matching.
 */
#include "config.h"

#include <libconfig.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

void rules_init(struct pg_rules *r)
{
	memset(r, 0, sizeof(*r));
}

static void rules_free_one(struct pg_rule *rule)
{
	for (size_t i = 0; i < rule->ncodes; i++) {
		pcre2_code_free(rule->codes[i]);
		if (rule->lits != NULL)
			prefilter_literals_free(rule->lits[i]);
	}
	free(rule->codes);
	free(rule->lits);
	free(rule->name);
	free(rule->description);
	free(rule->type);
	free(rule->file);
}

void rules_free(struct pg_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		rules_free_one(&r->v[i]);
	free(r->v);
	prefilter_free(&r->pf);
	for (int ph = 0; ph < 2; ph++)
		for (int d = 0; d < PG_DIR_COUNT; d++)
			free(r->lit_ids[ph][d]);
	rules_init(r);
}

/* The options of a rule, with the type each must have. */
static const struct {
	const char *name;
	int type;          /* CONFIG_TYPE_* */
	const char *shape; /* for the message */
} rule_keys[] = {
	{ "name", CONFIG_TYPE_STRING, "a string" },
	{ "description", CONFIG_TYPE_STRING, "a string" },
	{ "type", CONFIG_TYPE_STRING, "a string" },
	{ "patterns", CONFIG_TYPE_ARRAY, "a list of strings [ \"...\" ]" },
	{ "validator", CONFIG_TYPE_STRING, "a string" },
	{ "score", CONFIG_TYPE_INT, "a whole number" },
	{ "near_pupil", CONFIG_TYPE_INT, "a whole number" },
	{ "near_score", CONFIG_TYPE_INT, "a whole number" },
	{ "needs_digits", CONFIG_TYPE_INT, "a whole number" },
	{ "directions", CONFIG_TYPE_ARRAY, "a list of strings [ \"outbound\" ]" },
	{ "enabled", CONFIG_TYPE_BOOL, "true or false" },
	{ "case_sensitive", CONFIG_TYPE_BOOL, "true or false" },
	{ "mask", CONFIG_TYPE_BOOL, "true or false" },
	{ "roster_only", CONFIG_TYPE_BOOL, "true or false" },
};

/* Report each unknown option of rule group G, and each of the wrong type
 * ("enabled = \"no\"" would otherwise leave the rule on); how many. */
static int rules_check_keys(const config_setting_t *g, const char *path, struct pg_diag *diag)
{
	int bad = 0;

	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		size_t k;

		for (k = 0; k < PG_ARRAY_LEN(rule_keys); k++)
			if (name != NULL && strcmp(name, rule_keys[k].name) == 0)
				break;
		if (k == PG_ARRAY_LEN(rule_keys)) {
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%d: unknown rule option %s", path,
				    config_setting_source_line(s), name ? name : "(unnamed)");
			bad++;
		} else if (config_setting_type(s) != rule_keys[k].type &&
			   !(rule_keys[k].type == CONFIG_TYPE_ARRAY &&
			     config_setting_type(s) == CONFIG_TYPE_LIST) &&
			   !(rule_keys[k].type == CONFIG_TYPE_INT &&
			     config_setting_type(s) == CONFIG_TYPE_INT64)) {
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%d: rule option %s must be %s", path,
				    config_setting_source_line(s), name, rule_keys[k].shape);
			bad++;
		}
	}
	return bad;
}

/* Compile PATTERN for RULE; -1 with a diagnostic naming the offset. */
static int rules_compile(struct pg_rule *rule, const char *pattern, int caseless, int index,
			 int jit, struct pg_diag *diag)
{
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0);
	PCRE2_SIZE offset;
	int err;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &err,
					 &offset, NULL);

	if (code == NULL) {
		PCRE2_UCHAR msg[256];

		(void)pcre2_get_error_message(err, msg, sizeof(msg));
		pg_diag_add(diag, PG_DIAG_ERROR, "%s:%u: rule %s, pattern %d: %s at offset %zu",
			    rule->file, rule->line, rule->name, index + 1, (const char *)msg,
			    (size_t)offset);
		return -1;
	}
	/* JIT is an optimisation: without it (an unsupported CPU) the
	 * interpreter gives the same answers. */
	if (jit)
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	rule->codes = pg_reallocarray(rule->codes, rule->ncodes + 1, sizeof(*rule->codes));
	rule->lits = pg_reallocarray(rule->lits, rule->ncodes + 1, sizeof(*rule->lits));
	rule->lits[rule->ncodes] = prefilter_literals(pattern);
	rule->codes[rule->ncodes++] = code;
	return 0;
}

static const char *rules_get_string(const config_setting_t *g, const char *name)
{
	const char *s = NULL;

	return config_setting_lookup_string(g, name, &s) == CONFIG_TRUE ? s : NULL;
}

/* Which phase a rule is searched in. */
static int rules_phase_of(const struct pg_rule *rule)
{
	return rule->score > 0 ? PG_RULES_ALONE : PG_RULES_NEAR;
}

/* Add RULE, just appended, to the per-phase and per-direction summaries:
 * every mask grows by its patterns, set where it applies. */
static void rules_index(struct pg_rules *r, const struct pg_rule *rule)
{
	int phase = rules_phase_of(rule);

	for (int ph = 0; ph < 2; ph++)
		for (int d = 0; d < PG_DIR_COUNT; d++) {
			uint8_t *ids = pg_reallocarray(r->lit_ids[ph][d], r->npatterns, 1);

			r->lit_ids[ph][d] = ids;
			memset(ids + rule->first_id, 0, rule->ncodes);
			if (ph != phase || (rule->directions != 0 && !(rule->directions & (1u << d))))
				continue;
			if (rule->near_pupil > r->max_near[ph][d])
				r->max_near[ph][d] = rule->near_pupil;
			for (size_t c = 0; c < rule->ncodes; c++) {
				uint32_t id = rule->first_id + (uint32_t)c;

				if (!prefilter_always(r->pf, id))
					ids[id] = 1;
				else if (rule->needs_digits == 0)
					r->no_lits[ph][d] = 1;
				else if (r->min_digits[ph][d] == 0 ||
					 rule->needs_digits < r->min_digits[ph][d])
					r->min_digits[ph][d] = rule->needs_digits;
			}
		}
}

/* Parse one rule group; 1 if kept, 0 if disabled, -1 on error. */
static int rules_parse_one(struct pg_rules *r, const config_setting_t *g, const char *path,
			   int jit, struct pg_diag *diag)
{
	struct pg_rule rule;
	const config_setting_t *pats, *dirs;
	const char *s;
	int enabled = 1, caseless = 1, mask = -1, failed = 0;

	memset(&rule, 0, sizeof(rule));
	rule.file = pg_strdup(path);
	rule.line = (unsigned)config_setting_source_line(g);
	failed = rules_check_keys(g, path, diag) > 0;
	s = rules_get_string(g, "name");
	if (s == NULL || *s == '\0') {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s:%u: a rule needs a name", path, rule.line);
		rules_free_one(&rule);
		return -1;
	}
	rule.name = pg_strdup(s);
	rule.type = pg_strdup((s = rules_get_string(g, "type")) ? s : rule.name);
	rule.kind = kind_parse(rule.type);
	rule.description = pg_strdup((s = rules_get_string(g, "description")) ? s : "");
	(void)config_setting_lookup_bool(g, "enabled", &enabled);
	(void)config_setting_lookup_bool(g, "mask", &mask);
	{
		int cs = 0;

		if (config_setting_lookup_bool(g, "case_sensitive", &cs) == CONFIG_TRUE)
			caseless = !cs;
	}
	(void)config_setting_lookup_int(g, "score", &rule.score);
	(void)config_setting_lookup_int(g, "near_pupil", &rule.near_pupil);
	(void)config_setting_lookup_int(g, "near_score", &rule.near_score);
	(void)config_setting_lookup_int(g, "needs_digits", &rule.needs_digits);
	if (rule.score < 0 || rule.near_pupil < 0 || rule.near_score < 0 ||
	    rule.near_pupil > 1000 || rule.needs_digits < 0 || rule.needs_digits > 64) {
		pg_diag_add(diag, PG_DIAG_ERROR,
			    "%s:%u: rule %s: score, near_pupil (at most 1000) and near_score "
			    "must not be negative", path, rule.line, rule.name);
		failed = 1;
	}
	if (rule.score == 0 && (rule.near_pupil == 0 || rule.near_score == 0)) {
		pg_diag_add(diag, PG_DIAG_ERROR,
			    "%s:%u: rule %s can never count: give score, or near_pupil and "
			    "near_score", path, rule.line, rule.name);
		failed = 1;
	}
	if ((s = rules_get_string(g, "validator")) != NULL) {
		rule.validator = validators_lookup(s);
		if (rule.validator == NULL) {
			pg_diag_add(diag, PG_DIAG_ERROR,
				    "%s:%u: rule %s: unknown validator '%s' (upn, uln, nhs, ni, "
				    "postcode, date)", path, rule.line, rule.name, s);
			failed = 1;
		}
	}
	rule.mask = mask >= 0 ? mask : rule.validator != NULL;
	(void)config_setting_lookup_bool(g, "roster_only", &rule.roster_only);
	if (rule.roster_only &&
	    (rule.kind != PG_KIND_UPN && rule.kind != PG_KIND_DOB)) {
		pg_diag_add(diag, PG_DIAG_ERROR,
			    "%s:%u: rule %s: roster_only needs type \"upn\" or \"dob\" (the roster "
			    "holds nothing else to compare with)", path, rule.line, rule.name);
		failed = 1;
	}
	if (rule.roster_only && rule.score == 0) {
		pg_diag_add(diag, PG_DIAG_ERROR,
			    "%s:%u: rule %s: a roster_only rule needs a score", path, rule.line,
			    rule.name);
		failed = 1;
	}
	if ((dirs = config_setting_get_member(g, "directions")) != NULL) {
		for (int i = 0; i < config_setting_length(dirs); i++) {
			const char *d = config_setting_get_string_elem(dirs, i);
			enum pg_direction dir;

			if (d == NULL || conf_direction_parse(d, &dir) < 0) {
				pg_diag_add(diag, PG_DIAG_ERROR,
					    "%s:%d: rule %s: unknown direction '%s'", path,
					    config_setting_source_line(dirs), rule.name,
					    d ? d : "(not a string)");
				failed = 1;
				continue;
			}
			rule.directions |= 1u << dir;
		}
	}
	pats = config_setting_get_member(g, "patterns");
	if (pats == NULL || !config_setting_is_aggregate(pats) || config_setting_length(pats) == 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s:%u: rule %s needs patterns = [ \"...\" ]",
			    path, rule.line, rule.name);
		failed = 1;
	} else {
		for (int i = 0; i < config_setting_length(pats); i++) {
			const char *p = config_setting_get_string_elem(pats, i);

			if (p == NULL) {
				pg_diag_add(diag, PG_DIAG_ERROR, "%s:%u: rule %s: pattern %d is "
					    "not a string", path, rule.line, rule.name, i + 1);
				failed = 1;
			} else if (rules_compile(&rule, p, caseless, i, jit, diag) < 0) {
				failed = 1;
			}
		}
	}
	if (failed || !enabled) {
		rules_free_one(&rule);
		return failed ? -1 : 0;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = pg_reallocarray(r->v, r->cap, sizeof(*r->v));
	}
	/* Its patterns join the prefilter; their literal sets are not needed
	 * after that. */
	if (r->pf == NULL)
		r->pf = prefilter_new();
	rule.first_id = r->npatterns;
	/* A rule with needs_digits is found by its digits: its literals (often
	 * as common as " 20" in a date) would only add work. */
	for (size_t i = 0; i < rule.ncodes; i++) {
		prefilter_add(r->pf, r->npatterns++, rule.needs_digits > 0 ? NULL : rule.lits[i]);
		prefilter_literals_free(rule.lits[i]);
	}
	free(rule.lits);
	rule.lits = NULL;
	r->v[r->n++] = rule;
	rules_index(r, &r->v[r->n - 1]);
	return 1;
}

/* Load from a file (TEXT NULL) or from TEXT, labelled PATH. */
static int rules_load_any(struct pg_rules *r, const char *path, const char *text, int jit,
			  struct pg_diag *diag)
{
	const config_setting_t *list;
	config_t cfg;
	int ret = 0;

	config_init(&cfg);
	if ((text ? config_read_string(&cfg, text) : config_read_file(&cfg, path)) != CONFIG_TRUE) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			pg_diag_add(diag, PG_DIAG_ERROR, "%s: cannot read rule file", path);
		else
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%d: %s", path, config_error_line(&cfg),
				    config_error_text(&cfg));
		config_destroy(&cfg);
		return -1;
	}
	list = config_lookup(&cfg, "rules");
	if (list == NULL || !config_setting_is_aggregate(list)) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: no rules = ( { ... } ) list", path);
		ret = -1;
	}
	/* Go on past a bad rule, to report every problem in one run. */
	for (int i = 0; list != NULL && config_setting_is_aggregate(list) &&
			i < config_setting_length(list); i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);

		if (!config_setting_is_group(g)) {
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%d: a rule is a group { ... }", path,
				    config_setting_source_line(g));
			ret = -1;
			continue;
		}
		if (rules_parse_one(r, g, path, jit, diag) < 0)
			ret = -1;
	}
	config_destroy(&cfg);
	return ret;
}

int rules_load(struct pg_rules *r, const char *path, int jit, struct pg_diag *diag)
{
	return rules_load_any(r, path, NULL, jit, diag);
}

int rules_load_text(struct pg_rules *r, const char *name, const char *text, struct pg_diag *diag)
{
	return rules_load_any(r, name, text, 1, diag);
}

struct pg_rules_scan *rules_scan_new(const struct pg_rules *r)
{
	struct pg_rules_scan *sc = pg_calloc(1, sizeof(*sc));
	uint32_t groups = 0;

	/* Enough room for the largest pattern's groups. */
	for (size_t i = 0; i < r->n; i++)
		for (size_t c = 0; c < r->v[i].ncodes; c++) {
			uint32_t n = 0;

			(void)pcre2_pattern_info(r->v[i].codes[c], PCRE2_INFO_CAPTURECOUNT, &n);
			if (n > groups)
				groups = n;
		}
	sc->md = pcre2_match_data_create(groups + 1, NULL);
	if (sc->md == NULL)
		pg_oom(sizeof(PCRE2_SIZE) * 2 * (groups + 1));
	prefilter_hits_init(&sc->hits);
	return sc;
}

void rules_scan_free(struct pg_rules_scan **scp)
{
	struct pg_rules_scan *sc = *scp;

	if (sc == NULL)
		return;
	pcre2_match_data_free(sc->md);
	prefilter_hits_free(&sc->hits);
	free(sc->runs);
	free(sc);
	*scp = NULL;
}

void rules_scan_begin(struct pg_rules_scan *sc)
{
	sc->scanned = 0;
	sc->have_runs = 0;
}

/* The literals of every pattern in TEXT, found once per text. */
static void rules_find_literals(const struct pg_rules *rules, const char *text, size_t len,
				struct pg_rules_scan *sc)
{
	if (sc->scanned)
		return;
	prefilter_begin(rules->pf, text, len, &sc->hits);
	sc->scanned = 1;
}

char *rules_mask(const char *s, size_t len)
{
	char *out = pg_strndup(s, len);
	size_t digits = 0, seen = 0;

	for (size_t i = 0; i < len; i++)
		digits += out[i] >= '0' && out[i] <= '9';
	for (size_t i = 0; i < len; i++) {
		if (out[i] >= '0' && out[i] <= '9') {
			if (seen + 2 < digits)
				out[i] = '#';
			seen++;
		}
	}
	return out;
}

void rules_masked_spans(const struct pg_rules *rules, const char *text, size_t len,
			rules_span_cb *cb, void *ctx)
{
	pcre2_match_data *md = NULL;

	for (size_t i = 0; i < rules->n; i++) {
		const struct pg_rule *rule = &rules->v[i];

		if (!rule->mask)
			continue;
		if (md == NULL && (md = pcre2_match_data_create(8, NULL)) == NULL)
			pg_oom(sizeof(PCRE2_SIZE) * 16);
		for (size_t c = 0; c < rule->ncodes; c++) {
			size_t off = 0;

			while (off < len) {
				int rc = pcre2_match(rule->codes[c], (PCRE2_SPTR)text, len, off, 0, md,
						     NULL);
				PCRE2_SIZE *ov;
				size_t a, z;
				int labelled;

				if (rc < 0)
					break;
				ov = pcre2_get_ovector_pointer(md);
				off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
				labelled = (rc >= 2 || rc == 0) && ov[2] != PCRE2_UNSET;
				a = labelled ? ov[2] : ov[0];
				z = labelled ? ov[3] : ov[1];
				if (z > a && (rule->validator == NULL || rule->validator(text + a, z - a)))
					cb(ctx, rule, a, z, labelled);
			}
		}
	}
	pcre2_match_data_free(md);
}

/* Token distance from the match at tokens [A, B] to anchor X; 0 if overlapping. */
static size_t rules_distance(size_t a, size_t b, const struct pg_anchor *x)
{
	if (b < x->first)
		return x->first - b;
	if (a > x->last)
		return a - x->last;
	return 0;
}

/* Whether a new section starts between match M (at tokens [A, B]) and
 * anchor X: a keyword under one heading says nothing about a pupil named
 * under another ("Notices" in a newsletter is not about the winners of
 * the reading challenge above it). */
static int rules_across_section(const char *text, size_t len, const struct pg_tokens *t,
				const struct pg_rule_match *m, size_t a, size_t b,
				const struct pg_anchor *x)
{
	if (b < x->first)
		return norm_section_between(text, len, m->end, t->v[x->first].start);
	if (a > x->last)
		return norm_section_between(text, len, t->v[x->last].end, m->start);
	return 0;
}

int rules_match_near(struct pg_rule_match *m, const char *text, size_t len,
		     const struct pg_tokens *t, const struct pg_anchor *anchors, size_t nanchors)
{
	const struct pg_rule *rule = m->rule;
	size_t best = SIZE_MAX;

	m->near = NULL;
	if (rule->near_pupil > 0 && t->n > 0) {
		size_t ta = norm_token_at(t, m->start);
		size_t tb = m->end > m->start ? norm_token_at(t, m->end - 1) : ta;

		for (size_t i = 0; i < nanchors; i++) {
			size_t d;

			if (anchors[i].kind != PG_KIND_NONE && anchors[i].kind == rule->kind)
				continue;
			d = rules_distance(ta, tb, &anchors[i]);
			if (d <= (size_t)rule->near_pupil && d < best &&
			    !rules_across_section(text, len, t, m, ta, tb, &anchors[i])) {
				best = d;
				m->near = &anchors[i];
			}
		}
	}
	if (m->near != NULL && rule->near_score > 0)
		m->score = rule->near_score;
	else if (rule->score > 0)
		m->score = rule->score;
	else
		return 0;
	return 1;
}

/* Runs of digits that may be one identifier: digits with at most one space,
 * hyphen, slash or dot between them ("943 476 5919", "04/05/2015"). */
struct digit_run {
	size_t start, end, digits;
};

/* The first digit at or after I (LEN if none), eight bytes at a time:
 * a byte is a digit when it XOR '0' is less than 10. */
static size_t rules_skip_to_digit(const char *text, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL;

	while (i + 8 <= len) {
		uint64_t v;

		memcpy(&v, text + i, 8);
		v ^= ones * '0';
		if (((v - ones * 10) & ~v & ones * 0x80) != 0)
			break;
		i += 8;
	}
	while (i < len && (text[i] < '0' || text[i] > '9'))
		i++;
	return i;
}

/* The runs of digits in the current text, found once per text. */
static void rules_digit_runs(const char *text, size_t len, struct pg_rules_scan *sc)
{
	size_t i = 0;

	if (sc->have_runs)
		return;
	sc->nruns = 0;
	while (i < len) {
		size_t start, digits = 0, end;

		if (text[i] < '0' || text[i] > '9') {
			i = rules_skip_to_digit(text, i + 1, len);
			continue;
		}
		start = i;
		end = i;
		while (i < len) {
			if (text[i] >= '0' && text[i] <= '9') {
				digits++;
				end = ++i;
			} else if (i + 1 < len && strchr(" -/.", text[i]) != NULL && text[i + 1] >= '0' &&
				   text[i + 1] <= '9') {
				i++;
			} else {
				break;
			}
		}
		if (sc->nruns == sc->runs_cap) {
			sc->runs_cap = sc->runs_cap ? sc->runs_cap * 2 : 64;
			sc->runs = pg_reallocarray(sc->runs, sc->runs_cap, sizeof(*sc->runs));
		}
		sc->runs[sc->nruns].start = start;
		sc->runs[sc->nruns].end = end;
		sc->runs[sc->nruns].digits = digits;
		sc->nruns++;
	}
	sc->have_runs = 1;
}

/* Whether RULE is one of PHASE and applies in DIR. */
static int rules_applies(const struct pg_rule *rule, enum pg_rules_phase phase,
			 enum pg_direction dir)
{
	if (rule->directions != 0 && !(rule->directions & (1u << dir)))
		return 0;
	return rules_phase_of(rule) == (int)phase;
}

/* Whether a run of at least DIGITS digits meets [FROM, TO) of the text. */
static int rules_digits_within(const char *text, size_t len, struct pg_rules_scan *sc,
			       int digits, size_t from, size_t to)
{
	size_t lo = 0, hi;

	rules_digit_runs(text, len, sc);
	/* The first run ending after FROM. */
	for (hi = sc->nruns; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->runs[mid].end <= from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sc->nruns && sc->runs[lo].start < to; lo++)
		if (sc->runs[lo].digits >= (size_t)digits)
			return 1;
	return 0;
}

/* Try every pattern of RULE over [FROM, TO) of the text, save those with
 * none of their literals there. */
static void rules_scan_range(const struct pg_rules *rules, const struct pg_rule *rule,
			     const char *text, size_t to, size_t from, const struct pg_tokens *t,
			     const struct pg_anchor *anchors, size_t nanchors,
			     struct pg_rules_scan *sc, rules_match_cb *cb, void *ctx)
{
	pcre2_match_data *md = sc->md;

	for (size_t c = 0; c < rule->ncodes; c++) {
		size_t off = from;

		if (rule->needs_digits > 0
			    ? !rules_digits_within(sc->hits.text, sc->hits.len, sc, rule->needs_digits,
						   from, to)
			    : !prefilter_may_match(rules->pf, &sc->hits, rule->first_id + (uint32_t)c,
						   from, to))
			continue;
		while (off < to) {
			int rc = pcre2_match(rule->codes[c], (PCRE2_SPTR)text, to, off, 0, md, NULL);
			PCRE2_SIZE *ov;
			struct pg_rule_match m;

			if (rc < 0)
				break;
			ov = pcre2_get_ovector_pointer(md);
			off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			m.rule = rule;
			m.near = NULL;
			/* A labelled pattern ("date of birth: (...)") reports, validates
			 * and masks its first group only. */
			if (rc >= 2 && ov[2] != PCRE2_UNSET) {
				m.start = ov[2];
				m.end = ov[3];
			} else {
				m.start = ov[0];
				m.end = ov[1];
			}
			if (rule->validator != NULL &&
			    !rule->validator(text + m.start, m.end - m.start))
				continue;
			if (rules_match_near(&m, sc->hits.text, sc->hits.len, t, anchors, nanchors))
				cb(ctx, &m);
		}
	}
}


static int rules_is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Scan RULE only around the digit runs long enough for it: a label may come
 * up to 96 bytes before ("date of birth on our records:"), and windows end
 * on white space so that no run is cut. */
static void rules_scan_digits(const struct pg_rules *rules, const struct pg_rule *rule,
			      const char *text, size_t len, const struct digit_run *runs,
			      size_t nruns, const struct pg_tokens *t,
			      const struct pg_anchor *anchors, size_t nanchors,
			      struct pg_rules_scan *sc, rules_match_cb *cb, void *ctx)
{
	for (size_t r = 0; r < nruns; r++) {
		size_t from, to;

		if (runs[r].digits < (size_t)rule->needs_digits)
			continue;
		from = runs[r].start > 96 ? runs[r].start - 96 : 0;
		to = runs[r].end + 32 < len ? runs[r].end + 32 : len;
		while (r + 1 < nruns && runs[r + 1].start <= to + 96) {
			r++;
			if (runs[r].end + 32 > to)
				to = runs[r].end + 32 < len ? runs[r].end + 32 : len;
		}
		while (to < len && !rules_is_space(text[to]))
			to++;
		rules_scan_range(rules, rule, text, to, from, t, anchors, nanchors, sc, cb, ctx);
	}
}

void rules_scan(const struct pg_rules *rules, enum pg_rules_phase phase, enum pg_direction dir,
		const char *text, size_t len, const struct pg_tokens *t,
		const struct pg_anchor *anchors, size_t nanchors, struct pg_rules_scan *sc,
		rules_match_cb *cb, void *ctx)
{
	rules_find_literals(rules, text, len, sc);
	for (size_t i = 0; i < rules->n; i++) {
		const struct pg_rule *rule = &rules->v[i];

		if (!rules_applies(rule, phase, dir))
			continue;
		if (phase == PG_RULES_ALONE) {
			if (rule->needs_digits > 0) {
				rules_digit_runs(text, len, sc);
				rules_scan_digits(rules, rule, text, len, sc->runs, sc->nruns, t,
						  anchors, nanchors, sc, cb, ctx);
			} else {
				rules_scan_range(rules, rule, text, len, 0, t, anchors, nanchors, sc, cb,
						 ctx);
			}
			continue;
		}
		if (t->n == 0)
			continue;
		/* Counts only near a pupil: search only the windows around them. */
		for (size_t a = 0; a < nanchors; a++) {
			size_t first = anchors[a].first > (uint32_t)rule->near_pupil
					       ? anchors[a].first - (uint32_t)rule->near_pupil : 0;
			size_t last = anchors[a].last + (size_t)rule->near_pupil;
			size_t from, to;

			if (last >= t->n)
				last = t->n - 1;
			/* Merge with the following windows that overlap this one. */
			while (a + 1 < nanchors && anchors[a + 1].first <= last + (size_t)rule->near_pupil) {
				a++;
				last = anchors[a].last + (size_t)rule->near_pupil;
				if (last >= t->n)
					last = t->n - 1;
			}
			from = t->v[first].start;
			to = t->v[last].end;
			rules_scan_range(rules, rule, text, to, from, t, anchors, nanchors, sc, cb,
					 ctx);
		}
	}
}

int rules_may_match(const struct pg_rules *rules, enum pg_rules_phase phase,
		    enum pg_direction dir, const char *text, size_t len,
		    struct pg_rules_scan *sc, size_t from, size_t to)
{
	int digits = rules->min_digits[phase][dir];

	if (rules->n == 0)
		return 0;
	rules_find_literals(rules, text, len, sc);
	if (rules->no_lits[phase][dir])
		return 1;
	if (digits > 0 && rules_digits_within(text, len, sc, digits, from, to))
		return 1;
	return prefilter_may_match_some(rules->pf, &sc->hits, rules->lit_ids[phase][dir], from,
					to);
}

int rules_max_near(const struct pg_rules *rules, enum pg_rules_phase phase,
		   enum pg_direction dir)
{
	return rules->max_near[phase][dir];
}
