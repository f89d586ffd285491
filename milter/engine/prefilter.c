/*
 * prefilter.c - required literals of rule patterns, found in one pass.
 *
 * The analysis walks the pattern's syntax and gives each piece two sets:
 * EXACT, every string the piece can match when that is a short list
 * ("s", "s.", "s ", "s. " for "s\.? ?"), and REQ, strings one of which
 * any match must contain.  Sequences multiply exact sets while they stay
 * small and fall back to the best required set seen; alternatives join
 * their sets; anything this does not follow (classes like \w, ".",
 * unbounded repeats) is a gap that ends the literal run, and syntax it
 * does not know (inline options, verbs, recursion) gives up on the
 * pattern, which is then always searched.  Being wrong here could only
 * make a pattern be searched needlessly, never skipped wrongly, as long
 * as each set is a superset of what the piece needs; every rule below
 * keeps to that.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

#define SET_MAX 64  /* strings in one set */
#define LIT_MAX 64  /* bytes in one literal */
#define CLASS_MAX 10 /* a [...] class of up to this many characters is expanded */
#define WB '\x01'   /* in a string: the pattern asserts a word boundary (\\b) here */

/* A set of strings; ANY: unknown (for EXACT) or no requirement (for REQ). */
struct set {
	char **v;
	size_t n;
	int any;
};

struct info {
	struct set exact, req;
};

struct parser {
	const char *p;
	int fail;
};

static inline unsigned char fold(unsigned char c)
{
	return (unsigned char)(c | (((unsigned)c - 'A' < 26u) << 5));
}

static void set_free(struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static struct set set_any(void)
{
	struct set s = { NULL, 0, 1 };

	return s;
}

/* Add STR (LEN bytes) unless present; a set that grows too big becomes ANY. */
static void set_add(struct set *s, const char *str, size_t len)
{
	if (s->any)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && memcmp(s->v[i], str, len) == 0)
			return;
	if (s->n == SET_MAX || len > LIT_MAX) {
		set_free(s);
		s->any = 1;
		return;
	}
	s->v = pg_reallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = pg_strndup(str, len);
}

static struct set set_one(const char *str, size_t len)
{
	struct set s = { NULL, 0, 0 };

	set_add(&s, str, len);
	return s;
}

static struct set set_copy(const struct set *a)
{
	struct set s = { NULL, 0, a->any };

	for (size_t i = 0; i < a->n; i++)
		set_add(&s, a->v[i], strlen(a->v[i]));
	return s;
}

/* Length of a string without its word-boundary marks. */
static size_t lit_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s != WB;
	return n;
}

static size_t set_minlen(const struct set *s)
{
	size_t m = SIZE_MAX;

	for (size_t i = 0; i < s->n; i++)
		if (lit_len(s->v[i]) < m)
			m = lit_len(s->v[i]);
	return m;
}

/* An exact set as a requirement: useless (ANY) if a string is too short. */
static struct set set_to_req(const struct set *exact)
{
	if (exact->any || exact->n == 0 || set_minlen(exact) < PG_PREFILTER_MIN)
		return set_any();
	return set_copy(exact);
}

/* The more selective of two requirements; consumes both. */
static struct set set_best(struct set a, struct set b)
{
	int take_a;

	if (a.any || b.any) {
		take_a = !a.any;
	} else {
		size_t ma = set_minlen(&a), mb = set_minlen(&b);

		take_a = ma > mb || (ma == mb && a.n <= b.n);
	}
	if (take_a) {
		set_free(&b);
		return a;
	}
	set_free(&a);
	return b;
}

/* Union of two sets; consumes both; ANY if either is. */
static struct set set_union(struct set a, struct set b)
{
	if (a.any || b.any) {
		set_free(&a);
		set_free(&b);
		return set_any();
	}
	for (size_t i = 0; i < b.n; i++)
		set_add(&a, b.v[i], strlen(b.v[i]));
	set_free(&b);
	return a;
}

/* Every a + b; ANY if the result would be too big.  Consumes neither. */
static struct set set_cross(const struct set *a, const struct set *b)
{
	struct set s = { NULL, 0, 0 };

	if (a->any || b->any || a->n * b->n > SET_MAX)
		return set_any();
	for (size_t i = 0; i < a->n && !s.any; i++)
		for (size_t j = 0; j < b->n && !s.any; j++) {
			size_t la = strlen(a->v[i]), lb = strlen(b->v[j]);
			char buf[2 * LIT_MAX + 1];

			if (la + lb > LIT_MAX) {
				set_free(&s);
				return set_any();
			}
			memcpy(buf, a->v[i], la);
			memcpy(buf + la, b->v[j], lb);
			set_add(&s, buf, la + lb);
		}
	return s;
}

