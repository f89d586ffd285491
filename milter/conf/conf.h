/*
 * conf.h - pupilguard.conf, parsed and checked into a read-only struct.
 *
 * The file is libconfig syntax.  Every problem is reported as file:line
 * through a pg_diag, unknown options included, so that `pupilguard-milter -n`
 * and `pupilguard-scan` can list them all.  Relative paths are resolved
 * against the folder of the configuration file, so the example works from a
 * checkout and after installation alike.  The defaults here are the ones
 * documented in conf/pupilguard.conf and pupilguard.conf(5).
 */
#ifndef PG_CONF_H
#define PG_CONF_H

#include <stddef.h>

#include "schema.h"
#include "util.h"

enum pg_direction {
	PG_DIR_INBOUND,
	PG_DIR_OUTBOUND,
	PG_DIR_INTERNAL,
	PG_DIR_NEWSLETTER,
	PG_DIR_COUNT
};

/* What to do about a roster or staff file that everyone may read. */
enum pg_mode_check { PG_MODE_ALLOW, PG_MODE_WARN, PG_MODE_REFUSE };

enum pg_action {
	PG_ACTION_NONE,
	PG_ACTION_TAG,
	PG_ACTION_HOLD,
	PG_ACTION_REJECT,
	PG_ACTION_TEMPFAIL,
	PG_ACTION_ACCEPT /* for failure modes: pass the message untouched */
};

struct pg_dir_policy {
	int tag;    /* score at or above which to tag; 0: never */
	int hold;
	int reject;
	char *subject_prefix; /* added when tagging; NULL or "": none */
	int mode;             /* PG_MODE_INHERIT, PG_MODE_ENFORCE or PG_MODE_AUDIT */
	enum pg_action on_truncated; /* least action when not scanned whole */
	enum pg_action on_encrypted; /* least action with an encrypted attachment */
	enum pg_action on_unreadable; /* least action with an attachment not read */
};

/* milter.mode and policy.DIR.mode: enforce the verdict, or only log it. */
enum pg_run_mode { PG_MODE_INHERIT = -1, PG_MODE_ENFORCE, PG_MODE_AUDIT };

struct pg_conf_roster {
	char *file; /* absolute or relative to the working directory */
	struct pg_roster_opts opts;
	char *columns[PG_COL_COUNT];
	char *encoding;
	char *protected_flag;
};

struct pg_conf {
	char *path; /* the file it came from, NULL for built-in defaults */

	struct pg_conf_roster *rosters;
	size_t nrosters;
	char **staff;
	size_t nstaff;
	char *staff_encoding;
	int roster_mode_check;   /* PG_MODE_* for rosters readable by everyone */

	int score_name;
	int list_min;
	int score_partial;
	int protected_multiplier;
	int partial_names;
	char **determiners;   /* NULL: built-in */
	char **place_nouns;
	char **titles;
	char **locatives;
	char **common_words;
	char **everyday_words;
	char *public_figures;
	char **allow_phrases; /* NULL-terminated, may be NULL */
	char **rules;         /* rule files, resolved against the config's folder */
	int rules_jit;        /* compile rule patterns with PCRE2's JIT */

	struct pg_dir_policy dir[PG_DIR_COUNT];

	size_t max_text_bytes;
	unsigned max_mime_depth;
	unsigned max_mime_parts;
	enum pg_action on_truncated; /* every direction's floor beside its own */
	unsigned doc_max_depth;      /* archives within archives in one attachment */
	unsigned doc_max_members;    /* archive members read per attachment */
	size_t doc_max_bytes;        /* bytes expanded per attachment */
	unsigned doc_max_ratio;      /* expanded bytes per compressed byte */
	unsigned doc_timeout_ms;     /* wall clock for the reader process */
	unsigned doc_cpu_seconds;    /* RLIMIT_CPU of the reader process */
	size_t doc_memory;           /* RLIMIT_AS of the reader process */
	enum pg_action on_encrypted; /* every direction's floor beside its own */

