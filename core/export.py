"""One exporter for every download: cells a spreadsheet reads as what they are.

Every export that writes cells (the long export, the county report, and every django-tables2 list
export through `TableExportMixin`) goes through here:

- text a spreadsheet would run as a formula is neutralised (`neutralise`);
- numbers are numbers: an exact figure is an integer cell (unformatted in CSV). A figure that is
  not an exact number (suppressed by IMDi, a lower bound, a vedtak not yet made) is a `Merknad`:
  its numeric cell is left blank and the text goes in a marker column right after it, headed
  «<figure> merknad». A blank numeric cell with a blank marker is unknown, never 0;
- dates are dates: a real date cell in XLSX shown as dd.mm.åååå (dd.mm.åååå tt:mm for a time, in
  Oslo time), and ISO 8601 (åååå-mm-dd, åååå-mm-dd tt:mm) in CSV;
- the sheet is named after what it holds («Oversikt 2025»), at most 31 characters, without the
  characters Excel refuses in a sheet name.

`TableExportMixin` is also where the lists' `?per_page=` is held to a sane range.
"""

import csv
import datetime
import io
import re

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils import timezone
from django_tables2.export import ExportMixin, TableExport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Markers that are text on purpose and no formula: IMDi's «:» (suppressed) and a bare dash.
HARMLESS = (":", "-")
PER_PAGE_MIN, PER_PAGE_MAX = 1, 200
MERKNAD = "merknad"  # the marker column's heading is "<figure's heading> merknad" (the same in nb and nn)
XLSX_DATE, XLSX_DATETIME = "DD.MM.YYYY", "DD.MM.YYYY HH:MM"
CSV_DATE, CSV_DATETIME = "%Y-%m-%d", "%Y-%m-%d %H:%M"
SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def neutralise(value):
    """Prefix text a spreadsheet would treat as a formula with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value not in HARMLESS:
        return "'" + value
    return value


def unneutralise(text):
    """The text neutralise wrote, read back from a file: the apostrophe before a formula goes."""
    if isinstance(text, str) and text.startswith("'") and neutralise(text[1:]) != text[1:]:
        return text[1:]
    return text


def neutralise_row(row):
    return [neutralise(v) for v in row]


class Merknad(str):
    """A figure that is not an exact number, as an export cell: the figure's own cell is left blank
    and this text (e.g. «skjult», «minst 12 (1 skjult)», «avventer vedtak») goes in its marker
    column. A str, so it passes through django-tables2's export untouched."""


def sheet_title(*candidates):
    """The first candidate that fits in a sheet name (31 characters, none of \\ / * ? : [ ]),
    else the last one cut to fit."""
    cleaned = [_SHEET_FORBIDDEN.sub("-", str(c)).strip().strip("'") for c in candidates if c]
    for c in cleaned:
        if 0 < len(c) <= SHEET_TITLE_MAX:
            return c
    return (cleaned[-1][:SHEET_TITLE_MAX].rstrip() if cleaned else "") or "Tabell"


def with_marker_columns(headers, rows, figure_columns=()):
    """Headers and rows with a marker column after each figure column: the given indexes, and any
    column holding a `Merknad`. A figure column's cells become numbers or blanks; its marker
    column holds the Merknad's text."""
    rows = [list(r) for r in rows]
    figures = set(figure_columns) | {i for r in rows for i, v in enumerate(r) if isinstance(v, Merknad)}
    if not figures:
        return list(headers), rows
    out_headers = []
    for i, h in enumerate(headers):
        out_headers.append(h)
        if i in figures:
            out_headers.append(f"{h} {MERKNAD}")
    out_rows = []
    for r in rows:
        out = []
        for i, v in enumerate(r):
            if i in figures:
                marked = isinstance(v, Merknad)
                out += [None if marked or v == "" else v, str(v) if marked else None]
            else:
                out.append(v)
        out_rows.append(out)
    return out_headers, out_rows


def _local(value):
    """A datetime as Oslo wall-clock time without a zone (spreadsheets have none), to the minute."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, second=0, microsecond=0)


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(CSV_DATETIME)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE)
    return str(value)


def csv_text(headers, rows):
    """CSV with a byte-order mark (Excel then reads UTF-8), numbers unformatted, ISO dates."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_csv_cell(neutralise(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(neutralise(v)) for v in row])
    return "\ufeff" + buf.getvalue()


def xlsx_append(ws, values, *, bold=False):
    """Append one row: text neutralised, numbers as numbers, dates as dates (dd.mm.åååå)."""
    from openpyxl.styles import Font

    cells = []
    for v in values:
        v = neutralise(v)
        if isinstance(v, datetime.datetime):
            v = _local(v)
        cells.append(v)
    ws.append(cells)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = XLSX_DATETIME
        elif isinstance(cell.value, datetime.date):
            cell.number_format = XLSX_DATE
        if bold:
            cell.font = Font(bold=True)


