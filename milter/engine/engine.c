/*
 * engine.c - the detection pipeline from extracted text to a verdict.
 */
#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "figures.h"
#include "forms.h"
#include "lists.h"
#include "names.h"
#include "norm.h"
#include "rules.h"
#include "tables.h"
#include "validators.h"
#include "verdict.h"

char *engine_redact_text(const struct pg_policy *pol, const char *text);

void engine_global_init(void)
{
	extract_global_init();
}

void engine_result_init(struct pg_result *r)
{
	memset(r, 0, sizeof(*r));
}

void engine_finding_free(struct pg_finding *f)
{
	free(f->pupil);
	free(f->where);
	free(f->excerpt);
	if (f->shown != NULL)
		pg_wipe(f->shown, strlen(f->shown));
	free(f->shown);
	free(f->year);
	free(f->members);
	free(f->details);
	memset(f, 0, sizeof(*f));
}

void engine_result_free(struct pg_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		engine_finding_free(&r->v[i]);
	free(r->v);
	engine_result_init(r);
}

/* Upper-cased first character of S, as UTF-8, into OUT (7 bytes). */
static void engine_initial(const char *s, char *out)
{
	gunichar c = g_utf8_get_char_validated(s, -1);
	int n;

	if (c == (gunichar)-1 || c == (gunichar)-2 || c == 0)
		c = '?';
	n = g_unichar_to_utf8(g_unichar_toupper(c), out);
	out[n] = '\0';
}

/* "A. K***": enough for a reader who knows the pupil, nothing for one who does not. */
static char *engine_redact(const struct pg_pupil *p)
{
	char f[7], s[7];

	engine_initial(p->forename, f);
	engine_initial(p->surname, s);
	return pg_asprintf("%s. %s***", f, s);
}

/* A name hit's pupil and the hash of the words it was written in: the
 * hits set aside as a place, a phrase or a public figure, and the hits
 * that counted, so that a phrase judged once is judged so wherever the
 * same words recur in the message. */
struct name_words {
	uint32_t pupil;
	uint64_t hash;
};

struct name_memo {
	struct name_words *v;
	size_t n, cap;
};

/* A finding's roster key: the UPN is an identifier like any other, masked
 * as a rule masks ("Z##########04") unless names were asked for. */
static char *engine_pupil_key(const struct pg_pupil *p, const struct pg_scan_opts *opts)
{
	return opts->show_names ? pg_strdup(p->key) : rules_mask(p->key, strlen(p->key));
}

/* The findings of one scan by pupil, so that recording a hit need not walk
 * every finding so far: a class list naming thousands of pupils would take
 * quadratic time.  Open addressing over finding indices + 1, hashed by
 * pupil; findings are only ever appended, and the index catches up before
 * each lookup.  A probe meets a pupil's findings in the order they were
 * made, so a lookup finds what a walk from the first finding would. */
struct finding_index {
	uint32_t *slot;
	size_t mask;   /* slots - 1; 0 before the first finding */
	size_t n;      /* findings looked at so far: r->v[0, n) */
	size_t used;
	struct name_memo aside, counted; /* see engine_drop_recurring() */
};

static uint64_t engine_words_hash(const struct pg_tokens *t, size_t first, size_t last)
{
	uint64_t h = 0;

	for (size_t k = first; k <= last; k++)
		h = h * 1000003u ^ pg_hash_bytes(norm_token_text(t, k), t->v[k].norm_len);
	return h;
}

static void engine_memo_add(struct name_memo *m, uint32_t pupil, uint64_t hash)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].pupil == pupil && m->v[i].hash == hash)
			return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->v = pg_reallocarray(m->v, m->cap, sizeof(*m->v));
	}
	m->v[m->n].pupil = pupil;
	m->v[m->n].hash = hash;
	m->n++;
}

static int engine_memo_has(const struct name_memo *m, uint32_t pupil, uint64_t hash)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].pupil == pupil && m->v[i].hash == hash)
			return 1;
	return 0;
}

/* Drop the name findings of pupils every one of whose counted hits was
 * written in words that elsewhere in the message were set aside ("Rose
 * Hill" in a heading above "Rose Hill Road"; "Harry Kane" in a sentence
 * after "England captain Harry Kane").  Findings of rules anchored on
 * such a name stay: they were found near it and the details are real. */
