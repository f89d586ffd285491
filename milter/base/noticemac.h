/*
 * noticemac.h - the mark that makes a notice one of pupilguard's own.
 *
 * A notice carries "X-PupilGuard-Notice: v1; t=<unix time>; mac=<hex>",
 * an HMAC-SHA256 under the installation's notice key over that notice's
 * own Message-ID, its envelope recipients (lower-cased, sorted), the time
 * and a keyed hash of its body.  Copied into any other message (another
 * Message-ID, other recipients or another body) or kept past its age, it
 * verifies no more, so a recipient learns nothing they can replay to skip
 * the scan.  Bodies are compared after dropping CR and trailing white
 * space, since MTAs turn LF into CRLF on the way.
 */
#ifndef PG_NOTICEMAC_H
#define PG_NOTICEMAC_H

#include <stddef.h>
#include <time.h>

#include "hmac.h"

/* Room for the header value, NUL included. */
#define PG_NOTICEMAC_LEN (sizeof("v1; t=; mac=") + 21 + PG_HMAC_HEX)
/* How far a notice's time may lie ahead of the verifier's clock. */
#define PG_NOTICEMAC_SKEW 300

/* VALUE_R (PG_NOTICEMAC_LEN) = the header value for a notice with Message-ID
 * MSGID (with or without <>), the NRCPTS envelope RCPTS, sent at T, whose
 * body is the LEN bytes at BODY. */
void noticemac_make(const struct pg_key *k, const char *msgid, const char *const *rcpts,
		    size_t nrcpts, time_t t, const char *body, size_t len, char *value_r);

/* 0 if VALUE is the mark of exactly this message (the same arguments as
 * noticemac_make()) made under K no more than MAX_AGE seconds before NOW;
 * -1 with *why_r (a constant: "malformed", "expired", "from the future",
 * "does not verify") otherwise. */
int noticemac_verify(const struct pg_key *k, const char *value, const char *msgid,
		     const char *const *rcpts, size_t nrcpts, const char *body, size_t len,
		     time_t now, unsigned long max_age, const char **why_r);

#endif