static void info_free(struct info *i)
{
	set_free(&i->exact);
	set_free(&i->req);
}

static struct info info_any(void)
{
	struct info i = { { NULL, 0, 1 }, { NULL, 0, 1 } };

	return i;
}

/* Matches only the empty string (an assertion, a look-around). */
static struct info info_empty(void)
{
	struct info i = { set_one("", 0), set_any() };

	return i;
}

static struct info info_char(unsigned char c)
{
	char s = (char)fold(c);
	struct info i = { set_one(&s, 1), set_any() };

	return i;
}

/* What a piece guarantees, as one requirement. */
static struct set info_effective(const struct info *i)
{
	return set_best(set_to_req(&i->exact), set_copy(&i->req));
}

static struct info parse_alt(struct parser *ps);

/* Skip one UTF-8 character (its lead byte at *p). */
static void skip_utf8(struct parser *ps)
{
	ps->p++;
	while ((unsigned char)*ps->p >= 0x80 && (unsigned char)*ps->p < 0xc0)
		ps->p++;
}

/* After a backslash outside a class. */
static struct info parse_escape(struct parser *ps)
{
	unsigned char c = (unsigned char)*ps->p;

	if (c == '\0') {
		ps->fail = 1;
		return info_any();
	}
	if (c >= 0x80) {
		skip_utf8(ps);
		return info_any();
	}
	ps->p++;
	switch (c) {
	case 'b': {
		struct info i = { set_one("\x01", 1), set_any() };

		return i;
	}
	case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K': case 'E':
		return info_empty();
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H':
	case 'v': case 'V': case 'R': case 'X': case 'C':
		return info_any();
	case 'N':
		if (*ps->p == '{')
			ps->fail = 1;
		return info_any();
	case 'p': case 'P': case 'o':
		if (*ps->p == '{') {
			const char *e = strchr(ps->p, '}');

			if (e == NULL) {
				ps->fail = 1;
				return info_any();
			}
			ps->p = e + 1;
		} else if (c != 'o' && *ps->p != '\0') {
			ps->p++;
		} else {
			ps->fail = 1;
		}
		return info_any();
	case 'x': {
		unsigned v = 0;

		if (*ps->p == '{') {
			ps->p++;
			while (pg_hex_value((unsigned char)*ps->p) >= 0 && v < 0x110000)
				v = v * 16 + (unsigned)pg_hex_value((unsigned char)*ps->p++);
			if (*ps->p != '}') {
				ps->fail = 1;
				return info_any();
			}
			ps->p++;
		} else {
			for (int k = 0; k < 2 && pg_hex_value((unsigned char)*ps->p) >= 0; k++)
				v = v * 16 + (unsigned)pg_hex_value((unsigned char)*ps->p++);
		}
		return v < 0x80 ? info_char((unsigned char)v) : info_any();
	}
	case 'Q': {
		const char *e = strstr(ps->p, "\\E");
		size_t len = e ? (size_t)(e - ps->p) : strlen(ps->p);
		struct info i = info_empty();

		for (size_t k = 0; k < len; k++) {
			if ((unsigned char)ps->p[k] >= 0x80) {
				/* Not folded the way PCRE2 folds: give up on the run. */
				info_free(&i);
				i = info_any();
				break;
			}
		}
		if (!i.exact.any && len > 0) {
			char buf[LIT_MAX + 1];

			if (len > LIT_MAX) {
				info_free(&i);
				i = info_any();
			} else {
				for (size_t k = 0; k < len; k++)
					buf[k] = (char)fold((unsigned char)ps->p[k]);
				set_free(&i.exact);
				i.exact = set_one(buf, len);
			}
		}
		ps->p += len + (e ? 2 : 0);
		return i;
	}
	case 'n': return info_char('\n');
	case 't': return info_char('\t');
	case 'r': return info_char('\r');
	case 'f': return info_char('\f');
	case 'e': return info_char(0x1b);
	case 'a': return info_char(0x07);
	case 'c':
		if (*ps->p == '\0')
			ps->fail = 1;
		else
			ps->p++;
		return info_any();
	default:
		break;
	}
	if (c >= '0' && c <= '9') {
		/* A back reference or an octal escape: something, unknown. */
		while (*ps->p >= '0' && *ps->p <= '9')
			ps->p++;
		return info_any();
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
		ps->fail = 1; /* \g, \k and the rest: not followed */
		return info_any();
	}
	return info_char(c);
}

