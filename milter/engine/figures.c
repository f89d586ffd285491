/*
 * figures.c - the public-figures list: load it, and tell a figure from a
 * pupil of the same name by the words around it.
 *
 * Names are folded as roster names are (norm_fold_phrase) and compared
 * token by token; the marking words are matched case-insensitively, as
 * whole words, in the raw text around the name.  The list is small (tens
 * to hundreds of lines) and consulted only for a name already found, so
 * a linear search is enough.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "figures.h"

#define FIGURES_MAX_FILE (4u << 20)

struct figure {
	char *name;   /* folded: "harry kane" */
	char **words; /* as written, NULL-terminated: "England", "world cup" */
};

struct pg_figures {
	struct figure *v;
	size_t n;
};

static char *figures_trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Parse "Name: w1, w2" in LINE (modified); 0, or -1 with *why_r. */
static int figures_parse_line(char *line, struct figure *fig, const char **why_r)
{
	char *colon = strchr(line, ':'), *name, *rest;
	size_t nwords = 0;

	if (colon == NULL) {
		*why_r = "expected \"Name: word, word\"";
		return -1;
	}
	name = figures_trim(line, colon);
	rest = colon + 1;
	fig->name = norm_fold_phrase(name, strlen(name));
	if (strchr(fig->name, ' ') == NULL) {
		*why_r = "a public figure's name needs a forename and a surname";
		free(fig->name);
		return -1;
	}
	fig->words = pg_calloc(1, sizeof(*fig->words));
	while (*rest != '\0') {
		char *comma = strchr(rest, ','), *end = comma ? comma : rest + strlen(rest);
		char *w = figures_trim(rest, end);

		if (*w != '\0') {
			fig->words = pg_reallocarray(fig->words, nwords + 2, sizeof(*fig->words));
			fig->words[nwords++] = pg_strdup(w);
			fig->words[nwords] = NULL;
		}
		if (comma == NULL)
			break;
		rest = comma + 1;
	}
	if (nwords == 0) {
		*why_r = "no words that mark the public figure after ':'";
		free(fig->words);
		free(fig->name);
		return -1;
	}
	return 0;
}

static void figure_free(struct figure *fig)
{
	for (size_t i = 0; fig->words[i] != NULL; i++)
		free(fig->words[i]);
	free(fig->words);
	free(fig->name);
}

struct pg_figures *figures_load(const char *path, struct pg_diag *diag)
{
	const char *err = NULL;
	size_t len, lineno = 0;
	char *data = pg_read_file(path, FIGURES_MAX_FILE, &len, &err), *p;
	struct pg_figures *f;
	int bad = 0;

	if (data == NULL) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: %s", path, err);
		return NULL;
	}
	f = pg_calloc(1, sizeof(*f));
	for (p = data; p < data + len;) {
		char *nl = memchr(p, '\n', (size_t)(data + len - p)), *end = nl ? nl : data + len;
		char *hash = memchr(p, '#', (size_t)(end - p)), *line;
		const char *why = NULL;
		struct figure fig;

		lineno++;
		line = figures_trim(p, hash ? hash : end);
		p = nl ? nl + 1 : data + len;
		if (*line == '\0')
			continue;
		if (figures_parse_line(line, &fig, &why) < 0) {
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%zu: %s", path, lineno, why);
			bad = 1;
			continue;
		}
		f->v = pg_reallocarray(f->v, f->n + 1, sizeof(*f->v));
		f->v[f->n++] = fig;
	}
	free(data);
	if (bad)
		figures_free(&f);
	return f;
}

void figures_free(struct pg_figures **fp)
{
	struct pg_figures *f = *fp;

	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++)
		figure_free(&f->v[i]);
	free(f->v);
	free(f);
	*fp = NULL;
}

size_t figures_count(const struct pg_figures *f)
{
	return f ? f->n : 0;
}

/* Whether tokens [FIRST, LAST] are the folded words of NAME. */
static int figures_name_is(const char *name, const struct pg_tokens *t, size_t first,
			   size_t last)
{
	const char *p = name;

	for (size_t k = first; k <= last; k++) {
		size_t n = t->v[k].norm_len;

		if (strncmp(p, norm_token_text(t, k), n) != 0)
			return 0;
		p += n;
		if (k < last) {
			if (*p != ' ')
				return 0;
			p++;
		}
	}
	return *p == '\0';
}

static int figures_word_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Whether WORD occurs as a whole word, ignoring ASCII case, in [A, Z). */
static int figures_has_word(const char *text, size_t a, size_t z, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = a; i + n <= z; i++) {
		if (strncasecmp(text + i, word, n) != 0)
			continue;
		if ((i == a || !figures_word_char((unsigned char)text[i - 1])) &&
		    (i + n == z || !figures_word_char((unsigned char)text[i + n])))
			return 1;
	}
	return 0;
}

int figures_written_as(const struct pg_figures *f, const struct pg_tokens *t, size_t first,
		       size_t last, const char *text, size_t len)
{
	size_t a, z;

	if (f == NULL)
		return 0;
	a = t->v[first].start > PG_FIGURES_REACH ? t->v[first].start - PG_FIGURES_REACH : 0;
	z = t->v[last].end + PG_FIGURES_REACH < len ? t->v[last].end + PG_FIGURES_REACH : len;
	for (size_t i = 0; i < f->n; i++) {
		if (!figures_name_is(f->v[i].name, t, first, last))
			continue;
		for (size_t w = 0; f->v[i].words[w] != NULL; w++)
			if (figures_has_word(text, a, z, f->v[i].words[w]))
				return 1;
	}
	return 0;
}
