/*
 * dict.h - interning of folded tokens to dense 32-bit ids.
 *
 * Open addressing over one string pool; built once per policy, then read by
 * many threads without locks.  It knows nothing of what the tokens mean.
 */
#ifndef PG_DICT_H
#define PG_DICT_H

#include <stddef.h>
#include <stdint.h>

#define PG_DICT_NONE UINT32_MAX

struct pg_dict;

struct pg_dict *dict_new(void);
void dict_free(struct pg_dict **dict);
/* Id of S, added if new. */
uint32_t dict_intern(struct pg_dict *dict, const char *s, size_t len);
/* Id of S, or PG_DICT_NONE. */
uint32_t dict_lookup(const struct pg_dict *dict, const char *s, size_t len);
const char *dict_string(const struct pg_dict *dict, uint32_t id, size_t *len_r);
size_t dict_count(const struct pg_dict *dict);
size_t dict_memory(const struct pg_dict *dict);

#endif
