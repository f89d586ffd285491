#!/usr/bin/env python3
"""Search texts for any pupil's full name from a roster (tests only).

Usage: privacy-check.py ROSTER FILE...
Builds every "forename surname" and "surname, forename" pair (legal and
preferred names), folded (case, accents, apostrophes), and reports each file
where one occurs as whole words.  Prints counts only, never the names; exits
1 if any name was found.
"""
import csv
import re
import sys
import unicodedata


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("ß", "ss")
    s = re.sub(r"[^\w]+", " ", s.lower())
    return " " + re.sub(r"\s+", " ", s).strip() + " "


def main():
    names = set()
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as fp:
        for row in csv.DictReader(fp):
            fores = {row.get("Legal Forename", ""), row.get("Preferred Forename", "")}
            surs = {row.get("Legal Surname", ""), row.get("Preferred Surname", "")}
            for f in fores:
                for s in surs:
                    if f.strip() and s.strip():
                        names.add(fold(f + " " + s))
                        names.add(fold(s + " " + f))
    found = 0
    for path in sys.argv[2:]:
        text = fold(open(path, encoding="utf-8", errors="replace").read())
        hits = sum(1 for n in names if n in text)
        if hits:
            found += hits
            print("names found in %s: %d" % (path, hits))
    print("checked %d files for %d name forms: %d found" % (len(sys.argv) - 2, len(names), found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
