/*
 * expand.c - local recipients expanded through Postfix's alias tables
 * (see expand.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expand.h"
#include "direction.h"
#include "log.h"
#include "run.h"
#include "util.h"
#include "pfmaps.h"

/* Bytes of an :include: file read at most, and how deep they nest. */
#define ALIASES_INCLUDE_MAX (1024 * 1024)
#define ALIASES_INCLUDE_DEPTH 4

/* A list of addresses, each owned. */
struct aliases_list {
	char **v;
	size_t n;
};

static void aliases_add(struct aliases_list *l, char *s)
{
	l->v = pg_reallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

static int aliases_has(const struct aliases_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

static void aliases_clear(struct aliases_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* One message's expansion: the addresses seen, the next round, and
 * whether one of them leaves. */
struct aliases_walk {
	const struct pg_conf *c;
	struct aliases_list seen, next;
	int outside;
};

/* The keys Postfix tries for ADDR, best first, into KEYS: virtual (VIRT)
 * or local aliases. */
static void aliases_keys(const struct pg_conf *c, const char *addr, int virt,
			 struct aliases_list *keys)
{
	const char *at = strrchr(addr, '@');
	size_t llen = at ? (size_t)(at - addr) : strlen(addr);
	size_t blen = llen;
	const char *domain = at ? at + 1 : "";

	if (*c->pf_delimiter != '\0') {
		for (size_t i = 0; i < llen; i++) {
			if (strchr(c->pf_delimiter, addr[i]) != NULL) {
				blen = i;
				break;
			}
		}
	}
	if (virt) {
		aliases_add(keys, pg_asprintf("%.*s@%s", (int)llen, addr, domain));
		if (blen < llen)
			aliases_add(keys, pg_asprintf("%.*s@%s", (int)blen, addr, domain));
	}
	aliases_add(keys, pg_strndup(addr, llen));
	if (blen < llen)
		aliases_add(keys, pg_strndup(addr, blen));
	if (virt)
		aliases_add(keys, pg_asprintf("@%s", domain));
}

/* Ask MAPS for KEYS with postmap; the values found, one per key (NULL when
 * not found), into *VALUES_R.  0, or -1 with *error_r. */
static int aliases_query(const struct pg_conf *c, char *const *maps,
			 const struct aliases_list *keys, char ***values_r, const char **error_r)
{
	struct pg_buf in;
	char **argv, **values, *out = NULL, *err = NULL, *p;
	size_t nmaps = 0, k = 0;
	int status, rc = -1;

	while (maps[nmaps] != NULL)
		nmaps++;
	argv = pg_calloc(nmaps + 6, sizeof(*argv));
	argv[k++] = c->pf_postmap;
	argv[k++] = "-c";
	argv[k++] = c->postfix_maps;
	argv[k++] = "-q";
	argv[k++] = "-";
	for (size_t i = 0; i < nmaps; i++)
		argv[k++] = maps[i];
	pg_buf_init(&in, 256);
	for (size_t i = 0; i < keys->n; i++)
		pg_buf_printf(&in, "%s\n", keys->v[i]);
	status = pg_run(argv, in.data, PG_PFMAPS_TIMEOUT_MS, &out, &err, error_r);
	free(argv);
	pg_buf_free(&in, 0);
	if (status < 0)
		return -1;
	if (status > 1 || strstr(err, "fatal:") != NULL || strstr(err, "error:") != NULL) {
		*error_r = pg_errorf("%s", pg_run_complaint(err, "postmap failed"));
		goto out;
	}
	values = pg_calloc(keys->n + 1, sizeof(*values));
	for (p = out; *p != '\0';) {
		char *line = p, *nl = strchr(p, '\n'), *tab;

		if (nl != NULL)
			*nl = '\0';
		p = nl ? nl + 1 : p + strlen(p);
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		for (size_t i = 0; i < keys->n; i++)
			if (values[i] == NULL && strcasecmp(keys->v[i], line) == 0)
				values[i] = pg_strdup(tab + 1);
	}
	*values_r = values;
	rc = 0;
out:
	free(out);
	free(err);
	return rc;
}

static void aliases_values_free(char **values, size_t n)
{
	for (size_t i = 0; values != NULL && i < n; i++)
		free(values[i]);
	free(values);
}

static int aliases_entries(struct aliases_walk *w, const char *value, const char *domain,
			   int depth, const char **error_r);

/* An :include: file's addresses. */
static int aliases_include(struct aliases_walk *w, const char *path, const char *domain,
			   int depth, const char **error_r)
{
	char *text, *p;
	size_t len;
	int rc;

	if (depth >= ALIASES_INCLUDE_DEPTH) {
		*error_r = pg_errorf(":include: nested deeper than %d", ALIASES_INCLUDE_DEPTH);
		return -1;
	}
	if ((text = pg_read_file(path, ALIASES_INCLUDE_MAX, &len, error_r)) == NULL) {
		*error_r = pg_errorf(":include:%s: %s", path, *error_r);
		return -1;
	}
	/* Comments out, then the rest is a list like any value. */
	for (p = text; (p = strchr(p, '#')) != NULL;)
		while (*p != '\0' && *p != '\n')
			*p++ = ' ';
	rc = aliases_entries(w, text, domain, depth + 1, error_r);
	free(text);
	return rc;
}

/* One entry of a value: outside, local (into the next round), or a
 * delivery that stays here. */
static int aliases_entry(struct aliases_walk *w, const char *e, size_t len, const char *domain,
			 int depth, const char **error_r)
{
	char *addr, *to;
	size_t skip = (len > 1 && e[0] == '"') ? 1 : 0;

	if (e[skip] == '|' || e[skip] == '/' || e[0] == '\\')
		return 0; /* a command, a file, or a mailbox without more aliasing */
	if (len > 9 && strncasecmp(e, ":include:", 9) == 0) {
		char *path = pg_strndup(e + 9, len - 9);
		int rc = aliases_include(w, path, domain, depth, error_r);

		free(path);
		return rc;
	}
	addr = memchr(e, '@', len) ? pg_strndup(e, len) : pg_asprintf("%.*s@%s", (int)len, e, domain);
	to = direction_route(w->c, addr);
	free(addr);
	if (!direction_is_local(w->c, to)) {
		pg_log(PG_LOG_DEBUG, NULL, "an alias reaches outside the local domains");
		w->outside = 1;
		free(to);
	} else if (aliases_has(&w->seen, to) || aliases_has(&w->next, to)) {
		free(to);
	} else {
		aliases_add(&w->next, to);
	}
	return 0;
}

/* The entries of VALUE (separated by commas and white space outside
 * double quotes), bare names taking DOMAIN. */
static int aliases_entries(struct aliases_walk *w, const char *value, const char *domain,
			   int depth, const char **error_r)
{
	const char *p = value;

	while (*p != '\0' && !w->outside) {
		const char *start;
		int quoted = 0;

		p += strspn(p, ", \t\r\n");
		start = p;
		while (*p != '\0' && (quoted || strchr(", \t\r\n", *p) == NULL)) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == '\\' && p[1] != '\0')
				p++;
			p++;
		}
		if (p > start && aliases_entry(w, start, (size_t)(p - start), domain, depth,
					       error_r) < 0)
			return -1;
	}
	return 0;
}

/* Whether ADDR can be a lookup key: no white space or control character
 * (it would read as two keys) and not absurdly long. */
static int aliases_keyable(const char *addr)
{
	size_t n = strlen(addr);

	if (n == 0 || n > 1000)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)addr[i] <= ' ' || addr[i] == 0x7f)
			return 0;
	return 1;
}

