"""Every status rule (bosetting.status.STATUSREGLER) before and after the year's end, the status
texts with their figures, and each gap's definition for one kommune and for a group (issue 14)."""

import datetime

import pytest

from bosetting.choices import SakStatus as S
from bosetting.oversikt import rad_fra_sak, sum_rad, tall_tekst
from bosetting.status import GAP, GAP_FOR, KOMMUNE_GAP, STATUSREGLER, Sak, Tall, aaret_er_over, behov_vedtak

AAR = 2025
MIDT = datetime.date(2025, 6, 15)  # the year is running
SISTE = datetime.date(2025, 12, 31)  # still running: the year is over after 31 December
OVER = datetime.date(2026, 1, 1)


def sak(**kw):
    return Sak(None, AAR, **kw)


def test_year_is_over_after_31_december():
    assert not aaret_er_over(AAR, SISTE) and aaret_er_over(AAR, OVER)
    assert not aaret_er_over(AAR, datetime.date(2024, 12, 1))  # before the year: not over


# (case, status while the year runs, status once it is over)
CASES = [
    ("nothing", {}, S.IKKE_ANMODET, S.IKKE_ANMODET),
    # The deadline is not passed on 1 January, but the year is over.
    ("requested, deadline ahead", {"anmodet": 20, "svarfrist": datetime.date(2026, 1, 15)}, S.ANMODET,
     S.VEDTAK_MANGLER),
    ("requested, no deadline", {"anmodet": 20}, S.ANMODET, S.VEDTAK_MANGLER),
    ("deadline passed", {"anmodet": 20, "svarfrist": datetime.date(2025, 2, 1)}, S.VEDTAK_MANGLER,
     S.VEDTAK_MANGLER),
    ("pending", {"anmodet": 20, "avventer": True}, S.AVVENTER, S.VEDTAK_MANGLER),
    ("pending without request", {"avventer": True}, S.AVVENTER, S.VEDTAK_MANGLER),
    ("declined", {"anmodet": 20, "vedtatt": 0}, S.AVSLAATT, S.AVSLAATT),
    ("partial, no settled figure", {"anmodet": 20, "vedtatt": 12}, S.VEDTAK_DELVIS, S.UAVKLART),
    ("partial, none settled (0)", {"anmodet": 20, "vedtatt": 12, "bosatt": Tall(0)}, S.VEDTAK_DELVIS,
     S.IKKE_NAADD),
    ("full, none settled", {"anmodet": 20, "vedtatt": 20}, S.VEDTAK_FULLT, S.UAVKLART),
    ("settling", {"anmodet": 20, "vedtatt": 20, "bosatt": Tall(12)}, S.BOSETTING_PAAGAAR, S.IKKE_NAADD),
    ("vedtak below request, all settled", {"anmodet": 20, "vedtatt": 12, "bosatt": Tall(12)},
     S.BOSATT_ETTER_VEDTAK, S.BOSATT_ETTER_VEDTAK),
    ("vedtak without request, all settled", {"vedtatt": 12, "bosatt": Tall(14)}, S.BOSATT_ETTER_VEDTAK,
     S.BOSATT_ETTER_VEDTAK),
    ("request covered", {"anmodet": 20, "vedtatt": 20, "bosatt": Tall(20)}, S.ANMODNING_DEKKET,
     S.ANMODNING_DEKKET),
    ("request covered, vedtak above, still settling", {"anmodet": 20, "vedtatt": 30, "bosatt": Tall(22)},
     S.ANMODNING_DEKKET, S.ANMODNING_DEKKET),
    ("settled the request though vedtak was below", {"anmodet": 20, "vedtatt": 15, "bosatt": Tall(21)},
     S.ANMODNING_DEKKET, S.ANMODNING_DEKKET),
    ("hidden vedtak", {"anmodet": 20, "vedtatt_prikket": True}, S.VEDTAK_FATTET, S.UAVKLART),
    ("vedtak, no request", {"vedtatt": 10}, S.VEDTAK_FATTET, S.UAVKLART),
    ("hidden vedtak, settling", {"anmodet": 20, "vedtatt_prikket": True, "bosatt": Tall(3)},
     S.BOSETTING_PAAGAAR, S.UAVKLART),
    # A lower bound never claims completion, even one that reaches the number.
    ("settled: a lower bound", {"anmodet": 20, "vedtatt": 20, "bosatt": Tall(20, 1)}, S.BOSETTING_PAAGAAR,
     S.UAVKLART),
    ("settled: lower bound below", {"anmodet": 20, "vedtatt": 20, "bosatt": Tall(8, 2)}, S.BOSETTING_PAAGAAR,
     S.UAVKLART),
    ("settled: only hidden cells", {"anmodet": 20, "vedtatt": 20, "bosatt": Tall(None, 1)}, S.VEDTAK_FULLT,
     S.UAVKLART),
    # Rolled-up predecessors: 12 known plus a hidden vedtak is not a vedtak of 12.
    ("vedtak partly hidden", {"anmodet": 20, "vedtatt": 12, "vedtatt_prikket": True, "bosatt": Tall(12)},
     S.BOSETTING_PAAGAAR, S.UAVKLART),
    ("vedtak 0 plus a hidden one", {"anmodet": 20, "vedtatt": 0, "vedtatt_prikket": True}, S.VEDTAK_FATTET,
     S.UAVKLART),
]


