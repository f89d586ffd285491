/*
 * cidr.c - IPv4 and IPv6 networks written as "ADDR[/BITS]": checking them
 * and testing an address against a list of them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cidr.h"

/* Parse "ADDR[/BITS]" into family, 16 address bytes and a prefix length. */
static int cidr_parse(const char *cidr, int *family_r, unsigned char *bytes,
				int *bits_r)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(cidr, '/');
	size_t n = slash ? (size_t)(slash - cidr) : strlen(cidr);
	int maxbits;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, cidr, n);
	buf[n] = '\0';
	memset(bytes, 0, 16);
	if (inet_pton(AF_INET, buf, bytes) == 1) {
		*family_r = AF_INET;
		maxbits = 32;
	} else if (inet_pton(AF_INET6, buf, bytes) == 1) {
		*family_r = AF_INET6;
		maxbits = 128;
	} else {
		return -1;
	}
	*bits_r = maxbits;
	if (slash != NULL) {
		char *end;
		long b = strtol(slash + 1, &end, 10);

		if (slash[1] == '\0' || *end != '\0' || b < 0 || b > maxbits)
			return -1;
		*bits_r = (int)b;
	}
	return 0;
}

int cidr_valid(const char *cidr)
{
	unsigned char bytes[16];
	int family, bits;

	return cidr_parse(cidr, &family, bytes, &bits) == 0;
}

int cidr_match(char *const *networks, const char *addr)
{
	unsigned char a[16];
	int family, bits;

	if (addr == NULL || networks == NULL)
		return 0;
	/* Postfix writes IPv6 clients as "IPv6:..." in some places. */
	if (strncasecmp(addr, "ipv6:", 5) == 0)
		addr += 5;
	if (cidr_parse(addr, &family, a, &bits) < 0)
		return 0;
	for (size_t i = 0; networks[i] != NULL; i++) {
		unsigned char net[16];
		int nfamily, nbits, k;

		if (cidr_parse(networks[i], &nfamily, net, &nbits) < 0 ||
		    nfamily != family)
			continue;
		for (k = 0; k + 8 <= nbits; k += 8)
			if (a[k / 8] != net[k / 8])
				break;
		if (k + 8 <= nbits)
			continue;
		if (k < nbits) {
			unsigned char mask = (unsigned char)(0xFF << (8 - (nbits - k)));

			if ((a[k / 8] & mask) != (net[k / 8] & mask))
				continue;
		}
		return 1;
	}
	return 0;
}

