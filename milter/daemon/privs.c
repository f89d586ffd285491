/*
 * privs.c - never root at run time.  The daemon refuses to run as root
 * unless it drops to milter.user after binding, or milter.allow_root / -R
 * says root is meant; the unix socket gets milter.socket_group and
 * milter.socket_mode after the bind and before the drop (so that Postfix,
 * not only root, may connect); and -n checks, in a child that has dropped
 * to the same user, that what the daemon will write is writable.  This
 * module does not open the socket (libmilter does) nor read the policy.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <libconfig.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "privs.h"

/* The path of a unix socket spec (unix:PATH, local:PATH or a bare /PATH);
 * NULL for inet and inet6. */
static const char *privs_socket_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	return spec[0] == '/' ? spec : NULL;
}

static int privs_set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* Whether the process may give a file it owns group GID. */
static int privs_in_group(gid_t gid)
{
	gid_t groups[256];
	int n;

	if (geteuid() == 0 || getegid() == gid)
		return 1;
	n = getgroups((int)PG_ARRAY_LEN(groups), groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

static int privs_resolve_user(const struct pg_conf *conf, struct pg_privs *p,
			      const char **error_r)
{
	int root = geteuid() == 0;

	p->uid = geteuid();
	p->gid = getegid();
	if (privs_set(conf->user)) {
		struct passwd *pw = getpwnam(conf->user);

		if (pw == NULL) {
			*error_r = pg_errorf("milter.user: unknown user '%s'", conf->user);
			return -1;
		}
		if (!root && pw->pw_uid != p->uid) {
			*error_r = pg_errorf("milter.user '%s': only root can change user; "
					     "start as root or as that user", conf->user);
			return -1;
		}
		p->uid = pw->pw_uid;
		p->gid = pw->pw_gid;
		p->user = pg_strdup(pw->pw_name);
		p->drop = root;
	}
	if (privs_set(conf->group)) {
		struct group *gr = getgrnam(conf->group);

		if (gr == NULL) {
			*error_r = pg_errorf("milter.group: unknown group '%s'", conf->group);
			return -1;
		}
		if (!root && gr->gr_gid != p->gid) {
			*error_r = pg_errorf("milter.group '%s': only root can change group",
					     conf->group);
			return -1;
		}
		p->gid = gr->gr_gid;
		p->drop = root;
	}
	return 0;
}

int privs_resolve(const struct pg_conf *conf, const char *socket_spec, int allow_root,
		  struct pg_privs *p_r, const char **error_r)
{
	const char *path = privs_socket_path(socket_spec);

	memset(p_r, 0, sizeof(*p_r));
	p_r->sock_mode = -1;
	if (privs_resolve_user(conf, p_r, error_r) < 0)
		goto fail;
	if (p_r->uid == 0 && !allow_root && !conf->allow_root) {
		*error_r = "refusing to run as root: set milter.user (the milter drops to it "
			   "after binding), run it as its own user (the systemd unit does), or "
			   "say root is meant with milter.allow_root = true or -R";
		goto fail;
	}
	if (path != NULL) {
		p_r->sock_path = pg_strdup(path);
		p_r->sock_mode = conf->socket_mode;
		if (privs_set(conf->socket_group)) {
			struct group *gr = getgrnam(conf->socket_group);

			if (gr == NULL) {
				*error_r = pg_errorf("milter.socket_group: unknown group '%s'",
						     conf->socket_group);
				goto fail;
			}
			p_r->sock_chgrp = 1;
			p_r->sock_gid = gr->gr_gid;
		}
	}
	return 0;
fail:
	privs_free(p_r);
	return -1;
}

void privs_free(struct pg_privs *p)
{
	free(p->user);
	free(p->sock_path);
	p->user = p->sock_path = NULL;
}

int privs_socket(const struct pg_privs *p, const char **error_r)
{
	if (p->sock_path == NULL)
		return 0;
	if (p->sock_chgrp && chown(p->sock_path, (uid_t)-1, p->sock_gid) < 0) {
		*error_r = pg_errorf("cannot give %s group %ld: %s", p->sock_path,
				     (long)p->sock_gid, strerror(errno));
		return -1;
	}
	if (p->sock_mode >= 0 && chmod(p->sock_path, (mode_t)p->sock_mode) < 0) {
		*error_r = pg_errorf("cannot set the mode of %s: %s", p->sock_path,
				     strerror(errno));
		return -1;
	}
	return 0;
}

int privs_drop(const struct pg_privs *p, const char **error_r)
{
	if (!p->drop)
		return 0;
	if (setgid(p->gid) < 0 ||
	    (p->user != NULL ? initgroups(p->user, p->gid) : setgroups(0, NULL)) < 0) {
		*error_r = pg_errorf("cannot change group to %ld: %s", (long)p->gid,
				     strerror(errno));
		return -1;
	}
	if (setuid(p->uid) < 0) {
		*error_r = pg_errorf("cannot change user to %ld: %s", (long)p->uid,
				     strerror(errno));
		return -1;
	}
	/* setuid() from root is for good; a way back would be a bug. */
	if (p->uid != 0 && setuid(0) == 0) {
		*error_r = "privileges could be regained after the drop";
		return -1;
	}
	return 0;
}

/* ---- pupilguard-milter -n ---- */

struct privs_where {
	config_t cfg;
	int ok;
	const char *file;
};

/* "FILE:LINE: OPTION \"VALUE\"" where the file sets OPTION, or
 * "FILE: OPTION \"VALUE\" (the default)". */
static const char *privs_at(struct privs_where *w, const char *option, const char *value)
{
	const config_setting_t *s = w->ok ? config_lookup(&w->cfg, option) : NULL;

	if (s != NULL && config_setting_source_line(s) > 0)
		return pg_errorf("%s:%d: %s \"%s\"",
				 config_setting_source_file(s) ? config_setting_source_file(s)
							       : w->file,
				 config_setting_source_line(s), option, value);
	return pg_errorf("%s: %s \"%s\" (the default)", w->file, option, value);
}

/* Whether DIR takes a new file: made, then removed at once. */
static int privs_writable(const char *dir, const char **error_r)
{
	char *path = pg_asprintf("%s/.pupilguard-check.XXXXXX", dir);
	int fd = mkstemp(path);

	if (fd < 0) {
		*error_r = strerror(errno);
		free(path);
		return -1;
	}
	(void)unlink(path);
	(void)close(fd);
	free(path);
	return 0;
}

/* The spool must take files in DIR/tmp and DIR/new, or DIR must be
 * creatable in its parent (the notifier makes it at start). */
static int privs_spool_usable(const char *dir, const char **error_r)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		char *parent = pg_strdup(dir), *slash = strrchr(parent, '/');
		int rc;

		if (errno != ENOENT) {
			*error_r = strerror(errno);
			free(parent);
			return -1;
		}
		if (slash != NULL)
			*(slash == parent ? slash + 1 : slash) = '\0';
		rc = privs_writable(slash != NULL ? parent : ".", error_r);
		if (rc < 0)
			*error_r = pg_errorf("does not exist and cannot be created: %s", *error_r);
		free(parent);
		return rc;
	}
	if (privs_writable(dir, error_r) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		char *sub = pg_asprintf("%s/%s", dir, i == 0 ? "tmp" : "new");
		int rc = stat(sub, &st) < 0 && errno == ENOENT ? 0 : privs_writable(sub, error_r);

		if (rc < 0)
			*error_r = pg_errorf("%s: %s", sub, *error_r);
		free(sub);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* In the child, as the daemon's user: one line per problem to FD. */
static int privs_child_checks(const struct pg_conf *conf, struct privs_where *w, FILE *out)
{
	const char *error;
	int bad = 0;

	if (privs_writable(conf->temp_dir, &error) < 0) {
		fprintf(out, "%s: not writable by the milter's user: %s (messages over "
			     "milter.memory_buffer_bytes would be tempfailed)\n",
			privs_at(w, "milter.temp_dir", conf->temp_dir), error);
		bad++;
	}
	if (conf_notifies(conf) && privs_spool_usable(conf->notify_spool_dir, &error) < 0) {
		fprintf(out, "%s: not usable by the milter's user: %s (notices could not be "
			     "queued)\n",
			privs_at(w, "notify.spool_dir", conf->notify_spool_dir), error);
		bad++;
	}
	return bad;
}

/* Where the socket comes from: -p, or the file. */
static const char *privs_socket_at(struct privs_where *w, const char *override,
				   const char *spec)
{
	return override != NULL ? pg_errorf("-p %s", override)
				: privs_at(w, "milter.socket", spec);
}

/* Checks of the socket, made as the process that binds (this one). */
static void privs_socket_checks(const struct pg_privs *p, const struct pg_conf *conf,
				struct privs_where *w, const char *override,
				struct pg_diag *diag)
{
	const char *spec = override != NULL ? override : conf->socket;
	char *dir = pg_strdup(p->sock_path), *slash = strrchr(dir, '/');
	struct stat st;

	if (slash == NULL)
		(void)strcpy(dir, ".");
	else
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (stat(dir, &st) < 0)
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: directory %s: %s",
			    privs_socket_at(w, override, spec), dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: %s is not a directory",
			    privs_socket_at(w, override, spec), dir);
	else if (access(dir, W_OK | X_OK) < 0)
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: cannot make the socket in %s: %s",
			    privs_socket_at(w, override, spec), dir, strerror(errno));
	if (p->sock_chgrp && !privs_in_group(p->sock_gid))
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: the milter's user is not in this group, "
			    "so it cannot give the socket to it",
			    privs_at(w, "milter.socket_group", conf->socket_group));
	free(dir);
}

