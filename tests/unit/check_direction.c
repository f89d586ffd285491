/*
 * check_direction.c - which way a message goes, bulk detection, and
 * exemptions, table-driven over envelopes.
 */
#include "config.h"

#include "direction.h"
#include "testlib.h"

static const char dir_conf[] =
	"directions = { local_domains = [ \"school.example\", \"@fed.example\" ];\n"
	"  trusted_networks = [ \"192.0.2.0/24\", \"2001:db8::/32\" ];\n"
	"  newsletter_senders = [ \"news@school.example\" ];\n"
	"  newsletter_min_recipients = 3; };\n"
	"exemptions = { allowed_recipients = [ \"@secure.la.example\", \"head@gov.example\" ];\n"
	"  allowed_senders = [ \"mis@school.example\" ]; };\n";

static struct pg_conf *dir_load(void)
{
	struct pg_diag d;
	struct pg_conf *c;

	pg_diag_init(&d);
	c = conf_load_text("direction.conf", dir_conf, &d);
	for (size_t i = 0; c == NULL && i < d.n; i++)
		fprintf(stderr, "%s\n", d.items[i].text);
	pg_diag_free(&d);
	ck_assert_ptr_nonnull(c);
	return c;
}

static const struct {
	const char *client;
	int auth;
	const char *sender;
	const char *rcpts[5];
	int list_id;
	const char *precedence;
	enum pg_direction want;
} dir_cases[] = {
	/* From outside: inbound whatever the addresses say. */
	{ "203.0.113.9", 0, "parent@home.example", { "office@school.example" }, 0, NULL,
	  PG_DIR_INBOUND },
	{ "203.0.113.9", 0, "forged@school.example", { "x@elsewhere.example" }, 0, NULL,
	  PG_DIR_INBOUND },
	{ NULL, 0, "a@school.example", { "b@school.example" }, 0, NULL, PG_DIR_INBOUND },
	/* From the school: by its recipients. */
	{ "192.0.2.10", 0, "t@school.example", { "o@school.example" }, 0, NULL, PG_DIR_INTERNAL },
	{ "192.0.2.10", 0, "t@school.example", { "o@KS2.School.Example" }, 0, NULL,
	  PG_DIR_INTERNAL },
	{ "192.0.2.10", 0, "t@school.example", { "o@fed.example", "p@school.example" }, 0, NULL,
	  PG_DIR_INTERNAL },
	{ "192.0.2.10", 0, "t@school.example", { "o@school.example", "p@home.example" }, 0, NULL,
	  PG_DIR_OUTBOUND },
	/* A look-alike domain is not a subdomain. */
	{ "192.0.2.10", 0, "t@school.example", { "o@badschool.example" }, 0, NULL,
	  PG_DIR_OUTBOUND },
	{ "2001:db8::5", 0, "t@school.example", { "p@home.example" }, 0, NULL, PG_DIR_OUTBOUND },
	{ "198.51.100.1", 1, "t@school.example", { "p@home.example" }, 0, NULL, PG_DIR_OUTBOUND },
	/* Bulk: List-Id, Precedence, a newsletter sender, or many recipients. */
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 1, NULL, PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 0, "Bulk",
	  PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 0, "list",
	  PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 0, "junk", PG_DIR_OUTBOUND },
	{ "192.0.2.10", 0, "news@school.example", { "p@home.example" }, 0, NULL,
	  PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "a@h.example", "b@h.example", "c@h.example" },
	  0, NULL, PG_DIR_OUTBOUND },
	{ "192.0.2.10", 0, "t@school.example",
	  { "a@h.example", "b@h.example", "c@h.example", "d@h.example" }, 0, NULL,
	  PG_DIR_NEWSLETTER },
	/* Internal bulk stays internal: nothing leaves. */
	{ "192.0.2.10", 0, "news@school.example", { "o@school.example" }, 1, NULL,
	  PG_DIR_INTERNAL },
};

static size_t dir_count(const char *const *v)
{
	size_t n = 0;

	while (n < 5 && v[n] != NULL)
		n++;
	return n;
}

START_TEST(test_direction_decide)
{
	struct pg_conf *c = dir_load();
	struct pg_envelope env = { .client_addr = dir_cases[_i].client,
				   .authenticated = dir_cases[_i].auth,
				   .sender = dir_cases[_i].sender,
				   .rcpts = dir_cases[_i].rcpts,
				   .nrcpts = dir_count(dir_cases[_i].rcpts),
				   .has_list_id = dir_cases[_i].list_id,
				   .precedence = dir_cases[_i].precedence };

	ck_assert_msg(direction_decide(c, &env) == dir_cases[_i].want, "case %d: got %s", _i,
		      conf_direction_name(direction_decide(c, &env)));
	conf_free(&c);
}
END_TEST

START_TEST(test_direction_local)
{
	struct pg_conf *c = dir_load();

	ck_assert(direction_is_local(c, "a@school.example"));
	ck_assert(direction_is_local(c, "a@x.y.school.example"));
	ck_assert(direction_is_local(c, "a@fed.example"));
	ck_assert(!direction_is_local(c, "a@notschool.example"));
	ck_assert(!direction_is_local(c, "school.example"));
	ck_assert(!direction_is_local(c, NULL));
	conf_free(&c);
}
END_TEST

