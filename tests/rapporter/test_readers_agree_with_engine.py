"""Every reader of the case's figures (early-warning facts, reminders, weekly summary, dashboard
and its trend, county report with its XLSX) shows the engine's Sak, on a case that trips every rule.

2019, Østfold as it was; today's Indre Østfold (3118) = Askim + Eidsberg + Hobøl + Spydeberg + Trøgstad:
- Askim: request 20, adjusted to 15, plus a supplementary 5 → 20; vedtak 10 superseded by 18;
  settled by month 2 + 3 + a suppressed month → 5 and one hidden cell (a whole-year row of 30
  in 2018 must not leak into 2019).
- Eidsberg: request 10; a vedtak of 8 for 2018–2019; settled: a whole-year row 6 beside months 1 + 2.
- Hobøl: request 10, vedtak pending (not counted, the rest is decided).
So Indre Østfold 2019: requested 40, decided 26, settled ≥ 11 (one hidden); 2020 (as 3014): 30 / 25.

Reminders, three more of today's kommuner (their 2019 predecessors):
- Halden: deadline passed, vedtak made with its number suppressed: a decision, no reminder.
- Sarpsborg: first deadline passed, a supplementary request moved the case's deadline to August.
- Fredrikstad: deadline passed, vedtak pending: reminded (status AVVENTER).
"""

import datetime
import io

import openpyxl
import pytest

from bosetting.selectors import saker_for_aar
from bosetting.services import bosatt_register
from core.models import Rolle
from kommuner.models import Fylke
from oppfolging.choices import Regel
from oppfolging.reminders import frist_ute_recipients, ukesammendrag_saker
from oppfolging.rules import evaluate, kommune_facts, regel_innstillinger
from rapporter.eksport import pdf_tabell
from rapporter.selectors import dashboard, fylkesrapport
from tests.factories import kommune, profil_user
from vedtak.choices import AnmodningType, Kilde, VedtakStatus
from vedtak.services import anmodning_register, vedtak_register

pytestmark = pytest.mark.django_db

AAR = 2019
D = datetime.date
TODAY = D(AAR, 7, 2)


@pytest.fixture
def case(db):
    askim, eidsberg, hobol = kommune("0124"), kommune("0125"), kommune("0138")
    anmodning_register(kommune=askim, aar=AAR, antall=20, dato_sendt=D(2018, 10, 1), svarfrist=D(2018, 12, 1))
    anmodning_register(kommune=askim, aar=AAR, antall=15, type=AnmodningType.JUSTERT, dato_sendt=D(2019, 2, 1))
    anmodning_register(kommune=askim, aar=AAR, antall=5, type=AnmodningType.TILLEGG, dato_sendt=D(2019, 5, 1),
                       svarfrist=D(2019, 6, 1))
    vedtak_register(kommune=askim, aar=AAR, antall=10, dato=D(2018, 11, 15))
    vedtak_register(kommune=askim, aar=AAR, antall=18, dato=D(2019, 3, 1))  # supersedes 10
    bosatt_register(kommune=askim, aar=AAR, maaned=1, antall=2)
    bosatt_register(kommune=askim, aar=AAR, maaned=2, antall=3)
    bosatt_register(kommune=askim, aar=AAR, maaned=3, antall=None, prikket=["antall"])
    bosatt_register(kommune=askim, aar=2018, antall=30)
    bosatt_register(kommune=askim, aar=2018, maaned=1, antall=1)

    anmodning_register(kommune=eidsberg, aar=AAR, antall=10, dato_sendt=D(2018, 10, 1), svarfrist=D(2018, 12, 1))
    vedtak_register(kommune=eidsberg, aar=2018, aar_til=AAR, antall=8, dato=D(2017, 11, 1))
    bosatt_register(kommune=eidsberg, aar=AAR, antall=6)
    bosatt_register(kommune=eidsberg, aar=AAR, maaned=1, antall=1)
    bosatt_register(kommune=eidsberg, aar=AAR, maaned=2, antall=2)

    anmodning_register(kommune=hobol, aar=AAR, antall=10, dato_sendt=D(2018, 10, 1), svarfrist=D(2019, 1, 15))
    vedtak_register(kommune=hobol, aar=AAR, status=VedtakStatus.AVVENTER, antall=None, dato=D(2019, 1, 10))

    indre = kommune("3014")
    anmodning_register(kommune=indre, aar=2020, antall=30, dato_sendt=D(2019, 10, 1))
    vedtak_register(kommune=indre, aar=2020, antall=25, dato=D(2019, 12, 1))

    halden, sarpsborg, fredrikstad = kommune("0101"), kommune("0105"), kommune("0106")
    anmodning_register(kommune=halden, aar=AAR, antall=12, dato_sendt=D(2019, 3, 1), svarfrist=D(2019, 6, 1))
    vedtak_register(kommune=halden, aar=AAR, antall=None, prikket=["antall"], kilde=Kilde.IMDI, dato=D(2019, 6, 20))
    anmodning_register(kommune=sarpsborg, aar=AAR, antall=15, dato_sendt=D(2019, 2, 1), svarfrist=D(2019, 5, 1))
    anmodning_register(kommune=sarpsborg, aar=AAR, antall=5, type=AnmodningType.TILLEGG, dato_sendt=D(2019, 6, 1),
                       svarfrist=D(2019, 8, 1))
    anmodning_register(kommune=fredrikstad, aar=AAR, antall=25, dato_sendt=D(2019, 2, 1), svarfrist=D(2019, 5, 1))
    vedtak_register(kommune=fredrikstad, aar=AAR, status=VedtakStatus.AVVENTER, antall=None, dato=D(2019, 4, 1))
    return {s.kommune.nummer: s for s in saker_for_aar(AAR)}


