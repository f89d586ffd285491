/*
 * cards.h - iCalendar and vCard parts to text (see cards.c).
 */
#ifndef PG_CARDS_H
#define PG_CARDS_H

#include <stddef.h>

#include "util.h"

/* Append the text of the calendar or card S (N bytes, UTF-8) to OUT. */
void cards_to_text(const char *s, size_t n, struct pg_buf *out);

#endif
