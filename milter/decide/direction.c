/*
 * direction.c - message direction, bulk detection and exemptions.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expand.h"
#include "cidr.h"
#include "direction.h"
#include "log.h"

static const char *direction_domain(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;

	return at ? at + 1 : NULL;
}

/* DOMAIN equals PATTERN or is a subdomain of it. */
static int direction_domain_match(const char *domain, const char *pattern)
{
	size_t dl, pl;

	if (*pattern == '@' || *pattern == '.')
		pattern++;
	dl = strlen(domain);
	pl = strlen(pattern);
	if (dl == pl)
		return strcasecmp(domain, pattern) == 0;
	return dl > pl && domain[dl - pl - 1] == '.' && strcasecmp(domain + dl - pl, pattern) == 0;
}

int direction_is_local(const struct pg_conf *c, const char *addr)
{
	const char *domain = direction_domain(addr);

	if (domain == NULL || c->local_domains == NULL)
		return 0;
	for (size_t i = 0; c->local_domains[i] != NULL; i++)
		if (direction_domain_match(domain, c->local_domains[i]))
			return 1;
	return 0;
}

/* The last C in the N bytes at S outside double quotes (backslash escapes
 * honoured), or NULL; FIRST: the first instead. */
static const char *direction_find(const char *s, size_t n, char c, int first)
{
	const char *found = NULL;
	int quoted = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
		} else if (s[i] == '"') {
			quoted = !quoted;
		} else if (s[i] == c && !quoted) {
			found = s + i;
			if (first)
				break;
		}
	}
	return found;
}

char *direction_route(const struct pg_conf *c, const char *addr)
{
	const char *a = addr ? addr : "";
	char *cur;

	/* A source route "@a,@b:user@c" is ignored, as Postfix does. */
	if (*a == '@' && strchr(a, ':') != NULL)
		a = strchr(a, ':') + 1;
	cur = pg_strdup(a);
	for (int depth = 0; depth < PG_ROUTE_DEPTH; depth++) {
		const char *at = direction_find(cur, strlen(cur), '@', 0), *sep;
		size_t llen = at ? (size_t)(at - cur) : strlen(cur);
		char *next;

		/* An outside domain is where it goes, whatever its local part. */
		if (at != NULL && !direction_is_local(c, cur))
			return cur;
		/* A local domain is stripped and the local part read again:
		 * user%site (the rightmost %, or a second @) and site!user. */
		if ((sep = direction_find(cur, llen, '@', 0)) == NULL)
			sep = direction_find(cur, llen, '%', 0);
		if (sep != NULL) {
			next = pg_asprintf("%.*s@%.*s", (int)(sep - cur), cur,
					   (int)(llen - (size_t)(sep - cur) - 1), sep + 1);
		} else if ((sep = direction_find(cur, llen, '!', 1)) != NULL) {
			next = pg_asprintf("%.*s@%.*s", (int)(llen - (size_t)(sep - cur) - 1), sep + 1,
					   (int)(sep - cur), cur);
		} else {
			return cur; /* a local user (or a bare name: as given) */
		}
		free(cur);
		cur = next;
	}
	/* Deeper than any real route: take it as leaving the school. */
	free(cur);
	return pg_strdup("too-deep-route@.");
}

/* ADDR is in LIST, as a whole address or by its domain ("@la.gov.uk" or "la.gov.uk"). */
static int direction_listed(char *const *list, const char *addr)
{
	const char *domain = direction_domain(addr);

	if (list == NULL || addr == NULL)
		return 0;
	for (size_t i = 0; list[i] != NULL; i++) {
		if (strchr(list[i], '@') != NULL && list[i][0] != '@') {
			if (strcasecmp(list[i], addr) == 0)
				return 1;
		} else if (domain != NULL && direction_domain_match(domain, list[i])) {
			return 1;
		}
	}
	return 0;
}

/* Whether a recipient of ENV leaves the school: as Postfix will route it,
 * and when every one is local, once Postfix's aliases expand them. */
static int direction_outside(const struct pg_conf *c, const struct pg_envelope *env)
{
	char **local = pg_calloc(env->nrcpts + 1, sizeof(*local));
	const char *error;
	size_t n = 0;
	int outside = 0;

	for (size_t i = 0; i < env->nrcpts && !outside; i++) {
		char *to = direction_route(c, env->rcpts[i]);

		if (!(outside = !direction_is_local(c, to)))
			local[n++] = to;
		else
			free(to);
	}
	if (!outside && n > 0 && c->pf_postmap != NULL &&
	    (outside = aliases_outside(c, local, n, &error)) < 0) {
		pg_log(PG_LOG_WARNING, NULL, "Postfix aliases not read (%s): taken as outbound",
		       error);
		outside = 1;
	}
	for (size_t i = 0; i < n; i++)
		free(local[i]);
	free(local);
	return outside;
}

enum pg_direction direction_decide(const struct pg_conf *c, const struct pg_envelope *env)
{
	int school = env->authenticated || cidr_match(c->trusted_networks,
								  env->client_addr);
	int outside;

	if (!school)
		return PG_DIR_INBOUND;
	if (!(outside = direction_outside(c, env)))
		return PG_DIR_INTERNAL;
	if (env->has_list_id ||
	    (env->precedence != NULL && (strcasestr(env->precedence, "bulk") != NULL ||
					 strcasestr(env->precedence, "list") != NULL)) ||
	    direction_listed(c->newsletter_senders, env->sender) ||
	    (c->newsletter_min_recipients > 0 &&
	     env->nrcpts > (size_t)c->newsletter_min_recipients))
		return PG_DIR_NEWSLETTER;
	return PG_DIR_OUTBOUND;
}

int direction_exempt(const struct pg_conf *c, const struct pg_envelope *env, const char **why_r)
{
	size_t allowed = 0;

	/* An envelope sender can be forged: it exempts only mail that comes
	 * from the school (authenticated or a trusted network). */
	if (direction_listed(c->allowed_senders, env->sender) &&
	    (env->authenticated || cidr_match(c->trusted_networks, env->client_addr))) {
		*why_r = "allowed sender";
		return 1;
	}
	for (size_t i = 0; i < env->nrcpts; i++)
		allowed += direction_listed(c->allowed_recipients, env->rcpts[i]) != 0;
	if (env->nrcpts > 0 && allowed == env->nrcpts) {
		*why_r = "allowed recipients";
		return 1;
	}
	return 0;
}