/* Fork, drop to P's user as the daemon would, run the writes there and
 * collect the child's lines into DIAG. */
static void privs_check_as_user(const struct pg_privs *p, const struct pg_conf *conf,
				struct privs_where *w, struct pg_diag *diag)
{
	int fds[2], status;
	pid_t pid;
	FILE *in;
	char line[1024];

	if (pipe(fds) < 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "cannot check as the milter's user: %s",
			    strerror(errno));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "cannot check as the milter's user: %s",
			    strerror(errno));
		(void)close(fds[0]);
		(void)close(fds[1]);
		return;
	}
	if (pid == 0) {
		FILE *out = fdopen(fds[1], "w");
		const char *error;

		(void)close(fds[0]);
		if (out == NULL)
			_exit(2);
		if (privs_drop(p, &error) < 0) {
			fprintf(out, "%s\n", error);
			(void)fclose(out);
			_exit(1);
		}
		status = privs_child_checks(conf, w, out);
		(void)fclose(out);
		_exit(status > 0 ? 1 : 0);
	}
	(void)close(fds[1]);
	in = fdopen(fds[0], "r");
	while (in != NULL && fgets(line, sizeof(line), in) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		pg_diag_add(diag, PG_DIAG_ERROR, "%s", line);
	}
	if (in != NULL)
		(void)fclose(in);
	else
		(void)close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static size_t privs_errors(const struct pg_diag *diag)
{
	size_t n = 0;

	for (size_t i = 0; i < diag->n; i++)
		n += diag->items[i].level == PG_DIAG_ERROR;
	return n;
}

int privs_check(const char *config_path, const struct pg_conf *conf,
		const char *socket_override, int allow_root, struct pg_diag *diag)
{
	size_t before = privs_errors(diag);
	struct privs_where w;
	struct pg_privs p;
	const char *error;

	w.file = config_path;
	config_init(&w.cfg);
	w.ok = config_read_file(&w.cfg, config_path) == CONFIG_TRUE;
	if (privs_resolve(conf, socket_override ? socket_override : conf->socket, allow_root,
			  &p, &error) < 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: %s", config_path, error);
	} else {
		if (p.sock_path != NULL)
			privs_socket_checks(&p, conf, &w, socket_override, diag);
		privs_check_as_user(&p, conf, &w, diag);
		privs_free(&p);
	}
	config_destroy(&w.cfg);
	return privs_errors(diag) == before ? 0 : -1;
}
