/*
 * norm.h - Unicode normalisation and word tokenisation of extracted text.
 *
 * norm_tokenize() turns UTF-8 text into word tokens whose folded form is
 * compatibility-decomposed, stripped of accents and lower-cased ("Zoë",
 * "ZOE" and "Zo&euml;" after HTML decoding all become "zoe"), and records
 * for each token what separated it from the previous one.  Apostrophes and
 * hyphens inside a word split it into tokens joined by PG_SEP_JOIN, so
 * "O'Connor", "O’Connor" and "O Connor" tokenise alike, as do "Smith-Jones"
 * and "Smith Jones".  Invisible characters (zero widths, soft hyphens,
 * direction marks) are dropped, and Cyrillic and Greek letters that look
 * Latin fold to the Latin letter inside a Latin word, so a name spelt with a homoglyph or a
 * hidden break matches (a word wholly in Cyrillic or Greek is left as it
 * is).  Reply quoting ("> ") at the start of a line is white
 * space.  Separators are classified, not kept: the matcher only needs to know
 * whether two words could belong to one name.
 *
 * It does not know about names, rosters or HTML: see names.c and html.c.
 */
#ifndef PG_NORM_H
#define PG_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* What stood between a token and the one before it. */
enum pg_sep {
	PG_SEP_NONE = 0,  /* first token of the text */
	PG_SEP_JOIN,      /* apostrophe or hyphen inside a word */
	PG_SEP_SPACE,     /* white space, a single line break, an initial's dot */
	PG_SEP_COMMA,     /* a comma (with or without space) */
	PG_SEP_CELL,      /* a table or CSV cell boundary: tab, '|', ';' */
	PG_SEP_BREAK      /* anything else: sentence punctuation, blank line, brackets */
};

/* Token flags, from the original spelling. */
#define PG_TOK_CAPITAL 0x01 /* first letter upper case */
#define PG_TOK_UPPER 0x02   /* every letter upper case */
#define PG_TOK_LOWER 0x04   /* every letter lower case */
#define PG_TOK_DOTTED 0x08  /* directly followed by '.' */
#define PG_TOK_DIGIT 0x10   /* contains a digit */
#define PG_TOK_LONG 0x20    /* longer than PG_TOKEN_MAX: folded form truncated */

#define PG_TOKEN_MAX 64

struct pg_token {
	uint32_t start;    /* byte offset of the token in the source text */
	uint32_t end;      /* byte offset just past it */
	uint32_t norm_off; /* folded form, in pg_tokens.norm */
	uint16_t norm_len;
	uint8_t sep;       /* enum pg_sep: separator before this token */
	uint8_t flags;     /* PG_TOK_* */
};

struct pg_tokens {
	struct pg_token *v;
	size_t n, cap;
	struct pg_buf norm; /* folded token text, not NUL-separated */
};

void norm_tokens_init(struct pg_tokens *t);
void norm_tokens_reset(struct pg_tokens *t);
void norm_tokens_free(struct pg_tokens *t);

/* Tokenise LEN bytes of UTF-8 (invalid bytes act as separators). */
void norm_tokenize(const char *text, size_t len, struct pg_tokens *out);

/* Folded form of token I. */
static inline const char *norm_token_text(const struct pg_tokens *t, size_t i)
{
	return t->norm.data + t->v[i].norm_off;
}

/* Fold a whole string into space-separated folded tokens ("Zoë O’Neil" ->
 * "zoe o neil"); used for rosters and allowlist phrases. */
char *norm_fold_phrase(const char *text, size_t len);

/* The ASCII folding table: lower-case letter or digit, 0 for anything else. */
const char *norm_ascii_fold(void);

/* Walking words by bytes, before tokenising: a word here is a chunk of
 * bytes between white space that holds an ASCII letter or digit, so each
 * holds at least one token and K of them reach at least K tokens.
 * norm_words_back() gives the start of the K-th word that ends before POS
 * (0 if there are fewer), norm_words_forward() the end of the K-th that
 * starts at or after POS (LEN if there are fewer); the byte on the other
 * side of POS is not looked at. */
size_t norm_words_back(const char *text, size_t pos, size_t k);
size_t norm_words_forward(const char *text, size_t len, size_t pos, size_t k);

/* Whether a new section of TEXT starts on a line that begins in (FROM,
 * TO]: a heading (a line after a blank line, not a table row, underlined
 * by a line of at least three of - = _ * ~, as plain-text newsletters
 * write them and html_to_text() writes <h1>-<h6>) or such a rule line
 * after a blank line (<hr>).  A heading belongs to the section below it. */
int norm_section_between(const char *text, size_t len, size_t from, size_t to);

/* Index of the token containing or following byte OFFSET (binary search). */
size_t norm_token_at(const struct pg_tokens *t, size_t offset);

#endif
