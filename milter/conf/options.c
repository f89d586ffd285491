/*
 * options.c - the table of every pupilguard.conf option (see options.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "log.h"
#include "options.h"

#define ACT(a) (1u << PG_ACTION_##a)
#define OFF(field) offsetof(struct pg_conf, field)
#define K 1024LL
#define DAY 86400LL

static int options_check_level(const void *field, const char **error_r)
{
	const char *v = *(char *const *)field;
	enum pg_log_level level;

	if (v != NULL && pg_log_level_parse(v, &level) < 0) {
		*error_r = pg_errorf("log_level '%s': use error, warning, notice, info or debug", v);
		return -1;
	}
	return 0;
}

static int options_check_facility(const void *field, const char **error_r)
{
	const char *v = *(char *const *)field;
	int facility;

	if (v != NULL && pg_log_facility_parse(v, &facility) < 0) {
		*error_r = pg_errorf("syslog_facility '%s': use mail, daemon, user or local0-7", v);
		return -1;
	}
	return 0;
}

static int options_check_networks(const void *field, const char **error_r)
{
	char *const *v = *(char **const *)field;

	for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
		if (!cidr_valid(v[i])) {
			*error_r = pg_errorf("trusted_networks: '%s' is not an address or network "
				     "(192.0.2.0/24, 2001:db8::/32)", v[i]);
			return -1;
		}
	}
	return 0;
}

static const char *const readable_names[] = { "allow", "warn", "refuse", NULL };
static const char *const mode_names[] = { "enforce", "audit", NULL };
static const char *const dir_mode_names[] = { "inherit", "enforce", "audit", NULL };

#define INT(p, f, d, lo, hi, doc) { p, PG_OPT_INT, OFF(f), d, lo, hi, 0, NULL, NULL, doc }
#define UINT(p, f, d, lo, hi, doc) { p, PG_OPT_UINT, OFF(f), d, lo, hi, 0, NULL, NULL, doc }
#define SIZE(p, f, d, lo, hi, doc) { p, PG_OPT_SIZE, OFF(f), d, lo, hi, 0, NULL, NULL, doc }
#define BOOL(p, f, d, doc) { p, PG_OPT_BOOL, OFF(f), d, 0, 1, 0, NULL, NULL, doc }
#define STR(p, f, d, doc) { p, PG_OPT_STRING, OFF(f), d, 0, 0, 0, NULL, NULL, doc }
#define STRC(p, f, d, chk, doc) { p, PG_OPT_STRING, OFF(f), d, 0, 0, 0, NULL, chk, doc }
#define PATH(p, f, doc) { p, PG_OPT_PATH, OFF(f), NULL, 0, 0, 0, NULL, NULL, doc }
#define STRV(p, f, d, doc) { p, PG_OPT_STRV, OFF(f), d, 0, 0, 0, NULL, NULL, doc }
#define STRVC(p, f, d, chk, doc) { p, PG_OPT_STRV, OFF(f), d, 0, 0, 0, NULL, chk, doc }
#define PATHV(p, f, doc) { p, PG_OPT_PATHV, OFF(f), NULL, 0, 0, 0, NULL, NULL, doc }
#define ACTION(p, f, d, allow, doc) { p, PG_OPT_ACTION, OFF(f), d, 0, 0, allow, NULL, NULL, doc }
#define ACTIONS(p, f, d, allow, doc) \
	{ p, PG_OPT_ACTIONSET, OFF(f), d, 0, 0, allow, NULL, NULL, doc }
#define ENUM(p, f, d, first, nm, doc) { p, PG_OPT_ENUM, OFF(f), d, first, 0, 0, nm, NULL, doc }
#define OCTAL(p, f, d, doc) { p, PG_OPT_OCTAL, OFF(f), d, 0, 0777, 0, NULL, NULL, doc }
#define CUSTOM(p, doc) { p, PG_OPT_CUSTOM, 0, NULL, 0, 0, 0, NULL, NULL, doc }
#define DIRECTION(name, D, t, h, r, trunc, unr)                                               \
	INT("policy." name ".tag", dir[D].tag, t, 0, 1000000, "score to tag at; 0: never"), \
	INT("policy." name ".hold", dir[D].hold, h, 0, 1000000, "score to hold at; 0: never"), \
	INT("policy." name ".reject", dir[D].reject, r, 0, 1000000,                       \
	    "score to reject at; 0: never"),                                               \
	STR("policy." name ".subject_prefix", dir[D].subject_prefix, NULL,                  \
	    "put before the Subject of a tagged message"),                                 \
	ENUM("policy." name ".mode", dir[D].mode, "\"inherit\"", PG_MODE_INHERIT,           \
	     dir_mode_names, "enforce or audit this direction; inherit: milter.mode"),      \
	ACTION("policy." name ".on_truncated", dir[D].on_truncated, trunc,                  \
	       ACT(NONE) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) | ACT(TEMPFAIL),              \
	       "at least this for a message of this direction not scanned whole"),        \
	ACTION("policy." name ".on_encrypted", dir[D].on_encrypted, "\"none\"",           \
	       ACT(NONE) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) | ACT(TEMPFAIL),              \
	       "at least this for a message of this direction with an encrypted attachment"), \
	ACTION("policy." name ".on_unreadable", dir[D].on_unreadable, unr,                \
	       ACT(NONE) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) | ACT(TEMPFAIL),              \
	       "at least this for a message of this direction with an attachment not read")

static const struct pg_option options[] = {
	CUSTOM("rosters", "pupil roster CSV files, or groups { file; encoding; columns; }"),
	CUSTOM("staff", "staff list CSV files"),
	STR("staff_encoding", staff_encoding, NULL, "character set of the staff lists; default auto"),
	ENUM("world_readable_rosters", roster_mode_check, "\"warn\"", 0, readable_names,
	     "a roster every user may read: allow, warn or refuse"),
	PATHV("rules", rules, "rule files"),
	BOOL("rules_jit", rules_jit, "true", "compile rule patterns with PCRE2's JIT"),

	INT("scores.name", score_name, "10", 0, 1000000, "score of a pupil's full name"),
	INT("scores.list_min", list_min, "10", 0, 1000000,
	    "pupils named in one place that make one list finding; 0: never"),
	INT("scores.partial_name", score_partial, "3", 0, 1000000,
	    "score of an initial and surname, or a surname after a title"),
	INT("scores.protected_multiplier", protected_multiplier, "3", 1, 1000,
	    "multiplier for a pupil flagged protected"),

	BOOL("names.partial_names", partial_names, "true", "find partial names"),
	STRV("names.determiners", determiners, NULL, "words that make a name a thing; built-in"),
	STRV("names.place_nouns", place_nouns, NULL, "words after a name that make it a place"),
	STRV("names.titles", titles, NULL, "titles of adults (Mr, Mrs, Dr, ...)"),
	STRV("names.locatives", locatives, NULL, "words before a name that make it a place"),
	STRV("names.common_words", common_words, NULL,
	     "everyday words never taken as names in lower case"),
	STRV("names.everyday_words", everyday_words, NULL,
	     "surnames that are everyday words: not a surname in lower case after a forename"),
	PATH("names.public_figures", public_figures,
	     "public figures a pupil may share a name with, and the words that mark them"),
	STRV("names.allow_phrases", allow_phrases, NULL, "phrases that are never names"),

	/* What leaves the school and was not read whole is held: padding (deep
	 * nesting, many parts, text past max_text_bytes) must not turn a hold
	 * into a tag. */
	DIRECTION("inbound", PG_DIR_INBOUND, "10", "0", "0", "\"tag\"", "\"tag\""),
	DIRECTION("outbound", PG_DIR_OUTBOUND, "10", "20", "0", "\"hold\"", "\"tag\""),
	DIRECTION("internal", PG_DIR_INTERNAL, "0", "0", "0", "\"tag\"", "\"none\""),
	DIRECTION("newsletter", PG_DIR_NEWSLETTER, "0", "10", "0", "\"hold\"", "\"tag\""),

	SIZE("limits.max_text_bytes", max_text_bytes, "33554432", 4096, K * K * K,
	     "text extracted from one message at most"),
	UINT("limits.max_mime_depth", max_mime_depth, "40", 1, 1000, "MIME nesting at most"),
	UINT("limits.max_mime_parts", max_mime_parts, "2000", 1, 1000000,
	     "MIME parts of one message at most"),
	ACTION("limits.on_truncated", on_truncated, "\"none\"",
	       ACT(NONE) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) | ACT(TEMPFAIL),
	       "at least this, in every direction, for a message not scanned whole"),
	UINT("limits.doc_max_depth", doc_max_depth, "4", 0, 100,
	     "archives within archives in one attachment at most"),
	UINT("limits.doc_max_members", doc_max_members, "5000", 1, 1000000,
	     "archive members read from one attachment at most"),
	SIZE("limits.doc_max_bytes", doc_max_bytes, "67108864", 4096, K * K * K,
	     "bytes expanded from one attachment at most"),
	UINT("limits.doc_max_ratio", doc_max_ratio, "100", 2, 100000,
	     "expanded bytes per compressed byte at most (zip bombs)"),
	UINT("limits.doc_timeout_ms", doc_timeout_ms, "10000", 100, 600000,
	     "wall-clock time of the document reader per attachment"),
	UINT("limits.doc_cpu_seconds", doc_cpu_seconds, "10", 1, 600,
	     "CPU time of the document reader per attachment"),
	SIZE("limits.doc_memory", doc_memory, "536870912", 16 * K * K, 64 * K * K * K,
	     "address space of the document reader"),
	ACTION("limits.on_encrypted", on_encrypted, "\"none\"",
	       ACT(NONE) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) | ACT(TEMPFAIL),
	       "at least this, in every direction, for a message with an encrypted attachment"),

	STR("milter.socket", socket, "\"unix:/var/spool/postfix/pupilguard/pupilguard.sock\"",
	    "where the milter listens"),
	STR("milter.socket_group", socket_group, "\"postfix\"",
	    "group given to the unix socket after binding; \"\": leave it"),
	OCTAL("milter.socket_mode", socket_mode, "\"0660\"", "mode of the unix socket"),
	STR("milter.pid_file", pid_file, NULL, "file to write the daemon's process ID to"),
	STR("milter.user", user, NULL, "user to run as after binding"),
	STR("milter.group", group, NULL, "group to run as after binding"),
	BOOL("milter.allow_root", allow_root, "false",
	     "run as root when no milter.user is set (like -R)"),
	OCTAL("milter.umask", umask, "\"007\"", "umask, for the unix socket"),
	STRC("milter.syslog_facility", syslog_facility, "\"mail\"", options_check_facility,
	     "syslog facility"),
	STRC("milter.log_level", log_level, "\"info\"", options_check_level,
	     "error, warning, notice, info or debug"),
	STR("milter.temp_dir", temp_dir, "\"/tmp\"", "where large messages spill"),
	SIZE("milter.memory_buffer_bytes", memory_buffer_bytes, "1048576", 0, K * K * K,
	     "bytes of a message kept in memory before spilling"),
	SIZE("milter.max_message_bytes", max_message_bytes, "52428800", 1024, 2047 * K * K,
	     "bytes of a message buffered and scanned at most"),
	INT("milter.timeout", milter_timeout, "300", 10, 3600, "seconds to wait on the MTA"),
	ACTION("milter.on_error", on_error, "\"tempfail\"", ACT(TEMPFAIL) | ACT(ACCEPT),
	       "a message that cannot be buffered or read back"),
	ACTION("milter.on_oversize", on_oversize, "\"tag\"",
	       ACT(ACCEPT) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) | ACT(TEMPFAIL),
	       "at least this for a message over max_message_bytes; accept: unscanned"),
	ENUM("milter.mode", mode, "\"enforce\"", PG_MODE_ENFORCE, mode_names,
	     "enforce verdicts, or audit: log and stamp them only"),

	STRV("directions.local_domains", local_domains, NULL, "the school's mail domains"),
	STRVC("directions.trusted_networks", trusted_networks, "[ \"127.0.0.0/8\", \"::1/128\" ]",
	      options_check_networks, "networks whose senders are the school's"),
	STRV("directions.newsletter_senders", newsletter_senders, NULL,
	     "senders whose outbound mail is a newsletter"),
	INT("directions.newsletter_min_recipients", newsletter_min_recipients, "25", 0, 1000000,
	    "more recipients than this make a newsletter; 0: never"),
	STR("directions.postfix_maps", postfix_maps, NULL,
	    "Postfix config directory whose alias maps expand local recipients"),

	STRV("exemptions.allowed_recipients", allowed_recipients, NULL,
	     "recipients (or @domains) whose mail is not scanned"),
	STRV("exemptions.allowed_senders", allowed_senders, NULL,
	     "school senders whose mail is not scanned"),
	STR("exemptions.notification_secret", notification_secret, NULL,
	    "deprecated, ignored: notices carry a per-notice mark"),
	STR("exemptions.notice_key_file", notice_key_file, "\"/var/lib/pupilguard/notice.key\"",
	    "key that marks pupilguard's own notices; made 0600 at start"),
	UINT("exemptions.notice_max_age", notice_max_age, "86400", 60, 31536000,
	     "a notice's mark is accepted this many seconds"),

	STRV("notify.leadership", notify_leadership, NULL, "who is told of holds"),
	ACTIONS("notify.on", notify_on, "[ \"hold\" ]", ACT(HOLD) | ACT(TAG) | ACT(REJECT),
		"the actions that send a notice"),
	BOOL("notify.notify_sender", notify_sender, "false",
	     "tell a school sender that their message is held"),
	STR("notify.from", notify_from, "\"pupilguard@localhost\"", "sender of notices"),
	STR("notify.relay", notify_relay, "\"127.0.0.1:25\"", "SMTP relay for notices"),
	STR("notify.sendmail_path", notify_sendmail, NULL, "sendmail binary instead of SMTP"),
	STR("notify.spool_dir", notify_spool_dir, "\"/var/spool/pupilguard\"",
	    "notices waiting to be delivered"),
	INT("notify.retry_min", notify_retry_min, "60", 1, DAY, "first retry after, seconds"),
	INT("notify.retry_max", notify_retry_max, "3600", 1, 7 * DAY,
	    "longest wait between retries, seconds"),
	INT("notify.expire", notify_expire, "432000", 60, 365 * DAY,
	    "give a notice up after, seconds"),
	INT("notify.rate_limit", notify_rate_limit, "10", 0, 1000000,
	    "notices per address per period before a digest; 0: no limit"),
	INT("notify.rate_period", notify_rate_period, "3600", 1, 7 * DAY,
	    "the rate limit's period, seconds"),
	PATH("notify.template", notify_template, "leadership notice template; built-in"),
	PATH("notify.sender_template", notify_sender_template, "sender notice template"),
	PATH("notify.digest_template", notify_digest_template, "digest template"),
	STR("notify.hostname", notify_hostname, NULL, "host name in notices; default: this host's"),
	STR("notify.hold_tool", hold_tool, "\"pupilguard-hold\"", "command named in notices"),

	STR("review.hold_socket", review_hold_socket, "\"/run/pupilguard/hold.sock\"",
	    "unix socket of the hold service (pupilguard-hold serve)"),
	STR("review.user", review_user, "\"pupilguard\"",
	    "the one user besides root the hold service lets in"),
	STR("review.decisions_file", review_decisions_file,
	    "\"/var/lib/pupilguard/decisions.log\"", "record of every release and delete"),

	STR("actions.reject_reply", reject_reply,
	    "\"550 5.7.1 Message refused: it appears to contain pupils' personal data. "
	    "Please contact the school office.\"",
	    "SMTP reply of a rejected message"),
	STR("actions.quarantine_reason", quarantine_reason, "\"pupilguard\"",
	    "start of the hold reason"),
	BOOL("actions.add_status_header", add_status_header, "true",
	     "X-PupilGuard-Status on every message"),
};

const struct pg_option *options_table(size_t *n_r)
{
	*n_r = PG_ARRAY_LEN(options);
	return options;
}

const struct pg_option *options_find(const char *path)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(options); i++)
		if (strcmp(options[i].path, path) == 0)
			return &options[i];
	return NULL;
}

int options_is_group(const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < PG_ARRAY_LEN(options); i++)
		if (strncmp(options[i].path, path, n) == 0 && options[i].path[n] == '.')
			return 1;
	return 0;
}
