/*
 * rfc2047.h - decode header text with RFC 2047 encoded-words to UTF-8.
 *
 * GMime 3.2's decoder loses the second of two adjacent base64 encoded-words
 * when the first ends in '=' padding, and mailers split names exactly there
 * ("=?utf-8?B?TG90dGk=?= =?utf-8?B?ZSBNb3Nz?=" is "Lottie Moss").  This
 * decoder joins the bytes of adjacent encoded-words of one charset before
 * converting them, so a character or a name split across words survives.
 * Folding is undone, white space between encoded-words dropped, and raw
 * 8-bit header text is guessed like an undeclared body (charset.c).
 */
#ifndef PG_RFC2047_H
#define PG_RFC2047_H

#include <stddef.h>

#include "util.h"

/* Append the decoded form of header value VALUE to OUT. */
void rfc2047_decode(const char *value, size_t len, struct pg_buf *out);

#endif
