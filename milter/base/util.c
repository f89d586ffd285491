/*
 * util.c - allocation that does not return on failure, growable buffers,
 * diagnostics lists, a byte hash and whole-file reading.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* Log and abort: the one way an allocation fails. */
_Noreturn void pg_oom(size_t size)
{
	pg_log(PG_LOG_CRIT, NULL, "out of memory allocating %zu bytes", size);
	abort();
}

void *pg_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		pg_oom(size);
	return p;
}

void *pg_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		pg_oom(n * size);
	return p;
}

void *pg_realloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		pg_oom(size);
	return p;
}

void *pg_reallocarray(void *ptr, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		pg_oom(SIZE_MAX);
	return pg_realloc(ptr, n * size);
}

char *pg_strdup(const char *s)
{
	return pg_strndup(s, strlen(s));
}

char *pg_strndup(const char *s, size_t n)
{
	char *p = pg_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pg_asprintf(const char *fmt, ...)
{
	struct pg_buf b;
	va_list ap;

	pg_buf_init(&b, 64);
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return pg_buf_steal(&b);
}

/* Overwrite memory in a way the compiler may not elide. */
void pg_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		explicit_bzero(p, n);
}

void pg_buf_init(struct pg_buf *b, size_t hint)
{
	b->cap = hint < 16 ? 16 : hint;
	b->data = pg_malloc(b->cap);
	b->len = 0;
	b->data[0] = '\0';
}

void pg_buf_reserve(struct pg_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		pg_oom(SIZE_MAX);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->data = pg_realloc(b->data, b->cap);
}