static void engine_drop_recurring(struct pg_result *r, const struct finding_index *fx)
{
	size_t out = 0;

	for (size_t i = 0; i < r->n; i++) {
		struct pg_finding *f = &r->v[i];
		int drop = 0;

		if (fx->aside.n > 0 && (f->kind == PG_KIND_NAME || f->kind == PG_KIND_PARTIAL_NAME)) {
			drop = 1;
			for (size_t c = 0; drop && c < fx->counted.n; c++)
				if (fx->counted.v[c].pupil == f->pupil_idx &&
				    !engine_memo_has(&fx->aside, f->pupil_idx, fx->counted.v[c].hash))
					drop = 0;
			/* a pupil with no phrase set aside keeps the finding */
			if (drop) {
				drop = 0;
				for (size_t a = 0; !drop && a < fx->aside.n; a++)
					drop = fx->aside.v[a].pupil == f->pupil_idx;
			}
		}
		if (drop) {
			r->suppressed += f->count;
			engine_finding_free(f);
			continue;
		}
		if (out != i)
			r->v[out] = *f;
		out++;
	}
	r->n = out;
}

static size_t engine_index_home(const struct finding_index *x, uint32_t pupil)
{
	return (size_t)(((uint64_t)pupil * 0x9E3779B97F4A7C15ULL) >> 32) & x->mask;
}

static void engine_index_put(struct finding_index *x, const struct pg_result *r, size_t f)
{
	size_t i = engine_index_home(x, r->v[f].pupil_idx);

	while (x->slot[i] != 0)
		i = (i + 1) & x->mask;
	x->slot[i] = (uint32_t)f + 1;
	x->used++;
}

/* Index the findings made since the last lookup, growing the table
 * (re-adding in finding order) when it is half full. */
static void engine_index_update(struct finding_index *x, const struct pg_result *r)
{
	for (; x->n < r->n; x->n++) {
		if ((x->used + 1) * 2 > x->mask + 1) {
			x->mask = x->mask ? x->mask * 2 + 1 : 63;
			free(x->slot);
			x->slot = pg_calloc(x->mask + 1, sizeof(*x->slot));
			x->used = 0;
			for (size_t f = 0; f < x->n; f++)
				engine_index_put(x, r, f);
		}
		engine_index_put(x, r, x->n);
	}
}

/* The first finding for PUPIL of KIND (a name finding), or else, with KIND
 * PG_KIND_NONE, of RULE (a rule's name, compared by address); NULL if none. */
static struct pg_finding *engine_find_by(struct pg_result *r, struct finding_index *x,
					 enum pg_kind kind, const char *rule, uint32_t pupil)
{
	engine_index_update(x, r);
	if (x->slot == NULL)
		return NULL;
	for (size_t i = engine_index_home(x, pupil); x->slot[i] != 0; i = (i + 1) & x->mask) {
		struct pg_finding *f = &r->v[x->slot[i] - 1];

		if (f->pupil_idx == pupil && (kind != PG_KIND_NONE ? f->kind == kind : f->rule == rule))
			return f;
	}
	return NULL;
}

static struct pg_finding *engine_find(struct pg_result *r, struct finding_index *x,
				      enum pg_kind kind, uint32_t pupil)
{
	return engine_find_by(r, x, kind, NULL, pupil);
}

