/*
 * nullmilter.c - the protocol's own cost, for the load benchmark: receives
 * headers and body, adds one header, accepts.  Nothing else.
 *   nullmilter inet:PORT@127.0.0.1
 */
#include <libmilter/mfapi.h>
#include <stdio.h>

static sfsistat null_header(SMFICTX *ctx, char *name, char *value)
{
	(void)ctx, (void)name, (void)value;
	return SMFIS_CONTINUE;
}

static sfsistat null_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	(void)ctx, (void)chunk, (void)len;
	return SMFIS_CONTINUE;
}

static sfsistat null_eom(SMFICTX *ctx)
{
	smfi_addheader(ctx, "X-Null-Milter", "seen");
	return SMFIS_ACCEPT;
}

int main(int argc, char **argv)
{
	struct smfiDesc desc = {
		.xxfi_name = "null", .xxfi_version = SMFI_VERSION, .xxfi_flags = SMFIF_ADDHDRS,
		.xxfi_header = null_header, .xxfi_body = null_body, .xxfi_eom = null_eom,
	};

	if (argc != 2 || smfi_setconn(argv[1]) != MI_SUCCESS || smfi_register(desc) != MI_SUCCESS) {
		fprintf(stderr, "usage: nullmilter inet:PORT@127.0.0.1\n");
		return 1;
	}
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
