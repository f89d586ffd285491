/*
 * noticemac.c - make and check the per-notice mark (see noticemac.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "noticemac.h"
#include "util.h"

/* "<Id@Host>" with any white space -> "Id@Host". */
static char *noticemac_msgid(const char *msgid)
{
	struct pg_buf b;

	pg_buf_init(&b, 64);
	for (const char *p = msgid ? msgid : ""; *p; p++)
		if (!isspace((unsigned char)*p) && *p != '<' && *p != '>')
			pg_buf_putc(&b, *p);
	return pg_buf_steal(&b);
}

static int noticemac_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The recipients lower-cased, sorted and joined by LF (no address holds one). */
static char *noticemac_rcpts(const char *const *rcpts, size_t n)
{
	char **v = pg_calloc(n + 1, sizeof(*v));
	struct pg_buf b;

	for (size_t i = 0; i < n; i++) {
		v[i] = pg_strdup(rcpts[i]);
		for (char *p = v[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	qsort(v, n, sizeof(*v), noticemac_cmp);
	pg_buf_init(&b, 64);
	for (size_t i = 0; i < n; i++) {
		pg_buf_printf(&b, "%s%s", i ? "\n" : "", v[i]);
		free(v[i]);
	}
	free(v);
	return pg_buf_steal(&b);
}

/* HEX_R (PG_HMAC_HEX) = keyed hash of BODY without CRs and trailing space. */
static void noticemac_body(const struct pg_key *k, const char *body, size_t len, char *hex_r)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char mac[PG_HMAC_BYTES];
	struct pg_buf b;

	pg_buf_init(&b, len + 1);
	for (size_t i = 0; i < len; i++)
		if (body[i] != '\r')
			pg_buf_putc(&b, body[i]);
	while (b.len > 0 && isspace((unsigned char)b.data[b.len - 1]))
		b.len--;
	pg_hmac_sha256(k->bytes, sizeof(k->bytes), b.data ? b.data : "", b.len, mac);
	pg_buf_free(&b, 1);
	for (size_t i = 0; i < PG_HMAC_BYTES; i++) {
		hex_r[2 * i] = digits[mac[i] >> 4];
		hex_r[2 * i + 1] = digits[mac[i] & 15];
	}
	hex_r[2 * PG_HMAC_BYTES] = '\0';
	pg_wipe(mac, sizeof(mac));
}

/* MAC_R (PG_HMAC_HEX) over every signed field. */
static void noticemac_mac(const struct pg_key *k, const char *msgid, const char *const *rcpts,
			  size_t nrcpts, const char *t, const char *body, size_t len, char *mac_r)
{
	char body_hex[PG_HMAC_HEX];
	char *id = noticemac_msgid(msgid), *to = noticemac_rcpts(rcpts, nrcpts);
	const char *parts[] = { "pupilguard-notice-v1", t, id, to, body_hex };

	noticemac_body(k, body, len, body_hex);
	pg_hmac_hex(k, parts, PG_ARRAY_LEN(parts), mac_r);
	free(id);
	free(to);
}

void noticemac_make(const struct pg_key *k, const char *msgid, const char *const *rcpts,
		    size_t nrcpts, time_t t, const char *body, size_t len, char *value_r)
{
	char ts[21], mac[PG_HMAC_HEX]; /* 21: a 64-bit time in decimal, as the LEN allows */

	(void)snprintf(ts, sizeof(ts), "%lld", (long long)t);
	noticemac_mac(k, msgid, rcpts, nrcpts, ts, body, len, mac);
	(void)snprintf(value_r, PG_NOTICEMAC_LEN, "v1; t=%s; mac=%s", ts, mac);
}

int noticemac_verify(const struct pg_key *k, const char *value, const char *msgid,
		     const char *const *rcpts, size_t nrcpts, const char *body, size_t len,
		     time_t now, unsigned long max_age, const char **why_r)
{
	char ts[24], mac[PG_HMAC_HEX], want[PG_HMAC_HEX];
	const char *p = value ? value : "";
	size_t n;
	long long t;
	char *end;

	p += strspn(p, " \t");
	if (strncmp(p, "v1;", 3) != 0)
		goto malformed;
	p += 3 + strspn(p + 3, " \t");
	if (strncmp(p, "t=", 2) != 0 || !isdigit((unsigned char)p[2]))
		goto malformed;
	p += 2;
	n = strspn(p, "0123456789");
	if (n > 18) /* beyond any time_t a notice is made at */
		goto malformed;
	memcpy(ts, p, n);
	ts[n] = '\0';
	t = strtoll(ts, &end, 10);
	p += n;
	if (*p != ';')
		goto malformed;
	p += 1 + strspn(p + 1, " \t");
	if (strncmp(p, "mac=", 4) != 0 || strspn(p + 4, "0123456789abcdef") != PG_HMAC_HEX - 1)
		goto malformed;
	memcpy(mac, p + 4, PG_HMAC_HEX - 1);
	mac[PG_HMAC_HEX - 1] = '\0';
	p += 4 + PG_HMAC_HEX - 1;
	if (p[strspn(p, " \t\r\n")] != '\0')
		goto malformed;
	if (t > (long long)now + PG_NOTICEMAC_SKEW) {
		*why_r = "from the future";
		return -1;
	}
	if ((long long)now - t > (long long)max_age) {
		*why_r = "expired";
		return -1;
	}
	noticemac_mac(k, msgid, rcpts, nrcpts, ts, body, len, want);
	if (!pg_equal_const(mac, want, PG_HMAC_HEX - 1)) {
		*why_r = "does not verify";
		return -1;
	}
	return 0;
malformed:
	*why_r = "malformed";
	return -1;
}