@pytest.mark.parametrize(("case", "kw", "midt", "over"), CASES, ids=[c[0] for c in CASES])
def test_status_mid_year_and_at_year_end(case, kw, midt, over):
    s = sak(**kw)
    assert s.status(MIDT) == midt
    assert s.status(SISTE) == midt  # 31 December is still the year
    assert s.status(OVER) == over


def test_a_finished_year_is_never_running():
    running = {S.ANMODET, S.AVVENTER, S.BOSETTING_PAAGAAR, S.VEDTAK_FULLT, S.VEDTAK_DELVIS, S.VEDTAK_FATTET}
    assert not {over for _c, _k, _m, over in CASES} & running
    assert not {r.status for r in STATUSREGLER if str(r.naar) == "Når året er over"} & running


def test_every_status_has_a_rule_and_every_case_a_status():
    assert {r.status for r in STATUSREGLER} == set(S)
    assert {m for _c, _k, m, _o in CASES} | {o for _c, _k, _m, o in CASES} == set(S)


def test_never_fullfort_below_the_request():
    """«Anmodningen dekket» only when the settled reach the request; vedtak below the request
    settled in full is «Bosatt etter vedtak», whose text shows the request."""
    s = sak(anmodet=20, vedtatt=12, bosatt=Tall(12))
    assert s.status(OVER) == S.BOSATT_ETTER_VEDTAK
    assert s.status_tekst(OVER) == "Bosatt etter vedtak: 12 av 12 (anmodet 20)"
    assert sak(vedtatt=12, bosatt=Tall(12)).status_tekst(OVER) == "Bosatt etter vedtak: 12 av 12"


@pytest.mark.parametrize(("kw", "tekst"), [
    ({"anmodet": 20, "vedtatt": 20, "bosatt": Tall(12)}, "Ikke nådd: 12 av 20 bosatt"),
    ({"anmodet": 2000, "vedtatt": 1500, "bosatt": Tall(0)}, "Ikke nådd: 0 av 1\u00a0500 bosatt"),
    ({"anmodet": 20, "vedtatt": 20, "bosatt": Tall(8, 2)}, "Uavklart: minst 8 av 20 bosatt (skjulte tall)"),
    ({"anmodet": 20, "vedtatt": 20}, "Uavklart: antall bosatte er ikke registrert (vedtak 20)"),
    ({"anmodet": 20, "vedtatt_prikket": True, "bosatt": Tall(3)}, "Uavklart: vedtaket er skjult"),
    ({"anmodet": 20, "vedtatt": 20, "bosatt": Tall(20)}, "Anmodningen dekket"),
    ({"anmodet": 20, "avventer": True}, "Vedtak mangler (fristen er ute)"),
])
def test_status_text_at_year_end(kw, tekst):
    assert sak(**kw).status_tekst(OVER) == tekst


def test_status_text_mid_year_is_the_label():
    s = sak(anmodet=20, vedtatt=20, bosatt=Tall(12))
    assert s.status_tekst(MIDT) == "Bosetting pågår"
    assert rad_fra_sak(_med_kommune(s), today=OVER).status == "Ikke nådd: 12 av 20 bosatt"


# --- gaps ------------------------------------------------------------------------------------

def test_gap_names_are_the_ones_the_issue_asks_for():
    assert [(g.navn, str(g.formel)) for g in GAP] == [
        ("behov_vedtak", "Nasjonalt behov − vedtak"), ("anmodning_vedtak", "Anmodning − vedtak"),
        ("vedtak_bosatt", "Vedtak − bosatt"), ("anmodning_bosatt", "Anmodning − bosatt")]
    assert len({str(g.tittel) for g in GAP}) == len(GAP)  # one name per gap
    assert [g.navn for g in KOMMUNE_GAP] == ["anmodning_vedtak", "vedtak_bosatt", "anmodning_bosatt"]


