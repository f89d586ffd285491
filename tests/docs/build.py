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


A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def pptx(slides, notes=None):
    """Slides of paragraphs; NOTES maps a slide number to its notes."""
    def sp(paras):
        ps = "".join('<a:p><a:r><a:t>%s</a:t></a:r></a:p>' % t for t in paras)
        return '<p:sld %s %s><p:cSld><p:spTree><p:sp><p:txBody>%s</p:txBody></p:sp></p:spTree></p:cSld></p:sld>' % (P, A, ps)
    members = [("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<p:presentation %s/>" % P)]
    # written out of order: slide 10 must come after slide 2
    for i in reversed(range(len(slides))):
        members.append(("ppt/slides/slide%d.xml" % (i + 1), sp(slides[i])))
    for k, paras in (notes or {}).items():
        members.append(("ppt/notesSlides/notesSlide%d.xml" % k, sp(paras)))
    return zipped(members)


O = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
     'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
     'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
     'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"')


def odf(kind, body):
    """An OpenDocument package: mimetype first and stored, as the format asks."""
    content = '<office:document-content %s><office:body>%s</office:body></office:document-content>' % (O, body)
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument." + kind)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return b.getvalue()


def odt(paragraphs):
    # a name split across spans, with a text:s space, as LibreOffice writes it
    return odf("text", "<office:text>%s</office:text>" % "".join(
        "<text:p>%s</text:p>" % p for p in paragraphs))


def ods(name, rows):
    cells = "".join("<table:table-row>%s</table:table-row>" % "".join(
        '<table:table-cell><text:p>%s</text:p></table:table-cell>' % c if c else
        '<table:table-cell table:number-columns-repeated="3"/>' for c in r) for r in rows)
    return odf("spreadsheet", '<office:spreadsheet><table:table table:name="%s">%s</table:table>'
               "</office:spreadsheet>" % (name, cells))


def odp(pages):
    return odf("presentation", "<office:presentation>%s</office:presentation>" % "".join(
        '<draw:page draw:name="p%d"><draw:frame><draw:text-box><text:p>%s</text:p>'
        "</draw:text-box></draw:frame></draw:page>" % (i, t) for i, t in enumerate(pages)))


def rtf(body):
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Farid Quellan Sans;}}"
            "{\\info{\\author Tamsin Oakhurst}}{\\*\\generator Tamsin Oakhurst;}"
            "\\f0\\fs24 %s\\par}" % body).encode()


