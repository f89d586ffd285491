/*
 * ratelimit.c - sliding-window counters, one ring of timestamps per key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ratelimit.h"
#include "util.h"

struct rl_key {
	char *key;
	time_t *times; /* ring of the last `limit` event times */
	size_t next, count;
};

struct pg_ratelimit {
	unsigned limit, period;
	struct rl_key *keys;
	size_t n;
};

struct pg_ratelimit *ratelimit_new(unsigned limit, unsigned period)
{
	struct pg_ratelimit *rl = pg_calloc(1, sizeof(*rl));

	rl->limit = limit;
	rl->period = period;
	return rl;
}

void ratelimit_free(struct pg_ratelimit **rlp)
{
	struct pg_ratelimit *rl = *rlp;

	if (rl == NULL)
		return;
	for (size_t i = 0; i < rl->n; i++) {
		free(rl->keys[i].key);
		free(rl->keys[i].times);
	}
	free(rl->keys);
	free(rl);
	*rlp = NULL;
}

int ratelimit_take(struct pg_ratelimit *rl, const char *key, time_t now)
{
	struct rl_key *k = NULL;

	if (rl->limit == 0)
		return 1; /* no limit */
	for (size_t i = 0; i < rl->n && k == NULL; i++)
		if (strcasecmp(rl->keys[i].key, key) == 0)
			k = &rl->keys[i];
	if (k == NULL) {
		rl->keys = pg_reallocarray(rl->keys, rl->n + 1, sizeof(*rl->keys));
		k = &rl->keys[rl->n++];
		k->key = pg_strdup(key);
		k->times = pg_calloc(rl->limit, sizeof(*k->times));
		k->next = k->count = 0;
	}
	/* The oldest of the last `limit` events decides. */
	if (k->count == rl->limit && now - k->times[k->next] < (time_t)rl->period)
		return 0;
	k->times[k->next] = now;
	k->next = (k->next + 1) % rl->limit;
	if (k->count < rl->limit)
		k->count++;
	return 1;
}