def test_the_engines_own_figures(case):
    """The hand sums the readers below are compared with."""
    s = case["3118"]
    assert (s.anmodet, s.vedtatt, s.vedtatt_prikket, s.avventer) == (40, 26, False, False)
    assert (s.bosatt.verdi, s.bosatt.skjulte, s.svarfrist) == (11, 1, D(2019, 6, 1))
    assert [k.nummer for k in s.kilder] == ["3118", "0122", "0123", "0124", "0125", "0138", "3014"]
    assert (case["3101"].vedtatt, case["3101"].vedtatt_prikket) == (None, True)
    assert case["3105"].svarfrist == D(2019, 8, 1) and case["3107"].avventer
    assert [n for n, s in case.items() if s.frist_ute(TODAY)] == ["3107"]
    assert str(case["3107"].status(TODAY)) == "avventer"


def test_rule_facts_are_the_saks_figures(case):
    facts = kommune_facts(AAR)
    for nummer, s in case.items():
        f = facts[s.kommune.pk]
        assert (f["anmodet"], f["vedtatt"], f["svarfrist"]) == (s.anmodet, s.vedtatt, s.svarfrist), nummer
        assert f["vedtatt_skjult"] == s.vedtatt_prikket and f["bosatt_skjult"] == bool(s.bosatt.skjulte)
        assert f["bosatt"] == (None if s.bosatt.skjulte else s.bosatt.verdi)
    assert facts[case["3118"].kommune.pk]["sendt"] == D(2018, 10, 1)  # the predecessors' first letter

    hits = {(r, k) for r, k, _t in evaluate(facts, regel_innstillinger(), TODAY, AAR)}
    pk = {n: s.kommune.pk for n, s in case.items()}
    assert (Regel.VEDTAK_UNDER, pk["3118"]) in hits  # 26 of 40
    assert (Regel.BOSETTING_BAK, pk["3118"]) not in hits  # ≥ 11 with a hidden month: unknown, not behind
    assert (Regel.INGEN_VEDTAK, pk["3101"]) not in hits  # a suppressed number is a decision
    assert (Regel.INGEN_VEDTAK, pk["3107"]) in hits  # pending
    assert not {k for _r, k in hits} - {pk["3118"], pk["3105"], pk["3107"]}


def test_reminder_decision_is_sak_frist_ute(case):
    office = profil_user(Rolle.STATSFORVALTER, statsforvalter=Fylke.objects.get(nummer="31").statsforvalter)
    for today in (TODAY, D(2019, 8, 2), D(2019, 9, 10)):
        sent = {key for (uid, key) in frist_ute_recipients(today) if uid == office.pk}
        due = {f"frist:{s.kommune.pk}:{AAR}" for s in case.values()
               if s.frist_ute(today) and s.svarfrist >= today - datetime.timedelta(days=90)}
        assert sent == due, today

    def keys(today):
        return {key for _u, key in frist_ute_recipients(today)}

    def key(nummer):
        return f"frist:{case[nummer].kommune.pk}:{AAR}"

    assert keys(TODAY) == {key("3107")}  # not Sarpsborg: its case runs to August
    assert keys(D(2019, 7, 30)) == {key("3107")}  # 90 days after its deadline: the last day in the window
    assert keys(D(2019, 7, 31)) == set()
    assert keys(D(2019, 8, 2)) == {key("3105")}  # Sarpsborg's case deadline has passed now
    assert keys(D(2019, 11, 1)) == set()


def test_weekly_summary_shows_the_saks_figures(case):
    office = Fylke.objects.get(nummer="31").statsforvalter
    under, bak = ukesammendrag_saker(office.pk, AAR)
    assert [(k.nummer, f) for k, f in under] == [("3118", {"anmodet": 40, "vedtatt": 26, "bosatt": 11})]
    assert bak == []  # settled is a lower bound: not compared