static struct pg_finding *engine_add(struct pg_result *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = pg_reallocarray(r->v, r->cap, sizeof(*r->v));
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

/* Whether an allowlisted phrase covers tokens [FIRST, LAST]. */
static int engine_allowed(const struct pg_policy *pol, const struct pg_tokens *t, size_t first,
			  size_t last)
{
	for (size_t a = 0; a < pol->nallow; a++) {
		const char *phrase = pol->allow[a];
		size_t ntok = 1;

		for (const char *p = phrase; *p; p++)
			ntok += *p == ' ';
		if (ntok < last - first + 1)
			continue;
		for (size_t s = last + 1 >= ntok ? last + 1 - ntok : 0; s <= first; s++) {
			const char *p = phrase;
			size_t k;

			if (s + ntok > t->n)
				break;
			for (k = 0; k < ntok; k++) {
				const char *tok = norm_token_text(t, s + k);
				size_t len = t->v[s + k].norm_len;

				if (k > 0 && t->v[s + k].sep == PG_SEP_BREAK)
					break;
				if (strncmp(p, tok, len) != 0 || (p[len] != ' ' && p[len] != '\0'))
					break;
				p += len + (p[len] == ' ');
			}
			if (k == ntok)
				return 1;
		}
	}
	return 0;
}

/* A staff member's name is staff, not pupil, where their address is in the message. */
static int engine_staff_present(const struct pg_policy *pol, uint32_t staff,
				const struct pg_extract *ex)
{
	const char *email = pol->roster.staff[staff].email;

	if (email == NULL || *email == '\0')
		return 0;
	for (size_t i = 0; i < ex->n; i++)
		if (strcasestr(ex->v[i].text, email) != NULL)
			return 1;
	return ex->addresses != NULL && strcasestr(ex->addresses, email) != NULL;
}

/* Record a name hit; 1 if it is a pupil's full name (an anchor for rules). */
static int engine_record_hit(const struct pg_policy *pol, const struct pg_extract *ex,
			     const struct pg_segment *seg, const struct pg_tokens *t,
			     const struct pg_name_hit *h, const struct pg_scan_opts *opts,
			     struct pg_result *r, struct finding_index *fx)
{
	const struct pg_pupil *p = &pol->roster.pupils[h->pupil];
	enum pg_kind kind = h->kind == PG_NAME_FULL ? PG_KIND_NAME : PG_KIND_PARTIAL_NAME;
	uint64_t words = engine_words_hash(t, h->first, h->last);
	uint8_t why = h->why;
	struct pg_finding *f;
	int score;

	if (why == PG_WHY_NONE && h->kind == PG_NAME_FULL &&
	    figures_written_as(pol->figures, t, h->first, h->last, seg->text, seg->len))
		why = PG_WHY_PUBLIC;
	if (why == PG_WHY_PHRASE || why == PG_WHY_PLACE || why == PG_WHY_PUBLIC)
		engine_memo_add(&fx->aside, h->pupil, words);
	if (why != PG_WHY_NONE || engine_allowed(pol, t, h->first, h->last) ||
	    (h->staff != PG_NAMES_NONE && engine_staff_present(pol, h->staff, ex))) {
		r->suppressed++;
		return 0;
	}
	/* A partial form of a pupil already named in full adds nothing. */
	if (h->kind == PG_NAME_PARTIAL && engine_find(r, fx, PG_KIND_NAME, h->pupil) != NULL)
		return 0;
	engine_memo_add(&fx->counted, h->pupil, words);
	f = engine_find(r, fx, kind, h->pupil);
	if (f != NULL) {
		f->count++;
		return h->kind == PG_NAME_FULL;
	}
	if (h->kind == PG_NAME_FULL) {
		/* The full name supersedes earlier partial forms. */
		struct pg_finding *part = engine_find(r, fx, PG_KIND_PARTIAL_NAME, h->pupil);

		if (part != NULL) {
			part->kind = PG_KIND_NAME;
			part->type = kind_name(PG_KIND_NAME);
			part->rule = "pupil_name";
			part->score = pol->conf->score_name *
				      ((p->flags & PG_PUPIL_PROTECTED) ? pol->conf->protected_multiplier : 1);
			part->count++;
			return 1;
		}
	}
	score = h->kind == PG_NAME_FULL ? pol->conf->score_name : pol->conf->score_partial;
	if (p->flags & PG_PUPIL_PROTECTED)
		score *= pol->conf->protected_multiplier;
	f = engine_add(r);
	f->kind = kind;
	f->type = kind_name(kind);
	f->rule = h->kind == PG_NAME_FULL ? "pupil_name" : "pupil_partial_name";
	f->pupil = engine_pupil_key(p, opts);
	if (h->npupils > 1 && h->kind == PG_NAME_PARTIAL) {
		char *key = f->pupil;

		f->pupil = pg_asprintf("%s (+%u)", key, h->npupils - 1);
		free(key);
	}
	/* A location can be an attachment's file name, which can be a name. */
	f->where = opts->show_names ? pg_strdup(seg->where) : engine_redact_text(pol, seg->where);
	f->excerpt = engine_redact(p);
	f->year = p->year ? pg_strdup(p->year) : NULL;
	f->score = score;
	f->count = 1;
	f->pupil_idx = h->pupil;
	f->form = h->form;
	if (opts->show_names) {
		size_t a = t->v[h->first].start, z = t->v[h->last].end;

		f->shown = pg_strndup(seg->text + a, z - a);
	}
	return h->kind == PG_NAME_FULL;
}

/* Named pupils in a segment, by token range (struct pg_anchor) or, before
 * the segment is tokenised whole, by byte range. */
struct anchors {
	struct pg_anchor *v;
	size_t n, cap;
};

/* Per-segment state for the rule callback. */
struct rule_ctx {
	const struct pg_policy *pol;
	const struct pg_segment *seg;
	const struct pg_scan_opts *opts;
	struct pg_result *r;
	struct anchors *byte_anchors; /* first/last are byte offsets here */
	struct finding_index *fx;
};

static void engine_anchor(struct anchors *a, uint32_t first, uint32_t last, uint32_t pupil,
			  enum pg_kind kind)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->v = pg_reallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n].first = first;
	a->v[a->n].last = last;
	a->v[a->n].pupil = pupil;
	a->v[a->n].kind = kind;
	a->n++;
}

static int engine_anchor_cmp(const void *x, const void *y)
{
	const struct pg_anchor *a = x, *b = y;

	return a->first < b->first ? -1 : a->first > b->first;
}

