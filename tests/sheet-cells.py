#!/usr/bin/env python3
"""sheet-cells.py FILE: the cells of the first sheet of a workbook, .xlsx
(as -f xlsx writes it) or .ods (as LibreOffice saves what it read), one a
line: the cell's name (A1, B2 ...), its type and its value, tab-separated,
empty cells left out. The type is what the spreadsheet holds: text,
number, date, time, boolean, or formula (then the value is the formula).
A tab, newline or backslash in a value is written \\t, \\n, \\\\ as in our TSV.
"""
import sys
import zipfile
import xml.etree.ElementTree as ET

X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
MAX_COLUMNS = 200  # enough for any listing; a repeated empty run ends the row


def column_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(ord("A") + r) + name
    return name


def escaped(v):
    return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def xlsx_cells(z):
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(X + "si"):
            shared.append("".join(t.text or "" for t in si.iter(X + "t")))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for c in sheet.iter(X + "c"):
        kind, f, v = c.get("t", "n"), c.find(X + "f"), c.find(X + "v")
        if f is not None:
            yield c.get("r"), "formula", f.text or ""
        elif kind == "inlineStr":
            yield c.get("r"), "text", "".join(t.text or "" for t in c.iter(X + "t"))
        elif kind == "s":
            yield c.get("r"), "text", shared[int(v.text)]
        elif kind == "b":
            yield c.get("r"), "boolean", v.text
        elif v is not None:
            yield c.get("r"), "number", v.text


def ods_text(p):
    """The text of a paragraph, its spaces, tabs and line breaks expanded."""
    out = [p.text or ""]
    for e in p:
        if e.tag == TEXT + "s":
            out.append(" " * int(e.get(TEXT + "c", "1")))
        elif e.tag == TEXT + "tab":
            out.append("\t")
        elif e.tag == TEXT + "line-break":
            out.append("\n")
        else:
            out.append(ods_text(e))
        out.append(e.tail or "")
    return "".join(out)


def ods_cells(z):
    content = ET.fromstring(z.read("content.xml"))
    table = next(content.iter(TABLE + "table"))
    r = 0
    for row in table.iter(TABLE + "table-row"):
        col, r = 0, r + int(row.get(TABLE + "number-rows-repeated", "1"))
        for cell in row:
            repeat = int(cell.get(TABLE + "number-columns-repeated", "1"))
            kind = cell.get(OFFICE + "value-type")
            if kind is not None:
                for i in range(min(repeat, MAX_COLUMNS)):
                    ref = column_name(col + i) + str(r)
                    if cell.get(TABLE + "formula") is not None:
                        yield ref, "formula", cell.get(TABLE + "formula")
                    elif kind == "string":
                        yield ref, "text", "\n".join(ods_text(p) for p in cell.iter(TEXT + "p"))
                    elif kind == "float":
                        yield ref, "number", cell.get(OFFICE + "value")
                    elif kind == "date":
                        yield ref, "date", cell.get(OFFICE + "date-value")
                    elif kind == "time":
                        yield ref, "time", cell.get(OFFICE + "time-value")
                    elif kind == "boolean":
                        yield ref, "boolean", cell.get(OFFICE + "boolean-value")
                    else:
                        yield ref, kind, cell.get(OFFICE + "value")
            col += repeat
            if col >= MAX_COLUMNS:
                break


def main():
    with zipfile.ZipFile(sys.argv[1]) as z:
        cells = ods_cells(z) if "content.xml" in z.namelist() else xlsx_cells(z)
        for ref, kind, value in cells:
            print(f"{ref}\t{kind}\t{escaped(value or '')}")


main()