def test_dashboard_and_its_trend_sum_the_saks(case, admin_user):
    d = dashboard(admin_user, AAR, today=TODAY)
    saker = list(case.values())
    point = next(p for p in d.trend if p.aar == AAR)
    assert (point.anmodet.verdi, point.vedtatt.verdi, point.vedtatt.skjulte) == (
        sum(s.anmodet or 0 for s in saker), sum(s.vedtatt or 0 for s in saker), 1)
    assert (point.bosatt.verdi, point.bosatt.skjulte) == (11, 1)
    assert (point.anmodet, point.vedtatt, point.bosatt) == (d.nasjonalt.anmodet, d.nasjonalt.vedtatt,
                                                             d.nasjonalt.bosatt)
    rad = next(r for r in d.rader if r.kommunenummer == "3118")
    assert (rad.anmodet.verdi, rad.vedtatt.verdi, rad.bosatt) == (40, 26, case["3118"].bosatt)
    assert d.kommune_prognose["3118"].hittil == 11  # settled so far = the Sak's figure

    # a Statsforvalter for another office, widened to the country, and scoped to its own (nothing)
    agder = profil_user(Rolle.STATSFORVALTER, statsforvalter=Fylke.objects.get(nummer="42").statsforvalter)
    scoped = next(p for p in dashboard(agder, AAR, today=TODAY).trend if p.aar == AAR)
    assert (scoped.anmodet.verdi, scoped.vedtatt.verdi, scoped.bosatt.verdi) == (None, None, None)
    wide = next(p for p in dashboard(agder, AAR, today=TODAY, hele_landet=True).trend if p.aar == AAR)
    assert (wide.anmodet, wide.vedtatt, wide.bosatt) == (point.anmodet, point.vedtatt, point.bosatt)
    for y in range(AAR - 5, AAR):  # earlier years: Askim's whole-year 2018 row is 2018's, not 2019's
        p = next(p for p in d.trend if p.aar == y)
        total = saker_for_aar(y)
        assert p.bosatt.verdi == (sum(s.bosatt.verdi or 0 for s in total) or None), y
    assert next(p for p in d.trend if p.aar == 2018).bosatt.verdi == 30


def test_county_report_row_and_xlsx_are_the_sak(case, client, admin_user):
    s = case["3118"]
    neste = {x.kommune.nummer: x for x in saker_for_aar(AAR + 1)}["3118"]
    assert (neste.anmodet, neste.vedtatt) == (30, 25)
    r = fylkesrapport(Fylke.objects.get(nummer="31"), AAR, today=TODAY)
    row = next(x for x in r.rader if x["nummer"] == "3118")
    assert row["sak"] is not None and row["sak"].anmodet == s.anmodet
    assert (row["rad"].anmodet.verdi, row["rad"].vedtatt.verdi, row["rad"].bosatt) == (40, 26, s.bosatt)
    assert (row["neste"].anmodet.verdi, row["neste"].vedtatt.verdi) == (30, 25)
    assert row["prognose"].hittil == s.bosatt.verdi
    halden = next(x for x in r.rader if x["nummer"] == "3101")
    assert (halden["rad"].vedtatt.verdi, halden["rad"].vedtatt.skjulte) == (None, 1)

    _header, cells = pdf_tabell(r)  # as the PDF shows them: kommune, anmodning, vedtak, bosatt, 3 gaps, next year
    c3118 = next(c for c in cells if c[0].startswith("3118 "))
    assert [c3118[i] for i in (1, 2, 4, 7, 8)] == ["40", "26", str(40 - 26), "30", "25"]
    halden_cells = next(c for c in cells if c[0].startswith("3101 "))
    assert halden_cells[2] == "skjult" and halden_cells[4] == "skjult"  # hidden, so is its gap: not 0, not blank
    client.force_login(admin_user)
    resp = client.get("/rapport/fylke/31/", {"aar": AAR, "_export": "xlsx"})
    values = [[c.value for c in x] for x in openpyxl.load_workbook(io.BytesIO(resp.content)).active.iter_rows()]
    xlsx = next(v for v in values if v[0] == "3118")
    # A marker column after each figure: blank for exact figures.
    # Columns: anmodning, vedtak, bosatt, the three gaps, next year's anmodning and vedtak, each with its marker.
    assert [xlsx[i] for i in (2, 4, 8, 14, 16)] == [s.anmodet, s.vedtatt, s.gap_anmodning_vedtak, neste.anmodet,
                                                   neste.vedtatt]
    assert [xlsx[i] for i in (3, 5, 9, 15, 17)] == [None] * 5
    assert xlsx[6] is None and xlsx[7]  # settled with a hidden month: no number, its marker says the lower bound
    assert xlsx[18] == s.status_tekst()
    halden_xlsx = next(v for v in values if v[0] == "3101")
    assert halden_xlsx[4:6] == [None, "skjult"]  # suppressed: no number, and the marker says why
    html = client.get("/rapport/fylke/31/", {"aar": AAR}).content.decode()
    assert 'data-kommune="3118"' in html