/* The roster pupil whose UPN this is, or PG_NAMES_NONE. */
static uint32_t engine_upn_pupil(const struct pg_policy *pol, const char *s, size_t n)
{
	char key[16];
	uint32_t id;

	if (n != 13)
		return PG_NAMES_NONE;
	for (size_t i = 0; i < n; i++)
		key[i] = (char)g_ascii_toupper(s[i]);
	id = dict_lookup(pol->upns, key, n);
	return id == PG_DICT_NONE ? PG_NAMES_NONE : pol->upn_pupil[id];
}

/* A date that is a pupil's roster date of birth, or old enough to be one
 * (three years or more before this year); event dates are not. */
static int engine_plausible_dob(const struct pg_policy *pol, const char *s, size_t n,
				const struct pg_anchor *near)
{
	int y, m, d, ry, rm, rd;

	if (!validators_date_parse(s, n, &y, &m, &d))
		return 0;
	if (near != NULL) {
		const char *dob = pol->roster.pupils[near->pupil].dob;

		if (dob != NULL && validators_date_parse(dob, strlen(dob), &ry, &rm, &rd) &&
		    ry == y && rm == m && rd == d)
			return 1;
	}
	return y <= pol->this_year - 3;
}

static void engine_rule_match(void *vctx, const struct pg_rule_match *m)
{
	struct rule_ctx *x = vctx;
	const struct pg_rule *rule = m->rule;
	const char *s = x->seg->text + m->start;
	size_t n = m->end - m->start;
	uint32_t pupil = m->near ? m->near->pupil : PG_NAMES_NONE;
	int upn = rule->kind == PG_KIND_UPN, dob = rule->kind == PG_KIND_DOB;
	/* Whose identifier this is by the roster; a date of birth that several
	 * pupils share is nobody's in particular. */
	uint32_t own = upn ? engine_upn_pupil(x->pol, s, n)
		       : dob ? policy_dob_pupil(x->pol, s, n) : PG_NAMES_NONE;
	struct pg_finding *f;

	if (rule->roster_only && own == PG_NAMES_NONE)
		return;
	if (dob && !rule->roster_only && !engine_plausible_dob(x->pol, s, n, m->near))
		return;
	if (own != PG_NAMES_NONE && own != PG_POLICY_SHARED) {
		if (upn || rule->roster_only) {
			/* A pupil's own UPN or date of birth names them: rules
			 * may count near it. */
			pupil = own;
			engine_anchor(x->byte_anchors, (uint32_t)m->start, (uint32_t)m->end, own,
				      rule->kind);
		} else if (pupil == PG_NAMES_NONE) {
			/* Beside no name ("DOB: 14/03/2016"), a roster date of
			 * birth still says whose it is. */
			pupil = own;
		}
	}
	f = engine_find_by(x->r, x->fx, PG_KIND_NONE, rule->name, pupil);
	if (f != NULL) {
		f->count++;
		return;
	}
	f = engine_add(x->r);
	f->kind = rule->kind;
	f->type = rule->type;
	f->rule = rule->name;
	f->pupil_idx = pupil;
	if (pupil != PG_NAMES_NONE) {
		f->pupil = engine_pupil_key(&x->pol->roster.pupils[pupil], x->opts);
		f->year = x->pol->roster.pupils[pupil].year
				  ? pg_strdup(x->pol->roster.pupils[pupil].year) : NULL;
	}
	f->where = x->opts->show_names ? pg_strdup(x->seg->where)
				       : engine_redact_text(x->pol, x->seg->where);
	if (rule->mask) {
		f->excerpt = rules_mask(s, n);
	} else {
		/* A keyword rule's text can hold a name or an identifier too. */
		char *cut = pg_strndup(s, n > 80 ? 80 : n);

		f->excerpt = engine_redact_text(x->pol, cut);
		pg_wipe(cut, strlen(cut));
		free(cut);
	}
	if (x->opts->show_names)
		f->shown = pg_strndup(s, n);
	f->score = m->score;
	if (pupil != PG_NAMES_NONE &&
	    (x->pol->roster.pupils[pupil].flags & PG_PUPIL_PROTECTED))
		f->score *= x->pol->conf->protected_multiplier;
	f->count = 1;
}

/* Segments whose keyword rules wait until the whole message is known. */
struct deferred {
	size_t *v;
	size_t n;
};

static void engine_defer(struct deferred *d, size_t seg)
{
	d->v = pg_reallocarray(d->v, d->n + 1, sizeof(*d->v));
	d->v[d->n++] = seg;
}

static int engine_is_subject(const struct pg_segment *seg)
{
	size_t n = strlen(seg->where);

	return n >= 7 && strcmp(seg->where + n - 7, "Subject") == 0;
}

