/*
 * names.c - compile a roster into a token trie and find names in text.
 *
 * The trie lives in one open-addressing table keyed by (node, token id), so a
 * node costs nothing until it has a child.  Terminals hang off nodes in a
 * flat array threaded by index.  A terminal says whose name the path spells
 * and how it splits into parts (forename, middle, surname), because what may
 * stand between the parts differs from what may stand inside one: a hyphen
 * may join "Wood-Ellis" but not "Amelia-Khan"; a comma may join "Khan,
 * Amelia" and two CSV cells, but not the words of "van der Berg".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "names.h"

#define NAMES_MAX_TOKENS PG_NAMES_MAX_WORDS

enum term_order { ORDER_FS, ORDER_SF };

struct term {
	uint32_t who;    /* pupil or staff index */
	uint32_t next;   /* next terminal of the same node, or PG_NAMES_NONE */
	uint8_t kind;    /* enum pg_name_kind, or TERM_STAFF */
	uint8_t order;   /* enum term_order */
	uint8_t n1, n2;  /* tokens in the first and middle parts */
	uint8_t form;
};

#define TERM_STAFF 7

/* An edge of the trie, with what a match needs of its child node, so that
 * one probe of the table brings both into the cache. */
struct edge {
	uint64_t key;   /* parent << 32 | token; UINT64_MAX: empty slot */
	uint32_t child;
	uint32_t first_term; /* the child's first terminal (set by names_compact) */
};

struct pg_names {
	struct pg_dict *dict;
	struct edge *edges;
	size_t emask, nedges;
	struct edge *root;    /* the root's edges by token id, once built: no probe */
	uint32_t *node_term;  /* node -> first terminal, while building */
	size_t nnodes, nodes_cap;
	struct term *terms;
	size_t nterms, terms_cap;
	/* context word sets, as token ids (PG_DICT_NONE entries dropped) */
	struct pg_dict *determiners, *place_nouns, *titles, *locatives, *common_words;
	struct pg_dict *everyday_words;
	int partial;
	uint64_t *filter;      /* bit per hash of every name word of two letters or more */
	size_t filter_mask;    /* bits - 1 */
};

/* A window runs from a few words before a candidate pair to a few words
 * after it: each consecutive pair inside a longer name opens its own
 * window, so together they cover the whole name. */
#define NAMES_BACK 48      /* context before: an article, a title, an initial */
#define NAMES_AHEAD 64     /* after: the words the context rules look at */

/* The filter's hash: a multiply-free running hash per byte, mixed once per
 * word.  names_candidates() computes it as it reads; the build uses this. */
static inline uint64_t names_fhash_step(uint64_t h, unsigned char c)
{
	return ((h << 5) + h) ^ c;
}

static inline uint64_t names_fhash_end(uint64_t h)
{
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 32);
}

const char *const names_default_determiners[] = {
	"the", "a", "an", "our", "your", "their", "its", "these", "those", "every", "each",
	NULL,
};

const char *const names_default_place_nouns[] = {
	"road", "rd", "street", "st", "lane", "ln", "avenue", "ave", "close", "drive", "way",
	"crescent", "grove", "gardens", "terrace", "place", "square", "court", "mews", "row",
	"park", "estate", "farm", "fields", "wood", "woods", "common", "green", "hill",
	"bridge", "station", "church", "chapel", "hall", "centre", "center", "library",
	"school", "academy", "college", "nursery", "surgery", "practice", "clinic",
	"hospital", "pub", "inn", "hotel", "cafe", "restaurant", "shop", "store", "stores",
	"market", "ltd", "limited", "plc", "llp", "trust", "foundation", "camp", "hut",
	"club", "stadium", "theatre", "cinema", "museum", "gallery", "leisure", "pool",
	"terrier", "puppy", "dog", "hamper", "voucher", "gift", "car", "garden", NULL,
};

const char *const names_default_locatives[] = {
	"at", "in", "near", "via", "opposite", "outside", "behind", "around", "past", "towards",
	"toward", "beside", "inside", "across", NULL,
};

