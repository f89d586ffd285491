/*
 * tables.c - rows of exports written as names read (see tables.h).
 *
 * Each line is a row.  Blank lines do not end a table (CSV parts reach the
 * engine with a blank line between rows, see extract.c); a line that does
 * not fit the header does.  A header is tried with each delimiter in turn
 * and then as fixed-width columns (runs of two spaces or more); its cells
 * name the columns by the words MIS exports use (Forename, Legal Surname,
 * First Name, Family Name, Middle Names, Preferred Forename ...).
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "tables.h"

#define TABLES_MAX_CELLS 64
#define TABLES_MAX_ROLE 4 /* forename or surname columns kept per header */

struct cell {
	const char *p;
	size_t n;
	int quoted;
};

struct header {
	int active;
	char delim;                     /* 0: fixed-width */
	size_t start[TABLES_MAX_CELLS]; /* fixed-width: each column's first byte */
	size_t ncols;
	size_t fore[TABLES_MAX_ROLE], sur[TABLES_MAX_ROLE];
	size_t nfore, nsur, need;       /* need: cells a row must have */
	size_t title;                   /* the Title column, or SIZE_MAX */
};

/* Split LINE at DELIM, honouring RFC 4180 quotes; cells trimmed. */
static size_t tables_split(const char *line, size_t n, char delim, struct cell *c)
{
	size_t k = 0, i = 0;

	while (i <= n && k < TABLES_MAX_CELLS) {
		size_t start, end;
		int quoted = 0;

		while (i < n && (line[i] == ' ' || (line[i] == '\t' && delim != '\t')))
			i++;
		start = i;
		if (i < n && line[i] == '"') {
			quoted = 1;
			for (i++; i < n; i++) {
				if (line[i] == '"' && i + 1 < n && line[i + 1] == '"')
					i++;
				else if (line[i] == '"')
					break;
			}
		}
		while (i < n && line[i] != delim)
			i++;
		end = i;
		while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
			end--;
		c[k++] = (struct cell){line + start, end - start, quoted};
		i++;
	}
	return k;
}

/* Fixed-width: columns are separated by two spaces or more. */
static size_t tables_split_fixed(const char *line, size_t n, struct cell *c, size_t *start)
{
	size_t k = 0, i = 0;

	while (i < n && k < TABLES_MAX_CELLS) {
		size_t s, e;

		while (i < n && line[i] == ' ')
			i++;
		if (i == n)
			break;
		s = e = i;
		while (e < n && !(line[e] == ' ' && (e + 1 == n || line[e + 1] == ' ')))
			e++;
		start[k] = s;
		c[k++] = (struct cell){line + s, e - s, 0};
		i = e;
	}
	return k;
}

/* A header cell reduced to lower-case letters: "Legal Forename" -> "legalforename". */
static void tables_key(const struct cell *c, char *key, size_t size)
{
	size_t k = 0;

	for (size_t i = 0; i < c->n && k + 1 < size; i++)
		if (isalpha((unsigned char)c->p[i]))
			key[k++] = (char)tolower((unsigned char)c->p[i]);
	key[k] = '\0';
}

enum role { ROLE_OTHER, ROLE_FORE, ROLE_SUR, ROLE_TITLE };

static enum role tables_role(const struct cell *c)
{
	static const char *const sur[] = {"surname", "lastname", "familyname", NULL};
	static const char *const fore[] = {"forename", "firstname", "givenname", "preferredname",
					   "knownas", "christianname", "chosenname", NULL};
	char key[48];

	if (c->n >= sizeof key)
		return ROLE_OTHER;
	tables_key(c, key, sizeof key);
	if (strcmp(key, "title") == 0 || strcmp(key, "salutation") == 0)
		return ROLE_TITLE;
	for (size_t i = 0; sur[i]; i++)
		if (strstr(key, sur[i]))
			return ROLE_SUR;
	for (size_t i = 0; fore[i]; i++)
		if (strstr(key, fore[i]))
			return ROLE_FORE;
	return strcmp(key, "first") == 0 || strcmp(key, "given") == 0 ? ROLE_FORE : ROLE_OTHER;
}

/* Whether cells C[0..N) make a header with forename and surname columns. */
static int tables_header(const struct cell *c, size_t n, struct header *h)
{
	h->nfore = h->nsur = h->need = 0;
	h->title = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		enum role r = tables_role(&c[i]);

		if (r == ROLE_TITLE)
			h->title = i;
		if (r == ROLE_FORE && h->nfore < TABLES_MAX_ROLE)
			h->fore[h->nfore++] = i;
		else if (r == ROLE_SUR && h->nsur < TABLES_MAX_ROLE)
			h->sur[h->nsur++] = i;
		if (r != ROLE_OTHER && i + 1 > h->need)
			h->need = i + 1;
	}
	h->ncols = n;
	return n >= 2 && h->nfore > 0 && h->nsur > 0;
}

static void tables_put_cell(struct pg_buf *out, const struct cell *c)
{
	const char *p = c->p;
	size_t n = c->n;

	if (c->quoted && n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	} else if (c->quoted && n >= 1 && p[0] == '"') {
		p++;
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		pg_buf_putc(out, p[i]);
		if (c->quoted && p[i] == '"' && i + 1 < n && p[i + 1] == '"')
			i++;
	}
}