/* A [...] class, *p just past the '['. */
static struct info parse_class(struct parser *ps)
{
	unsigned char seen[128] = { 0 };
	int negate = 0, wide = 0, count = 0, first = 1;
	struct info i;

	if (*ps->p == '^') {
		negate = 1;
		ps->p++;
	}
	while (*ps->p != '\0' && (*ps->p != ']' || first)) {
		unsigned char c = (unsigned char)*ps->p, lo;

		first = 0;
		if (c == '[' && ps->p[1] == ':') {
			const char *e = strstr(ps->p + 2, ":]");

			if (e == NULL) {
				ps->fail = 1;
				return info_any();
			}
			ps->p = e + 2;
			wide = 1;
			continue;
		}
		if (c >= 0x80) {
			skip_utf8(ps);
			wide = 1;
			continue;
		}
		ps->p++;
		if (c == '\\') {
			c = (unsigned char)*ps->p;
			if (c == '\0')
				break;
			if (c >= 0x80) {
				skip_utf8(ps);
				wide = 1;
				continue;
			}
			ps->p++;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
				if (c == 'n')
					c = '\n';
				else if (c == 't')
					c = '\t';
				else if (c == 'r')
					c = '\r';
				else if (c == 'b')
					c = '\b';
				else
					wide = 1; /* \d, \w, \x.., \p{..} and the like */
				if (wide) {
					if (*ps->p == '{') {
						const char *e = strchr(ps->p, '}');

						ps->p = e ? e + 1 : ps->p;
					}
					continue;
				}
			}
		}
		lo = c;
		if (*ps->p == '-' && ps->p[1] != ']' && ps->p[1] != '\0') {
			unsigned char hi = (unsigned char)ps->p[1];

			if (hi == '\\' || hi == '[' || hi >= 0x80 || hi < lo || hi - lo >= CLASS_MAX) {
				/* A wide or escaped range: unknown; skip its end. */
				ps->p++;
				if (hi == '\\' && ps->p[1] != '\0')
					ps->p++;
				if ((unsigned char)*ps->p >= 0x80)
					skip_utf8(ps);
				else
					ps->p++;
				wide = 1;
				continue;
			}
			ps->p += 2;
			for (unsigned k = lo; k <= hi; k++)
				if (!seen[fold((unsigned char)k)]) {
					seen[fold((unsigned char)k)] = 1;
					count++;
				}
			continue;
		}
		if (!seen[fold(lo)]) {
			seen[fold(lo)] = 1;
			count++;
		}
	}
	if (*ps->p != ']') {
		ps->fail = 1;
		return info_any();
	}
	ps->p++;
	if (negate || wide || count == 0 || count > CLASS_MAX)
		return info_any();
	i.exact.v = NULL;
	i.exact.n = 0;
	i.exact.any = 0;
	i.req = set_any();
	for (unsigned k = 0; k < 128; k++)
		if (seen[k]) {
			char s = (char)k;

			set_add(&i.exact, &s, 1);
		}
	return i;
}

/* A group, *p just past the '('. */
static struct info parse_group(struct parser *ps)
{
	int discard = 0;
	struct info i;

	if (*ps->p == '*') {
		ps->fail = 1; /* (*VERB) and (*OPTION) */
		return info_any();
	}
	if (*ps->p == '?') {
		const char *q = ps->p + 1;

		if (*q == ':' || *q == '|' || *q == '>') {
			ps->p = q + 1;
		} else if (*q == '=' || *q == '!') {
			ps->p = q + 1;
			discard = 1;
		} else if (*q == '<' && (q[1] == '=' || q[1] == '!')) {
			ps->p = q + 2;
			discard = 1;
		} else if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
			const char *e = strchr(q, *q == '\'' ? '\'' : '>');

			if (*q == '\'')
				e = strchr(q + 1, '\'');
			if (e == NULL) {
				ps->fail = 1;
				return info_any();
			}
			ps->p = e + 1;
		} else {
			ps->fail = 1; /* options, comments, conditions, recursion */
			return info_any();
		}
	}
	i = parse_alt(ps);
	if (*ps->p != ')') {
		ps->fail = 1;
		return i;
	}
	ps->p++;
	if (discard) {
		/* A look-around consumes nothing. */
		info_free(&i);
		return info_empty();
	}
	return i;
}

static struct info parse_atom(struct parser *ps)
{
	unsigned char c = (unsigned char)*ps->p;

