"""Turning an uploaded file into rows of cell strings, safely.

XLSX is checked before it is opened (a zip bomb is refused by its declared uncompressed size), and
a sheet whose XML cannot be read (external or endlessly nested entities) is refused;
CSV is decoded as UTF-8 (with or without BOM) or Windows-1252, and its separator is detected.
"""

import csv
import io
import logging
import zipfile

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ROWS = 200_000

logger = logging.getLogger(__name__)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


def sniff_kind(data: bytes, filename: str = "") -> str:
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("Filen er verken CSV eller XLSX (binært innhold)."))
    return "csv"


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM optional) first; bytes that are not valid UTF-8 mean Windows-1252 (Norwegian Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(_("Klarte ikke å lese tegnsettet. Lagre filen som UTF-8 eller Windows-1252.")) from None


def read_csv(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    sample = "\n".join(text.splitlines()[:20])
    counts = {sep: sample.count(sep) for sep in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:  # the reader's own (English) text is logged, never shown
        logger.info("Unreadable CSV upload: %s", exc)
        raise ImportFileError(_("CSV-filen er ødelagt og kan ikke leses (for eksempel et anførselstegn som "
                                "ikke lukkes). Lagre den på nytt som CSV og prøv igjen.")) from None
    return rows


def _check_zip(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_("XLSX-filen er ødelagt eller ikke en Excel-fil.")) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportFileError(_("ZIP-filen er ikke en Excel-arbeidsbok (XLSX)."))
    if total > MAX_XLSX_UNCOMPRESSED:
        raise ImportFileError(
            _("Arbeidsboken er for stor utpakket (%(mb)d MB; grensen er %(max)d MB).")
            % {"mb": total // 2**20, "max": MAX_XLSX_UNCOMPRESSED // 2**20}
        )


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes, sheet: str | None = None) -> list[list[str]]:
    import openpyxl

    _check_zip(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files; logged, never shown
        logger.info("Unreadable XLSX upload: %r", exc)
        raise ImportFileError(_("Klarte ikke å åpne arbeidsboken. Lagre den på nytt som XLSX og prøv igjen.")) from None
    try:
        if sheet:
            if sheet not in wb.sheetnames:
                raise ImportFileError(_("Arket «%(ark)s» finnes ikke. Arkene heter: %(alle)s")
                                      % {"ark": sheet, "alle": ", ".join(wb.sheetnames)})
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        rows = []
        try:
            for row in ws.iter_rows(values_only=True):
                rows.append([_cell_text(v) for v in row])
                if len(rows) > MAX_ROWS:
                    raise ImportFileError(_("Filen har flere enn %(max)d rader.") % {"max": MAX_ROWS})
        except ImportFileError:
            raise
        except Exception:  # noqa: BLE001 - openpyxl parses the sheet's XML while iterating
            # e.g. an entity naming a file on the server (XXE; expat never resolves it) or nested
            # entities expanding without end (expat's amplification limit): refused, never read.
            raise ImportFileError(_("Arket kunne ikke leses: det inneholder ugyldig eller farlig XML.")) from None
        return rows
    finally:
        wb.close()


def read_table(data: bytes, filename: str = "", sheet: str | None = None) -> list[list[str]]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("Filen er større enn %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
    if not data.strip():
        raise ImportFileError(_("Filen er tom."))
    kind = sniff_kind(data, filename)
    rows = read_xlsx(data, sheet) if kind == "xlsx" else read_csv(data)
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Filen har flere enn %(max)d rader.") % {"max": MAX_ROWS})
    # Trailing empty cells and rows carry no meaning.
    cleaned = []
    for row in rows:
        while row and not str(row[-1]).strip():
            row = row[:-1]
        cleaned.append([str(c) for c in row])
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return cleaned
