import pytest

from kommuner.models import Fylke, Kommune, KommuneEndring, KommuneOvergang, Statsforvalter
from kommuner.services import (
    FlertydigKommunenavn,
    KommuneIkkeFunnet,
    kommune_find_by_name,
    kommune_resolve,
    normalise_kommunenummer,
    register_load,
)

pytestmark = pytest.mark.django_db


def test_current_register_counts():
    assert Kommune.objects.gjeldende().count() == 357
    assert Fylke.objects.gjeldende().count() == 15
    assert Statsforvalter.objects.count() == 10


def test_every_current_kommune_reaches_exactly_one_office():
    rows = Kommune.objects.gjeldende().values_list("nummer", "fylke__statsforvalter")
    assert len(rows) == 357
    assert all(office is not None for _, office in rows)
    # Each office covers at least one kommune, and the fylke → office mapping is a function.
    assert {office for _, office in rows} == set(Statsforvalter.objects.values_list("pk", flat=True))


def test_historic_kommuner_since_2014_are_kept_with_validity():
    askim = Kommune.objects.get(nummer="0124")
    assert askim.navn == "Askim"
    assert not askim.er_gjeldende
    assert str(askim.gyldig_til) == "2019-12-31"
    assert askim.fylke.nummer == "01" and askim.fylke.navn == "Østfold"
    assert [k.nummer for k in askim.gjeldende.all()] == ["3118"]
    # Indre Østfold is today's kommune and has all five predecessors (via 3014).
    indre = Kommune.objects.get(nummer="3118")
    assert {"0124", "0125", "0138", "0123", "0122"} <= set(indre.historiske.values_list("nummer", flat=True))


@pytest.mark.parametrize("nummer", ["0101", "3001", "101", 101, " 3101 "])
def test_halden_numbers_resolve_to_3101(nummer):
    oppslag = kommune_resolve(nummer)
    assert [k.nummer for k in oppslag.gjeldende] == ["3101"]
    assert not oppslag.delt


def test_romskog_resolves_to_aurskog_holand_in_akershus():
    oppslag = kommune_resolve("0121")
    assert [k.nummer for k in oppslag.gjeldende] == ["3226"]
    assert oppslag.gjeldende[0].fylke.navn == "Akershus"
    assert not oppslag.kommune.kun_omnummerert  # merged, not renumbered


def test_split_kommune_resolves_to_all_successors_and_says_so():
    oppslag = kommune_resolve("1507")
    assert [k.nummer for k in oppslag.gjeldende] == ["1508", "1580"]
    assert oppslag.delt


def test_renumbering_only_is_flagged_but_merges_are_not():
    assert Kommune.objects.get(nummer="3001").kun_omnummerert
    assert Kommune.objects.get(nummer="0101").kun_omnummerert
    assert not Kommune.objects.get(nummer="0124").kun_omnummerert  # Askim merged
    assert not Kommune.objects.get(nummer="1507").kun_omnummerert  # Ålesund split
    assert not Kommune.objects.get(nummer="3101").kun_omnummerert  # current


def test_unknown_number_is_a_clear_error():
    with pytest.raises(KommuneIkkeFunnet, match="9998"):
        kommune_resolve("9998")
    with pytest.raises(KommuneIkkeFunnet, match="ikke et kommunenummer"):
        normalise_kommunenummer("Halden")


def test_name_lookup_of_valer_needs_the_fylke():
    with pytest.raises(FlertydigKommunenavn) as exc:
        kommune_find_by_name("Våler")
    assert {k.nummer for k in exc.value.kandidater} == {"3114", "3419"}
    assert "oppgi fylke" in str(exc.value)
    assert kommune_find_by_name("Våler", fylke="Østfold").nummer == "3114"
    assert kommune_find_by_name("Våler", fylke="34").nummer == "3419"
    assert kommune_find_by_name("Våler (Østfold)", fylke="01", aar=2014).nummer == "0137"


def test_name_lookup_accepts_sami_forms_and_historic_years():
    assert kommune_find_by_name("Kautokeino").nummer == "5612"
    assert kommune_find_by_name("Guovdageaidnu").nummer == "5612"
    assert kommune_find_by_name("Rømskog", fylke="Østfold", aar=2014).nummer == "0121"
    with pytest.raises(KommuneIkkeFunnet):
        kommune_find_by_name("Rømskog")  # not a kommune today


def test_reload_is_idempotent():
    before = {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (Statsforvalter, Fylke, Kommune, KommuneOvergang, KommuneEndring)
    }
    result = register_load()
    assert result.changed == 0
    assert result.unchanged["kommune"] == Kommune.objects.count() == 842
    after = {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (Statsforvalter, Fylke, Kommune, KommuneOvergang, KommuneEndring)
    }
    assert before == after


def test_reload_repairs_a_changed_row():
    Kommune.objects.filter(nummer="3101").update(navn="Feil navn")
    result = register_load()
    assert result.updated["kommune"] == 1
    assert Kommune.objects.get(nummer="3101").navn == "Halden"


def test_load_kommuner_command_reports_nothing_changed_on_second_run(capsys):
    from django.core.management import call_command

    call_command("load_kommuner")
    out = capsys.readouterr().out
    assert "ingenting endret" in out
    assert "kommune: 0 nye, 0 endret, 0 slettet, 842 uendret" in out