const char *const names_default_common_words[] = {
	"will", "may", "june", "april", "august", "rose", "grace", "hope", "joy", "faith",
	"mark", "bill", "sue", "pat", "ray", "jack", "art", "bob", "dawn", "summer", "autumn",
	"holly", "ivy", "daisy", "lily", "violet", "jade", "ruby", "amber", "pearl", "sky",
	"river", "rain", "storm", "frank", "grant", "chase", "hunter", "page", "king", "rich",
	"young", "bright", "sharp", "power", "day", "field", "hill", "park", "green", "wood",
	"church", "hall", "lane", "brook", "bush", "stone", "rock", "star", "honey", "sunny",
	"penny", "kit", "don", "guy", "nick", "rob", "victor", "angel", "destiny", "harmony",
	"melody", "liberty", "miracle", "royal", "saint", "ivory", NULL,
};

const char *const names_default_everyday_words[] = {
	"bridge", "moor", "read", "said", "brown", "white", "black", "little", "long", "small",
	"strong", "cook", "baker", "bell", "ball", "fox", "bird", "swan", "rice", "salt", "oak",
	"ash", "birch", "hazel", "march", "best", "good", "fair", "wise", "sweet", "well", "wells",
	"banks", "marsh", "lake", "ford", "house", "mason", "gold", "silver", "ward", "love",
	"mann", "moss", "cross", "hart", "wade", NULL,
};

const char *const names_default_titles[] = {
	"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev",
	"revd", "reverend", "fr", "sr", "lord", "lady", "cllr", "councillor", NULL,
};

/* Edge table: the edge from NODE by TOKEN, or NULL. */
static const struct edge *names_edge(const struct pg_names *n, uint32_t node, uint32_t token)
{
	uint64_t key = ((uint64_t)node << 32) | token;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & n->emask;

	if (node == 0 && n->root != NULL)
		return n->root[token].key == UINT64_MAX ? NULL : &n->root[token];
	for (;;) {
		if (n->edges[i].key == UINT64_MAX)
			return NULL;
		if (n->edges[i].key == key)
			return &n->edges[i];
		i = (i + 1) & n->emask;
	}
}

static void names_edges_grow(struct pg_names *n)
{
	size_t newmask = n->emask ? n->emask * 2 + 1 : 4095;
	struct edge *edges = pg_malloc((newmask + 1) * sizeof(*edges));

	memset(edges, 0xff, (newmask + 1) * sizeof(*edges));
	for (size_t j = 0; n->edges != NULL && j <= n->emask; j++) {
		uint64_t key = n->edges[j].key;
		size_t i;

		if (key == UINT64_MAX)
			continue;
		i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & newmask;
		while (edges[i].key != UINT64_MAX)
			i = (i + 1) & newmask;
		edges[i] = n->edges[j];
	}
	free(n->edges);
	n->edges = edges;
	n->emask = newmask;
}

static uint32_t names_new_node(struct pg_names *n)
{
	if (n->nnodes == n->nodes_cap) {
		n->nodes_cap = n->nodes_cap ? n->nodes_cap * 2 : 4096;
		n->node_term = pg_reallocarray(n->node_term, n->nodes_cap, sizeof(*n->node_term));
	}
	n->node_term[n->nnodes] = PG_NAMES_NONE;
	return (uint32_t)n->nnodes++;
}

/* Child of NODE by TOKEN, created if absent. */
static uint32_t names_child(struct pg_names *n, uint32_t node, uint32_t token)
{
	const struct edge *e = names_edge(n, node, token);
	uint32_t child;
	uint64_t key;
	size_t i;

	if (e != NULL)
		return e->child;
	if ((n->nedges + 1) * 4 > (n->emask + 1) * 3)
		names_edges_grow(n);
	child = names_new_node(n);
	key = ((uint64_t)node << 32) | token;
	i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & n->emask;
	while (n->edges[i].key != UINT64_MAX)
		i = (i + 1) & n->emask;
	n->edges[i].key = key;
	n->edges[i].child = child;
	n->nedges++;
	return child;
}

/* A name part as token ids. */
struct part {
	uint32_t ids[NAMES_MAX_TOKENS];
	uint8_t n;
};

static void names_part(struct pg_names *n, const char *text, struct part *p)
{
	struct pg_tokens t;

	p->n = 0;
	if (text == NULL)
		return;
	norm_tokens_init(&t);
	norm_tokenize(text, strlen(text), &t);
	for (size_t i = 0; i < t.n && p->n < NAMES_MAX_TOKENS; i++)
		p->ids[p->n++] = dict_intern(n->dict, norm_token_text(&t, i), t.v[i].norm_len);
	norm_tokens_free(&t);
}

