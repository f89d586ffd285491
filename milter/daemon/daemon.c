/*
 * daemon.c - pupilguard-milter: options, start-up checks, socket, privileges,
 * pid file, then libmilter's main loop.  Only this file exits the process,
 * and only during start-up.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"
#include "mlfi.h"
#include "notifier.h"
#include "privs.h"
#include "reload.h"

#ifndef PG_SYSCONFDIR
#define PG_SYSCONFDIR "/etc"
#endif
#define PG_DEFAULT_CONFIG PG_SYSCONFDIR "/pupilguard/pupilguard.conf"

static void daemon_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: pupilguard-milter [-c FILE] [-n] [-f] [-p SOCKET] [-R] [-V] [-h]\n"
		"A milter for Postfix and Sendmail that keeps pupils' names and personal\n"
		"details from leaving a school by email.\n"
		"\n"
		"  -c FILE    configuration file (default " PG_DEFAULT_CONFIG ")\n"
		"  -n         check the configuration, rosters and rules; print every problem\n"
		"             (file:line), the socket, temp_dir and spool as the user the\n"
		"             milter runs as, and exit 0 if usable, 1 if not\n"
		"  -f         stay in the foreground and log to standard error\n"
		"  -p SOCKET  listen here instead of milter.socket: inet:PORT@HOST or unix:PATH\n"
		"  -R         run as root without milter.user (as milter.allow_root = true);\n"
		"             without either the milter refuses to run as root\n"
		"  -V         print the version and exit\n"
		"  -h         this help\n"
		"\n"
		"Signals: SIGUSR1 reloads configuration, rosters and rules (the old policy\n"
		"stays if the new one is broken), at any moment from start-up on; SIGTERM,\n"
		"SIGINT and SIGHUP stop the milter gracefully (SIGHUP is libmilter's).\n");
}

static void daemon_print_diag(const struct pg_diag *diag, int use_log)
{
	for (size_t i = 0; i < diag->n; i++) {
		if (use_log)
			pg_log(diag->items[i].level == PG_DIAG_ERROR ? PG_LOG_ERR : PG_LOG_WARNING,
			       NULL, "%s", diag->items[i].text);
		else
			fprintf(stderr, "pupilguard-milter: %s%s\n",
				diag->items[i].level == PG_DIAG_ERROR ? "error: " : "warning: ",
				diag->items[i].text);
	}
}

/* A notice key file root made at start belongs to milter.user, who must
 * read it at every reload; -1 with a message on failure. */
static int daemon_key_owner(const struct pg_conf *conf)
{
	struct passwd *pw;
	struct stat st;

	if (geteuid() != 0 || conf->user == NULL || *conf->user == '\0' ||
	    conf->notice_key_file == NULL || stat(conf->notice_key_file, &st) < 0 ||
	    st.st_uid != 0)
		return 0;
	pw = getpwnam(conf->user);
	if (pw == NULL)
		return 0; /* daemon_drop_privileges() says so */
	if (chown(conf->notice_key_file, pw->pw_uid, (gid_t)-1) < 0) {
		pg_log(PG_LOG_ERR, NULL, "cannot give %s to %s: %s", conf->notice_key_file,
		       conf->user, strerror(errno));
		return -1;
	}
	return 0;
}

static int daemon_write_pid(const char *path)
{
	char buf[32];
	int fd, n;

	if (path == NULL || *path == '\0')
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		pg_log(PG_LOG_ERR, NULL, "cannot write pid file %s: %s", path, strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		pg_log(PG_LOG_ERR, NULL, "cannot write pid file %s: %s", path, strerror(errno));
		(void)close(fd);
		return -1;
	}
	return close(fd);
}

