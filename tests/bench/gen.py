#!/usr/bin/env python3
"""Benchmark data for pupilguard: an invented roster and synthetic school mail.

Usage: gen.py OUTDIR PUPILS MESSAGES
Writes OUTDIR/roster-PUPILS.csv (SIMS layout, valid UPN check letters),
OUTDIR/names-PUPILS.txt (every "forename surname" for grep -F -f),
OUTDIR/text.txt (the bodies, concatenated) and OUTDIR/msg/NNNNN.eml.
Deterministic (fixed seed); every name is made up from syllables.
"""
import os
import random
import sys

ALPHA = "ABCDEFGHJKLMNPQRTUVWXYZ"
FORE_A = ["Al", "Be", "Ca", "Da", "El", "Fa", "Ga", "Ha", "Is", "Ja", "Ka", "Le", "Ma", "Na",
          "Ol", "Pe", "Ra", "Sa", "Ta", "Va", "Wi", "Ya", "Za", "Zo", "Ló", "Ří"]
FORE_B = ["ra", "na", "lia", "bel", "den", "rin", "lo", "mir", "sha", "to", "vin", "ette", "x"]
SUR_A = ["Ash", "Brook", "Carr", "Dun", "Ell", "Fair", "Glen", "Hart", "Ing", "Kel", "Lang",
         "Mor", "Nor", "Oak", "Pen", "Quin", "Rad", "Stan", "Thorn", "Umb", "Vick", "Wal",
         "Yar", "Zel", "O'Br", "Mac", "Mc", "van der ", "de ", "Łuk", "Szy", "Nguy"]
SUR_B = ["ford", "ley", "ton", "wick", "man", "by", "worth", "ham", "field", "stone",
         "ez", "ski", "ova", "ian", "sen", "ard", "rick", "well", "more", "ling"]
WORDS = ("the class went to the museum and everyone enjoyed the trip we will meet at the "
         "gate at nine please bring a packed lunch and a coat homework is due on friday "
         "thank you for your support with reading at home the choir sings on tuesday "
         "football practice moves to wednesday this term").split()


def upn(serial):
    body = "999%04d%02d%03d" % (1000 + serial // 100000, (serial // 1000) % 100, serial % 1000)
    return ALPHA[sum(int(c) * (i + 2) for i, c in enumerate(body)) % 23] + body


def names(n, rnd):
    fores = sorted({a + b for a in FORE_A for b in FORE_B})
    surs = sorted({a + b for a in SUR_A for b in SUR_B} | {a + b + "-" + c + d for a, b, c, d in
                   [(rnd.choice(SUR_A), rnd.choice(SUR_B), rnd.choice(SUR_A), rnd.choice(SUR_B))
                    for _ in range(3000)]})
    seen, out = set(), []
    while len(out) < n:
        pair = (rnd.choice(fores), rnd.choice(surs))
        if pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out


def main():
    out, npupils, nmsgs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(20261124)
    os.makedirs(os.path.join(out, "msg"), exist_ok=True)
    people = names(npupils, rnd)
    with open(os.path.join(out, "roster-%d.csv" % npupils), "w", encoding="utf-8") as fp:
        fp.write("UPN,Legal Forename,Middle Names,Legal Surname,Preferred Forename,"
                 "Preferred Surname,DOB,Year,Reg Group\n")
        for i, (f, s) in enumerate(people):
            fp.write('%s,%s,,"%s",%s,"%s",%02d/%02d/%d,%d,%dA\n' % (
                upn(i), f, s, f, s, 1 + i % 28, 1 + i % 12, 2008 + i % 14, i % 13, i % 13))
    with open(os.path.join(out, "names-%d.txt" % npupils), "w", encoding="utf-8") as fp:
        for f, s in people:
            fp.write("%s %s\n" % (f, s))
    if nmsgs == 0:
        return
    # Messages name pupils of the smallest roster, which every larger one contains.
    with open(os.path.join(out, "text.txt"), "w", encoding="utf-8") as text:
        for m in range(nmsgs):
            lines = []
            for _ in range(rnd.randint(40, 120)):
                words = [rnd.choice(WORDS) for _ in range(rnd.randint(6, 14))]
                if rnd.random() < 0.05:
                    f, s = people[rnd.randrange(min(len(people), 1000))]
                    words.insert(rnd.randrange(len(words)), "%s %s" % (f, s))
                elif rnd.random() < 0.2:
                    words.insert(0, rnd.choice(people)[0])   # first names only
                lines.append(" ".join(words).capitalize() + ".")
            body = "\n".join(lines) + "\n"
            text.write(body)
            with open(os.path.join(out, "msg", "%05d.eml" % m), "w", encoding="utf-8") as fp:
                fp.write("From: teacher@school.example\nTo: parent@home.example\n"
                         "Subject: Update %d\nMIME-Version: 1.0\n"
                         "Content-Type: text/plain; charset=utf-8\n\n%s" % (m, body))


if __name__ == "__main__":
    main()