/* Single-letter part holding the initial of P. */
static void names_initial(struct pg_names *n, const struct part *p, struct part *out)
{
	size_t len;
	const char *s = dict_string(n->dict, p->ids[0], &len);

	out->n = 1;
	out->ids[0] = dict_intern(n->dict, s, 1);
}

/* Add the path A [B] C for WHO; parts may be empty. */
static void names_add(struct pg_names *n, uint32_t who, uint8_t kind, uint8_t order, uint8_t form,
		      const struct part *a, const struct part *b, const struct part *c)
{
	const struct part *parts[3] = { a, b, c };
	uint32_t node = 0;
	struct term *t;

	if (a->n + (b ? b->n : 0) + c->n > NAMES_MAX_TOKENS || a->n == 0 || c->n == 0)
		return;
	for (int p = 0; p < 3; p++)
		for (size_t i = 0; parts[p] != NULL && i < parts[p]->n; i++)
			node = names_child(n, node, parts[p]->ids[i]);
	/* The same path for the same person and kind is kept once. */
	for (uint32_t ti = n->node_term[node]; ti != PG_NAMES_NONE; ti = n->terms[ti].next)
		if (n->terms[ti].who == who && n->terms[ti].kind == kind &&
		    n->terms[ti].order == order)
			return;
	if (n->nterms == n->terms_cap) {
		n->terms_cap = n->terms_cap ? n->terms_cap * 2 : 4096;
		n->terms = pg_reallocarray(n->terms, n->terms_cap, sizeof(*n->terms));
	}
	t = &n->terms[n->nterms];
	t->who = who;
	t->kind = kind;
	t->order = order;
	t->form = form;
	t->n1 = a->n;
	t->n2 = b ? b->n : 0;
	t->next = n->node_term[node];
	n->node_term[node] = (uint32_t)n->nterms++;
}

static void names_add_pupil(struct pg_names *n, const struct pg_pupil *p, uint32_t who)
{
	struct part fore[2], sur[2], mid, mid1, ini;
	int nf = 0, ns = 0;

	names_part(n, p->forename, &fore[nf]);
	nf += fore[nf].n > 0;
	names_part(n, p->pref_forename, &fore[nf]);
	nf += fore[nf].n > 0;
	names_part(n, p->surname, &sur[ns]);
	ns += sur[ns].n > 0;
	names_part(n, p->pref_surname, &sur[ns]);
	ns += sur[ns].n > 0;
	names_part(n, p->middle, &mid);
	mid1 = mid;
	if (mid1.n > 1)
		mid1.n = 1;
	for (int f = 0; f < nf; f++) {
		for (int s = 0; s < ns; s++) {
			uint8_t form = (uint8_t)((f > 0 || s > 0) ? PG_FORM_PREFERRED : 0);

			names_add(n, who, PG_NAME_FULL, ORDER_FS, form, &fore[f], NULL, &sur[s]);
			names_add(n, who, PG_NAME_FULL, ORDER_SF, form | PG_FORM_SURNAME_FIRST,
				  &sur[s], NULL, &fore[f]);
			if (mid.n > 0) {
				names_add(n, who, PG_NAME_FULL, ORDER_FS, form | PG_FORM_MIDDLE,
					  &fore[f], &mid, &sur[s]);
				if (mid.n > 1)
					names_add(n, who, PG_NAME_FULL, ORDER_FS,
						  form | PG_FORM_MIDDLE, &fore[f], &mid1, &sur[s]);
			}
			if (!n->partial)
				continue;
			names_initial(n, &fore[f], &ini);
			names_add(n, who, PG_NAME_PARTIAL, ORDER_FS, form, &ini, NULL, &sur[s]);
			names_initial(n, &sur[s], &ini);
			names_add(n, who, PG_NAME_PARTIAL, ORDER_FS, form, &fore[f], NULL, &ini);
		}
	}
}

static struct pg_dict *names_word_set(const char *const *words)
{
	struct pg_dict *d = dict_new();

	for (size_t i = 0; words[i] != NULL; i++) {
		char *folded = norm_fold_phrase(words[i], strlen(words[i]));

		if (*folded != '\0')
			(void)dict_intern(d, folded, strlen(folded));
		free(folded);
	}
	return d;
}

/* The word filter: 32 bits per name word (and 128 KiB at least) keep
 * common words from hitting it by chance. */