	if (c >= 0x80) {
		skip_utf8(ps);
		return info_any();
	}
	ps->p++;
	switch (c) {
	case '(': return parse_group(ps);
	case '[': return parse_class(ps);
	case '\\': return parse_escape(ps);
	case '.': return info_any();
	case '^': case '$': return info_empty();
	case '*': case '+': case '?':
		ps->fail = 1;
		return info_any();
	default:
		return info_char(c);
	}
}

/* A {m}, {m,} or {m,n} quantifier at *p; 0 if it is not one (PCRE2 then
 * reads the brace as a literal). */
static int parse_braces(struct parser *ps, unsigned *min, unsigned *max)
{
	const char *q = ps->p + 1;
	unsigned m = 0, n;

	if (*q < '0' || *q > '9')
		return 0;
	while (*q >= '0' && *q <= '9' && m < 100000)
		m = m * 10 + (unsigned)(*q++ - '0');
	n = m;
	if (*q == ',') {
		q++;
		if (*q == '}') {
			n = UINT32_MAX;
		} else {
			if (*q < '0' || *q > '9')
				return 0;
			n = 0;
			while (*q >= '0' && *q <= '9' && n < 100000)
				n = n * 10 + (unsigned)(*q++ - '0');
		}
	}
	if (*q != '}')
		return 0;
	ps->p = q + 1;
	*min = m;
	*max = n;
	return 1;
}

static struct info parse_quantified(struct parser *ps)
{
	struct info a = parse_atom(ps);
	unsigned min = 1, max = 1;

	if (ps->fail)
		return a;
	if (*ps->p == '?') {
		min = 0;
		ps->p++;
	} else if (*ps->p == '*') {
		min = 0;
		max = UINT32_MAX;
		ps->p++;
	} else if (*ps->p == '+') {
		max = UINT32_MAX;
		ps->p++;
	} else if (*ps->p == '{' && !parse_braces(ps, &min, &max)) {
		return a;
	}
	if (min != 1 || max != 1) {
		if (*ps->p == '?' || *ps->p == '+')
			ps->p++; /* lazy or possessive: the same strings */
	}
	if (min == 1 && max == 1)
		return a;
	if (min == 0 && max == 1) {
		set_free(&a.req);
		a.req = set_any();
		if (!a.exact.any)
			set_add(&a.exact, "", 0);
		return a;
	}
	if (min == 0) {
		info_free(&a);
		return info_any();
	}
	/* At least once: what one copy needs, the repeat needs. */
	{
		struct set eff = info_effective(&a);

		info_free(&a);
		a.exact = set_any();
		a.req = eff;
	}
	return a;
}

/* A sequence up to '|', ')' or the end. */
static struct info parse_seq(struct parser *ps)
{
	struct set run = set_one("", 0), req = set_any();
	int broken = 0;
	struct info out;

	while (*ps->p != '\0' && *ps->p != '|' && *ps->p != ')' && !ps->fail) {
		struct info a = parse_quantified(ps);
		struct set joined = set_cross(&run, &a.exact);

		if (!joined.any) {
			set_free(&run);
			run = joined;
		} else {
			/* The literal run ends here: keep the best requirement. */
			broken = 1;
			req = set_best(req, set_to_req(&run));
			set_free(&run);
			req = set_best(req, set_copy(&a.req));
			run = a.exact.any ? set_one("", 0) : set_copy(&a.exact);
		}
		info_free(&a);
	}
	if (!broken) {
		out.exact = run;
		out.req = req;
	} else {
		out.exact = set_any();
		out.req = set_best(req, set_to_req(&run));
		set_free(&run);
	}
	return out;
}

static struct info parse_alt(struct parser *ps)
{
	struct info acc = parse_seq(ps);

	while (*ps->p == '|' && !ps->fail) {
		struct info b;
		struct info both;

		ps->p++;
		b = parse_seq(ps);
		both.req = set_union(info_effective(&acc), info_effective(&b));
		if (!acc.exact.any && !b.exact.any)
			both.exact = set_union(set_copy(&acc.exact), set_copy(&b.exact));
		else
			both.exact = set_any();
		info_free(&acc);
		info_free(&b);
		acc = both;
	}
	return acc;
}

