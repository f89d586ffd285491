#!/usr/bin/env python3
"""Write hostile messages for pupilguard's robustness tests into DIR.

Each is built here from invented text; none comes from a real mailbox.
Usage: gen.py DIR [NAME...]   (default: every case)
"""
import base64
import os
import random
import sys

NAME = "Tamsin Oakhurst"   # a pupil of tests/milter/roster.csv
HDR = ("From: Sender <sender@outside.example>\r\nTo: office@school.example\r\n"
       "Subject: hostile case\r\nMessage-ID: <hostile@outside.example>\r\n"
       "Date: Mon, 1 Jun 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")


def big_50mb():
    line = ("All quiet in the playground today and the sun is out. " * 2 + "\r\n").encode()
    body = line * (50 * 1024 * 1024 // len(line))
    return (HDR + "Content-Type: text/plain; charset=utf-8\r\n\r\n").encode() + body + \
        ("\r\n%s\r\n" % NAME).encode()


def parts_10000():
    out = [HDR, 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n']
    for i in range(10000):
        out.append("--b\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i)
    out.append("--b\r\nContent-Type: text/plain\r\n\r\n%s\r\n--b--\r\n" % NAME)
    return "".join(out).encode()


def nested_200():
    out = [HDR, 'Content-Type: multipart/mixed; boundary="b0"\r\n\r\n']
    for i in range(1, 200):
        out.append('--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i - 1, i))
    out.append("--b199\r\nContent-Type: text/plain\r\n\r\n%s\r\n" % NAME)
    for i in range(199, -1, -1):
        out.append("--b%d--\r\n" % i)
    return "".join(out).encode()


def rfc822_100():
    inner = ("From: a@b.example\r\nSubject: deepest\r\nContent-Type: text/plain\r\n\r\n%s\r\n" % NAME)
    for i in range(100):
        inner = ("From: a@b.example\r\nSubject: level %d\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: message/rfc822\r\n\r\n" % i) + inner
    return (HDR.replace("MIME-Version: 1.0\r\n", "") + inner[inner.index("MIME-Version"):]).encode()


def charsets():
    return (HDR + 'Content-Type: multipart/mixed; boundary="c"\r\n\r\n'
            '--c\r\nContent-Type: text/plain; charset="x-klingon-42"\r\n\r\n'
            + NAME + "\r\n"
            '--c\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n').encode() + \
        b"Zo\xeb and \xff\xfe broken utf-8 " + NAME.encode() + \
        b"\r\n--c\r\nContent-Type: text/plain; charset=utf-16\r\n\r\n\x00A\x00\x00\xd8\r\n--c--\r\n"


def broken_encodings():
    return (HDR + 'Content-Type: multipart/mixed; boundary="e"\r\n\r\n'
            "--e\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "VGFtc2lu!!!IE9ha2h1cnN0===\r\n==\r\n@@@@\r\n"
            "--e\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            "Tam=\r\nsin =ZZ=4 Oak=\r\n=\r\nhurst=\r\n"
            "--e\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-unknown\r\n\r\nabc\r\n"
            "--e--\r\n").encode()


def nul_bytes():
    return (HDR + "Content-Type: text/plain\r\n\r\n").encode() + \
        b"Tamsin\x00 Oakhurst \x00\x00\x00" + NAME.encode() + b"\x00\r\n"


def header_1mb():
    return (HDR.replace("Subject: hostile case", "Subject: " + "x" * (1024 * 1024) + " " + NAME) +
            "Content-Type: text/plain\r\n\r\nhello\r\n").encode()


def html_10mb():
    cell = "<td><span>word</span></td>"
    body = "<html><body><table><tr>" + cell * (10 * 1024 * 1024 // len(cell)) + \
        "<td>" + NAME + "</td></tr></table></body></html>"
    return (HDR + "Content-Type: text/html\r\n\r\n" + body + "\r\n").encode()


def entity_bomb():
    body = "&amp;" * 200000 + "&#x" + "0" * 1000 + "41;" + "&#99999999999;" + "&" * 100000 + \
        " Tamsin&nbsp;Oakhurst"
    return (HDR + "Content-Type: text/html\r\n\r\n" + body + "\r\n").encode()


def fake_text():
    rnd = random.Random(7)
    blob = bytes(rnd.getrandbits(8) for _ in range(2 * 1024 * 1024))
    b64 = base64.encodebytes(blob).decode()
    return (HDR + 'Content-Type: multipart/mixed; boundary="z"\r\n\r\n'
            "--z\r\nContent-Type: text/plain\r\n\r\nsee attached, about " + NAME + "\r\n"
            '--z\r\nContent-Type: text/plain; name="archive.txt"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "--z--\r\n").encode()


def attached(filename, ctype, payload, text="see attached"):
    b64 = base64.encodebytes(payload).decode().replace("\n", "\r\n")
    return (HDR + 'Content-Type: multipart/mixed; boundary="z"\r\n\r\n'
            "--z\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n"
            '--z\r\nContent-Type: %s\r\nContent-Disposition: attachment; filename="%s"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n%s--z--\r\n" % (ctype, filename, b64)).encode()


def docs():
    """The fixture writers of tests/docs/build.py."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs"))
    sys.dont_write_bytecode = True
    import build
    return build


def zip_10000():
    """An archive of 10,000 members, over limits.doc_max_members (5,000)."""
    d = docs()
    return attached("many.zip", "application/zip",
                    d.zipped([("m%05d.txt" % i, "line %d" % i) for i in range(10000)]))


def pdf_500():
    """A 500-page PDF, a pupil named on the last page only."""
    d = docs()
    pages = ["(Page %d of the governors' pack) Tj" % i for i in range(1, 500)]
    pages.append("(%s) Tj" % NAME)
    return attached("pack.pdf", "application/pdf", d.pdf(pages))


def docx_encrypted():
    """A password-protected DOCX: a CFB container with EncryptionInfo."""
    return attached("secret.docx", "application/vnd.openxmlformats-officedocument."
                    "wordprocessingml.document", docs().cfb("EncryptionInfo"))


CASES = {
    "big_50mb": big_50mb, "parts_10000": parts_10000, "nested_200": nested_200,
    "rfc822_100": rfc822_100, "charsets": charsets, "broken_encodings": broken_encodings,
    "nul_bytes": nul_bytes, "header_1mb": header_1mb, "html_10mb": html_10mb,
    "entity_bomb": entity_bomb, "fake_text": fake_text, "zip_10000": zip_10000,
    "pdf_500": pdf_500, "docx_encrypted": docx_encrypted,
}

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in sys.argv[2:] or CASES:
        with open(os.path.join(out, name + ".eml"), "wb") as fp:
            fp.write(CASES[name]())