/* The addresses in CUR that one kind of table (VIRT) expands: their
 * entries into the walk, the others (not found) into *REST when given. */
static int aliases_round(struct aliases_walk *w, const struct aliases_list *cur, int virt,
			 struct aliases_list *rest, const char **error_r)
{
	char *const *maps = virt ? w->c->pf_virtual_maps : w->c->pf_alias_maps;
	struct aliases_list keys = { 0 };
	size_t *first = pg_calloc(cur->n + 1, sizeof(*first));
	char **values = NULL;
	int rc = -1;

	if (maps == NULL || maps[0] == NULL) {
		for (size_t i = 0; rest != NULL && i < cur->n; i++)
			aliases_add(rest, pg_strdup(cur->v[i]));
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < cur->n; i++) {
		first[i] = keys.n;
		aliases_keys(w->c, cur->v[i], virt, &keys);
	}
	first[cur->n] = keys.n;
	if (aliases_query(w->c, maps, &keys, &values, error_r) < 0)
		goto out;
	for (size_t i = 0; i < cur->n && !w->outside; i++) {
		const char *value = NULL, *at = strrchr(cur->v[i], '@');

		for (size_t k = first[i]; k < first[i + 1] && value == NULL; k++)
			value = values[k];
		if (value == NULL) {
			if (rest != NULL)
				aliases_add(rest, pg_strdup(cur->v[i]));
		} else if (aliases_entries(w, value, at ? at + 1 : "", 0, error_r) < 0) {
			goto out;
		}
	}
	rc = 0;
out:
	aliases_values_free(values, keys.n);
	aliases_clear(&keys);
	free(first);
	return rc;
}

int aliases_outside(const struct pg_conf *c, char *const *addrs, size_t n, const char **error_r)
{
	struct aliases_walk w = { .c = c };
	struct aliases_list cur = { 0 }, rest = { 0 };
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		if (!aliases_has(&w.next, addrs[i]))
			aliases_add(&w.next, pg_strdup(addrs[i]));
	for (int depth = 0; depth <= PG_ALIAS_DEPTH; depth++) {
		if (w.next.n == 0) {
			rc = 0;
			goto out;
		}
		if (depth == PG_ALIAS_DEPTH || w.seen.n + w.next.n > PG_ALIAS_MAX) {
			*error_r = pg_errorf("aliases expand deeper than %d or wider than %d",
					     PG_ALIAS_DEPTH, PG_ALIAS_MAX);
			goto out;
		}
		aliases_clear(&cur);
		cur = w.next;
		w.next = (struct aliases_list){ 0 };
		for (size_t i = 0; i < cur.n; i++) {
			if (!aliases_keyable(cur.v[i])) {
				*error_r = "a recipient that cannot be looked up";
				goto out;
			}
			aliases_add(&w.seen, pg_strdup(cur.v[i]));
		}
		/* Virtual aliases first (cleanup), then local ones for the
		 * addresses virtual left alone (local). */
		if (aliases_round(&w, &cur, 1, &rest, error_r) < 0 ||
		    (!w.outside && aliases_round(&w, &rest, 0, NULL, error_r) < 0))
			goto out;
		aliases_clear(&rest);
		if (w.outside) {
			rc = 1;
			goto out;
		}
	}
out:
	aliases_clear(&cur);
	aliases_clear(&rest);
	aliases_clear(&w.seen);
	aliases_clear(&w.next);
	return rc;
}