def xlsx_widths(ws, widths=None, *, start_row=1):
    """Column widths: the given ones, else from the longest value (capped) from start_row on."""
    from openpyxl.utils import get_column_letter

    if widths is None:
        widths = []
        for col in ws.iter_cols(min_row=start_row):
            longest = max((len(XLSX_DATE) if isinstance(c.value, datetime.date) else len(str(c.value))
                           for c in col if c.value is not None), default=0)
            widths.append(min(max(longest + 2, 8), 60))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def xlsx_bytes(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_table(title, headers, rows):
    """One sheet named `title`: a bold header row (frozen), then the rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
    xlsx_append(ws, headers, bold=True)
    ws.freeze_panes = "A2"
    for row in rows:
        xlsx_append(ws, row)
    xlsx_widths(ws)
    return xlsx_bytes(wb)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(fmt, title, headers, rows, filename):
    """A table as a download: XLSX (`fmt == "xlsx"`, a sheet named `title`) or CSV, both written
    here (neutralised cells), as an attachment named `filename` plus the format's suffix."""
    from django.http import HttpResponse

    if fmt == "xlsx":
        response = HttpResponse(xlsx_table(title, headers, rows), content_type=XLSX_TYPE)
    else:
        fmt = "csv"
        response = HttpResponse(csv_text(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _raw(value):
    return value


class NeutralisingTableExport(TableExport):
    """django-tables2's TableExport written by the one exporter: marker columns after the figure
    columns (a column with `export_figur = True`, or any holding a Merknad), date columns as
    dates, every text cell neutralised; CSV and XLSX written here, other formats by tablib."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        exclude_columns = exclude_columns or ()
        columns = [bc for bc in table.columns.iterall()
                   if not (bc.column.exclude_from_export or bc.name in exclude_columns)]
        for bc in columns:
            # A date column exports its date, not the page's text (unless the table says otherwise).
            if (isinstance(bc.column, tables.DateColumn | tables.DateTimeColumn)
                    and not hasattr(table, f"value_{bc.name}") and not hasattr(table, f"render_{bc.name}")):
                bc.value = _raw
        values = iter(table.as_values(exclude_columns=exclude_columns))
        headers = [str(h) for h in next(values)]
        figures = [i for i, bc in enumerate(columns) if getattr(bc.column, "export_figur", False)]
        headers, rows = with_marker_columns(headers, values, figures)
        kwargs = {"title": "Tabell", **(dataset_kwargs or {})}
        kwargs["title"] = sheet_title(kwargs["title"])
        from tablib import Dataset

        dataset = Dataset(**kwargs)
        dataset.headers = neutralise_row(headers)
        for row in rows:
            dataset.append(neutralise_row(row))
        return dataset

    def export(self):
        if self.format == self.CSV:
            return csv_text(self.dataset.headers, self.dataset)
        if self.format == self.XLSX:
            return xlsx_table(self.dataset.title, self.dataset.headers, self.dataset)
        return super().export()


class ClampedPaginator(Paginator):
    """A paginator whose page size is held to 1..200, whatever `?per_page=` says."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = PER_PAGE_MIN
        super().__init__(object_list, min(max(per_page, PER_PAGE_MIN), PER_PAGE_MAX), *args, **kwargs)

    def validate_number(self, number):
        """A page out of range or not a number is the first or last page, never an error."""
        try:
            return super().validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            try:
                return 1 if int(number) < 1 else max(self.num_pages, 1)
            except (TypeError, ValueError, OverflowError):
                return 1


class TableExportMixin(ExportMixin):
    """ExportMixin for every list page: exports go through `NeutralisingTableExport`, the sheet is
    named `get_export_title()` (`export_title`, as the page calls itself), and the table's
    pagination (when it paginates) uses `ClampedPaginator`."""

    export_class = NeutralisingTableExport
    export_title = None

    def get_export_title(self):
        return self.export_title or self.export_name

    def get_dataset_kwargs(self):
        return {**(super().get_dataset_kwargs() or {}), "title": sheet_title(str(self.get_export_title()))}

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        if paginate is False:
            return paginate
        paginate = dict(paginate) if isinstance(paginate, dict) else {}
        # MultipleObjectMixin's plain Paginator comes along from FilterView: replace it.
        if not issubclass(paginate.get("paginator_class") or Paginator, ClampedPaginator):
            paginate["paginator_class"] = ClampedPaginator
        return paginate
