/*
 * lists.h - a list of pupils is one disclosure of many.
 *
 * A class list, an MIS export or a register names many roster pupils in
 * one place (an attachment, a sheet, a table).  lists_collapse() turns the
 * full-name findings that share a location, when there are at least
 * scores.list_min of them, and everything else found in that place
 * (partial names, dates of birth, UPNs, SEN ...), into one finding: "a
 * list of N pupils", with the year groups it spans and the kinds of detail
 * it carries.  Its score is (scores.name + the highest score of each kind
 * of detail) x (1 + floor(log2 N)), times scores.protected_multiplier when
 * a protected pupil is in it: a bare list of 30 scores 50, of 1,000 scores
 * 100, and 30 with dates of birth (15) 125.  Always enough to hold outbound
 * mail, never a sum that drowns every other finding, and the notice says
 * it in one line instead of 60.
 */
#ifndef PG_LISTS_H
#define PG_LISTS_H

#include "engine.h"

void lists_collapse(const struct pg_policy *pol, struct pg_result *r);

#endif