	/* milter: the daemon */
	char *socket;           /* "unix:/var/spool/postfix/pupilguard/pupilguard.sock", "inet:8895@127.0.0.1" */
	char *socket_group;     /* the unix socket's group after binding; NULL or "": leave */
	int socket_mode;        /* the unix socket's mode after binding */
	char *pid_file;
	char *user, *group;
	int allow_root;         /* run as root without milter.user (as -R) */
	int umask;
	char *syslog_facility;
	char *log_level;
	char *temp_dir;
	size_t memory_buffer_bytes; /* body kept in memory up to this, then a temp file */
	size_t max_message_bytes;   /* bytes of a message buffered and scanned at most */
	int milter_timeout;         /* seconds libmilter waits on the MTA */
	enum pg_action on_error;    /* engine failure: tempfail (default) or accept */
	enum pg_action on_oversize; /* message over max_message_bytes */
	int mode;                   /* PG_MODE_ENFORCE or PG_MODE_AUDIT, for every direction
				     * whose policy does not set its own */

	/* direction */
	char **local_domains;
	char **trusted_networks;
	char **newsletter_senders;
	int newsletter_min_recipients; /* more recipients than this: bulk; 0: never */
	char *postfix_maps;            /* Postfix config directory whose alias maps
					* expand local recipients; NULL: none */
	/* Read from that Postfix's main.cf at load (pfmaps.c): */
	char **pf_alias_maps;          /* alias_maps, "proxy:" taken off */
	char **pf_virtual_maps;        /* virtual_alias_maps, the same */
	char *pf_delimiter;            /* recipient_delimiter; "" none */
	char *pf_postmap;              /* $command_directory/postmap */

	/* exemptions */
	char **allowed_recipients;        /* addresses, or "@domain" / "domain" forms */
	char **allowed_senders;
	char *notification_secret;        /* deprecated, ignored */
	char *notice_key_file;            /* key of the per-notice mark (noticemac.h) */
	unsigned notice_max_age;          /* seconds a notice's mark is accepted */

	/* notifications */
	char **notify_leadership;         /* NULL: no notifications */
	unsigned notify_on;               /* bit per enum pg_action */
	int notify_sender;                /* tell a local sender their mail is held */
	char *notify_from;
	char *notify_relay;               /* host:port */
	char *notify_sendmail;            /* sendmail binary instead of SMTP */
	char *notify_spool_dir;
	int notify_retry_min, notify_retry_max, notify_expire;
	int notify_rate_limit, notify_rate_period;
	char *notify_template, *notify_sender_template, *notify_digest_template;
	char *notify_hostname;
	char *hold_tool;                  /* command named in notifications */

	/* review: the hold service (pupilguard-hold serve) and its record */
	char *review_hold_socket;         /* the hold service's unix socket */
	char *review_user;                /* the one user besides root let in */
	char *review_decisions_file;      /* the record of releases and deletes */

	/* actions */
	char *reject_reply;               /* "550 5.7.1 text" */
	char *quarantine_reason;          /* prefix of the hold reason */
	int add_status_header;            /* X-PupilGuard-Status on every message */
};

/* Parse PATH; NULL (with every problem in DIAG) when it is unusable. */
struct pg_conf *conf_load(const char *path, struct pg_diag *diag);
/* The same from a string, labelled NAME (tests and fuzzing). */
struct pg_conf *conf_load_text(const char *name, const char *text, struct pg_diag *diag);
/* Built-in defaults, no roster. */
struct pg_conf *conf_defaults(void);
void conf_free(struct pg_conf **conf);

/* Add a roster or staff file given on a command line. */
void conf_add_roster(struct pg_conf *conf, const char *file);
void conf_add_staff(struct pg_conf *conf, const char *file);

/* Whether notices are sent at all (to leadership, or to senders): then the
 * notification spool is needed. */
int conf_notifies(const struct pg_conf *conf);

const char *conf_direction_name(enum pg_direction d);
int conf_direction_parse(const char *name, enum pg_direction *d_r);
const char *conf_action_name(enum pg_action a);
/* Whether direction D runs in audit mode (verdicts logged, never enforced). */
int conf_audit(const struct pg_conf *conf, enum pg_direction d);
int conf_action_parse(const char *name, enum pg_action *a_r);

#endif