static void names_build_filter(struct pg_names *n)
{
	size_t words = dict_count(n->dict), bits = 1u << 20;

	while (bits < words * 32)
		bits <<= 1;
	n->filter = pg_calloc(bits / 64, sizeof(*n->filter));
	n->filter_mask = bits - 1;
	for (uint32_t id = 0; id < words; id++) {
		size_t len;
		const char *w = dict_string(n->dict, id, &len);
		uint64_t h;

		if (len < 2)
			continue; /* initials: the surname beside them is the candidate */
		h = 5381;
		for (size_t k = 0; k < len; k++)
			h = names_fhash_step(h, (unsigned char)w[k]);
		h = names_fhash_end(h) & n->filter_mask;
		n->filter[h / 64] |= 1ULL << (h % 64);
	}
}

/* Once built, lay the index out for reading: each node's terminals side by
 * side in list order (a common form such as "A. Smith" has a terminal per
 * pupil, which the build scattered), the first of them in the edge to the
 * node, and the root's edges in a table by token id, small enough to stay
 * in the cache, since every match starts there.  What a match finds is
 * unchanged: it reads the same terminals in the same order. */
static void names_compact(struct pg_names *n)
{
	struct term *packed = pg_reallocarray(NULL, n->nterms ? n->nterms : 1, sizeof(*packed));
	uint32_t k = 0;

	for (size_t node = 0; node < n->nnodes; node++) {
		uint32_t ti = n->node_term[node];

		if (ti == PG_NAMES_NONE)
			continue;
		n->node_term[node] = k;
		for (; ti != PG_NAMES_NONE; ti = n->terms[ti].next) {
			packed[k] = n->terms[ti];
			packed[k].next = n->terms[ti].next == PG_NAMES_NONE ? PG_NAMES_NONE : k + 1;
			k++;
		}
	}
	free(n->terms);
	n->terms = packed;
	n->terms_cap = n->nterms;
	for (size_t i = 0; i <= n->emask; i++)
		if (n->edges[i].key != UINT64_MAX)
			n->edges[i].first_term = n->node_term[n->edges[i].child];
	n->root = pg_malloc(dict_count(n->dict) * sizeof(*n->root) + 1);
	memset(n->root, 0xff, dict_count(n->dict) * sizeof(*n->root));
	for (size_t i = 0; i <= n->emask; i++)
		if (n->edges[i].key != UINT64_MAX && n->edges[i].key >> 32 == 0)
			n->root[(uint32_t)n->edges[i].key] = n->edges[i];
	free(n->node_term);
	n->node_term = NULL;
	n->nodes_cap = 0;
}

struct pg_names *names_build(const struct pg_roster *r, const struct pg_names_opts *opts)
{
	struct pg_names *n = pg_calloc(1, sizeof(*n));

	n->dict = dict_new();
	n->partial = opts == NULL || opts->partial_names;
	names_edges_grow(n);
	(void)names_new_node(n); /* root */
	for (size_t i = 0; i < r->npupils; i++)
		names_add_pupil(n, &r->pupils[i], (uint32_t)i);
	for (size_t i = 0; i < r->nstaff; i++) {
		struct part fore, sur;

		names_part(n, r->staff[i].forename, &fore);
		names_part(n, r->staff[i].surname, &sur);
		names_add(n, (uint32_t)i, TERM_STAFF, ORDER_FS, 0, &fore, NULL, &sur);
	}
	n->determiners = names_word_set(opts && opts->determiners ? opts->determiners
								  : names_default_determiners);
	n->place_nouns = names_word_set(opts && opts->place_nouns ? opts->place_nouns
								  : names_default_place_nouns);
	n->titles = names_word_set(opts && opts->titles ? opts->titles : names_default_titles);
	n->locatives = names_word_set(opts && opts->locatives ? opts->locatives
							      : names_default_locatives);
	n->common_words = names_word_set(opts && opts->common_words ? opts->common_words
								    : names_default_common_words);
	n->everyday_words = names_word_set(opts && opts->everyday_words
						   ? opts->everyday_words
						   : names_default_everyday_words);
	names_compact(n);
	names_build_filter(n);
	return n;
}

void names_free(struct pg_names **np)
{
	struct pg_names *n = *np;

	if (n == NULL)
		return;
	dict_free(&n->dict);
	dict_free(&n->determiners);
	dict_free(&n->place_nouns);
	dict_free(&n->titles);
	dict_free(&n->locatives);
	dict_free(&n->common_words);
	dict_free(&n->everyday_words);
	free(n->edges);
	free(n->root);
	free(n->node_term);
	free(n->terms);
	free(n->filter);
	free(n);
	*np = NULL;
}

