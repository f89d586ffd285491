/*
 * lists.c - many pupils named in one place become one finding (lists.h).
 *
 * A location is a finding's where: the segment a pupil was first named in
 * ("part 2 attachment list.xlsx sheet Year 4").  The list finding takes
 * the place of the first of them; the others go.  It names no pupil: its
 * excerpt says how many, which year groups and which details.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "schema.h"

#define LISTS_MAX_YEARS 8 /* year groups shown; more are "..." */

/* A full name at WHERE: what makes a list. */
static int lists_member(const struct pg_finding *f, const char *where)
{
	return f->kind == PG_KIND_NAME && f->where != NULL && strcmp(f->where, where) == 0;
}

/* Anything else found at WHERE (partial names, the details), which the
 * list takes in. */
static int lists_beside(const struct pg_finding *f, const char *where)
{
	return f->kind != PG_KIND_NONE && f->kind != PG_KIND_PUPIL_LIST && f->where != NULL &&
	       strcmp(f->where, where) == 0;
}

/* Append ITEM to B unless it is there; at most MAX items, then "...". */
static void lists_add_item(struct pg_buf *b, const char *item, unsigned *n, unsigned max)
{
	if (pg_buf_list_has(b, item) || *n > max)
		return;
	if (b->len)
		pg_buf_puts(b, ", ");
	pg_buf_puts(b, *n == max ? "..." : item);
	(*n)++;
}

/* The excerpt: "30 pupils (years 4, 5) with dob, upn"; the kinds of
 * detail ("dob, upn") in DETAILS. */
static char *lists_excerpt(const struct pg_result *r, const char *where, unsigned pupils,
			   struct pg_buf *details)
{
	struct pg_buf years, out;
	unsigned ny = 0, nd = 0;

	pg_buf_init(&years, 32);
	for (size_t i = 0; i < r->n; i++) {
		const struct pg_finding *f = &r->v[i];

		if (f->where == NULL || strcmp(f->where, where) != 0)
			continue;
		if (f->kind == PG_KIND_NAME && f->year != NULL && *f->year)
			lists_add_item(&years, f->year, &ny, LISTS_MAX_YEARS);
		else if (!kind_is_name(f->kind) && f->kind != PG_KIND_PUPIL_LIST)
			lists_add_item(details, f->type, &nd, PG_KIND_COUNT);
	}
	pg_buf_init(&out, 64);
	pg_buf_printf(&out, "%u pupils", pupils);
	if (ny)
		pg_buf_printf(&out, " (year%s %s)", ny > 1 ? "s" : "", years.data);
	if (nd)
		pg_buf_printf(&out, " with %s", details->data);
	pg_buf_free(&years, 0);
	return pg_buf_steal(&out);
}

/* (scores.name + the highest score of each kind of detail) x (1 +
 * floor(log2 N)), x protected_multiplier with a protected pupil in it. */
static int lists_score(const struct pg_policy *pol, const int *detail, unsigned pupils,
		       int protected_in)
{
	int steps = 1, base = pol->conf->score_name;

	for (unsigned n = pupils; n > 1; n >>= 1)
		steps++;
	for (int k = 0; k < PG_KIND_COUNT; k++)
		base += detail[k];
	return base * steps * (protected_in ? pol->conf->protected_multiplier : 1);
}

/* Make r->v[first] the list of every name finding at its location. */
static void lists_make(const struct pg_policy *pol, struct pg_result *r, size_t first,
		       unsigned pupils)
{
	struct pg_finding *f = &r->v[first];
	int protected_in = 0, detail[PG_KIND_COUNT] = {0};
	struct pg_buf members, details;
	char *where = f->where, *excerpt;

	pg_buf_init(&details, 32);
	excerpt = lists_excerpt(r, where, pupils, &details);
	pg_buf_init(&members, 16 * pupils);
	f->where = NULL; /* kept for the list */
	for (size_t j = 0; j < r->n; j++) {
		struct pg_finding *g = &r->v[j];

		if (j != first && !lists_beside(g, where))
			continue;
		if (kind_is_name(g->kind) && g->pupil_idx < pol->roster.npupils &&
		    (pol->roster.pupils[g->pupil_idx].flags & PG_PUPIL_PROTECTED))
			protected_in = 1;
		if (!kind_is_name(g->kind) && g->score > detail[g->kind])
			detail[g->kind] = g->score;
		if (g->kind == PG_KIND_NAME && g->pupil != NULL)
			pg_buf_printf(&members, "%s%s", members.len ? " " : "", g->pupil);
		engine_finding_free(g);
		g->kind = PG_KIND_NONE; /* to be removed, but for FIRST */
	}
	f->kind = PG_KIND_PUPIL_LIST;
	f->type = kind_name(PG_KIND_PUPIL_LIST);
	f->rule = "pupil_list";
	f->where = where;
	f->excerpt = excerpt;
	f->count = 1;
	f->pupils = pupils;
	f->members = pg_buf_steal(&members);
	f->details = pg_buf_steal(&details);
	f->score = lists_score(pol, detail, pupils, protected_in);
}

void lists_collapse(const struct pg_policy *pol, struct pg_result *r)
{
	unsigned min = pol->conf->list_min > 0 ? (unsigned)pol->conf->list_min : 0;
	size_t keep = 0;
	int made = 0;

	if (min == 0 || r->n < min)
		return;
	for (size_t i = 0; i < r->n; i++) {
		unsigned pupils = 0;

		if (r->v[i].kind != PG_KIND_NAME || r->v[i].where == NULL)
			continue;
		for (size_t j = i; j < r->n; j++)
			pupils += lists_member(&r->v[j], r->v[i].where);
		if (pupils >= min) {
			lists_make(pol, r, i, pupils);
			made = 1;
		}
	}
	if (!made)
		return;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind != PG_KIND_NONE)
			r->v[keep++] = r->v[i];
	r->n = keep;
}