def tnef(subject, body, attachments):
    """A winmail.dat as Outlook writes one: signature, key, then attributes
    (level, id, length, data, checksum); each attachment starts with its
    rendering data, then its title and data."""
    import struct

    def attr(level, ident, data):
        return struct.pack("<BII", level, ident, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)
    out = struct.pack("<IH", 0x223E9F78, 0x0101)
    out += attr(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += attr(1, 0x00018004, subject.encode() + b"\0")     # attSubject
    out += attr(1, 0x0002800C, body.encode() + b"\0")        # attBody
    for name, data in attachments:
        out += attr(2, 0x00069002, b"\0" * 14)               # attAttachRenddata
        out += attr(2, 0x00018010, name.encode() + b"\0")    # attAttachTitle
        out += attr(2, 0x0006800F, data)                      # attAttachData
    return out


def pdf(pages, title="Report"):
    """A PDF as a word processor writes one: a catalog, a page tree, one
    content stream per page (PAGES: its text-showing operators, e.g. a TJ
    kerning array or a hex string), a Helvetica font and an xref table."""
    objs = ["<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[%s]/Count %d>>" % (" ".join("%d 0 R" % (4 + 2 * i) for i in range(len(pages))), len(pages)),
            "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    for i, ops in enumerate(pages):
        stream = "BT /F1 12 Tf 72 720 Td %s ET" % ops
        objs.append("<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents %d 0 R"
                    "/Resources<</Font<</F1 3 0 R>>>>>>" % (5 + 2 * i))
        objs.append("<</Length %d>>stream\n%s\nendstream" % (len(stream), stream))
    objs.append("<</Title(%s)/Producer(build.py)>>" % title)
    out, offs = b"%PDF-1.4\n", []
    for n, o in enumerate(objs, 1):
        offs.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (n, o)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode()
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += ("trailer<</Size %d/Root 1 0 R/Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, len(objs), xref)).encode()
    return out


def cfb(stream):
    data = bytearray(4096)
    data[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    name = stream.encode("utf-16-le")
    data[1024:1024 + len(name)] = name
    return bytes(data)


def eml(filename, ctype, payload):
    b64 = base64.encodebytes(payload).decode().replace("\n", "\r\n")  # CRLF, as SMTP carries it
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
    "pptx-pos": ("assembly.pptx", OOXML + "presentationml.presentation",
                 pptx([["Assembly"], ["Stars of the week"]] + [["Slide %d" % i] for i in range(3, 10)]
                      + [["Well done to Farid Quellan"]], {2: ["Mention Tamsin Oakhurst first"]})),
    "pptx-neg": ("assembly.pptx", OOXML + "presentationml.presentation",
                 pptx([["Assembly"], ["Stars of the week: Year 8"]], {1: ["Keep it short"]})),
    "odt-pos": ("report.odt", "application/vnd.oasis.opendocument.text",
                odt(["Termly report",
                     'Pupil: <text:span>Farid</text:span><text:s/><text:span>Quellan</text:span>'])),
    "odt-neg": ("minutes.odt", "application/vnd.oasis.opendocument.text",
                odt(["Minutes", "The <text:span>roof</text:span><text:s/>repair is booked."])),
    "ods-pos": ("class.ods", "application/vnd.oasis.opendocument.spreadsheet",
                ods("Year 5", [["Forename", "", "Surname"], ["Tamsin", "", "Oakhurst"]])),
    "ods-neg": ("stock.ods", "application/vnd.oasis.opendocument.spreadsheet",
                ods("Stock", [["Item", "", "Count"], ["Pens", "", "40"]])),
    "odp-pos": ("talk.odp", "application/vnd.oasis.opendocument.presentation",
                odp(["Sports day", "Winner: Farid Quellan"])),
    "odp-neg": ("talk.odp", "application/vnd.oasis.opendocument.presentation",
                odp(["Sports day", "Winner: Oak class"])),
    # a name in \\'hh escapes and \\u with its fallback; the font table and
    # the author (staff) are not text
    "rtf-pos": ("letter.rtf", "application/rtf",
                rtf("Dear parent, {\\b Tams\\'69n} \\u79?akhurst has a place.")),
    "rtf-neg": ("letter.rtf", "application/rtf", rtf("Dear parent, the trip is on {\\b Friday}.")),
    "rtf-text": ("note.rtf", "text/rtf", rtf("Dear parent, Farid Q\\'75ellan was late.")),
    # iCalendar: a name folded across content lines, and one in escaped
    # commas ("Quellan, Farid"); the UID and dates are not text
    "ics-pos": ("invite.ics", "text/calendar",
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1@school.example\r\n"
                b"SUMMARY:Review\\, Quellan\\, Farid\r\nDESCRIPTION:Plan for Tamsin Oak\r\n hurst\\n"
                b"with her teacher\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
    "ics-neg": ("invite.ics", "text/calendar",
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Governors\r\n"
                b"DESCRIPTION:Governors meet\r\n ing in the hall\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
    # vCard 2.1 with its own quoted-printable, N in family;given order
    "vcf-pos": ("contact.vcf", "text/x-vcard",
                b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Oakhurst;Tams=\r\n"
                b"=69n;;;\r\nEND:VCARD\r\n"),
    "vcf-neg": ("contact.vcf", "text/vcard",
                b"BEGIN:VCARD\r\nVERSION:4.0\r\nN:Roberts;Emily;;Mrs;\r\nFN:Mrs Emily Roberts\r\n"
                b"END:VCARD\r\n"),
    # Outlook's winmail.dat: a name in the body, one in a document inside,
    # one in the file name of another; the negative has none
    "tnef-pos": ("winmail.dat", "application/ms-tnef",
                 tnef("Reports", "Reports attached.", [
                     ("report.docx", docx(["Farid Quellan made progress."])),
                     ("Tamsin_Oakhurst_plan.txt", b"See the plan.")])),
    "tnef-neg": ("winmail.dat", "application/ms-tnef",
                 tnef("Menus", "Menus attached.", [("menu.txt", b"Fish on Friday.")])),
    # a name split by a kerning array, the surname as a hex string, on page 2
    "pdf-pos": ("report.pdf", "application/pdf",
                pdf(["(Termly report) Tj", "[(Far) -20 (id)] TJ ( ) Tj <5175656C6C616E> Tj"])),
    "pdf-neg": ("menu.pdf", "application/pdf", pdf(["(Fish on Friday) Tj", "[(Chips) -20 ( too)] TJ"])),
    "encrypted-docx": ("secret.docx", OOXML + "wordprocessingml.document", cfb("EncryptionInfo")),
    "legacy-doc": ("old.doc", "application/msword", cfb("WordDocument")),
}

def class_list():
    """An MIS export of the first 12 pupils of conf/example-roster.csv with
    their dates of birth, and the same sheet cut to 3 pupils."""
    import csv, os
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "../../conf/example-roster.csv"), encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f)]
    body = [["Forename", "Surname", "Date of Birth", "Year"]] + [
        [r["Legal Forename"], r["Legal Surname"], r["Date of Birth"], r["Year"]] for r in rows[:12]]
    return xlsx(body), xlsx(body[:4])


if __name__ == "__main__":
    full, few = class_list()
    CASES["list-12"] = ("export.xlsx", OOXML + "spreadsheetml.sheet", full)
    CASES["list-3"] = ("export.xlsx", OOXML + "spreadsheetml.sheet", few)
    for case, (filename, ctype, payload) in CASES.items():
        with open("%s/%s.eml" % (sys.argv[1], case), "w", newline="") as f:
            f.write(eml(filename, ctype, payload))