char **prefilter_literals(const char *pattern)
{
	struct parser ps = { pattern, 0 };
	struct info i = parse_alt(&ps);
	struct set eff;
	char **out;

	if (ps.fail || *ps.p != '\0') {
		info_free(&i);
		return NULL;
	}
	eff = info_effective(&i);
	info_free(&i);
	if (eff.any)
		return NULL;
	/* Keep a boundary mark only at either end, where the scan can use it. */
	{
		struct set norm = { NULL, 0, 0 };

		for (size_t k = 0; k < eff.n; k++) {
			const char *p = eff.v[k];
			char buf[LIT_MAX + 3];
			size_t n = 0, len = strlen(p);
			int before = p[0] == WB, after = len > 0 && p[len - 1] == WB;

			if (before)
				buf[n++] = WB;
			for (; *p; p++)
				if (*p != WB)
					buf[n++] = *p;
			if (after)
				buf[n++] = WB;
			set_add(&norm, buf, n);
		}
		set_free(&eff);
		eff = norm;
	}
	out = pg_reallocarray(eff.v, eff.n + 1, sizeof(*out));
	out[eff.n] = NULL;
	return out;
}

void prefilter_literals_free(char **lits)
{
	for (size_t i = 0; lits != NULL && lits[i] != NULL; i++)
		free(lits[i]);
	free(lits);
}

/* --- The scanner --- */

struct lit {
	char *s;         /* without boundary marks */
	uint32_t len;
	uint8_t wb_before, wb_after; /* the pattern asserts \\b there */
	uint32_t key;    /* first three bytes */
	uint32_t next;   /* next literal with the same key, or UINT32_MAX */
	uint32_t *owners;
	uint32_t nowners;
};

struct pg_prefilter {
	struct lit *lits;
	size_t nlits;
	struct slot {
		uint32_t key, head; /* key UINT32_MAX: empty */
	} *slots;
	size_t smask, sused;
	uint64_t pairs[1024]; /* by two raw bytes: they may start a literal (any case) */
	uint64_t bits[1024];  /* by three folded bytes, hashed: they may start one */
	uint8_t *always;      /* per pattern: no literal set, always searched */
	int anywhere;         /* a literal may start other than at a word's start */
	uint8_t word[256];    /* word_byte() as a table, for the scan */
	size_t npatterns;
};

static size_t key_home(const struct pg_prefilter *pf, uint32_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 24) & pf->smask;
}

static struct slot *key_find(const struct pg_prefilter *pf, uint32_t key)
{
	if (pf->slots == NULL)
		return NULL;
	for (size_t i = key_home(pf, key);; i = (i + 1) & pf->smask) {
		if (pf->slots[i].key == key)
			return &pf->slots[i];
		if (pf->slots[i].key == UINT32_MAX)
			return NULL;
	}
}

static struct slot *key_insert(struct pg_prefilter *pf, uint32_t key)
{
	size_t i;

	if ((pf->sused + 1) * 2 > pf->smask + 1) {
		struct slot *old = pf->slots;
		size_t oldn = old ? pf->smask + 1 : 0;

		pf->smask = pf->smask ? pf->smask * 2 + 1 : 255;
		pf->slots = pg_reallocarray(NULL, pf->smask + 1, sizeof(*pf->slots));
		memset(pf->slots, 0xff, (pf->smask + 1) * sizeof(*pf->slots));
		for (size_t k = 0; k < oldn; k++) {
			if (old[k].key == UINT32_MAX)
				continue;
			for (i = key_home(pf, old[k].key); pf->slots[i].key != UINT32_MAX;
			     i = (i + 1) & pf->smask)
				;
			pf->slots[i] = old[k];
		}
		free(old);
	}
	for (i = key_home(pf, key); pf->slots[i].key != UINT32_MAX; i = (i + 1) & pf->smask)
		;
	pf->slots[i].key = key;
	pf->slots[i].head = UINT32_MAX;
	pf->sused++;
	return &pf->slots[i];
}

static uint32_t key_bit(uint32_t key)
{
	return (key * 2654435761u) >> 16;
}

/* Mark the first two bytes of a literal in every case they may take. */
static void prefilter_set_pair(struct pg_prefilter *pf, unsigned char a, unsigned char b)
{
	unsigned char as[2] = { a, a }, bs[2] = { b, b };

	if (a >= 'a' && a <= 'z')
		as[1] = (unsigned char)(a - 32);
	if (b >= 'a' && b <= 'z')
		bs[1] = (unsigned char)(b - 32);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			unsigned p = (unsigned)as[i] << 8 | bs[j];

			pf->pairs[p / 64] |= 1ULL << (p % 64);
		}
}

/* A byte that is surely a word character for \\b (PCRE2 with UCP counts
 * more: letters beyond ASCII). */
static int word_byte(unsigned char c)
{
	return (unsigned)(c | 0x20) - 'a' < 26u || (unsigned)c - '0' < 10u || c == '_';
}

