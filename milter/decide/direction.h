/*
 * direction.h - which way a message is going, from the envelope and the
 * configuration: inbound (from outside), internal (school sender, every
 * recipient local), outbound (school sender, a recipient outside), or
 * newsletter (outbound bulk: List-Id, Precedence bulk or list, a configured
 * newsletter sender, or many recipients).  A school sender is one that
 * authenticated or connected from a trusted network; the From header is not
 * trusted for this, since anyone can write it.
 *
 * Also decides exemptions (allowed senders and recipients).  No libmilter
 * here: the milter fills a pg_envelope from its macros and callbacks.
 */
#ifndef PG_DIRECTION_H
#define PG_DIRECTION_H

#include <stddef.h>

#include "conf.h"

struct pg_envelope {
	const char *client_addr;  /* textual IP, NULL if unknown */
	int authenticated;        /* {auth_authen} was set */
	const char *sender;       /* MAIL FROM address, without <> */
	const char *const *rcpts; /* RCPT TO addresses, without <> */
	size_t nrcpts;
	int has_list_id;          /* List-Id header present */
	const char *precedence;   /* Precedence header value, or NULL */
};

enum pg_direction direction_decide(const struct pg_conf *conf, const struct pg_envelope *env);
/* Whether ADDR's domain is one of the local domains (or a subdomain). */
int direction_is_local(const struct pg_conf *conf, const char *addr);
/* Routes followed at most, nested; deeper counts as outside. */
#define PG_ROUTE_DEPTH 8
/* The address RCPT ADDR becomes once the MTA has undone the address forms
 * it reads when the domain is local (Postfix's defaults): a source route
 * "@a,@b:user@c" is dropped, and a local domain is stripped and its local
 * part read again, "user%site" (the rightmost %, or a second @: Postfix's
 * allow_percent_hack) and "site!user" (swap_bangpath) becoming user@site,
 * nested as deep as PG_ROUTE_DEPTH.  A quoted local part is one word, as
 * Postfix reads it: "a%b"@school stays a local user.  The caller frees. */
char *direction_route(const struct pg_conf *conf, const char *addr);
/* Whether the message is exempt: an allowed sender who is a school sender,
 * or every recipient allowed. */
int direction_exempt(const struct pg_conf *conf, const struct pg_envelope *env,
		     const char **why_r);

#endif
