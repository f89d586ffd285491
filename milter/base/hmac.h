/*
 * hmac.h - keyed message authentication for notices and review links.
 *
 * HMAC-SHA256 through Nettle, a key file read or made once, and the
 * constant-time comparison a verifier needs.  The key never leaves the
 * process: callers hold a struct pg_key and pass it to pg_hmac_hex().
 */
#ifndef PG_HMAC_H
#define PG_HMAC_H

#include <stddef.h>

#define PG_HMAC_BYTES 32
#define PG_HMAC_HEX (2 * PG_HMAC_BYTES + 1)
#define PG_KEY_BYTES 32

struct pg_key {
	unsigned char bytes[PG_KEY_BYTES];
	int set; /* 1 once loaded or generated */
};

/* OUT (PG_HMAC_BYTES) = HMAC-SHA256(KEY, the LEN bytes at DATA). */
void pg_hmac_sha256(const unsigned char *key, size_t key_len, const void *data, size_t len,
		    unsigned char *out);

/* OUT (PG_HMAC_BYTES) = HMAC-SHA256(KEY, the N parts of DATA with their
 * lengths).  Parts are joined with their 4-byte big-endian lengths first, so
 * "ab"+"c" and "a"+"bc" differ. */
void pg_hmac_parts(const unsigned char *key, size_t key_len, const char *const *parts,
		   const size_t *lens, size_t n, unsigned char *out);

/* HEX_R (PG_HMAC_HEX) = lower-case hex of the HMAC of the N NUL-terminated
 * PARTS under K. */
void pg_hmac_hex(const struct pg_key *k, const char *const *parts, size_t n, char *hex_r);

/* 1 if the N bytes at A and B are equal, in time independent of where they
 * differ; 0 otherwise. */
int pg_equal_const(const void *a, const void *b, size_t n);

/* Fill K from PATH, which must hold PG_KEY_BYTES or more bytes and be
 * readable by no one but its owner; when it does not exist and CREATE is
 * set, make it (mode 0600) from the kernel's random source.  0, or -1 with
 * *error_r made by pg_errorf(). */
int pg_key_load(struct pg_key *k, const char *path, int create, const char **error_r);

/* Fill K with random bytes, for a process that has no key file. 0 or -1. */
int pg_key_random(struct pg_key *k);

/* Wipe K. */
void pg_key_wipe(struct pg_key *k);

#endif
