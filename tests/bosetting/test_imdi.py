from collections import defaultdict

import pytest
from django.core.management import call_command

from bosetting.imdi import FILES, imdi_fylke_tall, imdi_tall_load
from bosetting.models import Bosatt
from bosetting.selectors import saker_for_aar
from bosetting.status import Tall
from core.models import Endring
from tests.factories import kommune
from vedtak.choices import VedtakStatus
from vedtak.models import Anmodning, Vedtak

pytestmark = pytest.mark.django_db


def test_2025_reproduces_imdis_county_totals():
    imdi_tall_load(2025)
    per_fylke = defaultdict(lambda: {"anmodet": 0, "vedtatt": 0, "bosatt": Tall()})
    for s in saker_for_aar(2025):
        f = per_fylke[s.fylke.nummer]
        f["anmodet"] += s.anmodet or 0
        f["vedtatt"] += s.vedtatt or 0
        f["bosatt"] += s.bosatt
    imdi = imdi_fylke_tall(2025)
    assert set(imdi) == set(per_fylke)
    hidden_somewhere = False
    for nr, row in imdi.items():
        assert per_fylke[nr]["anmodet"] == int(row["anmodet"]), nr
        assert per_fylke[nr]["vedtatt"] == int(row["vedtatt"]), nr
        bosatt = per_fylke[nr]["bosatt"]
        if bosatt.skjulte:
            hidden_somewhere = True
            assert bosatt.er_nedre_grense and bosatt.verdi <= int(row["bosatte"])
        else:
            assert bosatt.verdi == int(row["bosatte"]), nr
    assert hidden_somewhere


def test_markers_are_modelled():
    imdi_tall_load(2025)
    imdi_tall_load(2026)
    # Eigersund 2025: kollektiv ':' → hidden, not 0 and not blank-unknown
    b = Bosatt.objects.get(kommune=kommune("1101"), aar=2025, maaned=0)
    assert b.herav_kollektiv is None and b.er_prikket("herav_kollektiv") and b.antall == 55
    # Kvitsøy 2025: requested 0, '-' → nothing stored
    assert not Anmodning.objects.filter(kommune=kommune("1144"), aar=2025).exists()
    assert not Vedtak.objects.filter(kommune=kommune("1144"), aar=2025).exists()
    # Kautokeino 2025: avventer vedtak
    v = Vedtak.objects.get(kommune=kommune("5612"), aar=2025)
    assert v.status == VedtakStatus.AVVENTER and v.antall is None and v.kilde == "imdi"
    # 2026 has the agreed-not-arrived figure
    assert Bosatt.objects.get(kommune=kommune("0301"), aar=2026, maaned=0).avtalt == 132


def test_loader_is_idempotent_and_writes_history():
    first = imdi_tall_load(2025)
    counts = (Anmodning.objects.count(), Vedtak.objects.count(), Bosatt.objects.count(), Endring.objects.count())
    second = imdi_tall_load(2025)
    assert first.opprettet > 900 and second.opprettet == 0 and second.endret == 0
    assert counts == (Anmodning.objects.count(), Vedtak.objects.count(), Bosatt.objects.count(),
                      Endring.objects.count())
    assert Endring.objects.filter(import_ref="imdi-2025").count() == first.opprettet


def test_changed_figure_supersedes_imdis_vedtak(tmp_path):
    imdi_tall_load(2025)
    src = FILES[2025].read_text(encoding="utf-8")
    changed = src.replace("2025,0301,Oslo,Oslo,640,850,", "2025,0301,Oslo,Oslo,640,860,")
    path = tmp_path / "x.csv"
    path.write_text(changed, encoding="utf-8")
    r = imdi_tall_load(2025, path=path)
    assert r.opprettet == 1
    oslo = Vedtak.objects.filter(kommune=kommune("0301"), aar=2025)
    assert sorted(v.antall for v in oslo) == [850, 860]
    assert oslo.get(erstattet_av__isnull=True).antall == 860


def test_bad_row_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("aar,kommunenummer,kommune_imdi,fylke,anmodet,vedtatt,bosatte,bosatte_kollektiv_beskyttelse\n"
                    "2025,0301,Oslo,Oslo,640,850,665,506\n2025,0301,Oslo,Oslo,abc,1,1,1\n", encoding="utf-8")
    with pytest.raises(Exception, match="ugyldig verdi"):
        imdi_tall_load(2025, path=path)
    assert not Anmodning.objects.exists()


def test_command(capsys):
    call_command("load_imdi_tall", "2026")
    assert "IMDi 2026" in capsys.readouterr().out
