/*
 * pptx.c - PowerPoint (PPTX) text: each slide in number order as its own
 * segment ("slide 3"), then its speaker notes ("slide 3 notes").  Slide
 * text, text boxes and tables are DrawingML, read by ooxml_text_part().
 *
 * The order is that of the part names (ppt/slides/slideN.xml), which is the
 * order PowerPoint writes; a deck reordered by hand may show slides in
 * another order, which changes a where, never what is found.  It does not
 * read comments, charts or embedded objects.
 */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "util.h"

/* The N of "PREFIXN.xml", or 0 when NAME is not such a part. */
static unsigned long pptx_number(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	unsigned long v;

	if (strncmp(name, prefix, n) != 0 || name[n] < '1' || name[n] > '9')
		return 0;
	v = strtoul(name + n, &end, 10);
	return strcmp(end, ".xml") == 0 ? v : 0;
}

struct pptx_slide {
	unsigned long number;
	const struct pg_zip_member *slide, *notes;
};

static int pptx_cmp(const void *a, const void *b)
{
	const struct pptx_slide *x = a, *y = b;

	return (x->number > y->number) - (x->number < y->number);
}

void pptx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc)
{
	struct pptx_slide *v = pg_calloc(zip->n ? zip->n : 1, sizeof *v);
	size_t n = 0;

	for (size_t i = 0; i < zip->n; i++) {
		unsigned long k = pptx_number(zip->v[i].name, "ppt/slides/slide");

		if (k)
			v[n++] = (struct pptx_slide){.number = k, .slide = &zip->v[i]};
	}
	qsort(v, n, sizeof *v, pptx_cmp);
	/* Notes are matched by number: notesSlideN belongs to slideN in the
	 * decks PowerPoint writes (its rels say so; we do not read them). */
	for (size_t i = 0; i < zip->n; i++) {
		unsigned long k = pptx_number(zip->v[i].name, "ppt/notesSlides/notesSlide");

		for (size_t j = 0; k && j < n; j++)
			if (v[j].number == k)
				v[j].notes = &zip->v[i];
	}
	for (size_t j = 0; j < n; j++) {
		char *w = pg_asprintf("%s slide %lu", where, v[j].number);

		ooxml_text_part(v[j].slide, w, doc);
		free(w);
		if (v[j].notes) {
			w = pg_asprintf("%s slide %lu notes", where, v[j].number);
			ooxml_text_part(v[j].notes, w, doc);
			free(w);
		}
	}
	if (n == 0)
		doc_flag(doc, PG_DOC_UNREADABLE, where, "presentation without slides");
	free(v);
}