/* An ASCII letter or digit: inside a word for \\b, and inside a token for
 * norm_tokenize(), so a search window never ends before one. */
static int alnum_byte(unsigned char c)
{
	return (unsigned)(c | 0x20) - 'a' < 26u || (unsigned)c - '0' < 10u;
}

struct pg_prefilter *prefilter_new(void)
{
	struct pg_prefilter *pf = pg_calloc(1, sizeof(*pf));

	for (unsigned c = 0; c < 256; c++)
		pf->word[c] = (uint8_t)word_byte((unsigned char)c);
	return pf;
}

void prefilter_free(struct pg_prefilter **pfp)
{
	struct pg_prefilter *pf = *pfp;

	if (pf == NULL)
		return;
	for (size_t i = 0; i < pf->nlits; i++) {
		free(pf->lits[i].s);
		free(pf->lits[i].owners);
	}
	free(pf->lits);
	free(pf->slots);
	free(pf->always);
	free(pf);
	*pfp = NULL;
}

static uint32_t lit_key(const char *s)
{
	return (uint32_t)(unsigned char)s[0] << 16 | (uint32_t)(unsigned char)s[1] << 8 |
	       (unsigned char)s[2];
}

void prefilter_add(struct pg_prefilter *pf, uint32_t id, char *const *lits)
{
	if (id >= pf->npatterns) {
		pf->always = pg_reallocarray(pf->always, (size_t)id + 1, 1);
		memset(pf->always + pf->npatterns, 0, (size_t)id + 1 - pf->npatterns);
		pf->npatterns = (size_t)id + 1;
	}
	pf->always[id] = lits == NULL;
	for (size_t k = 0; lits != NULL && lits[k] != NULL; k++) {
		const char *str = lits[k];
		size_t len = strlen(str);
		int before = 0, after = 0;
		uint32_t key, li;
		struct slot *s;
		struct lit *l;

		if (len > 0 && str[0] == WB) {
			before = 1;
			str++;
			len--;
		}
		if (len > 0 && str[len - 1] == WB) {
			after = 1;
			len--;
		}
		/* A boundary helps only beside a word character. */
		before = before && len > 0 && word_byte((unsigned char)str[0]);
		after = after && len > 0 && word_byte((unsigned char)str[len - 1]);
		if (len < PG_PREFILTER_MIN) {
			pf->always[id] = 1; /* prefilter_literals() never gives one */
			continue;
		}
		key = lit_key(str);
		s = key_find(pf, key);
		if (s == NULL)
			s = key_insert(pf, key);
		for (li = s->head; li != UINT32_MAX; li = pf->lits[li].next)
			if (pf->lits[li].len == len && memcmp(pf->lits[li].s, str, len) == 0 &&
			    pf->lits[li].wb_before == before && pf->lits[li].wb_after == after)
				break;
		if (li == UINT32_MAX) {
			pf->lits = pg_reallocarray(pf->lits, pf->nlits + 1, sizeof(*pf->lits));
			li = (uint32_t)pf->nlits++;
			l = &pf->lits[li];
			memset(l, 0, sizeof(*l));
			l->s = pg_strndup(str, len);
			l->len = (uint32_t)len;
			l->wb_before = (uint8_t)before;
			l->wb_after = (uint8_t)after;
			pf->anywhere |= !before;
			l->key = key;
			l->next = s->head;
			s->head = li;
			pf->bits[key_bit(key) / 64] |= 1ULL << (key_bit(key) % 64);
			prefilter_set_pair(pf, (unsigned char)str[0], (unsigned char)str[1]);
		}
		l = &pf->lits[li];
		if (l->nowners == 0 || l->owners[l->nowners - 1] != id) {
			l->owners = pg_reallocarray(l->owners, l->nowners + 1, sizeof(*l->owners));
			l->owners[l->nowners++] = id;
		}
	}
}

void prefilter_hits_init(struct pg_prefilter_hits *h)
{
	memset(h, 0, sizeof(*h));
}

void prefilter_hits_free(struct pg_prefilter_hits *h)
{
	free(h->v);
	free(h->cov);
	memset(h, 0, sizeof(*h));
}

/* Append a hit (scans go in text order; prefilter_scan_range() puts the
 * hits of a range in their place). */
static void hits_add(struct pg_prefilter_hits *h, uint32_t id, size_t start, size_t end,
		     int blocked)
{
	struct pg_prefilter_pos *p;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->v = pg_reallocarray(h->v, h->cap, sizeof(*h->v));
	}
	p = &h->v[h->n++];
	p->start = (uint32_t)start;
	p->end = (uint32_t)end;
	p->blocked = (uint8_t)blocked;
	p->id = id;
}

