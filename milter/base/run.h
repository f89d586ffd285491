/*
 * run.h - run a helper program and collect what it writes, with a deadline:
 * for Postfix's own tools (postconf, postmap) that answer questions no file
 * format of ours could (every lookup table type Postfix knows).  Safe in a
 * threaded daemon: posix_spawn, the child's signal mask cleared, no SIGPIPE
 * for the caller, the child killed when it overruns.  Not a shell: ARGV is
 * run as given.
 */
#ifndef PG_RUN_H
#define PG_RUN_H

/* Output kept at most; more is an error (a helper gone wrong). */
#define PG_RUN_MAX_OUTPUT (1024 * 1024)

/* Run ARGV (argv[0] a path) with INPUT (or nothing) on its standard input;
 * its standard output goes to *OUT_R and its standard error to *ERR_R (both
 * NUL-terminated, the caller frees them), for at most TIMEOUT_MS.  Returns
 * the exit status (0-255), or -1 with *ERROR_R when it could not be run,
 * died of a signal, wrote too much or overran (then it is killed). */
int pg_run(char *const argv[], const char *input, int timeout_ms, char **out_r, char **err_r,
	   const char **error_r);
/* What a Postfix tool said went wrong in ERR (its standard error, cut in
 * place): the first line with "fatal:" or "error:", else the first line,
 * else DEFAULT. */
const char *pg_run_complaint(char *err, const char *def);

#endif