/* The first pupil named in full in the message, or PG_NAMES_NONE. */
static uint32_t engine_first_named(const struct pg_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == PG_KIND_NAME)
			return r->v[i].pupil_idx;
	return PG_NAMES_NONE;
}

/* Byte anchors inside [FROM, TO) as token anchors of T (tokens of that
 * span), sorted.  BYTES is sorted by first byte unless FROM is 0. */
static void engine_island_anchors(const struct anchors *bytes, const struct pg_tokens *t,
				  size_t from, size_t to, struct anchors *out)
{
	size_t lo = PG_LOWER_BOUND(bytes->v, bytes->n, first, from);

	out->n = 0;
	for (size_t i = lo; i < bytes->n && bytes->v[i].first < to; i++) {
		size_t a, z;

		if (bytes->v[i].last > to)
			continue;
		a = norm_token_at(t, bytes->v[i].first);
		z = norm_token_at(t, bytes->v[i].last > bytes->v[i].first
					     ? bytes->v[i].last - 1 : bytes->v[i].first);
		if (a < t->n)
			engine_anchor(out, (uint32_t)a, (uint32_t)(z < t->n ? z : t->n - 1),
				      bytes->v[i].pupil, bytes->v[i].kind);
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), engine_anchor_cmp);
}

/* Byte anchors as token anchors of the whole segment T, sorted. */
static void engine_token_anchors(const struct anchors *bytes, const struct pg_tokens *t,
				 struct anchors *out)
{
	engine_island_anchors(bytes, t, 0, SIZE_MAX, out);
}

/* Names in one segment: tokenise and match only the candidate windows.
 * BYTE_ANCHORS (NULL: none) get the byte range of each pupil named. */
static void engine_scan_windows(const struct pg_policy *pol, const struct pg_extract *ex,
				const struct pg_segment *seg, const struct pg_scan_opts *opts,
				struct pg_result *r, struct pg_tokens *t, struct pg_name_hits *hits,
				struct pg_spans *spans, struct anchors *byte_anchors,
				struct finding_index *fx)
{
	names_candidates(pol->names, seg->text, seg->len, spans);
	for (size_t w = 0; w < spans->n; w++) {
		size_t a = spans->v[w].start;

		norm_tokens_reset(t);
		norm_tokenize(seg->text + a, spans->v[w].end - a, t);
		for (size_t k = 0; k < t->n; k++) {
			t->v[k].start += (uint32_t)a;
			t->v[k].end += (uint32_t)a;
		}
		hits->n = 0;
		names_scan(pol->names, t, hits);
		for (size_t h = 0; h < hits->n; h++)
			if (engine_record_hit(pol, ex, seg, t, &hits->v[h], opts, r, fx) &&
			    byte_anchors != NULL)
				engine_anchor(byte_anchors, t->v[hits->v[h].first].start,
					      t->v[hits->v[h].last].end, hits->v[h].pupil, PG_KIND_NONE);
	}
}

/* An address header: its addresses are where the mail goes, not what it
 * says (mail to a pupil's own school account is not a disclosure of the
 * pupil's name), so only its display names count, as prose. */
static int engine_is_address(const struct pg_segment *seg)
{
	static const char *const names[] = { "From", "To", "Cc", "Reply-To" };
	size_t n = strlen(seg->where);

	for (size_t i = 0; i < PG_ARRAY_LEN(names); i++) {
		size_t k = strlen(names[i]);

		if (n >= k && strcmp(seg->where + n - k, names[i]) == 0 &&
		    (n == k || seg->where[n - k - 1] == ' '))
			return 1;
	}
	return 0;
}

/* Names in a segment as written, for what is glued together (file names,
 * links, addresses, XML: forms.h) as rewritten into words, and for the rows
 * of exports as their header says the name reads (tables.h).  BUF holds
 * each rewrite in turn. */
static void engine_scan_names(const struct pg_policy *pol, const struct pg_extract *ex,
			      const struct pg_segment *seg, const struct pg_scan_opts *opts,
			      struct pg_result *r, struct pg_tokens *t, struct pg_name_hits *hits,
			      struct pg_spans *spans, struct anchors *byte_anchors,
			      struct finding_index *fx, struct pg_buf *buf)
{
	size_t (*const rewrites[])(const char *, size_t, struct pg_buf *) = {forms_words,
									 tables_names};
	struct pg_segment alt;
	unsigned *counts = NULL;
	size_t before;

