/*
 * dict.c - string interning with open addressing and linear probing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "util.h"

struct dict_entry {
	uint32_t hash32; /* low bits of the hash, to skip most string compares */
	uint32_t id;     /* PG_DICT_NONE: empty slot */
};

struct pg_dict {
	struct dict_entry *slots;
	size_t mask;      /* slots - 1, a power of two minus one */
	uint32_t *offs;   /* id -> offset in pool */
	uint16_t *lens;   /* id -> length */
	size_t n, cap;
	struct pg_buf pool;
};

struct pg_dict *dict_new(void)
{
	struct pg_dict *d = pg_calloc(1, sizeof(*d));

	d->mask = 1023;
	d->slots = pg_malloc((d->mask + 1) * sizeof(*d->slots));
	for (size_t i = 0; i <= d->mask; i++)
		d->slots[i].id = PG_DICT_NONE;
	pg_buf_init(&d->pool, 4096);
	return d;
}

void dict_free(struct pg_dict **dictp)
{
	struct pg_dict *d = *dictp;

	if (d == NULL)
		return;
	free(d->slots);
	free(d->offs);
	free(d->lens);
	pg_buf_free(&d->pool, 1);
	free(d);
	*dictp = NULL;
}

static int dict_equal(const struct pg_dict *d, uint32_t id, const char *s, size_t len)
{
	return d->lens[id] == len && memcmp(d->pool.data + d->offs[id], s, len) == 0;
}

uint32_t dict_lookup(const struct pg_dict *d, const char *s, size_t len)
{
	uint64_t h = pg_hash_bytes(s, len);
	size_t i = (size_t)h & d->mask;

	for (;;) {
		const struct dict_entry *e = &d->slots[i];

		if (e->id == PG_DICT_NONE)
			return PG_DICT_NONE;
		if (e->hash32 == (uint32_t)(h >> 32) && dict_equal(d, e->id, s, len))
			return e->id;
		i = (i + 1) & d->mask;
	}
}

/* Double the table and reinsert every entry. */
static void dict_grow(struct pg_dict *d)
{
	size_t newmask = d->mask * 2 + 1;
	struct dict_entry *slots = pg_malloc((newmask + 1) * sizeof(*slots));

	for (size_t i = 0; i <= newmask; i++)
		slots[i].id = PG_DICT_NONE;
	for (uint32_t id = 0; id < d->n; id++) {
		uint64_t h = pg_hash_bytes(d->pool.data + d->offs[id], d->lens[id]);
		size_t i = (size_t)h & newmask;

		while (slots[i].id != PG_DICT_NONE)
			i = (i + 1) & newmask;
		slots[i].id = id;
		slots[i].hash32 = (uint32_t)(h >> 32);
	}
	free(d->slots);
	d->slots = slots;
	d->mask = newmask;
}

uint32_t dict_intern(struct pg_dict *d, const char *s, size_t len)
{
	uint64_t h;
	size_t i;
	uint32_t id = dict_lookup(d, s, len);

	if (id != PG_DICT_NONE)
		return id;
	if (len > UINT16_MAX)
		len = UINT16_MAX;
	if ((d->n + 1) * 2 > d->mask + 1)
		dict_grow(d);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 1024;
		d->offs = pg_reallocarray(d->offs, d->cap, sizeof(*d->offs));
		d->lens = pg_reallocarray(d->lens, d->cap, sizeof(*d->lens));
	}
	id = (uint32_t)d->n++;
	d->offs[id] = (uint32_t)d->pool.len;
	d->lens[id] = (uint16_t)len;
	pg_buf_append(&d->pool, s, len);
	h = pg_hash_bytes(s, len);
	i = (size_t)h & d->mask;
	while (d->slots[i].id != PG_DICT_NONE)
		i = (i + 1) & d->mask;
	d->slots[i].id = id;
	d->slots[i].hash32 = (uint32_t)(h >> 32);
	return id;
}

const char *dict_string(const struct pg_dict *d, uint32_t id, size_t *len_r)
{
	*len_r = d->lens[id];
	return d->pool.data + d->offs[id];
}

size_t dict_count(const struct pg_dict *d)
{
	return d->n;
}

size_t dict_memory(const struct pg_dict *d)
{
	return (d->mask + 1) * sizeof(struct dict_entry) + d->cap * 6 + d->pool.cap;
}