/* Whether [FROM, TO) of TEXT holds (the start of) a character that PCRE2
 * folds to an ASCII letter: U+017F (C5 BF) or U+212A (E2 84 AA). */
static int has_ascii_fold(const char *text, size_t len, size_t from, size_t to)
{
	const char *p = text + from, *end = text + (to + 2 < len ? to + 2 : len);

	for (; (p = memchr(p, 0xc5, (size_t)(end - p))) != NULL && p + 1 < end; p++)
		if ((unsigned char)p[1] == 0xbf)
			return 1;
	for (p = text + from; (p = memchr(p, 0xe2, (size_t)(end - p))) != NULL && p + 2 < end; p++)
		if ((unsigned char)p[1] == 0x84 && (unsigned char)p[2] == 0xaa)
			return 1;
	return 0;
}

void prefilter_begin(const struct pg_prefilter *pf, const char *text, size_t len,
		     struct pg_prefilter_hits *h)
{
	h->text = text;
	h->len = len;
	h->ncov = 0;
	h->n = 0;
	/* Offsets are kept in 32 bits. */
	h->all = pf == NULL || len > UINT32_MAX;
}

/* Whether the two raw bytes at I may start a literal. */
static inline int prefilter_pair(const struct pg_prefilter *pf, const unsigned char *u, size_t i)
{
	unsigned p = (unsigned)u[i] << 8 | u[i + 1];

	return pf->pairs[p / 64] >> (p % 64) & 1;
}

/* The literals that start at I (where prefilter_pair() said yes), recorded
 * for their patterns: three folded bytes, hashed, pick a bit; only where
 * it is set is the key looked up. */
static void prefilter_at(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
			 const unsigned char *u, size_t len, size_t i)
{
	const struct slot *s;
	uint32_t key, b;

	key = (uint32_t)fold(u[i]) << 16 | (uint32_t)fold(u[i + 1]) << 8 | fold(u[i + 2]);
	b = key_bit(key);
	if (!(pf->bits[b / 64] >> (b % 64) & 1))
		return;
	s = key_find(pf, key);
	if (s == NULL)
		return;
	for (uint32_t li = s->head; li != UINT32_MAX; li = pf->lits[li].next) {
		const struct lit *l = &pf->lits[li];
		size_t k;
		int blocked;

		if (i + l->len > len)
			continue;
		for (k = PG_PREFILTER_MIN; k < l->len; k++)
			if (fold(u[i + k]) != (unsigned char)l->s[k])
				break;
		if (k < l->len)
			continue;
		/* \b before a word character needs no word character before it;
		 * after, the same, unless a search ends right there. */
		if (l->wb_before && i > 0 && word_byte(u[i - 1]))
			continue;
		blocked = l->wb_after && i + l->len < len && alnum_byte(u[i + l->len]);
		for (uint32_t o = 0; o < l->nowners; o++)
			hits_add(h, l->owners[o], i, i + l->len, blocked);
	}
}

/* Find the literals that start in [FROM, TO). */
static void prefilter_scan_gap(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
			       size_t from, size_t to)
{
	const unsigned char *u = (const unsigned char *)h->text;
	size_t len = h->len, i;

	if (has_ascii_fold(h->text, len, from, to)) {
		h->all = 1;
		return;
	}
	if (pf->anywhere) {
		for (i = from; i < to && i + 2 < len; i++)
			if (prefilter_pair(pf, u, i))
				prefilter_at(pf, h, u, len, i);
		return;
	}
	/* Every literal starts a word (after \b): only word starts are tried.
	 * They are found 64 bytes at a time, as a mask of word bytes without a
	 * word byte before them: no branch per byte. */
	for (i = from; i < to; i += 64) {
		size_t n = to - i < 64 ? to - i : 64;
		uint64_t w = 0, starts;

		for (size_t k = 0; k < n; k++)
			w |= (uint64_t)pf->word[u[i + k]] << k;
		starts = w & ~(w << 1 | (uint64_t)(i > 0 && pf->word[u[i - 1]]));
		while (starts != 0) {
			size_t at = i + pg_ctz64(starts);

			if (at + 2 >= len)
				return;
			if (prefilter_pair(pf, u, at))
				prefilter_at(pf, h, u, len, at);
			starts &= starts - 1;
		}
	}
}

