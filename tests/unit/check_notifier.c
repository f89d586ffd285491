/*
 * check_notifier.c - the delivery pass of the notifier thread, with the
 * clock in the test's hands: retries of a notice and of a digest back off
 * (a relay that is down is not asked again before its time), what is over
 * the per-address cap is folded into one digest, and nothing leaves the
 * spool until it is delivered.
 *
 * Delivery goes through the sendmail-binary path to a real program: a
 * shell script that counts its calls, fails with EX_TEMPFAIL while a file
 * "down" exists, and otherwise keeps the message.
 *
 * Also: a reload makes the new policy's spool before it is in force, and a
 * spool that cannot be made keeps the old policy.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#include "notifier.h"
#include "reload.h"
#include "spool.h"

static struct pg_policy *pol;
static char dir[] = "/tmp/pg-notifier-XXXXXX";
static char spool[sizeof(dir) + 16], script[sizeof(dir) + 16];

static int calls(void)
{
	char path[sizeof(dir) + 16], line[64];
	FILE *fp;
	int n = 0;

	snprintf(path, sizeof(path), "%s/calls", dir);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		n++;
	fclose(fp);
	return n;
}

static size_t spooled(void)
{
	char **names = spool_list(spool);
	size_t n = 0;

	while (names[n] != NULL)
		n++;
	spool_list_free(names);
	return n;
}

static void relay(int up)
{
	char path[sizeof(dir) + 16];

	snprintf(path, sizeof(path), "%s/down", dir);
	if (up) {
		ck_assert_int_eq(unlink(path), 0);
	} else {
		FILE *fp = fopen(path, "w");

		ck_assert_ptr_nonnull(fp);
		fclose(fp);
	}
}

/* The messages the script kept, concatenated. */
static char *delivered(void)
{
	char cmd[sizeof(dir) + 64], *text;
	FILE *fp;
	size_t len;

	snprintf(cmd, sizeof(cmd), "cat %s/out.* 2>/dev/null", dir);
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	text = pg_malloc(1 << 16);
	len = fread(text, 1, (1 << 16) - 1, fp);
	text[len] = '\0';
	ck_assert_int_eq(pclose(fp), 0);
	return text;
}

START_TEST(test_backoff_and_digest)
{
	struct pg_notifier_conf nc = { 0 };
	const char *error;
	const char *msg = "Subject: held\n\nheld\n";
	time_t t0;
	char *out, cmd[sizeof(dir) + 16];
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(spool, sizeof(spool), "%s/spool", dir);
	snprintf(script, sizeof(script), "%s/sendmail", dir);
	fp = fopen(script, "w");
	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "#!/bin/sh\n"
		    "d=%s\n"
		    "echo \"$*\" >> \"$d/calls\"\n"
		    "cat > \"$d/msg.$$\"\n"
		    "[ -e \"$d/down\" ] && { rm -f \"$d/msg.$$\"; exit 75; }\n"
		    "mv \"$d/msg.$$\" \"$d/out.$$\"\n",
		dir);
	fclose(fp);
	ck_assert_int_eq(chmod(script, 0700), 0);
	ck_assert_int_eq(spool_open(spool, &error), 0);

	nc.spool_dir = spool;
	nc.sendmail_path = script;
	nc.relay = "127.0.0.1:25";
	nc.helo = "mx.school.example";
	nc.retry_min = 10;
	nc.retry_max = 40;
	nc.expire = 86400;
	nc.rate_limit = 1;
	nc.rate_period = 60;
	nc.digest = &pol->tpl_digest;
	nc.from = "pupilguard@school.example";
	nc.key = &pol->notice_key;
	nc.hostname = "mx.school.example";

	relay(0);
	for (int i = 0; i < 3; i++) {
		char summary[64];

		snprintf(summary, sizeof(summary), "4ABC%d held, score 40", i);
		ck_assert_int_eq(notifier_enqueue(spool, nc.from, "head@school.example", msg,
						  strlen(msg), summary, &error),
				 0);
	}
	t0 = time(NULL);

	/* The first notice is tried and fails; the other two are over the cap
	 * of one a minute and wait for a digest. */
	notifier_run_once(&nc, t0);
	ck_assert_int_eq(calls(), 1);
	ck_assert_uint_eq(spooled(), 3);
	/* A period later: the notice's retry (10 s after the first try) and
	 * the first digest, both failing. */
	notifier_run_once(&nc, t0 + 60);
	ck_assert_int_eq(calls(), 3);
	/* Neither is asked again before its backoff: the digest waits 10 s,
	 * the notice 20 s now. */
	notifier_run_once(&nc, t0 + 65);
	notifier_run_once(&nc, t0 + 69);
	ck_assert_int_eq(calls(), 3);
	notifier_run_once(&nc, t0 + 70);
	ck_assert_int_eq(calls(), 4); /* the digest again; next in 20 s */
	notifier_run_once(&nc, t0 + 85);
	ck_assert_int_eq(calls(), 5); /* the notice, due at t0 + 80; next in 40 s */
	notifier_run_once(&nc, t0 + 89);
	ck_assert_int_eq(calls(), 5);
	ck_assert_uint_eq(spooled(), 3); /* nothing lost while the relay is down */

	relay(1);
	notifier_run_once(&nc, t0 + 89);
	ck_assert_int_eq(calls(), 5); /* up, but nothing is due */
	notifier_run_once(&nc, t0 + 90);
	ck_assert_int_eq(calls(), 6); /* the digest, delivered */
	ck_assert_uint_eq(spooled(), 1);
	/* It lists the two that were folded, and not the notice. */
	out = delivered();
	for (int i = 0, listed = 0; i < 3; i++) {
		char summary[64];

		snprintf(summary, sizeof(summary), "4ABC%d held", i);
		listed += strstr(out, summary) != NULL;
		if (i == 2)
			ck_assert_int_eq(listed, 2);
	}
	free(out);
	notifier_run_once(&nc, t0 + 124);
	ck_assert_int_eq(calls(), 6);
	notifier_run_once(&nc, t0 + 125);
	ck_assert_int_eq(calls(), 7); /* the notice, delivered */
	ck_assert_uint_eq(spooled(), 0);
	notifier_run_once(&nc, t0 + 200);
	ck_assert_int_eq(calls(), 7);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Write the milter's configuration at PATH, its spool at SPOOL_DIR. */
