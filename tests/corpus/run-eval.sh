#!/bin/sh
# Corpus quality report, run by `make check`: name recall and false
# positives of pupilguard-scan over the labelled corpus in $PG_CORPUS.
# Reports SKIP (exit 77) with the reason when the corpus is absent.
exec python3 "$PG_TOP_SRCDIR/tests/corpus/evaluate.py" --skip-missing \
	--scan "$PG_TOP_BUILDDIR/milter/pupilguard-scan" --corpus "${PG_CORPUS:-../shared/corpus}" \
	--rules "$PG_TOP_SRCDIR/rules"
