/*
 * charset.h - conversion of text of a known or guessed charset to UTF-8.
 *
 * Used for message parts (after GMime has undone the transfer encoding) and
 * for roster files.  Conversion never fails: bytes that do not convert are
 * decoded as Windows-1252, which is what undeclared 8-bit school mail almost
 * always is, so no name is lost to a lying or missing charset label.
 */
#ifndef PG_CHARSET_H
#define PG_CHARSET_H

#include <stddef.h>

#include "util.h"

/* Append DATA (in CHARSET, NULL or "" for unknown) to OUT as valid UTF-8. */
void charset_to_utf8(const char *data, size_t len, const char *charset, struct pg_buf *out);

/* Append Windows-1252 bytes as UTF-8. */
void charset_cp1252_to_utf8(const char *data, size_t len, struct pg_buf *out);

/* Byte-order-mark sniffing: "UTF-8", "UTF-16LE", "UTF-16BE" or NULL; *bom_len_r set. */
const char *charset_sniff_bom(const char *data, size_t len, size_t *bom_len_r);

#endif