void pg_buf_append(struct pg_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	pg_buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void pg_buf_puts(struct pg_buf *b, const char *s)
{
	pg_buf_append(b, s, strlen(s));
}

void pg_buf_putc(struct pg_buf *b, char c)
{
	pg_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void pg_buf_vprintf(struct pg_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		pg_buf_reserve(b, (size_t)n);
		va_copy(ap2, ap);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
		va_end(ap2);
		if (n < 0)
			return;
	}
	b->len += (size_t)n;
}

void pg_buf_printf(struct pg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void pg_buf_truncate(struct pg_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

/* Hand the bytes to the caller, leaving the buffer empty and unusable. */
char *pg_buf_steal(struct pg_buf *b)
{
	char *p = b->data;

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void pg_buf_free(struct pg_buf *b, int wipe)
{
	if (b->data != NULL && wipe)
		pg_wipe(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int pg_char_escaped(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
	       c == 0x2029;
}

/* The length of the valid UTF-8 sequence at P (N bytes left, N > 0) and its
 * code point; 0 if it is not one (overlong, surrogate, beyond U+10FFFF, cut). */
static size_t visible_utf8(const unsigned char *p, size_t n, uint32_t *c_r)
{
	size_t len;
	uint32_t c, min;

	if (p[0] < 0x80) {
		*c_r = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2, c = p[0] & 0x1fu, min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3, c = p[0] & 0x0fu, min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4, c = p[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*c_r = c;
	return len;
}

/* The next character of P (N > 0 bytes left): how many bytes it takes, and
 * in ESC what stands for it, or "" when it is kept as written. */
static size_t visible_next(const unsigned char *p, size_t n, unsigned flags, char esc[12])
{
	uint32_t c;
	size_t len = visible_utf8(p, n, &c);

	esc[0] = '\0';
	if (len == 0) {
		(void)snprintf(esc, 12, "\\x%02x", p[0]);
		return 1;
	}
	if (c == '\n' && (flags & PG_VISIBLE_KEEP_LF))
		return len;
	if (c == '\t')
		(void)snprintf(esc, 12, " ");
	else if (c < 0x20 || c == 0x7f)
		(void)snprintf(esc, 12, "\\x%02x", (unsigned)c);
	else if (pg_char_escaped(c))
		(void)snprintf(esc, 12, "\\u%04x", (unsigned)c);
	return len;
}

void pg_buf_put_visible(struct pg_buf *b, const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;

	while (n > 0) {
		char esc[12];
		size_t k = visible_next(p, n, flags, esc);

		if (esc[0] != '\0')
			pg_buf_puts(b, esc);
		else
			pg_buf_append(b, p, k);
		p += k;
		n -= k;
	}
}

char *pg_str_visible(const char *s)
{
	struct pg_buf b;
	size_t n = s ? strlen(s) : 0;

	pg_buf_init(&b, n + 16);
	pg_buf_put_visible(&b, s ? s : "", n, 0);
	return pg_buf_steal(&b);
}

void pg_str_visible_to(char *out, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used = 0;

	if (size == 0)
		return;
	while (n > 0) {
		char esc[12];
		size_t k = visible_next(p, n, 0, esc);
		size_t w = esc[0] != '\0' ? strlen(esc) : k;

		if (used + w >= size)
			break;
		memcpy(out + used, esc[0] != '\0' ? esc : (const char *)p, w);
		used += w;
		p += k;
		n -= k;
	}
	out[used] = '\0';
}

void pg_diag_init(struct pg_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void pg_diag_add(struct pg_diag *d, enum pg_diag_level level, const char *fmt, ...)
{
	struct pg_buf b;
	va_list ap;

	if (d == NULL)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = pg_reallocarray(d->items, d->cap, sizeof(*d->items));
	}
	pg_buf_init(&b, 80);
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	d->items[d->n].level = level;
	d->items[d->n].text = pg_buf_steal(&b);
	d->n++;
	if (level == PG_DIAG_ERROR)
		d->nerrors++;
}

void pg_diag_free(struct pg_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].text);
	free(d->items);
	pg_diag_init(d);
}

/* FNV-1a, 64 bit: short keys, good spread, no alignment needs. */
uint64_t pg_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

const char *pg_errorf(const char *fmt, ...)
{
	static _Thread_local char slots[PG_ERROR_SLOTS][PG_ERROR_MAX];
	static _Thread_local unsigned next;
	char *out = slots[next++ % PG_ERROR_SLOTS];
	va_list ap;

	va_start(ap, fmt);
	/* A message longer than the slot is cut: an error says enough in 511 bytes. */
	if (vsnprintf(out, PG_ERROR_MAX, fmt, ap) < 0)
		(void)snprintf(out, PG_ERROR_MAX, "(unprintable error)");
	va_end(ap);
	return out;
}

char *pg_read_file(const char *path, size_t max, size_t *len_r, const char **error_r)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*error_r = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*error_r = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
		goto fail;
	}
	if ((uintmax_t)st.st_size > max) {
		*error_r = "file too large";
		goto fail;
	}
	data = pg_malloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		ssize_t r = read(fd, data + len, (size_t)st.st_size - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*error_r = strerror(errno);
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	data[len] = '\0';
	(void)close(fd);
	*len_r = len;
	return data;
fail:
	free(data);
	(void)close(fd);
	return NULL;
}

char *pg_path_relative_to(const char *base_file, const char *path)
{
	const char *slash;

	if (path[0] == '/' || base_file == NULL)
		return pg_strdup(path);
	slash = strrchr(base_file, '/');
	if (slash == NULL)
		return pg_strdup(path);
	return pg_asprintf("%.*s/%s", (int)(slash - base_file), base_file, path);
}

size_t pg_lower_bound(const uint32_t *first_key, size_t n, size_t size, uint64_t key)
{
	const unsigned char *base = (const unsigned char *)first_key;
	size_t lo = 0, hi = n;

	if (n == 0)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t k;

		memcpy(&k, base + mid * size, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int pg_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pg_buf_list_has(const struct pg_buf *b, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = b->data; p != NULL && *p;) {
		const char *end = strstr(p, ", ");
		size_t k = end ? (size_t)(end - p) : strlen(p);

		if (k == n && memcmp(p, item, n) == 0)
			return 1;
		p = end ? end + 2 : NULL;
	}
	return 0;
}

void pg_buf_list_add(struct pg_buf *b, const char *item)
{
	if (!pg_buf_list_has(b, item))
		pg_buf_printf(b, "%s%s", b->len ? ", " : "", item);
}
