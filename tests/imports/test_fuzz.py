"""Malformed CSV/XLSX thrown at the importer: it never raises and never writes a partial import."""

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bosetting.models import Bosatt
from core.models import Endring
from imports.services import import_confirm, import_create, import_preview
from vedtak.models import Anmodning, Vedtak

pytestmark = pytest.mark.django_db
HEADERS = ["kommunenummer", "kommune", "år", "anmodning", "vedtak", "bosatt", "tull", "", "2014 Vedtak"]
cells = st.one_of(st.sampled_from(["", ":", "-", "avventer vedtak", "3101", "0101", "Halden", "Våler", "2025",
                                   "1 000", "-3", "2,5", "=1+1", "Østfold", "Totalt"]),
                  st.integers(-10, 100000).map(str), st.text(max_size=12))
rows = st.lists(st.lists(cells, max_size=8), max_size=12)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def counts():
    return (Anmodning.objects.count(), Vedtak.objects.count(), Bosatt.objects.count(), Endring.objects.count())


def _try(data, filename):
    before = counts()
    imp, preview = import_create(data, filename=filename)
    if preview.ok:
        import_confirm(imp)  # a clean file may write; it then writes all its rows
        assert counts()[0] - before[0] <= len(preview.rows)
    else:
        assert counts() == before


@FUZZ
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7), body=rows,
       sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_malformed_csv_never_raises(header, body, sep, encoding):
    text = "\n".join(sep.join(r) for r in [header, *body])
    data = text.encode(encoding, errors="replace")
    _try(data, "fuzz.csv")


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    preview = import_preview(data, filename="x.xlsx")
    assert preview.errors or preview.rows == [] or preview.ok


@FUZZ
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7),
       body=st.lists(st.lists(st.one_of(cells, st.integers(-5, 500), st.floats(allow_nan=True), st.none()),
                              max_size=7), max_size=8))
def test_malformed_xlsx_never_raises(header, body):
    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    try:
        for row in [header, *body]:
            wb.active.append(row)
        wb.save(buf)
    except Exception:  # openpyxl refuses some characters itself; not the importer's input
        return
    _try(buf.getvalue(), "fuzz.xlsx")


def test_truncated_xlsx_is_a_clear_error():
    wb = openpyxl.Workbook()
    wb.active.append(["kommunenummer", "år", "anmodning"])
    buf = io.BytesIO()
    wb.save(buf)
    preview = import_preview(buf.getvalue()[:300], filename="halv.xlsx")
    assert preview.errors and "XLSX" in preview.errors[0]
