/*
 * engine.c - the detection pipeline from extracted text to a verdict.
 */
#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "names.h"
#include "norm.h"
#include "verdict.h"

void engine_global_init(void)
{
	extract_global_init();
}

void engine_result_init(struct pg_result *r)
{
	memset(r, 0, sizeof(*r));
}

void engine_result_free(struct pg_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct pg_finding *f = &r->v[i];

		free(f->pupil);
		free(f->where);
		free(f->excerpt);
		if (f->shown != NULL)
			pg_wipe(f->shown, strlen(f->shown));
		free(f->shown);
		free(f->year);
	}
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

static struct pg_finding *engine_find(struct pg_result *r, const char *type, uint32_t pupil)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].pupil_idx == pupil && strcmp(r->v[i].type, type) == 0)
			return &r->v[i];
	return NULL;
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

static void engine_record_hit(const struct pg_policy *pol, const struct pg_extract *ex,
			      const struct pg_segment *seg, const struct pg_tokens *t,
			      const struct pg_name_hit *h, const struct pg_scan_opts *opts,
			      struct pg_result *r)
{
	const struct pg_pupil *p = &pol->roster.pupils[h->pupil];
	const char *type = h->kind == PG_NAME_FULL ? "name" : "partial_name";
	struct pg_finding *f;
	int score;

	if (h->why == PG_WHY_NONE && engine_allowed(pol, t, h->first, h->last))
		return (void)r->suppressed++;
	if (h->why == PG_WHY_NONE && h->staff != PG_NAMES_NONE &&
	    engine_staff_present(pol, h->staff, ex))
		return (void)r->suppressed++;
	if (h->why != PG_WHY_NONE)
		return (void)r->suppressed++;
	/* A partial form of a pupil already named in full adds nothing. */
	if (h->kind == PG_NAME_PARTIAL && engine_find(r, "name", h->pupil) != NULL)
		return;
	f = engine_find(r, type, h->pupil);
	if (f != NULL) {
		f->count++;
		return;
	}
	if (h->kind == PG_NAME_FULL) {
		/* The full name supersedes earlier partial forms. */
		struct pg_finding *part = engine_find(r, "partial_name", h->pupil);

		if (part != NULL) {
			part->type = "name";
			part->rule = "pupil_name";
			part->score = pol->conf->score_name *
				      ((p->flags & PG_PUPIL_PROTECTED) ? pol->conf->protected_multiplier : 1);
			part->count++;
			return;
		}
	}
	score = h->kind == PG_NAME_FULL ? pol->conf->score_name : pol->conf->score_partial;
	if (p->flags & PG_PUPIL_PROTECTED)
		score *= pol->conf->protected_multiplier;
	f = engine_add(r);
	f->type = type;
	f->rule = h->kind == PG_NAME_FULL ? "pupil_name" : "pupil_partial_name";
	f->pupil = h->npupils > 1 && h->kind == PG_NAME_PARTIAL
			   ? pg_asprintf("%s (+%u)", p->key, h->npupils - 1)
			   : pg_strdup(p->key);
	f->where = pg_strdup(seg->where);
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
}

void engine_scan_extract(const struct pg_policy *pol, const struct pg_extract *ex,
			 const struct pg_scan_opts *opts, struct pg_result *r)
{
	struct pg_name_hits hits = { 0 };
	struct pg_tokens t;

	r->dir = opts->dir;
	r->extract_flags = ex->flags;
	r->text_bytes = ex->text_bytes;
	r->segments = (unsigned)ex->n;
	norm_tokens_init(&t);
	for (size_t s = 0; s < ex->n; s++) {
		const struct pg_segment *seg = &ex->v[s];

		norm_tokens_reset(&t);
		norm_tokenize(seg->text, seg->len, &t);
		hits.n = 0;
		names_scan(pol->names, &t, &hits);
		for (size_t h = 0; h < hits.n; h++)
			engine_record_hit(pol, ex, seg, &t, &hits.v[h], opts, r);
	}
	names_hits_free(&hits);
	norm_tokens_free(&t);
	r->score = 0;
	for (size_t i = 0; i < r->n; i++)
		r->score += r->v[i].score;
	r->action = verdict_decide(pol->conf, opts->dir, r->score, r->extract_flags);
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