size_t names_memory(const struct pg_names *n)
{
	return dict_memory(n->dict) + (n->emask + 1 + dict_count(n->dict)) * sizeof(struct edge) +
	       n->nodes_cap * sizeof(uint32_t) + n->terms_cap * sizeof(struct term) +
	       (n->filter_mask + 1) / 8;
}

size_t names_paths(const struct pg_names *n)
{
	return n->nterms;
}

void names_hits_free(struct pg_name_hits *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* Whether token J may end a name: not followed by more of the same word,
 * except a possessive "'s". */
static int names_end_ok(const struct pg_tokens *t, size_t j, int *possessive_r)
{
	*possessive_r = 0;
	if (j + 1 >= t->n || t->v[j + 1].sep != PG_SEP_JOIN)
		return 1;
	if (t->v[j + 1].norm_len == 1 && norm_token_text(t, j + 1)[0] == 's' &&
	    (j + 2 >= t->n || t->v[j + 2].sep != PG_SEP_JOIN)) {
		*possessive_r = 1;
		return 1;
	}
	return 0;
}

static int names_all_flag(const struct pg_tokens *t, size_t from, size_t to, uint8_t flag)
{
	for (size_t k = from; k < to; k++)
		if (!(t->v[k].flags & flag))
			return 0;
	return 1;
}

/* Whether the separators of tokens [I, I+LEN) fit terminal TM. */
static int names_fits(const struct term *tm, const struct pg_tokens *t, size_t i, size_t len,
		      uint8_t *form_r)
{
	size_t b1 = i + tm->n1, b2 = b1 + tm->n2;
	uint8_t bsep;

	*form_r = tm->form;
	for (size_t k = i + 1; k < i + len; k++) {
		uint8_t sep = t->v[k].sep;

		if (k == b1 || (tm->n2 > 0 && k == b2))
			continue;
		if (sep != PG_SEP_JOIN && sep != PG_SEP_SPACE)
			return 0;
	}
	bsep = t->v[b1].sep;
	if (tm->kind == PG_NAME_PARTIAL) {
		const struct pg_token *a = &t->v[i], *z = &t->v[i + len - 1];

		if (bsep != PG_SEP_SPACE)
			return 0;
		if (tm->n1 == 1 && a->norm_len == 1) {
			/* "A. Khan": a capital initial; "A Khan" only with a dot,
			 * since "A" and "I" are words. */
			const char c = norm_token_text(t, i)[0];

			if (!(a->flags & PG_TOK_UPPER) || !(t->v[b1].flags & PG_TOK_CAPITAL))
				return 0;
			if ((c == 'a' || c == 'i') && !(a->flags & PG_TOK_DOTTED))
				return 0;
			return 1;
		}
		/* "Amelia K.": a capitalised forename and a capital initial. */
		return (a->flags & PG_TOK_CAPITAL) && (z->flags & PG_TOK_UPPER) && z->norm_len == 1;
	}
	if (tm->n2 > 0)
		return bsep == PG_SEP_SPACE && t->v[b2].sep == PG_SEP_SPACE;
	if (tm->order == ORDER_FS) {
		if (bsep == PG_SEP_CELL || bsep == PG_SEP_COMMA)
			*form_r |= PG_FORM_CELLS;
		return bsep == PG_SEP_SPACE || bsep == PG_SEP_CELL || bsep == PG_SEP_COMMA;
	}
	/* Surname first: "Khan, Amelia", adjacent cells, or "KHAN Amelia". */
	if (bsep == PG_SEP_COMMA || bsep == PG_SEP_CELL)
		return 1;
	return bsep == PG_SEP_SPACE && names_all_flag(t, i, b1, PG_TOK_UPPER) &&
	       !names_all_flag(t, b1, i + len, PG_TOK_UPPER);
}

static int names_in_set(const struct pg_dict *set, const struct pg_tokens *t, size_t k)
{
	return dict_lookup(set, norm_token_text(t, k), t->v[k].norm_len) != PG_DICT_NONE;
}

/* A place or thing noun after the name, directly or after up to two more
 * capitalised words: "Rose Hill Road", "Grace Church Community Hall". */
static int names_place_after(const struct pg_names *n, const struct pg_tokens *t, size_t j)
{
	for (size_t k = j + 1; k < t->n && k <= j + 3; k++) {
		if (t->v[k].sep != PG_SEP_SPACE)
			return 0;
		if (names_in_set(n->place_nouns, t, k))
			return 1;
		if (!(t->v[k].flags & PG_TOK_CAPITAL))
			return 0;
	}
	return 0;
}

/* Context rules: why the hit at [I, J] is not a reference to a person. */
static uint8_t names_context(const struct pg_names *n, const struct pg_tokens *t, size_t i,
			     size_t j, int possessive, int staff_homonym)
{
	int spaced_before = i > 0 && t->v[i].sep == PG_SEP_SPACE;

	/* "the Summer Day Camp", "a Jack Russell terrier": people take no article. */
	if (spaced_before && names_in_set(n->determiners, t, i - 1))
		return PG_WHY_PHRASE;
	if (!possessive && names_place_after(n, t, j))
		return PG_WHY_PLACE;
	/* "at Victoria Park": a name ending in a place noun, after a locative. */
	if (spaced_before && names_in_set(n->place_nouns, t, j) &&
	    names_in_set(n->locatives, t, i - 1))
		return PG_WHY_PLACE;
	/* "real will power": ordinary words, written as ordinary words. */
	if (names_all_flag(t, i, j + 1, PG_TOK_LOWER)) {
		for (size_t k = i; k <= j; k++)
			if (names_in_set(n->common_words, t, k))
				return PG_WHY_PHRASE;
	}
	/* "When Miles bridge the gap", "Karim said": a capitalised forename
	 * and an everyday word in lower case after it is a sentence, not a
	 * name; a surname is written with its capital or in the case of the
	 * whole name ("noah adams"). */
	if (j > i && (t->v[i].flags & PG_TOK_CAPITAL) && (t->v[j].flags & PG_TOK_LOWER) &&
	    (names_in_set(n->common_words, t, j) || names_in_set(n->everyday_words, t, j)))
		return PG_WHY_PHRASE;
	/* "Mrs,Ivy,Green": an adult's title in its own cell before the name
	 * marks an adult (a parent, staff), whoever the roster holds. */
	if (i > 0 && (t->v[i].sep == PG_SEP_COMMA || t->v[i].sep == PG_SEP_CELL) &&
	    names_in_set(n->titles, t, i - 1))
		return PG_WHY_STAFF;
	if (staff_homonym && i > 0 && names_in_set(n->titles, t, i - 1) &&
	    (t->v[i].sep == PG_SEP_SPACE ||
	     (t->v[i].sep == PG_SEP_BREAK && (t->v[i - 1].flags & PG_TOK_DOTTED))))
		return PG_WHY_STAFF;
	return PG_WHY_NONE;
}

static void names_push(struct pg_name_hits *out, const struct pg_name_hit *h)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = pg_reallocarray(out->v, out->cap, sizeof(*out->v));
	}
	out->v[out->n++] = *h;
}

