"""The estimate (okonomi.beregning): worked examples by hand, unknown and suppressed counts, the
rate year's fallback, the KS scenario and the sums per fylke and for the country.

Worked example (2014 rates, seeded from okonomi/data/satser.csv):
    Halden (0101 in 2014, today's 3101) was requested 10 and settled 10 in 2014.
    grant, lower variant (all as «andre voksne og barn»): 10 × 669 600 = 6 696 000 kr
    grant, upper variant (all as «enslige voksne»):       10 × 717 600 = 7 176 000 kr
    cost (Beregningsutvalget):                            10 × 767 140 = 7 671 400 kr
    difference:                           6 696 000 − 7 671 400 = −975 400 kr
    difference, upper variant:            7 176 000 − 7 671 400 = −495 400 kr
    KS' proposal on (10 settled ≥ 10 requested):          10 × 25 000  =   250 000 kr
        grant 6 696 000 + 250 000 = 6 946 000; difference 6 946 000 − 7 671 400 = −725 400 kr
"""

import datetime

import pytest

from bosetting.models import Bosatt
from bosetting.oversikt import tall_tekst
from bosetting.services import bosatt_register
from bosetting.status import Tall
from core.models import Rolle
from kommuner.models import Fylke, Kommune, Statsforvalter
from okonomi import beregning
from okonomi.choices import Kategori
from okonomi.models import Kostnadsanslag, Tilskuddssats
from tests.factories import profil_user
from vedtak.services import anmodning_register

pytestmark = pytest.mark.django_db


def _k(nummer):
    return Kommune.objects.get(nummer=nummer)


def _sett(nummer, aar, *, anmodet=None, bosatt=None):
    k = _k(nummer)
    if anmodet is not None:
        anmodning_register(kommune=k, aar=aar, antall=anmodet, dato_sendt=datetime.date(aar - 1, 11, 1))
    if bosatt is not None:
        bosatt_register(kommune=k, aar=aar, maaned=0, antall=bosatt)


def _anslag(nummer, aar, ks=False):
    (sak,) = [s for s in beregning.saker_for_aar(aar, Kommune.objects.filter(nummer=nummer))
              if s.kommune.nummer == nummer]
    return beregning.anslag_for_sak(sak, beregning.satser_for(aar), ks=ks)


def test_worked_example_2014_by_hand():
    _sett("0101", 2014, anmodet=10, bosatt=10)  # rolls up into today's Halden 3101
    a = _anslag("3101", 2014)
    assert a.personer == Tall(10)
    assert a.tilskudd == Tall(6_696_000)
    assert a.tilskudd_hoy == Tall(7_176_000)
    assert a.kostnad == Tall(7_671_400)
    assert a.differanse == Tall(-975_400)
    assert a.differanse_hoy == Tall(-495_400)
    assert a.ks_tillegg is None  # scenario off

    med = _anslag("3101", 2014, ks=True)
    assert med.ks == beregning.KS_OPPFYLT
    assert med.ks_tillegg == Tall(250_000)
    assert med.tilskudd == Tall(6_946_000)
    assert med.differanse == Tall(-725_400)
    assert med.kostnad == a.kostnad  # the scenario changes the grant, not the cost


def test_scenario_gives_nothing_below_the_request_or_without_one():
    _sett("3101", 2014, anmodet=12, bosatt=10)
    under = _anslag("3101", 2014, ks=True)
    assert under.ks == beregning.KS_UNDER and under.ks_tillegg == Tall(0)
    assert under.tilskudd == Tall(6_696_000)

    _sett("3103", 2014, bosatt=10)  # no request registered
    ukjent = _anslag("3103", 2014, ks=True)
    assert ukjent.ks == beregning.KS_UKJENT and ukjent.ks_ukjent == 1
    assert ukjent.ks_tillegg.verdi is None  # not counted, and not shown as 0
    assert ukjent.tilskudd == Tall(6_696_000)


def test_unknown_settled_count_gives_unknown_amounts():
    _sett("3101", 2014, anmodet=10)
    a = _anslag("3101", 2014)
    for t in (a.personer, a.tilskudd, a.kostnad, a.differanse):
        assert t.verdi is None and not t.skjulte
        assert tall_tekst(t) == ""  # the page writes «ukjent», never 0
    assert a.uten_bosatte == 1


def test_suppressed_count_is_hidden_or_a_bound():
    b = bosatt_register(kommune=_k("3101"), aar=2014, maaned=0, antall=3)
    Bosatt.objects.filter(pk=b.pk).update(antall=None, prikket=["antall"])
    a = _anslag("3101", 2014)
    assert a.tilskudd == Tall(None, 1) and tall_tekst(a.tilskudd) == "skjult"
    assert a.differanse.verdi is None and tall_tekst(a.differanse) == "skjult"
    # In a sum with a known kommune, the hidden persons can only lower the difference: «≤», not «≥».
    _sett("3105", 2014, bosatt=10)
    sarpsborg = _anslag("3105", 2014)
    total = beregning.samlet([a, sarpsborg], navn="Sum")
    assert total.differanse == Tall(-975_400, 1, ovre=True)
    assert tall_tekst(total.differanse) == "≤ -975\xa0400 (1 skjult)"
    assert tall_tekst(total.tilskudd) == "≥ 6\xa0696\xa0000 (1 skjult)"

    # Four known in March, April hidden: the amounts are lower bounds, the difference an upper one
    # (each hidden person costs 767 140 − 669 600 = 97 540 kr more than it brings).
    bosatt_register(kommune=_k("3103"), aar=2014, maaned=3, antall=4)
    b = bosatt_register(kommune=_k("3103"), aar=2014, maaned=4, antall=2)
    Bosatt.objects.filter(pk=b.pk).update(antall=None, prikket=["antall"])
    a = _anslag("3103", 2014)
    assert a.tilskudd == Tall(4 * 669_600, 1) and tall_tekst(a.tilskudd) == "≥ 2\xa0678\xa0400 (1 skjult)"
    assert a.kostnad == Tall(4 * 767_140, 1)
    assert a.differanse == Tall(-390_160, 1, ovre=True)
    assert tall_tekst(a.differanse) == "≤ -390\xa0160 (1 skjult)"