	engine_scan_windows(pol, ex, seg, opts, r, t, hits, spans, byte_anchors, fx);
	if (engine_is_address(seg))
		return;
	before = r->n;
	for (size_t i = 0; i < PG_ARRAY_LEN(rewrites); i++) {
		if (rewrites[i](seg->text, seg->len, buf) == 0)
			continue;
		if (counts == NULL && before > 0) {
			counts = pg_reallocarray(NULL, before, sizeof(*counts));
			for (size_t k = 0; k < before; k++)
				counts[k] = r->v[k].count;
		}
		alt.where = seg->where;
		alt.text = buf->data;
		alt.len = buf->len;
		/* The rewrite's offsets are not the segment's: no anchors for rules. */
		engine_scan_windows(pol, ex, &alt, opts, r, t, hits, spans, NULL, fx);
	}
	/* A rewrite reads the same words again: what was found already is
	 * not found more often for it. */
	for (size_t k = 0; counts != NULL && k < before; k++)
		r->v[k].count = counts[k];
	free(counts);
}

/* Matches of the rules that count alone, held back until their proximity
 * to a named pupil is known. */
struct held_matches {
	struct pg_rule_match *v;
	size_t n, cap;
};

static void engine_hold_match(void *vctx, const struct pg_rule_match *m)
{
	struct held_matches *h = vctx;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->v = pg_reallocarray(h->v, h->cap, sizeof(*h->v));
	}
	h->v[h->n++] = *m;
}

/* Tokenise the whole segment, with the names found so far as anchors. */
static void engine_tokenize_whole(const struct pg_segment *seg, struct pg_tokens *t,
				  const struct anchors *bytes, struct anchors *anchors)
{
	norm_tokens_reset(t);
	norm_tokenize(seg->text, seg->len, t);
	engine_token_anchors(bytes, t, anchors);
}

/* The rules that count alone, over the whole segment.  Proximity gives
 * some of them a higher score next to a name, and proximity needs word
 * positions; the segment is tokenised for it only when such a rule matched
 * in a segment that names a pupil.  1 if the segment is now tokenised. */
static int engine_scan_alone(const struct pg_policy *pol, const struct pg_segment *seg,
			     const struct pg_scan_opts *opts, struct pg_rules_scan *sc,
			     struct pg_tokens *t, struct anchors *bytes, struct anchors *anchors,
			     struct held_matches *held, struct rule_ctx *rx)
{
	int whole = 0;

	held->n = 0;
	anchors->n = 0;
	norm_tokens_reset(t);
	rules_scan(&pol->rules, PG_RULES_ALONE, opts->dir, seg->text, seg->len, t, NULL, 0, sc,
		   engine_hold_match, held);
	for (size_t i = 0; i < held->n && bytes->n > 0 && !whole; i++)
		whole = held->v[i].rule->near_pupil > 0;
	if (whole)
		engine_tokenize_whole(seg, t, bytes, anchors);
	for (size_t i = 0; i < held->n; i++) {
		if (whole)
			(void)rules_match_near(&held->v[i], seg->text, seg->len, t, anchors->v,
					       anchors->n);
		engine_rule_match(rx, &held->v[i]);
	}
	return whole;
}