/* "Bairds mum": a last word that is a name word and an "s", written in
 * the case of a name (capitalised, or as the whole name is), is a
 * possessive without its apostrophe. */
static int names_bare_possessive(const struct pg_tokens *t, size_t i, size_t j)
{
	return (t->v[j].flags & PG_TOK_CAPITAL) || (t->v[i].flags & t->v[j].flags & PG_TOK_LOWER);
}

/* Longest match starting at token I; fills the hit, returns its length.
 * BARE[j] is token j's id without a final "s", or PG_DICT_NONE. */
static size_t names_match_at(const struct pg_names *n, const struct pg_tokens *t,
			     const uint32_t *ids, const uint32_t *bare, size_t i,
			     struct pg_name_hit *hit, int *poss_r)
{
	uint32_t node = 0;
	size_t best = 0;

	for (size_t j = i; j < t->n && j - i < NAMES_MAX_TOKENS; j++) {
		uint32_t first_pupil = PG_NAMES_NONE, npupils = 0, staff = PG_NAMES_NONE;
		const struct edge *e = NULL;
		uint8_t kind = PG_NAME_FULL, form = 0;
		int possessive, last = 0;

		if (j > i && (t->v[j].sep == PG_SEP_BREAK || t->v[j].sep == PG_SEP_NONE))
			break;
		if (ids[j] != PG_DICT_NONE)
			e = names_edge(n, node, ids[j]);
		if (e == NULL && j > i && bare[j] != PG_DICT_NONE && names_bare_possessive(t, i, j)) {
			/* The name ends here, in a possessive. */
			e = names_edge(n, node, bare[j]);
			last = 1;
		}
		if (e == NULL)
			break;
		node = e->child;
		if (e->first_term == PG_NAMES_NONE || !names_end_ok(t, j, &possessive))
			continue;
		possessive |= last;
		for (uint32_t ti = e->first_term; ti != PG_NAMES_NONE; ti = n->terms[ti].next) {
			const struct term *tm = &n->terms[ti];
			uint8_t f;

			if (!names_fits(tm, t, i, j - i + 1, &f))
				continue;
			if (tm->kind == TERM_STAFF) {
				staff = tm->who;
				continue;
			}
			/* A full name outranks a partial form of the same tokens. */
			if (npupils > 0 && kind == PG_NAME_FULL && tm->kind == PG_NAME_PARTIAL)
				continue;
			if (npupils > 0 && kind == PG_NAME_PARTIAL && tm->kind == PG_NAME_FULL)
				npupils = 0;
			if (npupils == 0 || tm->who < first_pupil) {
				first_pupil = tm->who;
				form = f;
			}
			kind = tm->kind;
			npupils++;
		}
		if (npupils == 0)
			continue;
		best = j - i + 1;
		hit->pupil = first_pupil;
		hit->npupils = npupils;
		hit->staff = staff;
		hit->kind = kind;
		hit->form = (uint8_t)(form | (possessive ? PG_FORM_POSSESSIVE : 0));
		*poss_r = possessive;
		if (last)
			break;
	}
	return best;
}