static void write_conf(const char *path, const char *roster, const char *staff,
		       const char *spool_dir)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fprintf(fp,
		"rosters = ( \"%s\" ); staff = [ \"%s\" ]; world_readable_rosters = \"allow\";\n"
		"notify = { leadership = [ \"head@school.example\" ]; spool_dir = \"%s\"; };\n",
		roster, staff, spool_dir);
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(test_reload_makes_spool)
{
	char top[] = "/tmp/pg-reload-XXXXXX", conf[64], a[64], b[64], bad[80], path[96];
	char *roster = tl_tempfile(tl_roster, sizeof(tl_roster) - 1);
	char *staff = tl_tempfile(tl_staff, sizeof(tl_staff) - 1);
	struct pg_policy *p;
	struct pg_diag diag;
	struct stat st;
	const char *error;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(conf, sizeof(conf), "%s/pupilguard.conf", top);
	snprintf(a, sizeof(a), "%s/a", top);
	snprintf(b, sizeof(b), "%s/b", top);
	snprintf(path, sizeof(path), "%s/file", top);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	snprintf(bad, sizeof(bad), "%s/file/spool", top); /* under a file: cannot be made */

	write_conf(conf, roster, staff, a);
	pg_diag_init(&diag);
	ck_assert_int_eq(reload_init(conf, &diag), 0);
	pg_diag_free(&diag);
	ck_assert_int_eq(spool_open(a, &error), 0);
	ck_assert_int_eq(notifier_enqueue(a, "pg@school.example", "head@school.example", "x\n", 2,
					  "4ABC held", &error),
			 0);

	/* spool_dir changed at a reload: made before the policy is in force. */
	write_conf(conf, roster, staff, b);
	snprintf(path, sizeof(path), "%s/new", b);
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(reload_now(), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	p = reload_current();
	ck_assert_str_eq(p->conf->notify_spool_dir, b);
	policy_unref(&p);

	/* One that cannot be made: the reload fails and B stays in force. */
	write_conf(conf, roster, staff, bad);
	ck_assert_int_eq(reload_now(), -1);
	p = reload_current();
	ck_assert_str_eq(p->conf->notify_spool_dir, b);
	policy_unref(&p);

	reload_shutdown();
	unlink(roster);
	unlink(staff);
	free(roster);
	free(staff);
	snprintf(path, sizeof(path), "rm -rf '%s'", top);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notifier");
	TCase *tc = tcase_create("notifier");
	int rc;

	engine_global_init();
	pol = tl_policy(NULL);
	tcase_add_test(tc, test_backoff_and_digest);
	tcase_add_test(tc, test_reload_makes_spool);
	suite_add_tcase(s, tc);
	rc = tl_run(s);
	policy_unref(&pol);
	return rc;
}