static int daemon_detach(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	if (chdir("/") < 0)
		return -1;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -1;
	(void)dup2(fd, 0);
	(void)dup2(fd, 1);
	(void)dup2(fd, 2);
	if (fd > 2)
		(void)close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *config = PG_DEFAULT_CONFIG, *socket_override = NULL;
	int c, check_only = 0, foreground = 0, allow_root = 0, facility = LOG_MAIL, rc;
	enum pg_log_level level = PG_LOG_INFO;
	struct pg_policy *pol;
	const struct pg_conf *conf;
	struct pg_diag diag;
	struct pg_privs privs;
	const char *error;
	char *socket_spec, *pid_file;
	sigset_t early;

	/* SIGUSR1's default action kills: block it before anything else, so
	 * that one sent during start-up waits for the reload thread, which
	 * takes it with sigwait().  Every thread started later inherits this. */
	(void)sigemptyset(&early);
	(void)sigaddset(&early, SIGUSR1);
	(void)pthread_sigmask(SIG_BLOCK, &early, NULL);
	while ((c = getopt(argc, argv, "c:nfp:RVh")) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'n': check_only = 1; break;
		case 'f': foreground = 1; break;
		case 'p': socket_override = optarg; break;
		case 'R': allow_root = 1; break;
		case 'V': printf("pupilguard-milter %s\n", PACKAGE_VERSION); return 0;
		case 'h': daemon_usage(stdout); return 0;
		default: daemon_usage(stderr); return 1;
		}
	}
	if (optind != argc) {
		daemon_usage(stderr);
		return 1;
	}
	pg_log_open("pupilguard-milter", 0, 0);
	/* The daemon changes to / when it detaches; reloads must still find it. */
	{
		static char abs_config[PATH_MAX];

		if (config[0] != '/' && realpath(config, abs_config) != NULL)
			config = abs_config;
	}
	engine_global_init();
	/* The milter makes its notice key file when it is missing (-n only looks). */
	policy_set_key_create(!check_only);
	pg_diag_init(&diag);
	rc = reload_init(config, &diag);
	if (check_only && rc == 0) {
		pol = reload_current();
		rc = privs_check(config, pol->conf, socket_override, allow_root, &diag);
		policy_unref(&pol);
	}
	daemon_print_diag(&diag, 0);
	pg_diag_free(&diag);
	if (check_only) {
		if (rc == 0) {
			pol = reload_current();
			printf("%s: OK: %zu pupils, %zu staff\n", config, pol->roster.npupils,
			       pol->roster.nstaff);
			policy_unref(&pol);
			reload_shutdown();
		}
		return rc == 0 ? 0 : 1;
	}
	if (rc < 0) {
		fprintf(stderr, "pupilguard-milter: %s is not usable; not starting\n", config);
		return 1;
	}
	pol = reload_current();
	conf = pol->conf;
	if (pg_log_level_parse(conf->log_level, &level) < 0)
		fprintf(stderr, "pupilguard-milter: unknown log_level '%s'\n", conf->log_level);
	if (pg_log_facility_parse(conf->syslog_facility, &facility) < 0)
		fprintf(stderr, "pupilguard-milter: unknown syslog_facility '%s'\n",
			conf->syslog_facility);
	pg_log_set_level(level);
	socket_spec = pg_strdup(socket_override ? socket_override : conf->socket);
	pid_file = conf->pid_file ? pg_strdup(conf->pid_file) : NULL;
	(void)umask((mode_t)conf->umask);
	/* A relay or sendmail pipe that goes away must not kill the daemon. */
	(void)signal(SIGPIPE, SIG_IGN);
	if (smfi_setconn(socket_spec) != MI_SUCCESS || smfi_settimeout(conf->milter_timeout) !=
								MI_SUCCESS ||
	    smfi_register(mlfi_desc) != MI_SUCCESS) {
		fprintf(stderr, "pupilguard-milter: cannot set up libmilter on %s\n", socket_spec);
		return 1;
	}
	if (privs_resolve(conf, socket_spec, allow_root, &privs, &error) < 0) {
		fprintf(stderr, "pupilguard-milter: %s\n", error);
		return 1;
	}
	if (smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "pupilguard-milter: cannot listen on %s\n", socket_spec);
		return 1;
	}
	if (privs_socket(&privs, &error) < 0) {
		fprintf(stderr, "pupilguard-milter: %s\n", error);
		return 1;
	}
	if (!foreground) {
		pg_log_open("pupilguard-milter", 1, facility);
		if (daemon_detach() < 0) {
			pg_log(PG_LOG_ERR, NULL, "cannot detach: %s", strerror(errno));
			return 1;
		}
	}
	if (daemon_write_pid(pid_file) < 0 || daemon_key_owner(conf) < 0)
		return 1;
	if (privs_drop(&privs, &error) < 0) {
		pg_log(PG_LOG_ERR, NULL, "%s", error);
		return 1;
	}
	privs_free(&privs);
	policy_unref(&pol);
	if (reload_start_thread() < 0) {
		pg_log(PG_LOG_ERR, NULL, "cannot start the reload thread");
		return 1;
	}
	if (notifier_start(reload_current, &error) < 0) {
		pg_log(PG_LOG_ERR, NULL, "cannot start notifications: %s", error);
		return 1;
	}
	pg_log(PG_LOG_NOTICE, NULL, "pupilguard-milter %s listening on %s", PACKAGE_VERSION,
	       socket_spec);
	rc = smfi_main();
	pg_log(PG_LOG_NOTICE, NULL, "pupilguard-milter stopping");
	notifier_stop();
	if (pid_file != NULL)
		(void)unlink(pid_file);
	free(pid_file);
	free(socket_spec);
	reload_shutdown();
	return rc == MI_SUCCESS ? 0 : 1;
}
