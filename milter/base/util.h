/*
 * util.h - memory, growable buffers and diagnostics shared by every module.
 *
 * Allocation either succeeds or does not return (as Postfix's mymalloc): an
 * out-of-memory condition logs and aborts, and the MTA applies its
 * milter_default_action to the message in flight.  A pg_buf owns its bytes;
 * pg_buf_free() wipes them first when asked, because buffers here hold pupil
 * data.  A pg_diag collects "file:line: message" problems so that a loader
 * can report every bad row or option, not only the first.
 */
#ifndef PG_UTIL_H
#define PG_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The first index of array V (N elements, sorted by FIELD) whose FIELD is
 * at least KEY, or N. */
#define PG_LOWER_BOUND(v, n, field, key) \
	((n) > 0 ? pg_lower_bound(&(v)[0].field, (n), sizeof((v)[0]), (key)) : 0)

#if defined(__GNUC__)
#define PG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PG_PRINTF(f, a)
#endif

/* The index of the lowest set bit of X, which is not 0. */
static inline unsigned pg_ctz64(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(x);
#else
	unsigned n = 0;

	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/* The index of the highest set bit of X, which is not 0. */
static inline unsigned pg_top64(uint64_t x)
{
#if defined(__GNUC__)
	return 63u - (unsigned)__builtin_clzll(x);
#else
	unsigned n = 63;

	while (!(x >> n))
		n--;
	return n;
#endif
}

void *pg_malloc(size_t size);
void *pg_calloc(size_t n, size_t size);
void *pg_realloc(void *ptr, size_t size);
void *pg_reallocarray(void *ptr, size_t n, size_t size);
char *pg_strdup(const char *s);
char *pg_strndup(const char *s, size_t n);
char *pg_asprintf(const char *fmt, ...) PG_PRINTF(1, 2);
/* Binary search over N records SIZE bytes apart, each with a uint32_t key
 * at FIRST_KEY + i * SIZE; see PG_LOWER_BOUND. */
size_t pg_lower_bound(const uint32_t *first_key, size_t n, size_t size, uint64_t key);
/* Log and abort, for a library allocation that failed (pcre2, GMime). */
_Noreturn void pg_oom(size_t size);
void pg_wipe(void *p, size_t n);

/* A growable byte buffer, always NUL-terminated after pg_buf_init. */
struct pg_buf {
	char *data;
	size_t len;
	size_t cap;
};

void pg_buf_init(struct pg_buf *b, size_t hint);
void pg_buf_reserve(struct pg_buf *b, size_t extra);
void pg_buf_append(struct pg_buf *b, const void *p, size_t n);
void pg_buf_puts(struct pg_buf *b, const char *s);
void pg_buf_putc(struct pg_buf *b, char c);
void pg_buf_printf(struct pg_buf *b, const char *fmt, ...) PG_PRINTF(2, 3);
void pg_buf_vprintf(struct pg_buf *b, const char *fmt, va_list ap);
void pg_buf_truncate(struct pg_buf *b, size_t len);
/* Whether ITEM is an item of the ", "-separated list held in B. */
int pg_buf_list_has(const struct pg_buf *b, const char *item);
/* Append ITEM to the ", "-separated list in B unless it is an item already. */
void pg_buf_list_add(struct pg_buf *b, const char *item);
char *pg_buf_steal(struct pg_buf *b);

/* Text that came from a message, made visible and harmless for a terminal,
 * a log line, a notice or a header: valid UTF-8 is kept as it is; a C0
 * control (line breaks included), DEL and every byte that is not valid
 * UTF-8 become "\xNN" (lower-case hex: "\x1b", "\x0a"); a C1 control
 * (U+0080 to U+009F), a bidi override, embedding, isolate or mark (U+061C,
 * U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) and the line and
 * paragraph separators U+2028 and U+2029 become "\uNNNN" ("\u202e"); a tab
 * becomes a space.  So the result is one line that moves no cursor, rings
 * no bell, reverses no text and starts no header.  With PG_VISIBLE_KEEP_LF a
 * line feed is kept (a multi-line notice body made by pupilguard). */
#define PG_VISIBLE_KEEP_LF 1u
/* Whether code point C is one of those shown as "\uNNNN" (C1, bidi, U+2028/9). */
int pg_char_escaped(uint32_t c);
void pg_buf_put_visible(struct pg_buf *b, const char *s, size_t n, unsigned flags);
char *pg_str_visible(const char *s);
/* The same into OUT (SIZE bytes, NUL-terminated), cut before a character
 * or escape that does not fit: for the logger, which may not allocate. */
void pg_str_visible_to(char *out, size_t size, const char *s);
void pg_buf_free(struct pg_buf *b, int wipe);

/* Problems found while loading configuration, rosters or rules. */
enum pg_diag_level { PG_DIAG_WARNING, PG_DIAG_ERROR };

struct pg_diag_item {
	enum pg_diag_level level;
	char *text;
};

struct pg_diag {
	struct pg_diag_item *items;
	size_t n, cap;
	size_t nerrors;
};

void pg_diag_init(struct pg_diag *d);
void pg_diag_add(struct pg_diag *d, enum pg_diag_level level, const char *fmt, ...)
	PG_PRINTF(3, 4);
void pg_diag_free(struct pg_diag *d);

/* Hashing for the token dictionary and tables. */
/* The value of one hexadecimal digit, either case; -1 for any other byte. */
int pg_hex_value(unsigned char c);

uint64_t pg_hash_bytes(const void *p, size_t n);

/* The error convention at run time: a function that can fail returns -1 (or
 * NULL) and sets *error_r to a message that is static, strerror()'s, or made
 * by pg_errorf().  The caller never frees it, and reads or copies it before
 * its thread makes PG_ERROR_SLOTS more pg_errorf() calls. */
#define PG_ERROR_SLOTS 4
#define PG_ERROR_MAX 512
const char *pg_errorf(const char *fmt, ...) PG_PRINTF(1, 2);

/* Read a whole file; NULL with *error_r set (static or strerror) on failure. */
char *pg_read_file(const char *path, size_t max, size_t *len_r, const char **error_r);

/* Resolve PATH relative to the folder of BASE_FILE unless PATH is absolute. */
char *pg_path_relative_to(const char *base_file, const char *path);

#endif
