#!/usr/bin/env python3
"""Attachment benchmark (make bench-docs): throughput per format in MB of
attachment per second through pupilguard-scan (MIME, the isolated
document reader, the name scan); extraction alone (--dump-text) against
the reference command-line tool on the same file where Debian has one
(pdftotext for PDF), and the cost of
a message with a 2 MB XLSX and a 2 MB PDF as a ratio to the same text sent
as text/plain.  Everything is measured in one run, best of N, so that the
ratios hold on a noisy shared machine.  Fixtures come from
tests/docs/build.py; the roster is tests/milter/roster.csv.

Usage: docs.py BUILDDIR SRCDIR [--runs 5]
"""
import argparse
import base64
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

WORDS = ("the class went to the museum on friday and everyone enjoyed the trip "
         "please bring a coat and a packed lunch on wednesday for the choir ").split()


def best(cmd, runs):
    t = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        t.append(time.perf_counter() - t0)
    return min(t)


def sentences(n):
    """N sentences of everyday words with the numbers real documents carry
    (a reference, a date, an amount), so that zip packages do not shrink
    to nothing."""
    rnd = random.Random(n)
    out = []
    for _ in range(n):
        w = [rnd.choice(WORDS) for _ in range(10)]
        w[2] = "%08d" % rnd.randrange(10 ** 8)
        w[5] = "%02d/%02d/20%02d" % (rnd.randrange(1, 29), rnd.randrange(1, 13), rnd.randrange(10, 27))
        w[8] = "%d.%02d" % (rnd.randrange(1000), rnd.randrange(100))
        out.append(" ".join(w).capitalize() + ".")
    return out


def message(parts):
    """A message of PARTS [(ctype, filename or None, bytes)], base64, CRLF."""
    out = ["From: Staff <teacher@school.example>\r\nTo: <parent@example.org>\r\n"
           "Subject: Bench\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/mixed; boundary="b"\r\n\r\n']
    for ctype, name, data in parts:
        disp = 'Content-Disposition: attachment; filename="%s"\r\n' % name if name else ""
        out.append("--b\r\nContent-Type: %s\r\n%sContent-Transfer-Encoding: base64\r\n\r\n%s"
                   % (ctype, disp, base64.encodebytes(data).decode().replace("\n", "\r\n")))
    out.append("--b--\r\n")
    return "".join(out).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("src")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.src, "tests", "docs"))
    sys.dont_write_bytecode = True
    import build as b  # noqa: E402

    scan = os.path.join(a.build, "milter", "pupilguard-scan")
    roster = os.path.join(a.src, "tests", "milter", "roster.csv")
    d = tempfile.mkdtemp(prefix="pupilguard-bench-docs.")
    try:
        ooxml = "application/vnd.openxmlformats-officedocument."
        makers = {
            "pdf": ("application/pdf", "pack.pdf", lambda ls: b.pdf(
                ["14 TL " + " ".join("(%s) '" % s for s in ls[i:i + 40]) for i in range(0, len(ls), 40)])),
            "xlsx": (ooxml + "spreadsheetml.sheet", "list.xlsx",
                     lambda ls: b.xlsx([l.split()[:8] for l in ls])),
            "docx": (ooxml + "wordprocessingml.document", "report.docx", b.docx),
        }
        files = {}
        for k, (ctype, name, make) in makers.items():
            n = 1000  # lines, doubled until the file is 2 MB
            while len(make(sentences(n))) < (2 << 20):
                n *= 2
            files[k] = (ctype, name, make(sentences(n)))
        text = "\n".join(sentences(n)).encode()
        files["text"] = ("text/plain", None, text)
        paths = {}
        for k, (ctype, name, data) in files.items():
            with open(os.path.join(d, k + ".eml"), "wb") as f:
                f.write(message([(ctype, name, data)]))
            paths[k] = os.path.join(d, k + ".eml")
        with open(os.path.join(d, "pack.pdf"), "wb") as f:
            f.write(files["pdf"][2])
        both = message([files["xlsx"], files["pdf"]])
        with open(os.path.join(d, "both.eml"), "wb") as f:
            f.write(both)
        same = message([("text/plain", None, text), ("text/plain", None, text)])  # about the same words
        with open(os.path.join(d, "both-text.eml"), "wb") as f:
            f.write(same)

        res = {k: best([scan, "-r", roster, p], a.runs) for k, p in paths.items()}
        res["both"] = best([scan, "-r", roster, os.path.join(d, "both.eml")], a.runs)
        res["both-text"] = best([scan, "-r", roster, os.path.join(d, "both-text.eml")], a.runs)
        # Extraction alone (MIME, the isolated reader, the text out), as
        # pdftotext does it: pupilguard-scan --dump-text.
        dump = best([scan, "-r", roster, "--dump-text", paths["pdf"]], a.runs)
        ref = None
        if shutil.which("pdftotext"):
            ref = best(["pdftotext", "-q", os.path.join(d, "pack.pdf"), os.path.join(d, "out.txt")],
                       a.runs)
        print("attachments of 2 MB or more each (text: the same sentences); best of %d runs" % a.runs)
        for k in ("pdf", "xlsx", "docx", "text"):
            mb = len(files[k][2]) / (1 << 20)
            print("  %-5s %6.2f MB  %6.3f s  %6.2f MB/s" % (k, mb, res[k], mb / res[k]))
        status = 0
        if ref is not None:
            r = ref / dump
            print("pupilguard extraction / pdftotext, same PDF (speed ratio) %5.2f  (target >= 0.8)  %s"
                  % (r, "PASS" if r >= 0.8 else "FAIL"))
            print("  the same with the whole scan (names, rules)              %5.2f"
                  % (ref / res["pdf"]))
            status |= r < 0.8
        else:
            print("pdftotext not installed (apt-get install poppler-utils): no reference ratio")
        r = res["both-text"] / res["both"]
        print("2 MB XLSX + 2 MB PDF vs the same text as text/plain (speed ratio) %5.2f" % r)
        return status
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    sys.exit(main())
