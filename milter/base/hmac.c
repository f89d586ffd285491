/*
 * hmac.c - HMAC-SHA256 over length-prefixed parts, and key files.
 *
 * Nettle does the hashing; this module only frames the parts (so that no
 * two different part lists give the same input) and keeps keys in files
 * that only their owner can read.  It never logs: callers report errors.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/hmac.h>

#include "hmac.h"
#include "util.h"

void pg_hmac_sha256(const unsigned char *key, size_t key_len, const void *data, size_t len,
		    unsigned char *out)
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_set_key(&ctx, key_len, key);
	hmac_sha256_update(&ctx, len, data);
	hmac_sha256_digest(&ctx, PG_HMAC_BYTES, out);
	pg_wipe(&ctx, sizeof(ctx));
}

void pg_hmac_parts(const unsigned char *key, size_t key_len, const char *const *parts,
		   const size_t *lens, size_t n, unsigned char *out)
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_set_key(&ctx, key_len, key);
	for (size_t i = 0; i < n; i++) {
		uint8_t len[4] = { (uint8_t)(lens[i] >> 24), (uint8_t)(lens[i] >> 16),
				   (uint8_t)(lens[i] >> 8), (uint8_t)lens[i] };

		hmac_sha256_update(&ctx, sizeof(len), len);
		hmac_sha256_update(&ctx, lens[i], (const uint8_t *)parts[i]);
	}
	hmac_sha256_digest(&ctx, PG_HMAC_BYTES, out);
	pg_wipe(&ctx, sizeof(ctx));
}

void pg_hmac_hex(const struct pg_key *k, const char *const *parts, size_t n, char *hex_r)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char mac[PG_HMAC_BYTES];
	size_t lens[16];

	/* Callers sign a handful of fields; more is a programming error. */
	if (n > PG_ARRAY_LEN(lens))
		n = PG_ARRAY_LEN(lens);
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(parts[i]);
	pg_hmac_parts(k->bytes, sizeof(k->bytes), parts, lens, n, mac);
	for (size_t i = 0; i < PG_HMAC_BYTES; i++) {
		hex_r[2 * i] = digits[mac[i] >> 4];
		hex_r[2 * i + 1] = digits[mac[i] & 15];
	}
	hex_r[2 * PG_HMAC_BYTES] = '\0';
}

int pg_equal_const(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;

	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(x[i] ^ y[i]);
	return d == 0;
}

int pg_key_random(struct pg_key *k)
{
	size_t got = 0;

	while (got < sizeof(k->bytes)) {
		ssize_t r = getrandom(k->bytes + got, sizeof(k->bytes) - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	k->set = 1;
	return 0;
}

/* Make PATH, mode 0600, holding a new random key; K gets it. */
static int pg_key_create(struct pg_key *k, const char *path, const char **error_r)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ssize_t w;

	if (fd < 0) {
		*error_r = pg_errorf("%s: cannot create key file: %s", path, strerror(errno));
		return -1;
	}
	if (pg_key_random(k) < 0) {
		*error_r = pg_errorf("%s: no random bytes: %s", path, strerror(errno));
		(void)close(fd);
		(void)unlink(path);
		return -1;
	}
	w = write(fd, k->bytes, sizeof(k->bytes));
	if (w != (ssize_t)sizeof(k->bytes) || fsync(fd) < 0) {
		*error_r = pg_errorf("%s: cannot write key file: %s", path,
				     w < 0 ? strerror(errno) : "short write");
		(void)close(fd);
		(void)unlink(path);
		pg_key_wipe(k);
		return -1;
	}
	if (close(fd) < 0) {
		*error_r = pg_errorf("%s: cannot write key file: %s", path, strerror(errno));
		(void)unlink(path);
		pg_key_wipe(k);
		return -1;
	}
	return 0;
}

int pg_key_load(struct pg_key *k, const char *path, int create, const char **error_r)
{
	struct stat st;
	ssize_t r;
	int fd;

	memset(k, 0, sizeof(*k));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create)
		return pg_key_create(k, path, error_r);
	if (fd < 0) {
		*error_r = pg_errorf("%s: cannot open key file: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
		*error_r = pg_errorf("%s: key file must be a regular file readable only by its owner",
				     path);
		(void)close(fd);
		return -1;
	}
	r = read(fd, k->bytes, sizeof(k->bytes));
	(void)close(fd);
	if (r != (ssize_t)sizeof(k->bytes)) {
		*error_r = pg_errorf("%s: key file holds fewer than %d bytes", path, PG_KEY_BYTES);
		pg_key_wipe(k);
		return -1;
	}
	k->set = 1;
	return 0;
}

void pg_key_wipe(struct pg_key *k)
{
	pg_wipe(k, sizeof(*k));
}
