/*
 * fuzz_doc.c - libFuzzer target: any bytes as an attachment through the doc
 * layer in this process (zip packages, OOXML, ODF, RTF, PDF, CFB), so that a
 * reader's fault shows here rather than as a crashed child in the milter.
 */
#include <stdint.h>

#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pg_doc_limits limits = {
		.max_depth = 3, .max_members = 200, .max_bytes = 8u << 20, .max_ratio = 100};
	struct pg_doc doc;

	doc_init(&doc);
	doc_extract(data, size, NULL, NULL, "fuzz", &limits, &doc);
	doc_free(&doc);
	return 0;
}