/* Find the literals that start in [FROM, TO), a range not searched before,
 * and put them in text order among the others: they all start between the
 * same two hits found before. */
static void prefilter_scan_range(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
				 size_t from, size_t to)
{
	size_t old = h->n, at = PG_LOWER_BOUND(h->v, old, start, from), added;

	prefilter_scan_gap(pf, h, from, to);
	added = h->n - old;
	if (added > 0 && at < old) {
		struct pg_prefilter_pos *tmp = pg_reallocarray(NULL, added, sizeof(*tmp));

		memcpy(tmp, h->v + old, added * sizeof(*tmp));
		memmove(h->v + at + added, h->v + at, (old - at) * sizeof(*tmp));
		memcpy(h->v + at, tmp, added * sizeof(*tmp));
		free(tmp);
	}
}

void prefilter_cover(const struct pg_prefilter *pf, size_t from, size_t to,
		     struct pg_prefilter_hits *h)
{
	size_t i, j, pos;

	if (to > h->len)
		to = h->len;
	if (h->all || from >= to || pf->nlits == 0)
		return;
	/* Scan the gaps between the ranges already covered. */
	i = PG_LOWER_BOUND(h->cov, h->ncov, to, from + 1);
	if (i < h->ncov && h->cov[i].from <= from && h->cov[i].to >= to)
		return; /* done before */
	for (pos = from, j = i; pos < to;) {
		size_t gap_end;

		if (j < h->ncov && h->cov[j].from <= pos) {
			if (h->cov[j].to > pos)
				pos = h->cov[j].to;
			j++;
			continue;
		}
		gap_end = j < h->ncov && h->cov[j].from < to ? h->cov[j].from : to;
		prefilter_scan_range(pf, h, pos, gap_end);
		pos = gap_end;
	}
	/* Record [FROM, TO) as covered, merged with the ranges it meets. */
	i = PG_LOWER_BOUND(h->cov, h->ncov, to, from);
	for (j = i; j < h->ncov && h->cov[j].from <= to; j++) {
		if (h->cov[j].from < from)
			from = h->cov[j].from;
		if (h->cov[j].to > to)
			to = h->cov[j].to;
	}
	if (j == i) {
		if (h->ncov == h->covcap) {
			h->covcap = h->covcap ? h->covcap * 2 : 16;
			h->cov = pg_reallocarray(h->cov, h->covcap, sizeof(*h->cov));
		}
		memmove(h->cov + i + 1, h->cov + i, (h->ncov - i) * sizeof(*h->cov));
		h->ncov++;
	} else if (j > i + 1) {
		memmove(h->cov + i + 1, h->cov + j, (h->ncov - j) * sizeof(*h->cov));
		h->ncov -= j - i - 1;
	}
	h->cov[i].from = (uint32_t)from;
	h->cov[i].to = (uint32_t)to;
}

void prefilter_scan(const struct pg_prefilter *pf, const char *text, size_t len,
		    struct pg_prefilter_hits *h)
{
	prefilter_begin(pf, text, len, h);
	if (pf != NULL)
		prefilter_cover(pf, 0, len, h);
}

/* Whether a hit inside [FROM, TO) counts: wholly inside, and not blocked
 * unless it ends at TO. */
static int hit_counts(const struct pg_prefilter_pos *p, size_t to)
{
	return p->end == to || (p->end < to && !p->blocked);
}

/* Whether a hit of a pattern that IDS marks (IDS NULL: of pattern ID)
 * counts in [FROM, TO), the range covered first. */
static int hits_within(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
		       const uint8_t *ids, uint32_t id, size_t from, size_t to)
{
	prefilter_cover(pf, from, to, h);
	if (h->all)
		return 1;
	for (size_t i = PG_LOWER_BOUND(h->v, h->n, start, from); i < h->n && h->v[i].start < to;
	     i++)
		if ((ids ? ids[h->v[i].id] != 0 : h->v[i].id == id) && hit_counts(&h->v[i], to))
			return 1;
	return 0;
}

int prefilter_may_match_some(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
			     const uint8_t *ids, size_t from, size_t to)
{
	return pf == NULL || h->all || hits_within(pf, h, ids, 0, from, to);
}

int prefilter_may_match(const struct pg_prefilter *pf, struct pg_prefilter_hits *h,
			uint32_t id, size_t from, size_t to)
{
	return prefilter_always(pf, id) || h->all || hits_within(pf, h, NULL, id, from, to);
}

int prefilter_always(const struct pg_prefilter *pf, uint32_t id)
{
	return pf == NULL || id >= pf->npatterns || pf->always[id];
}
