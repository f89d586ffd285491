/*
 * testlib.h - helpers shared by the Check suites: temporary files and a
 * policy built from a roster and a configuration given as strings.
 */
#ifndef PG_TESTLIB_H
#define PG_TESTLIB_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"

/* Write DATA to a new temporary file; the caller unlinks and frees the path. */
static inline char *tl_tempfile(const char *data, size_t len)
{
	char *path = strdup("/tmp/pg-unit-XXXXXX");
	int fd = mkstemp(path);

	/* Set-up helpers run outside the tests too: no ck_assert here. */
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		perror("testlib: temporary file");
		abort();
	}
	close(fd);
	return path;
}

/* The test roster: the hard cases of real exports, all invented. */
static const char tl_roster[] =
	"\xEF\xBB\xBFUPN,Legal Forename,Middle Names,Legal Surname,Preferred Forename,"
	"Preferred Surname,DOB,Year,Reg Group\r\n"
	"B801200005001,Amelia,Rose Anne,Khan,Amelia,Khan,04/05/2015,4,4 Oak\r\n"
	"H801200001001,Zoë,,O'Connor,Zoë,O'Connor,11/09/2012,8,8B\r\n"
	"E801200003001,Łukasz,,Smith-Jones,Luke,Smith-Jones,23/01/2014,6,6 Elm\r\n"
	"K801200002001,Willem,,van der Berg,Wim,van der Berg,01/01/2016,3,3 Ash\r\n"
	"C801200004001,Rose,,Hill,Rose,Hill,02/02/2013,7,7C\r\n"
	"D801200006001,Summer,,Day,Summer,Day,03/03/2017,2,2 Fir\r\n"
	"F801200007001,William,,Power,Will,Power,04/04/2011,9,9A\r\n"
	"G801200008001,Noah,,Adams,Noah,Adams,05/05/2012,8,8A\r\n"
	"J801200009001,Emily,,Roberts,Emily,Roberts,06/06/2015,4,4 Oak\r\n"
	"L801200010001,Victoria,,Park,Victoria,Park,07/07/2014,5,5 Yew\r\n"
	"M801200011001,Grace,,Church,Grace,Church,08/08/2013,6,6 Elm\r\n";

static const char tl_staff[] =
	"Title,Forename,Surname,Role,Email\r\n"
	"Miss,Emily,Roberts,Teacher,e.roberts@school.example\r\n";

/* A policy over ROSTER and STAFF (CSV text; STAFF may be NULL), with
 * EXTRA configuration text. */
static inline struct pg_policy *tl_policy_of(const char *roster_csv, const char *staff_csv,
					     const char *extra)
{
	char *roster = tl_tempfile(roster_csv, strlen(roster_csv));
	char *staff = staff_csv ? tl_tempfile(staff_csv, strlen(staff_csv)) : NULL;
	char conf_text[8192], staff_line[256] = "";
	char *conf;
	struct pg_diag diag;
	struct pg_policy *p;

	if (staff != NULL)
		snprintf(staff_line, sizeof(staff_line), "staff = [ \"%s\" ]; ", staff);
	snprintf(conf_text, sizeof(conf_text),
		 "rosters = ( \"%s\" ); %sworld_readable_rosters = \"allow\";\n%s\n", roster,
		 staff_line, extra ? extra : "");
	conf = tl_tempfile(conf_text, strlen(conf_text));
	pg_diag_init(&diag);
	p = policy_load(conf, NULL, NULL, &diag);
	for (size_t i = 0; p == NULL && i < diag.n; i++)
		fprintf(stderr, "%s\n", diag.items[i].text);
	if (p == NULL)
		abort();
	pg_diag_free(&diag);
	unlink(roster);
	if (staff != NULL)
		unlink(staff);
	unlink(conf);
	free(roster);
	free(staff);
	free(conf);
	return p;
}

/* A policy over the test roster and staff, with EXTRA configuration text. */
static inline struct pg_policy *tl_policy(const char *extra)
{
	return tl_policy_of(tl_roster, tl_staff, extra);
}

/* Scan a message given as a string. */
static inline void tl_scan(const struct pg_policy *p, const char *msg, enum pg_direction dir,
			   struct pg_result *r)
{
	struct pg_scan_opts opts = { .dir = dir, .show_names = 1 };
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(msg, strlen(msg));

	engine_result_init(r);
	engine_scan_stream(p, s, &opts, r);
	g_object_unref(s);
}

/* Whether R has a finding of TYPE for pupil KEY. */
static inline int tl_has(const struct pg_result *r, const char *type, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].type, type) == 0 && r->v[i].pupil != NULL &&
		    strncmp(r->v[i].pupil, key, strlen(key)) == 0)
			return 1;
	return 0;
}

static inline int tl_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