/* "Isha and Ali Qureshi": after a full name FULL whose forename is one
 * token, the capitalised forename before "and" with the same surname is a
 * sibling, named in full when the roster has them. */
static void names_sibling(const struct pg_names *n, const struct pg_tokens *t,
			  const uint32_t *ids, const struct pg_name_hit *full,
			  struct pg_name_hits *out)
{
	size_t f = full->first, k = f - 2, last = full->last;
	const struct edge *e;
	uint32_t node;

	if (last - f < 1 || t->v[f].sep != PG_SEP_SPACE || t->v[f - 1].sep != PG_SEP_SPACE ||
	    t->v[f - 1].norm_len != 3 || memcmp(norm_token_text(t, f - 1), "and", 3) != 0 ||
	    !(t->v[k].flags & PG_TOK_CAPITAL) || ids[k] == PG_DICT_NONE)
		return;
	/* The sibling's forename, then the surname tokens after the forename. */
	e = names_edge(n, 0, ids[k]);
	for (size_t j = f + 1; e != NULL && j <= last; j++) {
		node = e->child;
		e = ids[j] == PG_DICT_NONE ? NULL : names_edge(n, node, ids[j]);
	}
	if (e == NULL)
		return;
	for (uint32_t ti = e->first_term; ti != PG_NAMES_NONE; ti = n->terms[ti].next) {
		const struct term *tm = &n->terms[ti];
		struct pg_name_hit hit = *full;

		if (tm->kind != PG_NAME_FULL || tm->order != ORDER_FS || tm->n1 != 1 ||
		    tm->n2 != 0 || tm->who == full->pupil)
			continue;
		hit.pupil = tm->who;
		hit.npupils = 1;
		hit.staff = PG_NAMES_NONE;
		hit.first = (uint32_t)k;
		hit.form = tm->form;
		names_push(out, &hit);
		return;
	}
}