START_TEST(test_direction_exempt)
{
	struct pg_conf *c = dir_load();
	const char *la[] = { "a@secure.la.example", "b@team.secure.la.example" };
	const char *mixed[] = { "a@secure.la.example", "p@home.example" };
	const char *head[] = { "HEAD@gov.example" };
	const char *other[] = { "deputy@gov.example" };
	struct pg_envelope env = { .client_addr = "192.0.2.10", .sender = "t@school.example" };
	const char *why = NULL;

	env.rcpts = la;
	env.nrcpts = 2;
	ck_assert(direction_exempt(c, &env, &why));
	ck_assert_str_eq(why, "allowed recipients");
	env.rcpts = mixed;
	ck_assert(!direction_exempt(c, &env, &why));
	env.rcpts = head;
	env.nrcpts = 1;
	ck_assert(direction_exempt(c, &env, &why));
	env.rcpts = other;
	ck_assert(!direction_exempt(c, &env, &why));
	/* An allowed sender only from the school: the envelope can be forged. */
	env.sender = "mis@school.example";
	ck_assert(direction_exempt(c, &env, &why));
	ck_assert_str_eq(why, "allowed sender");
	env.client_addr = "203.0.113.9";
	ck_assert(!direction_exempt(c, &env, &why));
	env.authenticated = 1;
	ck_assert(direction_exempt(c, &env, &why));
	/* No recipients: nothing is exempt by recipients. */
	env.sender = "t@school.example";
	env.nrcpts = 0;
	ck_assert(!direction_exempt(c, &env, &why));
	conf_free(&c);
}
END_TEST

/* Address forms the MTA rewrites after the milter, as the address they become. */
static const struct {
	const char *rcpt;
	const char *want;   /* direction_route() */
	int local;          /* and so internal (1) or outbound (0) */
} route_cases[] = {
	{ "o@school.example", "o@school.example", 1 },
	{ "p@home.example", "p@home.example", 0 },
	/* allow_percent_hack: the rightmost % of a local domain's local part. */
	{ "parent%home.example@school.example", "parent@home.example", 0 },
	{ "parent%home.example@KS2.School.Example", "parent@home.example", 0 },
	{ "o%fed.example@school.example", "o@fed.example", 1 },
	{ "a%home.example%school.example@fed.example", "a@home.example", 0 },
	{ "a%school.example%fed.example@school.example", "a@school.example", 1 },
	/* A second @ in the local part reads like %. */
	{ "p@home.example@school.example", "p@home.example", 0 },
	/* swap_bangpath: site!user, nested. */
	{ "home.example!parent@school.example", "parent@home.example", 0 },
	{ "school.example!home.example!parent@school.example", "parent@home.example", 0 },
	{ "fed.example!o@school.example", "o@fed.example", 1 },
	{ "home.example!parent", "parent@home.example", 0 },
	/* Bang and percent together. */
	{ "home.example!p%school.example@school.example", "p@home.example", 0 },
	/* Source routes are dropped, as Postfix does. */
	{ "@relay.example,@school.example:parent@home.example", "parent@home.example", 0 },
	{ "@home.example:o@school.example", "o@school.example", 1 },
	{ "@a.example,@b.example:parent%home.example@school.example", "parent@home.example", 0 },
	/* Only a local domain's local part is read again: elsewhere it is theirs. */
	{ "o%school.example@home.example", "o%school.example@home.example", 0 },
	/* A quoted local part is one word (Postfix reads it so): a local user. */
	{ "\"parent%home.example\"@school.example", "\"parent%home.example\"@school.example", 1 },
	{ "\"p@home.example\"@school.example", "\"p@home.example\"@school.example", 1 },
	{ "\"home.example!parent\"@school.example", "\"home.example!parent\"@school.example", 1 },
	{ "\"a\\\"b%home.example\"@school.example", "\"a\\\"b%home.example\"@school.example", 1 },
	/* A route to a name that is no local domain leaves; deeper than
	 * PG_ROUTE_DEPTH local hops counts as outside too. */
	{ "a%b%c%d%e%f%g%h%i%school.example@school.example", "a%b%c%d%e%f%g%h@i", 0 },
	{ "p%school.example%school.example%school.example%school.example%school.example%"
	  "school.example%school.example%school.example%school.example@school.example", NULL, 0 },
};

START_TEST(test_direction_route)
{
	struct pg_conf *c = dir_load();
	const char *rcpts[] = { route_cases[_i].rcpt };
	struct pg_envelope env = { .client_addr = "192.0.2.10", .sender = "t@school.example",
				   .rcpts = rcpts, .nrcpts = 1 };
	char *to = direction_route(c, route_cases[_i].rcpt);

	if (route_cases[_i].want != NULL)
		ck_assert_str_eq(to, route_cases[_i].want);
	ck_assert_msg(direction_is_local(c, to) == route_cases[_i].local, "%s -> %s",
		      route_cases[_i].rcpt, to);
	ck_assert_msg(direction_decide(c, &env) ==
		      (route_cases[_i].local ? PG_DIR_INTERNAL : PG_DIR_OUTBOUND), "%s",
		      route_cases[_i].rcpt);
	free(to);
	conf_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("direction");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_direction_decide, 0, (int)PG_ARRAY_LEN(dir_cases));
	tcase_add_test(tc, test_direction_local);
	tcase_add_loop_test(tc, test_direction_route, 0, (int)PG_ARRAY_LEN(route_cases));
	tcase_add_test(tc, test_direction_exempt);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
