#!/usr/bin/env python3
"""Submit one message file over SMTP to the private Postfix (tests only).

Usage: send.py --port P [--source IP] [--count N] FROM TO[,TO...] FILE
Prints the final reply ("250 ..." or the refusal) per message; exits 0 if
every message was accepted, 1 otherwise.
"""
import argparse
import smtplib
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--source", default="127.0.0.1")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("sender")
    ap.add_argument("rcpts")
    ap.add_argument("file")
    a = ap.parse_args()
    data = open(a.file, "rb").read()
    ok = True
    # As long as Postfix waits on a milter (milter_content_timeout, 300 s):
    # sanitizer builds scan hostile mail slowly.
    with smtplib.SMTP("127.0.0.1", a.port, source_address=(a.source, 0), timeout=300) as s:
        for _ in range(a.count):
            try:
                s.sendmail(a.sender, a.rcpts.split(","), data)
                print("250 accepted")
            except smtplib.SMTPResponseException as e:
                print("%d %s" % (e.smtp_code, e.smtp_error.decode(errors="replace")))
                ok = False
                s.rset()
            except smtplib.SMTPRecipientsRefused as e:
                code, msg = list(e.recipients.values())[0]
                print("%d %s" % (code, msg.decode(errors="replace")))
                ok = False
                s.rset()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