/* Whether cell C holds an adult's title ("Mr", "Mrs.", "Dr"). */
static int tables_adult_title(const struct cell *c)
{
	static const char *const titles[] = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof",
					     "rev", "sir", "dame", NULL};
	char key[16];

	if (c->n == 0 || c->n >= sizeof key)
		return 0;
	tables_key(c, key, sizeof key);
	for (size_t i = 0; titles[i]; i++)
		if (strcmp(key, titles[i]) == 0)
			return 1;
	return 0;
}

/* A row under header H: each forename with each surname, as they read.
 * A row whose Title cell holds an adult's title is staff or a parent,
 * never a pupil ("Mr,Adam,Knight"), and is not written. */
static size_t tables_row(const struct header *h, const struct cell *c, size_t k,
			 struct pg_buf *out)
{
	size_t rows = 0;

	if (h->title != SIZE_MAX && h->title < k && tables_adult_title(&c[h->title]))
		return 0;

	for (size_t f = 0; f < h->nfore; f++)
		for (size_t s = 0; s < h->nsur; s++) {
			const struct cell *fc = &c[h->fore[f]], *sc = &c[h->sur[s]];

			if (fc->n == 0 || sc->n == 0)
				continue;
			tables_put_cell(out, fc);
			pg_buf_putc(out, ' ');
			tables_put_cell(out, sc);
			pg_buf_puts(out, "\n\n");
			rows++;
		}
	return rows;
}

/* The cells of LINE under fixed-width header H, or 0 when it does not fit. */
static size_t tables_fixed_row(const struct header *h, const char *line, size_t n, struct cell *c)
{
	size_t last = h->start[h->need - 1];

	if (n <= last)
		return 0;
	for (size_t i = 0; i < h->need; i++) {
		size_t s = h->start[i], e = i + 1 < h->ncols ? h->start[i + 1] : n;

		if (s > 0 && s <= n && line[s - 1] != ' ')
			return 0; /* the columns do not line up */
		if (s > n)
			s = n;
		if (e > n)
			e = n;
		while (s < e && line[s] == ' ')
			s++;
		while (e > s && line[e - 1] == ' ')
			e--;
		c[i] = (struct cell){line + s, e - s, 0};
	}
	return h->need;
}

/* Whether LINE has "name" in any case: every surname header does
 * (Surname, Last Name, Family Name), so a line without is no header. */
static int tables_may_head(const char *line, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if ((line[i] | 0x20) == 'n' && (line[i + 1] | 0x20) == 'a' &&
		    (line[i + 2] | 0x20) == 'm' && (line[i + 3] | 0x20) == 'e')
			return 1;
	return 0;
}

/* A line that may start a table: try each delimiter, then fixed width. */
static void tables_try_header(const char *line, size_t n, struct header *h)
{
	static const char delims[] = {'\t', ',', ';', '|'};
	struct cell c[TABLES_MAX_CELLS];

	h->active = 0;
	if (!tables_may_head(line, n))
		return;
	for (size_t d = 0; d < sizeof delims; d++) {
		if (!memchr(line, delims[d], n))
			continue;
		if (tables_header(c, tables_split(line, n, delims[d], c), h)) {
			h->active = 1;
			h->delim = delims[d];
			return;
		}
	}
	if (tables_header(c, tables_split_fixed(line, n, c, h->start), h)) {
		h->active = 1;
		h->delim = 0;
	}
}

/* A quoted row with no header: "Quellan","Farid" reads "Quellan, Farid". */
static size_t tables_quoted(const char *line, size_t n, struct pg_buf *out)
{
	struct cell c[TABLES_MAX_CELLS];
	size_t k;

	if (!memchr(line, '"', n))
		return 0;
	k = tables_split(line, n, memchr(line, ';', n) && !memchr(line, ',', n) ? ';' : ',', c);
	if (k < 2)
		return 0;
	for (size_t i = 0; i < k; i++) {
		if (i)
			pg_buf_puts(out, ", ");
		tables_put_cell(out, &c[i]);
	}
	pg_buf_puts(out, "\n\n");
	return 1;
}

size_t tables_names(const char *text, size_t len, struct pg_buf *out)
{
	struct header h = {0};
	struct cell c[TABLES_MAX_CELLS];
	size_t rows = 0, i = 0;

	pg_buf_truncate(out, 0);
	/* No header ("name" in a surname column's header) and no quote: no
	 * table here.  memmem and memchr read the text far faster than the
	 * line loop below. */
	if (memchr(text, '"', len) == NULL && memmem(text, len, "ame", 3) == NULL &&
	    memmem(text, len, "AME", 3) == NULL)
		return 0;
	while (i < len && out->len < 2 * len + 4096) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i, k;

		i += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0 || strspn(line, " \t\r") >= n)
			continue; /* blank lines do not end a table */
		if (h.active) {
			k = h.delim ? tables_split(line, n, h.delim, c) : tables_fixed_row(&h, line, n, c);
			if (k >= h.need && k > 1) {
				rows += tables_row(&h, c, k, out);
				continue;
			}
		}
		tables_try_header(line, n, &h);
		if (!h.active)
			rows += tables_quoted(line, n, out);
	}
	return rows;
}
