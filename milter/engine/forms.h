/*
 * forms.h - names as file names, links, addresses and exports write them.
 *
 * Prose separates a name's words with spaces; other writing glues them:
 * "Isha_Qureshi_EHCP.pdf", "QURESHI-Isha-IEP.docx", "IshaQureshi.pdf",
 * "isha.qureshi@pupils.example", "?pupil=Isha+Qureshi", "Isha%20Qureshi",
 * "/news/isha-qureshi-wins", an XML export's
 * "<Surname>Qureshi</Surname><Forename>Isha</Forename>", and a word
 * hyphenated at the end of a line ("Qur-\neshi").  forms_words() rewrites
 * each such compound as the words a reader sees, one compound to a
 * paragraph, so that the ordinary name matcher (names.c) finds the name in
 * the rewritten text.  Plain words and sentences are left out: the
 * original text is scanned as it is, and the rewrite only adds.
 *
 * It knows nothing of names or rosters.
 */
#ifndef PG_FORMS_H
#define PG_FORMS_H

#include <stddef.h>

#include "util.h"

/* Write the compounds of TEXT, rewritten, to OUT (cleared first).
 * Returns how many were written; 0: nothing to scan again. */
size_t forms_words(const char *text, size_t len, struct pg_buf *out);

#endif
