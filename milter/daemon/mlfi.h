/*
 * mlfi.h - the libmilter callbacks: thin wrappers that keep per-connection
 * and per-message state, hand bytes to msgbuf.c and, at end of message, call
 * the engine and carry out its verdict through action.c.
 */
#ifndef PG_MLFI_H
#define PG_MLFI_H

#include <libmilter/mfapi.h>

extern struct smfiDesc mlfi_desc;

#endif
