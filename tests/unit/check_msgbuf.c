/*
 * check_msgbuf.c - the message buffer: memory, then an unlinked temp file,
 * a hard cap that keeps the head and says it truncated, and a temp_dir
 * that cannot be written reported as an error, not a crash.
 */
#include "config.h"

#include <dirent.h>
#include <sys/stat.h>

#include "msgbuf.h"
#include "testlib.h"

/* All of B's bytes as its stream gives them; the caller frees. */
static char *mb_read(struct pg_msgbuf *b, size_t *len_r)
{
	GMimeStream *s = msgbuf_stream(b);
	GByteArray *a = g_byte_array_new();
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(a);
	char *out;

	ck_assert_ptr_nonnull(s);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	ck_assert(g_mime_stream_write_to_stream(s, mem) >= 0);
	*len_r = a->len;
	out = malloc(a->len + 1);
	memcpy(out, a->data, a->len);
	out[a->len] = '\0';
	g_object_unref(mem);
	g_object_unref(s);
	g_byte_array_free(a, TRUE);
	return out;
}

static unsigned mb_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(test_msgbuf_memory)
{
	struct pg_msgbuf b;
	const char *err = NULL;
	size_t len;
	char *got;

	msgbuf_init(&b, 1024, 4096, "/nonexistent");
	ck_assert_int_eq(msgbuf_header(&b, "Subject", "Trip", &err), 0);
	ck_assert_int_eq(msgbuf_append(&b, "\nbody\n", 6, &err), 0);
	ck_assert_int_eq(b.fd, -1);
	ck_assert(!msgbuf_truncated(&b));
	got = mb_read(&b, &len);
	ck_assert_str_eq(got, "Subject: Trip\n\nbody\n");
	free(got);
	msgbuf_free(&b);
}
END_TEST

START_TEST(test_msgbuf_spill_and_cap)
{
	char dir[] = "/tmp/pg-msgbuf-XXXXXX";
	struct pg_msgbuf b;
	const char *err = NULL;
	char chunk[1000];
	size_t len;
	char *got;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(chunk, 'a', sizeof(chunk));
	msgbuf_init(&b, 2500, 5500, dir);
	for (int i = 0; i < 8; i++) {
		chunk[0] = (char)('0' + i);
		ck_assert_int_eq(msgbuf_append(&b, chunk, sizeof(chunk), &err), 0);
	}
	ck_assert_int_ge(b.fd, 0);
	/* The temp file is unlinked at once: nothing is left to read in the folder. */
	ck_assert_uint_eq(mb_files(dir), 0);
	ck_assert_uint_eq(b.size, 5500);
	ck_assert_uint_eq(b.seen, 8000);
	ck_assert(msgbuf_truncated(&b));
	got = mb_read(&b, &len);
	ck_assert_uint_eq(len, 5500);
	ck_assert_int_eq(got[0], '0');
	ck_assert_int_eq(got[5000], '5');
	free(got);
	msgbuf_free(&b);
	ck_assert_int_eq(b.fd, -1);
	msgbuf_free(&b); /* twice is safe */
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_msgbuf_unwritable_temp_dir)
{
	struct pg_msgbuf b;
	const char *err = NULL;
	char chunk[600];

	memset(chunk, 'x', sizeof(chunk));
	msgbuf_init(&b, 1000, 1 << 20, "/nonexistent/pupilguard");
	ck_assert_int_eq(msgbuf_append(&b, chunk, sizeof(chunk), &err), 0);
	ck_assert_int_eq(msgbuf_append(&b, chunk, sizeof(chunk), &err), -1);
	ck_assert_ptr_nonnull(err);
	msgbuf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("msgbuf");
	TCase *tc = tcase_create("core");

	g_mime_init();
	tcase_add_test(tc, test_msgbuf_memory);
	tcase_add_test(tc, test_msgbuf_spill_and_cap);
	tcase_add_test(tc, test_msgbuf_unwritable_temp_dir);
	suite_add_tcase(s, tc);
	return tl_run(s);
}