@pytest.mark.parametrize(("kw", "ventet"), [
    ({"anmodet": 30, "vedtatt": 20, "bosatt": Tall(15)}, (Tall(10), Tall(5), Tall(15))),
    ({"anmodet": 20, "vedtatt": 25, "bosatt": Tall(30)}, (Tall(-5), Tall(-5), Tall(-10))),  # above: negative
    ({"anmodet": 30}, (Tall(), Tall(), Tall())),  # unknown, never 30 or 0
    ({"anmodet": 30, "vedtatt": 20}, (Tall(10), Tall(), Tall())),  # no settled figure: unknown
    ({"anmodet": 30, "vedtatt": 20, "bosatt": Tall(0)}, (Tall(10), Tall(20), Tall(30))),  # 0 is a figure
    ({"anmodet": 30, "vedtatt_prikket": True, "bosatt": Tall(4)}, (Tall(None, 1), Tall(None, 1), Tall(26))),
    ({"anmodet": 30, "vedtatt": 20, "bosatt": Tall(8, 1)}, (Tall(10), Tall(None, 1), Tall(None, 1))),
    ({"anmodet": 30, "vedtatt": 12, "vedtatt_prikket": True}, (Tall(None, 1), Tall(), Tall())),
    ({"vedtatt": 12, "bosatt": Tall(4)}, (Tall(), Tall(8), Tall())),
])
def test_gap_of_one_kommune(kw, ventet):
    s = sak(**kw)
    assert tuple(s.gap(g.navn) for g in KOMMUNE_GAP) == ventet
    assert (s.gap_anmodning_vedtak, s.gap_vedtak_bosatt, s.gap_anmodning_bosatt) == tuple(t.eksakt for t in ventet)


class _K:
    def __init__(self, nummer):
        self.nummer, self.navn, self.pk, self.fylke = nummer, f"K{nummer}", int(nummer), _F


class _F:
    nummer, navn = "31", "Østfold"


def _med_kommune(s, nummer="3101"):
    s.kommune, s.fylke = _K(nummer), _F
    s.tall = {"vedtak": Tall(s.vedtatt, int(s.vedtatt_prikket))}
    return s


def test_gap_of_a_group_sums_the_kommuner_below():
    """Summed over the kommuner that decided (settled) fewer: a kommune above does not hide
    another's shortfall; one without a vedtak is not in it; a hidden figure makes a lower bound."""
    saker = [
        sak(anmodet=30, vedtatt=20, bosatt=Tall(25)),  # 10 below; settled above vedtak
        sak(anmodet=10, vedtatt=15, bosatt=Tall(5)),  # above the request
        sak(anmodet=40),  # no vedtak: not in the gap
        sak(anmodet=20, vedtatt=20, bosatt=Tall(2, 1)),  # settled hidden
    ]
    rader = [rad_fra_sak(_med_kommune(s, str(3101 + i)), today=MIDT) for i, s in enumerate(saker)]
    total = sum_rad(rader, niva=2, kommune="Hele landet")
    assert total.gap_anmodning_vedtak == Tall(10)
    assert total.gap_vedtak_bosatt == Tall(10, 1)  # 0 + 10, and one hidden
    assert total.gap_anmodning_bosatt == Tall(10, 1)  # 5 + 5, and one hidden
    assert tall_tekst(total.gap_vedtak_bosatt) == "≥ 10 (1 skjult)"
    # The net difference of the sums is not the gap: it would net the kommune above against the others.
    assert total.anmodet.verdi - total.vedtatt.verdi == 45
    assert GAP_FOR["anmodning_vedtak"].samlet([Tall(), Tall()]) == Tall()  # nobody decided: unknown, not 0
    assert GAP_FOR["anmodning_vedtak"].samlet([Tall(-3), Tall(-1)]) == Tall(0)  # everyone above: 0


def test_a_hidden_figure_is_said_in_words():
    """IMDi's «:» means nothing to a reader: a hidden figure says «skjult», several say how many."""
    assert tall_tekst(Tall(None, 1)) == "skjult"
    assert tall_tekst(Tall(None, 3)) == "skjult (3 celler)"
    assert tall_tekst(Tall()) == "" and tall_tekst(Tall(0)) == "0"


def test_national_need_minus_vedtak():
    assert behov_vedtak(13000, Tall(12000)) == Tall(1000)
    assert behov_vedtak(13000, Tall(14000)) == Tall(-1000)  # more decided than needed: not hidden as 0
    assert behov_vedtak(None, Tall(12000)) == Tall() and behov_vedtak(13000, Tall()) == Tall()
    upper = behov_vedtak(13000, Tall(12000, 2))  # some vedtak hidden: the gap is at most 1000
    assert upper.ovre and tall_tekst(upper) == "≤ 1\u00a0000 (2 skjult)"
    with pytest.raises(ValueError):
        GAP_FOR["behov_vedtak"].for_sak(sak(vedtatt=1))
