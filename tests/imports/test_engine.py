"""Imports compare with, write over and export the figures engine's case (bosetting.selectors):
the request and vedtak in force by the agreement's rules, the year's settled count as the overview
shows it, and supersession through vedtak.services.vedtak_supersede."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from bosetting.models import Bosatt
from bosetting.selectors import saker_for_aar, saker_for_par
from bosetting.status import FIGURER
from core.models import Endring
from imports import layouts
from imports.exports import HEADERS
from imports.services import import_confirm, import_create, import_preview
from kommuner.models import Kommune
from tests.factories import kommune
from vedtak.choices import AnmodningType, Kilde, VedtakStatus
from vedtak.models import Anmodning, Vedtak

pytestmark = pytest.mark.django_db
HEAD = "kommunenummer,kommune,aar,anmodning,vedtak,vedtak_ema,bosatt,bosatt_kollektiv\n"


def run(text, **kw):
    imp, preview = import_create(text.encode(), filename="t.csv", **kw)
    if preview.ok:
        import_confirm(imp)
    return imp, preview


def _months(k, aar, rows):
    for maaned, antall, kollektiv in rows:
        Bosatt.objects.create(kommune=k, aar=aar, maaned=maaned, antall=antall,
                              herav_kollektiv=None if kollektiv == ":" else kollektiv,
                              prikket=["herav_kollektiv"] if kollektiv == ":" else [])


def test_the_old_value_of_every_figure_is_the_engines():
    halden = kommune("3101")
    Anmodning.objects.create(kommune=halden, aar=2025, antall=40, dato_sendt=datetime.date(2024, 11, 1))
    Anmodning.objects.create(kommune=halden, aar=2025, antall=10, type=AnmodningType.TILLEGG,
                             dato_sendt=datetime.date(2025, 5, 1))
    Vedtak.objects.create(kommune=halden, aar=2025, status=VedtakStatus.AVVENTER)
    _months(halden, 2025, [(1, 4, 1), (2, 5, ":"), (3, 6, 2)])
    sak = saker_for_par([(halden.pk, 2025)])[(halden.pk, 2025)]
    assert sak.tall["anmodning"].verdi == 50 and sak.avventer and sak.tall["bosatt"].verdi == 15
    # The file states what is in force: request 40 + supplementary 10, pending, the sum of the months.
    preview = import_preview((HEAD + "3101,Halden,2025,50,avventer vedtak,,15,:\n").encode())
    assert preview.ok, preview.errors
    assert preview.counts["uendret"] == 1 and preview.rows[0].changes == {}
    preview = import_preview((HEAD + "3101,Halden,2025,40,12,,16,3\n").encode())
    assert preview.rows[0].changes == {"anmodning": (50, 40), "vedtak": (("avventer", None), 12),
                                       "bosatt": (15, 16), "bosatt_kollektiv": (("prikket", None), 3)}
    assert preview.counts["endret"] == 1


def test_a_new_whole_year_row_starts_from_the_months_and_the_overview_agrees():
    halden = kommune("3101")
    _months(halden, 2025, [(1, 4, 1), (2, 5, 2)])
    imp, preview = run("kommunenummer,kommune,aar,bosatt\n3101,Halden,2025,12\n")
    assert preview.ok, preview.errors
    whole = Bosatt.objects.get(kommune=halden, aar=2025, maaned=0)
    assert (whole.antall, whole.herav_kollektiv, whole.kilde) == (12, 3, Kilde.IMPORT)
    sak = next(s for s in saker_for_aar(2025) if s.kommune == halden)
    assert sak.bosatt.verdi == 12 and sak.bosatt_kollektiv.verdi == 3


def test_a_changed_vedtak_supersedes_the_one_in_force_and_records_it():
    halden = kommune("3101")
    manual = Vedtak.objects.create(kommune=halden, aar=2025, antall=30, herav_ema=2)
    imp, preview = run(HEAD + "3101,Halden,2025,,35,,,\n")
    assert preview.ok, preview.errors
    manual.refresh_from_db()
    new = Vedtak.objects.get(kommune=halden, aar=2025, erstattet_av__isnull=True)
    assert manual.erstattet_av == new
    assert (new.antall, new.herav_ema, new.kilde, new.status) == (35, 2, Kilde.IMPORT, VedtakStatus.FATTET)
    superseded = Endring.objects.get(handling="vedtak.erstattet")
    assert superseded.import_ref == imp.ref and superseded.object_id == str(manual.pk)
    assert superseded.endringer == {"erstattet_av_id": [None, new.pk]}
    # The import's own vedtak is corrected in place on the next import: nothing more is superseded.
    imp2, preview = run(HEAD + "3101,Halden,2025,,36,,,\n")
    assert preview.counts["endret"] == 1
    assert Vedtak.objects.filter(kommune=halden, aar=2025).count() == 2
    new.refresh_from_db()
    assert new.antall == 36 and Endring.objects.filter(handling="vedtak.erstattet").count() == 1
    assert Endring.objects.get(import_ref=imp2.ref).endringer == {"vedtak": [35, 36]}


def test_an_import_for_one_year_of_a_multi_year_vedtak_counts_for_that_year_only():
    """The 2024–2026 vedtak stays in force for 2024 and 2026; for 2025 the newer import counts."""
    halden = kommune("3101")
    span = Vedtak.objects.create(kommune=halden, aar=2024, aar_til=2026, antall=90)
    run(HEAD + "3101,Halden,2025,,40,,,\n")
    span.refresh_from_db()
    assert span.erstattet_av is None
    qs = Kommune.objects.filter(pk=halden.pk)
    assert [saker_for_aar(aar, qs)[0].vedtatt for aar in (2024, 2025, 2026)] == [90, 40, 90]


def test_a_pending_vedtak_has_no_figures():
    halden = kommune("3101")
    _imp, preview = run(HEAD + "3101,Halden,2025,,avventer vedtak,3,,\n")
    assert not preview.ok
    assert "Rad 2, kolonne «Vedtak EMA»: et vedtak som avventer, har ingen tall ennå" in preview.errors
    Vedtak.objects.create(kommune=halden, aar=2025, status=VedtakStatus.AVVENTER)
    _imp, preview = run(HEAD + "3101,Halden,2025,,,3,,\n")
    assert not preview.ok and not Endring.objects.exists()


def _export(client, **params):
    response = client.get(reverse("imports:export_long"), params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_of_monthly_settled_shows_the_overviews_figure_and_imports_back_unchanged(client, admin_user):
    halden, moss = kommune("3101"), kommune("3103")
    _months(halden, 2025, [(1, 4, 1), (2, 5, ":"), (3, 6, 2)])
    _months(moss, 2025, [(1, 3, 0), (4, 7, 1)])
    Vedtak.objects.create(kommune=moss, aar=2025, status=VedtakStatus.AVVENTER)
    client.force_login(admin_user)
    rows = {r["kommunenummer"]: r for r in _export(client, aar=2025)}
    assert set(rows) == {"3101", "3103"}
    overview = {s.kommune.nummer: s for s in saker_for_aar(2025) if s.kommune.nummer in rows}
    assert rows["3101"]["bosatt"] == str(overview["3101"].bosatt.verdi) == "15"
    # A suppressed figure: a blank number and the marker in the column after it.
    assert rows["3101"]["bosatt_kollektiv"] == "" and overview["3101"].bosatt_kollektiv.skjulte == 1
    assert rows["3101"]["bosatt_kollektiv merknad"] == "skjult" and rows["3101"]["bosatt merknad"] == ""
    assert rows["3103"]["bosatt"] == str(overview["3103"].bosatt.verdi) == "10"
    assert rows["3103"]["bosatt_kollektiv"] == "1"
    assert rows["3103"]["vedtak"] == "" and rows["3103"]["vedtak merknad"] == "avventer vedtak"
    assert rows["3103"]["vedtak_ema"] == ""
    assert rows["3101"]["anmodning"] == "" and rows["3101"]["vedtak"] == ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows["3101"]))
    writer.writeheader()
    writer.writerows(rows.values())
    before = sorted(Bosatt.objects.values_list("kommune__nummer", "maaned", "antall", "herav_kollektiv"))
    imp, preview = import_create(buf.getvalue().encode(), filename="eksport.csv")
    assert preview.ok, preview.errors
    assert preview.counts == {"ny": 0, "endret": 0, "uendret": 2, "feil": 0}
    import_confirm(imp)
    assert before == sorted(Bosatt.objects.values_list("kommune__nummer", "maaned", "antall", "herav_kollektiv"))
    assert not Endring.objects.exists()


def test_one_list_of_figures():
    assert [f.navn for f in FIGURER] == layouts.FIELDS
    assert set(layouts.FIELD_ALIASES) == set(layouts.FIELDS)
    assert HEADERS[3:] == layouts.FIELDS
    for f in FIGURER:  # the export's headings read back as the same figures
        assert layouts.field_for(f.navn) == f.navn
        assert layouts.FIELD_LABELS[f.navn] == f.label


def test_a_request_imported_over_a_dated_letter_is_the_request_in_force():
    halden = kommune("3101")
    Anmodning.objects.create(kommune=halden, aar=2025, antall=40, dato_sendt=datetime.date(2024, 11, 1))
    _imp, preview = run("kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,50\n")
    assert preview.ok and preview.counts["endret"] == 1
    assert saker_for_par([(halden.pk, 2025)])[(halden.pk, 2025)].tall["anmodning"].verdi == 50
    _imp, again = run("kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,50\n")
    assert again.counts["uendret"] == 1
