#!/usr/bin/env python3
"""Build the document fixtures of tests/docs/run.sh into DIR: one .eml per
case, each an outbound message whose only pupil data is in an attachment
(positives) or with none (negatives beside them).  Names are invented and
on tests/milter/roster.csv."""
import base64, io, sys, zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def zipped(members, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return b.getvalue()


def docx(paragraphs):
    body = "".join('<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % p for p in paragraphs)
    return zipped([("[Content_Types].xml", "<Types/>"),
                   ("word/document.xml", '<w:document %s><w:body>%s</w:body></w:document>' % (W, body))])


def xlsx(rows):
    cells = "".join('<row>%s</row>' % "".join(
        '<c t="inlineStr"><is><t>%s</t></is></c>' % c for c in r) for r in rows)
    return zipped([
        ("xl/workbook.xml", '<workbook %s><sheets><sheet name="Year 8" r:id="rId1"/></sheets></workbook>' % S),
        ("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
        ("xl/worksheets/sheet1.xml", '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (S, cells))])


def cfb(stream):
    data = bytearray(4096)
    data[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    name = stream.encode("utf-16-le")
    data[1024:1024 + len(name)] = name
    return bytes(data)


def eml(filename, ctype, payload):
    b64 = base64.encodebytes(payload).decode()
    return ("From: Staff Member <teacher@school.example>\r\nTo: <parent@example.org>\r\n"
            "Subject: Attached\r\nMessage-ID: <%s@school.example>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
            "Content-Type: text/plain\r\n\r\nPlease see the attachment.\r\n--b\r\n"
            'Content-Type: %s\r\nContent-Disposition: attachment; filename="%s"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n%s--b--\r\n") % (filename, ctype, filename, b64)


OOXML = "application/vnd.openxmlformats-officedocument."
CASES = {
    "docx-pos": ("report.docx", OOXML + "wordprocessingml.document",
                 docx(["Termly report", "Farid Quellan has made good progress in maths."])),
    "docx-neg": ("minutes.docx", OOXML + "wordprocessingml.document",
                 docx(["Minutes of the governors' meeting", "The roof repair is booked for July."])),
    "xlsx-pos": ("list.xlsx", OOXML + "spreadsheetml.sheet",
                 xlsx([["Forename", "Surname", "Form"], ["Tamsin", "Oakhurst", "5 Willow"]])),
    "xlsx-neg": ("budget.xlsx", OOXML + "spreadsheetml.sheet",
                 xlsx([["Item", "Cost"], ["Paper", "120"]])),
    "zip-pos": ("notes.zip", "application/zip",
                zipped([("notes.txt", "Farid Quellan was absent on Monday.\n")])),
    "zip-neg": ("menu.zip", "application/zip", zipped([("menu.txt", "Fish and chips on Friday.\n")])),
    "zip-bomb": ("big.zip", "application/zip", zipped([("zeros.bin", b"\0" * (200 << 20))])),
    "encrypted-docx": ("secret.docx", OOXML + "wordprocessingml.document", cfb("EncryptionInfo")),
    "legacy-doc": ("old.doc", "application/msword", cfb("WordDocument")),
}

if __name__ == "__main__":
    for case, (filename, ctype, payload) in CASES.items():
        with open("%s/%s.eml" % (sys.argv[1], case), "w", newline="") as f:
            f.write(eml(filename, ctype, payload))
