"""A small, strict structural check that an upload is a PDF (no parser is installed; pypdf is not
a dependency). It does not render or trust the file; it refuses what is plainly not a PDF, and
in particular a `%PDF` header in front of an HTML page or a script."""

import re

HEADER = re.compile(rb"\A%PDF-[12]\.\d")
STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF", re.DOTALL)
OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
MARKUP = (b"<html", b"<script", b"<!doctype")
TAIL_BYTES = 1024
HEAD_BYTES = 64 * 1024


def er_pdf(data: bytes) -> bool:
    """True if `data` has the structure of a PDF file: the version header, an `%%EOF` near the end,
    a `startxref` offset inside the file, at least one `obj` … `endobj`, and no markup at the start."""
    if not HEADER.match(data):
        return False
    tail = data[-TAIL_BYTES:]
    if b"%%EOF" not in tail:
        return False
    xrefs = STARTXREF.findall(tail)
    if not xrefs or not 0 < int(xrefs[-1]) < len(data):
        return False
    first = OBJ.search(data)
    if first is None or data.find(b"endobj", first.end()) < 0:
        return False
    head = data[:HEAD_BYTES].lower()
    return not any(m in head for m in MARKUP)