def test_rate_year_falls_back_to_the_newest_earlier_rates():
    s = beregning.satser_for(2025)
    assert (s.lav.aar, s.lav.belop, s.hoy.belop, s.kostnad.belop, s.ks_tillegg.belop) == (
        2014, 669_600, 717_600, 767_140, 25_000)
    assert any("satser fra 2014; nyere satser er ikke registrert" in m for m in s.merknader())

    s = beregning.satser_for(2014)
    assert s.merknader() == []  # the year's own rates: nothing to say

    # 2012: the 2009 rates (adults 551 500, children 531 500), no cost estimate that early.
    s = beregning.satser_for(2012)
    assert (s.lav.aar, s.lav.belop, s.hoy.belop, s.kostnad) == (2009, 531_500, 551_500, None)
    assert any("ingen satser er registrert for 2012" in m for m in s.merknader())

    s = beregning.satser_for(2005)
    assert s.lav is None and s.kostnad is None


def test_newer_rates_win_and_per_year_rows_are_summed_only_when_complete():
    Tilskuddssats.objects.create(gyldig_aar=2025, kategori=Kategori.ANDRE, belop=700_000, kilde="Test")
    for n, belop in enumerate((250_000, 200_000, 150_000, 100_000, 100_000), start=1):
        Tilskuddssats.objects.create(gyldig_aar=2025, kategori=Kategori.ENSLIG_VOKSEN, bosettingsaar=n,
                                     belop=belop, kilde="Test")
    # Only years 1–2 for unaccompanied minors: no five-year amount, so the category is not used.
    for n in (1, 2):
        Tilskuddssats.objects.create(gyldig_aar=2025, kategori=Kategori.ENSLIG_MINDREAARIG, bosettingsaar=n,
                                     belop=900_000, kilde="Test")
    Kostnadsanslag.objects.create(aar=2024, kroner_per_person=900_000, kilde="Test")
    s = beregning.satser_for(2026)
    assert (s.lav.aar, s.lav.belop, s.hoy.belop) == (2025, 700_000, 800_000)
    assert (s.kostnad.aar, s.kostnad.belop) == (2024, 900_000)
    assert s.ks_tillegg.aar == 2014  # KS' extra falls back on its own
    _sett("3101", 2026, bosatt=2)
    a = _anslag("3101", 2026)
    assert (a.tilskudd, a.kostnad, a.differanse) == (Tall(1_400_000), Tall(1_800_000), Tall(-400_000))


def test_sums_per_fylke_and_nation_from_the_kommune_rows():
    _sett("3101", 2014, anmodet=10, bosatt=10)
    _sett("3103", 2014, anmodet=5, bosatt=5)
    _sett("4601", 2014, anmodet=20, bosatt=20)
    admin = profil_user(Rolle.ADMINISTRATOR)
    o = beregning.nasjonal(admin, 2014)
    assert o.hele_landet
    assert o.sum.personer == Tall(35) and o.sum.tilskudd == Tall(35 * 669_600)
    assert o.sum.differanse == Tall(35 * (669_600 - 767_140))
    rad = {r.nummer: r for r in o.rader}
    assert rad["31"].personer == Tall(15) and rad["46"].personer == Tall(20)
    assert o.sum.uten_bosatte == sum(r.uten_bosatte for r in o.rader) == Kommune.objects.gjeldende().count() - 3

    f = beregning.fylke(admin, Fylke.objects.get(nummer="31"), 2014, ks=True)
    assert f.sum.personer == Tall(15) and f.sum.ks_tillegg == Tall(15 * 25_000)
    assert f.sum.tilskudd == Tall(15 * 694_600)


def test_sums_never_hold_kommuner_outside_the_scope():
    _sett("3101", 2014, bosatt=10)
    _sett("3103", 2014, bosatt=5)
    _sett("4601", 2014, bosatt=20)
    kommune_user = profil_user(Rolle.KOMMUNE, kommuner=[_k("3101")])
    o = beregning.nasjonal(kommune_user, 2014)
    assert not o.hele_landet
    assert [r.nummer for r in o.rader] == ["31"]
    assert o.sum.personer == Tall(10) and o.sum.antall_kommuner == 1

    office = Statsforvalter.objects.get(navn="Statsforvalteren i Østfold, Buskerud, Oslo og Akershus")
    sf = profil_user(Rolle.STATSFORVALTER, statsforvalter=office)
    o = beregning.nasjonal(sf, 2014)
    assert o.sum.personer == Tall(15)
    assert "46" not in {r.nummer for r in o.rader}
    f = beregning.fylke(kommune_user, Fylke.objects.get(nummer="31"), 2014)
    assert [r.nummer for r in f.rader] == ["3101"] and f.sum.personer == Tall(10)


def test_summer_keeps_bounds_only_when_they_agree():
    assert beregning.summer([Tall(5), Tall(-3, 1, ovre=True)]) == Tall(2, 1, ovre=True)
    assert beregning.summer([Tall(5, 1), Tall(-3, 1, ovre=True)]) == Tall(None, 2)
    assert beregning.summer([Tall(), Tall(4)]) == Tall(4)
    assert beregning.summer([Tall(), Tall()]) == Tall()