static int engine_anchor_first_cmp(const void *a, const void *b)
{
	const struct pg_anchor *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The rules that count only near a named pupil.  They search windows of
 * near_pupil words around each name.  Rather than the whole segment, only
 * the islands around names are tokenised, walked out conservatively (at
 * least the window's words), and only those where a pattern could match:
 * one of its literals lies there (prefilter.h).  When WHOLE, the segment
 * is tokenised already. */
static void engine_scan_near(const struct pg_policy *pol, const struct pg_segment *seg,
			     const struct pg_scan_opts *opts, struct pg_rules_scan *sc,
			     struct pg_tokens *t, struct anchors *bytes,
			     struct anchors *anchors, int whole, struct rule_ctx *rx)
{
	/* A word at the edge may be cut, and a walked word may be two tokens. */
	size_t margin = (size_t)rules_max_near(&pol->rules, PG_RULES_NEAR, opts->dir) + 4;

	if (whole) {
		engine_token_anchors(bytes, t, anchors);
		rules_scan(&pol->rules, PG_RULES_NEAR, opts->dir, seg->text, seg->len, t,
			   anchors->v, anchors->n, sc, engine_rule_match, rx);
		return;
	}
	if (bytes->n > 1)
		qsort(bytes->v, bytes->n, sizeof(*bytes->v), engine_anchor_first_cmp);
	for (size_t k = 0, next_from = SIZE_MAX; k < bytes->n;) {
		size_t from = next_from != SIZE_MAX
				      ? next_from
				      : norm_words_back(seg->text, bytes->v[k].first, margin);
		size_t to = norm_words_forward(seg->text, seg->len, bytes->v[k].last, margin);

		/* Merge the islands that overlap (a name inside this one does). */
		for (k++, next_from = SIZE_MAX; k < bytes->n; k++) {
			size_t e;

			if (bytes->v[k].first > to) {
				next_from = norm_words_back(seg->text, bytes->v[k].first, margin);
				if (next_from > to)
					break;
				next_from = SIZE_MAX;
			}
			e = norm_words_forward(seg->text, seg->len, bytes->v[k].last, margin);
			if (e > to)
				to = e;
		}
		if (!rules_may_match(&pol->rules, PG_RULES_NEAR, opts->dir, seg->text, seg->len, sc,
				     from, to))
			continue;
		norm_tokens_reset(t);
		norm_tokenize(seg->text + from, to - from, t);
		for (size_t w = 0; w < t->n; w++) {
			t->v[w].start += (uint32_t)from;
			t->v[w].end += (uint32_t)from;
		}
		engine_island_anchors(bytes, t, from, to, anchors);
		if (anchors->n > 0)
			rules_scan(&pol->rules, PG_RULES_NEAR, opts->dir, seg->text, seg->len, t,
				   anchors->v, anchors->n, sc, engine_rule_match, rx);
	}
}

void engine_scan_extract(const struct pg_policy *pol, const struct pg_extract *ex,
			 const struct pg_scan_opts *opts, struct pg_result *r)
{
	struct pg_name_hits hits = { 0 };
	struct pg_spans spans = { 0 };
	struct anchors bytes = { 0 }, anchors = { 0 };
	struct deferred subjects = { 0 };
	struct finding_index fx = { 0 };
	struct pg_rules_scan *sc = pol->rules.n > 0 ? rules_scan_new(&pol->rules) : NULL;
	struct held_matches held = { 0 };
	struct pg_tokens t;
	struct pg_buf forms;

	pg_buf_init(&forms, 256);
	r->dir = opts->dir;
	r->extract_flags = ex->flags;
	r->text_bytes = ex->text_bytes;
	r->segments = (unsigned)ex->n;
	norm_tokens_init(&t);
	for (size_t s = 0; s < ex->n; s++) {
		const struct pg_segment *seg = &ex->v[s];
		struct rule_ctx rx = { pol, seg, opts, r, &bytes, &fx };
		int whole;

		bytes.n = 0;
		engine_scan_names(pol, ex, seg, opts, r, &t, &hits, &spans, &bytes, &fx, &forms);
		if (sc == NULL)
			continue;
		rules_scan_begin(sc);
		/* Identifiers first: a pupil's own UPN becomes an anchor for the
		 * keyword rules that only count near a pupil. */
		whole = engine_scan_alone(pol, seg, opts, sc, &t, &bytes, &anchors, &held, &rx);
		if (bytes.n == 0) {
			if (engine_is_subject(seg))
				engine_defer(&subjects, s);
			continue;
		}
		engine_scan_near(pol, seg, opts, sc, &t, &bytes, &anchors, whole, &rx);
	}
	/* A Subject speaks of the whole message: "Safeguarding concern" above a
	 * body that names a pupil is about that pupil. */
	for (size_t i = 0; sc != NULL && i < subjects.n; i++) {
		const struct pg_segment *seg = &ex->v[subjects.v[i]];
		struct rule_ctx rx = { pol, seg, opts, r, &bytes, &fx };
		uint32_t pupil = engine_first_named(r);

		if (pupil == PG_NAMES_NONE)
			break;
		rules_scan_begin(sc);
		if (!rules_may_match(&pol->rules, PG_RULES_NEAR, opts->dir, seg->text, seg->len, sc,
				     0, seg->len))
			continue;
		norm_tokens_reset(&t);
		norm_tokenize(seg->text, seg->len, &t);
		if (t.n == 0)
			continue;
		anchors.n = 0;
		engine_anchor(&anchors, 0, (uint32_t)(t.n - 1), pupil, PG_KIND_NONE);
		rules_scan(&pol->rules, PG_RULES_NEAR, opts->dir, seg->text, seg->len, &t,
			   anchors.v, anchors.n, sc, engine_rule_match, &rx);
	}
	free(subjects.v);
	free(held.v);
	rules_scan_free(&sc);
	free(anchors.v);
	free(bytes.v);
	free(fx.slot);
	engine_drop_recurring(r, &fx);
	free(fx.aside.v);
	free(fx.counted.v);
	names_spans_free(&spans);
	names_hits_free(&hits);
	norm_tokens_free(&t);
	pg_buf_free(&forms, 1);
	lists_collapse(pol, r);
	r->score = 0;
	for (size_t i = 0; i < r->n; i++)
		r->score += r->v[i].score;
	r->action = verdict_decide(pol->conf, opts->dir, r->score, r->extract_flags);
}

/* What engine_redact_text() replaces: [a, z) of the text, by WITH. */
struct redaction {
	size_t a, z;
	char *with;
};

struct redactions {
	const struct pg_policy *pol;
	const char *text;
	struct redaction *v;
	size_t n, cap;
};

static void engine_redaction_add(struct redactions *x, size_t a, size_t z, char *with)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 8;
		x->v = pg_reallocarray(x->v, x->cap, sizeof(*x->v));
	}
	x->v[x->n].a = a;
	x->v[x->n].z = z;
	x->v[x->n].with = with;
	x->n++;
}