void names_scan(const struct pg_names *n, const struct pg_tokens *t, struct pg_name_hits *out)
{
	uint32_t stack_ids[2 * 256];
	uint32_t *ids = 2 * t->n <= PG_ARRAY_LEN(stack_ids)
				? stack_ids
				: pg_reallocarray(NULL, t->n, 2 * sizeof(*ids));
	uint32_t *bare = ids + t->n;
	size_t covered = 0; /* tokens before this index belong to an earlier hit */

	for (size_t i = 0; i < t->n; i++) {
		const char *w = norm_token_text(t, i);
		size_t wl = t->v[i].norm_len;

		ids[i] = bare[i] = PG_DICT_NONE;
		if (t->v[i].flags & PG_TOK_LONG)
			continue;
		ids[i] = dict_lookup(n->dict, w, wl);
		if (wl >= 4 && w[wl - 1] == 's' && w[wl - 2] != 's')
			bare[i] = dict_lookup(n->dict, w, wl - 1);
	}
	for (size_t i = 0; i < t->n; i++) {
		struct pg_name_hit hit;
		int possessive = 0;
		size_t len;

		if (t->v[i].sep == PG_SEP_JOIN || ids[i] == PG_DICT_NONE)
			continue;
		len = names_match_at(n, t, ids, bare, i, &hit, &possessive);
		if (len == 0 || i + len <= covered)
			continue;
		hit.first = (uint32_t)i;
		hit.last = (uint32_t)(i + len - 1);
		hit.why = names_context(n, t, i, i + len - 1, possessive,
					hit.staff != PG_NAMES_NONE);
		names_push(out, &hit);
		if (hit.kind == PG_NAME_FULL && hit.why == PG_WHY_NONE && i >= 2 &&
		    i - 2 >= covered)
			names_sibling(n, t, ids, &hit, out);
		covered = i + len;
	}
	if (ids != stack_ids)
		free(ids);
}

void names_spans_free(struct pg_spans *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Add [A, B) to OUT, merging with the last span when they touch. */
static void names_span_add(struct pg_spans *out, size_t a, size_t b)
{
	if (out->n > 0 && a <= out->v[out->n - 1].end) {
		if (b > out->v[out->n - 1].end)
			out->v[out->n - 1].end = b;
		return;
	}
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = pg_reallocarray(out->v, out->cap, sizeof(*out->v));
	}
	out->v[out->n].start = a;
	out->v[out->n].end = b;
	out->n++;
}

static int names_is_space(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

void names_candidates(const struct pg_names *n, const char *text, size_t len,
		      struct pg_spans *out)
{
	const unsigned char *s = (const unsigned char *)text;
	const char *fold = norm_ascii_fold();
	size_t i = 0, prev_start = 0;
	int prev_ok = 0, prev_named = 0;

	out->n = 0;
	while (i < len) {
		size_t ws = i, wl;
		uint64_t h = 5381, h_stem = 5381;
		int nonascii = 0, named, ok;

		/* Skip to the next word: a letter or digit, or any non-ASCII byte. */
		if (s[i] < 0x80 && fold[s[i]] == 0) {
			i++;
			continue;
		}
		for (; i < len; i++) {
			unsigned char c = s[i];

			if (c >= 0x80) {
				nonascii = 1;
				continue;
			}
			if (fold[c] == 0)
				break;
			h_stem = h;
			h = names_fhash_step(h, (unsigned char)fold[c]);
		}
		wl = i - ws;
		/* A word of a name (by the filter; any word with non-ASCII letters
		 * is taken to be one), or a single letter (an initial, the O of
		 * O'Reilly). */
		h = names_fhash_end(h) & n->filter_mask;
		named = nonascii || (wl >= 2 && wl <= PG_TOKEN_MAX &&
				     (n->filter[h / 64] & (1ULL << (h % 64))));
		/* "Bairds": a name word and a possessive "s" without apostrophe. */
		if (!named && wl >= 4 && wl <= PG_TOKEN_MAX && fold[s[i - 1]] == 's') {
			h_stem = names_fhash_end(h_stem) & n->filter_mask;
			named = (n->filter[h_stem / 64] & (1ULL << (h_stem % 64))) != 0;
		}
		ok = named || wl == 1;
		/* Every name is two such words in a row, at least one of them a
		 * name word: a forename alone ("Tilly went home") needs nothing. */
		/* A word with non-ASCII bytes may hold several words (glued by a
		 * no-break space or a curly apostrophe), so it is a window alone. */
		if (nonascii || (ok && prev_ok && (named || prev_named))) {
			size_t from = prev_ok ? prev_start : ws;
			size_t a = from > NAMES_BACK ? from - NAMES_BACK : 0;
			size_t b = i + NAMES_AHEAD < len ? i + NAMES_AHEAD : len;

			while (a > 0 && !names_is_space(s[a - 1]) && from - a < 2 * NAMES_BACK)
				a--;
			while (b < len && !names_is_space(s[b]) && b - i < 2 * NAMES_AHEAD)
				b++;
			names_span_add(out, a, b);
		}
		prev_ok = ok;
		prev_named = named;
		prev_start = ws;
	}
}
