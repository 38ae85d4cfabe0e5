import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bosetting.choices import SakStatus
from bosetting.models import Bosatt
from bosetting.services import bosatt_register
from bosetting.status import Sak, Tall
from core.models import Endring, Rolle
from tests.factories import kommune, profil_user
from vedtak.choices import AnmodningType
from vedtak.models import Anmodning, Vedtak
from vedtak.rules import request_in_force
from vedtak.services import aar_set_lock, anmodning_register, vedtak_register, vedtak_update

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_current_request_adjusted_replaces_and_supplementary_adds():
    halden = kommune()
    a = anmodning_register(kommune=halden, aar=2025, antall=40, herav_ema=4, dato_sendt=datetime.date(2024, 11, 1))
    b = anmodning_register(kommune=halden, aar=2025, antall=25, type=AnmodningType.JUSTERT,
                           dato_sendt=datetime.date(2025, 5, 1))
    c = anmodning_register(kommune=halden, aar=2025, antall=5, herav_ema=1, type=AnmodningType.TILLEGG,
                           dato_sendt=datetime.date(2025, 8, 1))
    assert request_in_force([c, a, b]) == (30, 1)
    assert Anmodning.objects.filter(kommune=halden, aar=2025).count() == 3  # earlier ones stay


def test_breakdown_larger_than_total_is_refused_and_nothing_written():
    with pytest.raises(ValidationError) as exc:
        anmodning_register(kommune=kommune(), aar=2025, antall=10, herav_ema=11)
    assert "kan ikke være større enn totalen" in str(exc.value)
    assert not Anmodning.objects.exists() and not Endring.objects.exists()


def test_blank_is_unknown_not_zero():
    b = bosatt_register(kommune=kommune(), aar=2025, maaned=3, antall=4, herav_ema=None)
    b.refresh_from_db()
    assert b.herav_ema is None and b.antall == 4


def test_later_vedtak_supersedes_earlier_which_stays_visible():
    halden = kommune()
    first = vedtak_register(kommune=halden, aar=2025, antall=20, dato=datetime.date(2025, 1, 10))
    second = vedtak_register(kommune=halden, aar=2025, antall=30, dato=datetime.date(2025, 3, 10))
    first.refresh_from_db()
    assert first.erstattet_av == second and second.er_gjeldende
    assert list(Vedtak.objects.filter(kommune=halden, erstattet_av__isnull=True)) == [second]
    assert Endring.objects.filter(handling="vedtak.erstattet", object_id=str(first.pk)).exists()


def test_vedtak_in_the_future_is_refused():
    with pytest.raises(ValidationError, match="fram i tid"):
        vedtak_register(kommune=kommune(), aar=2025, antall=5, dato=datetime.date.today() + datetime.timedelta(1))


def test_vedtak_warns_about_reservations():
    v = vedtak_register(kommune=kommune(), aar=2025, antall=5, vilkaar="30 personer inkludert familiegjenforente")
    assert v.forbehold


def test_vedtak_edit_records_old_and_new_values_and_user():
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune()])
    v = vedtak_register(kommune=kommune(), aar=2025, antall=20, by=user)
    vedtak_update(vedtak=v, antall=25, saksnummer="25/123", by=user)
    entry = Endring.objects.filter(handling="vedtak.endret").get()
    assert entry.bruker == user
    assert entry.endringer["antall"] == [20, 25]
    assert entry.endringer["saksnummer"] == ["", "25/123"]


def test_kommune_user_cannot_write_another_kommune():
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")])
    with pytest.raises(PermissionDenied):
        vedtak_register(kommune=kommune("3101"), aar=2025, antall=5, by=user)
    assert not Vedtak.objects.exists()


def test_locked_year_refuses_changes_until_unlocked():
    aar_set_lock(aar=2024, laast=True)
    with pytest.raises(ValidationError, match="låst"):
        bosatt_register(kommune=kommune(), aar=2024, maaned=5, antall=3)
    aar_set_lock(aar=2024, laast=False)
    bosatt_register(kommune=kommune(), aar=2024, maaned=5, antall=3)
    assert Bosatt.objects.count() == 1
    assert list(Endring.objects.filter(aar=2024).values_list("handling", flat=True).order_by("id")) == [
        "aar.laast", "aar.laast_opp", "bosatt.registrert"]


@pytest.mark.parametrize(
    ("sak", "status"),
    [  # the year 2026 is running on TODAY (every rule at both ends of the year: test_status.py)
        (Sak(None, 2026), SakStatus.IKKE_ANMODET),
        (Sak(None, 2026, anmodet=20, svarfrist=datetime.date(2026, 12, 1)), SakStatus.ANMODET),
        (Sak(None, 2026, anmodet=20, svarfrist=datetime.date(2026, 2, 25)), SakStatus.VEDTAK_MANGLER),
        (Sak(None, 2026, anmodet=20, avventer=True), SakStatus.AVVENTER),
        (Sak(None, 2026, anmodet=20, vedtatt=0), SakStatus.AVSLAATT),
        (Sak(None, 2026, anmodet=20, vedtatt=10), SakStatus.VEDTAK_DELVIS),
        (Sak(None, 2026, anmodet=20, vedtatt=20), SakStatus.VEDTAK_FULLT),
        (Sak(None, 2026, anmodet=20, vedtatt=25, bosatt=Tall(5)), SakStatus.BOSETTING_PAAGAAR),
        (Sak(None, 2026, anmodet=20, vedtatt=25, bosatt=Tall(25)), SakStatus.ANMODNING_DEKKET),
        (Sak(None, 2026, anmodet=20, vedtatt=25, bosatt=Tall(30)), SakStatus.ANMODNING_DEKKET),
        (Sak(None, 2026, anmodet=20, vedtatt=15, bosatt=Tall(15)), SakStatus.BOSATT_ETTER_VEDTAK),
    ],
)
def test_derived_status(sak, status):
    assert sak.status(TODAY) == status


def test_gaps_and_share():
    sak = Sak(None, 2025, anmodet=30, vedtatt=20, bosatt=Tall(15))
    assert (sak.gap_anmodning_vedtak, sak.gap_vedtak_bosatt, sak.andel_bosatt) == (10, 5, 0.75)
    assert Sak(None, 2025, anmodet=30).gap_anmodning_vedtak is None  # unknown, not 30


def test_tall_sum_with_suppressed_cells_is_a_lower_bound():
    total = Tall(10) + Tall(None, 1) + Tall(3)
    assert total.verdi == 13 and total.er_nedre_grense and total.skjulte == 1