/* An identifier rule's match: masked, save a date that cannot be a date of
 * birth (this year's trip on 12/06/2026) unless it is labelled as one or
 * is a pupil's own from the roster. */
static void engine_redact_span(void *ctx, const struct pg_rule *rule, size_t a, size_t z,
			       int labelled)
{
	struct redactions *x = ctx;
	const char *s = x->text + a;
	int y, m, d;

	if (rule->kind == PG_KIND_DOB && !labelled &&
	    policy_dob_pupil(x->pol, s, z - a) == PG_NAMES_NONE &&
	    (!validators_date_parse(s, z - a, &y, &m, &d) || y > x->pol->this_year - 3))
		return;
	engine_redaction_add(x, a, z, rules_mask(s, z - a));
}

static int engine_is_alnum(char c)
{
	return g_ascii_isalnum(c);
}

/* UPNs however they stand: a file name joins words with '_' or '-' and the
 * upn rule's \b does not see "K801200009001_report.docx"; and a pupil's
 * roster key even if its check letter is wrong. */
static void engine_redact_upns(struct redactions *x, size_t len)
{
	const char *t = x->text;

	for (size_t i = 0; i + 13 <= len; i++) {
		size_t k;

		if (!g_ascii_isalpha(t[i]) || (i > 0 && engine_is_alnum(t[i - 1])))
			continue;
		for (k = 1; k < 12 && g_ascii_isdigit(t[i + k]); k++)
			;
		if (k < 12 || !engine_is_alnum(t[i + 12]) ||
		    (i + 13 < len && engine_is_alnum(t[i + 13])))
			continue;
		if (validators_upn(t + i, 13) || engine_upn_pupil(x->pol, t + i, 13) != PG_NAMES_NONE)
			engine_redaction_add(x, i, i + 13, rules_mask(t + i, 13));
		i += 12;
	}
}

static int engine_redaction_cmp(const void *p, const void *q)
{
	const struct redaction *a = p, *b = q;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->z > b->z ? -1 : a->z < b->z;
}

char *engine_redact_text(const struct pg_policy *pol, const char *text)
{
	struct pg_name_hits hits = { 0 };
	struct pg_tokens t;
	struct pg_buf out;
	struct redactions x = { .pol = pol };
	char *valid = g_utf8_make_valid(text, -1);
	size_t pos = 0, len = strlen(valid);

	/* Bytes that are not UTF-8 stop a pattern matching in UTF mode; they
	 * become U+FFFD, which the caller would show as an escape anyway. */
	x.text = valid;
	norm_tokens_init(&t);
	norm_tokenize(valid, len, &t);
	names_scan(pol->names, &t, &hits);
	/* Redact every form, even those the context rules set aside: this
	 * text is going to people who need no names. */
	for (size_t i = 0; i < hits.n; i++)
		engine_redaction_add(&x, t.v[hits.v[i].first].start, t.v[hits.v[i].last].end,
				     engine_redact(&pol->roster.pupils[hits.v[i].pupil]));
	/* And every identifier: a UPN or a date of birth in a subject or a file
	 * name is as much the pupil's as their name. */
	rules_masked_spans(&pol->rules, valid, len, engine_redact_span, &x);
	engine_redact_upns(&x, len);
	if (x.n > 1)
		qsort(x.v, x.n, sizeof(*x.v), engine_redaction_cmp);
	pg_buf_init(&out, len + 16);
	for (size_t i = 0; i < x.n; i++) {
		const struct redaction *r = &x.v[i];

		if (r->a < pos) {
			/* Overlapping: the text up to the end of both is gone. */
			if (r->z > pos)
				pos = r->z;
			continue;
		}
		pg_buf_append(&out, valid + pos, r->a - pos);
		pg_buf_puts(&out, r->with);
		pos = r->z;
	}
	pg_buf_append(&out, valid + pos, len - pos);
	for (size_t i = 0; i < x.n; i++)
		free(x.v[i].with);
	free(x.v);
	names_hits_free(&hits);
	norm_tokens_free(&t);
	pg_wipe(valid, len);
	g_free(valid);
	return pg_buf_steal(&out);
}

void engine_scan_stream(const struct pg_policy *pol, GMimeStream *stream,
			const struct pg_scan_opts *opts, struct pg_result *r)
{
	struct pg_extract ex;

	extract_init(&ex);
	extract_stream(stream, &pol->limits, &ex);
	engine_scan_extract(pol, &ex, opts, r);
	extract_free(&ex);
}
