/*
 * cidr.h - IPv4 and IPv6 networks ("10.0.0.0/8", "::1/128", "192.0.2.1").
 */
#ifndef PG_CIDR_H
#define PG_CIDR_H

/* Whether CIDR is a valid network or address. */
int cidr_valid(const char *cidr);
/* Whether ADDR (textual IPv4 or IPv6, "IPv6:" prefix allowed) is inside one
 * of NETWORKS (NULL-terminated, may be NULL). */
int cidr_match(char *const *networks, const char *addr);

#endif
