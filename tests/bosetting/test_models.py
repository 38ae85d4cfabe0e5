"""Model validation and the derived status of a kommune-year, end to end through the
services and the selector."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bosetting.choices import SakStatus
from bosetting.models import Aarsaker, Bolig, Bosatt
from bosetting.selectors import saker_for_aar
from bosetting.services import bosatt_register
from kommuner.models import Kommune
from tests.factories import kommune
from vedtak.choices import Utfall, VedtakStatus
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak
from vedtak.services import anmodning_register, vedtak_register

pytestmark = pytest.mark.django_db
PAST = datetime.date(2025, 3, 1)
MIDT = datetime.date(2025, 6, 1)  # 2025 running
OVER = datetime.date(2026, 1, 1)  # 2025 over


def _sak(aar=2025):
    return saker_for_aar(aar, Kommune.objects.filter(nummer="3101"))[0]


@pytest.mark.parametrize("obj, field, message", [
    (lambda k: Anmodning(kommune=k, aar=2025, antall=10, herav_ema=4, ema_under_15=3, ema_15_18=2),
     "ema_15_18", "til sammen"),
    (lambda k: Anmodning(kommune=k, aar=2025, antall=10, dato_sendt=datetime.date(2025, 2, 1),
                         svarfrist=datetime.date(2025, 1, 1)), "svarfrist", "før"),
    (lambda k: Anmodning(kommune=k, aar=2009, antall=10), "aar", ""),
    (lambda k: Bosatt(kommune=k, aar=2025, maaned=13, antall=1), "maaned", ""),
    (lambda k: Bosatt(kommune=k, aar=datetime.date.today().year + 1, maaned=1, antall=1), "maaned", "ikke har begynt"),
    (lambda k: Bosatt(kommune=k, aar=2025, maaned=1, antall=2, herav_kollektiv=3), "herav_kollektiv", "større"),
    (lambda k: Bolig(kommune=k, aar=2025, virkemidler=["gull"]), "virkemidler", "Ukjent"),
    (lambda k: Aarsaker(kommune=k, aar=2025, aarsaker=["vaer"]), "aarsaker", "Ukjent"),
    (lambda k: Vedtak(kommune=k, aar=2025, status=VedtakStatus.AVVENTER, antall=5), "antall", "avventes"),
    (lambda k: Vedtak(kommune=k, aar=2025, antall=5, aar_til=2024), "aar_til", "før"),
    (lambda k: Vedtak(kommune=k, aar=2025), "antall", "Oppgi antall"),
])
def test_model_validation(obj, field, message):
    with pytest.raises(ValidationError) as exc:
        obj(kommune()).full_clean()
    assert field in exc.value.message_dict
    assert message in " ".join(exc.value.message_dict[field])


def test_behov_ema_within_total():
    with pytest.raises(ValidationError):
        Bosettingsbehov(aar=2025, antall=10, herav_ema=11).full_clean()


def test_vedtak_anmodning_of_other_kommune_refused():
    a = anmodning_register(kommune=kommune("0301"), aar=2025, antall=10)
    with pytest.raises(ValidationError, match="annen kommune"):
        vedtak_register(kommune=kommune(), aar=2025, antall=5, anmodning=a)


def test_status_not_requested():
    assert _sak().status(MIDT) == _sak().status(OVER) == SakStatus.IKKE_ANMODET


def test_status_requested_then_deadline_passed():
    anmodning_register(kommune=kommune(), aar=2025, antall=20, svarfrist=datetime.date(2025, 2, 1))
    assert _sak().status(today=datetime.date(2025, 1, 15)) == SakStatus.ANMODET
    assert _sak().status(today=datetime.date(2025, 2, 2)) == SakStatus.VEDTAK_MANGLER


def test_status_declined():
    anmodning_register(kommune=kommune(), aar=2025, antall=20)
    v = vedtak_register(kommune=kommune(), aar=2025, antall=0, dato=PAST)
    assert _sak().status(MIDT) == _sak().status(OVER) == SakStatus.AVSLAATT and v.utfall_mot(20) == Utfall.AVSLAATT
    assert _sak().gap_anmodning_vedtak == 20


def test_status_partial_full_overfulfilled_in_progress_done():
    anmodning_register(kommune=kommune(), aar=2025, antall=20)
    vedtak_register(kommune=kommune(), aar=2025, antall=15, dato=PAST)
    assert _sak().status(MIDT) == SakStatus.VEDTAK_DELVIS
    vedtak_register(kommune=kommune(), aar=2025, antall=25, dato=PAST)  # more than requested
    sak = _sak()
    assert sak.status(MIDT) == SakStatus.VEDTAK_FULLT and sak.gap_anmodning_vedtak == -5
    assert sak.vedtak.utfall_mot(sak.anmodet) == Utfall.FLERE
    bosatt_register(kommune=kommune(), aar=2025, maaned=1, antall=10)
    sak = _sak()
    assert sak.status(MIDT) == SakStatus.BOSETTING_PAAGAAR and sak.gap_vedtak_bosatt == 15 and sak.andel_bosatt == 0.4
    assert sak.status(OVER) == SakStatus.IKKE_NAADD and sak.status_tekst(OVER) == "Ikke nådd: 10 av 25 bosatt"
    bosatt_register(kommune=kommune(), aar=2025, maaned=2, antall=20)
    sak = _sak()
    assert sak.status(MIDT) == SakStatus.ANMODNING_DEKKET and sak.gap_vedtak_bosatt == -5  # overfulfilled
    assert sak.status(OVER) == SakStatus.ANMODNING_DEKKET


def test_vedtak_below_request_settled_is_not_the_request_covered():
    anmodning_register(kommune=kommune(), aar=2025, antall=20)
    vedtak_register(kommune=kommune(), aar=2025, antall=12, dato=PAST)
    bosatt_register(kommune=kommune(), aar=2025, maaned=3, antall=12)
    sak = _sak()
    assert sak.status(MIDT) == sak.status(OVER) == SakStatus.BOSATT_ETTER_VEDTAK
    assert sak.status_tekst(OVER) == "Bosatt etter vedtak: 12 av 12 (anmodet 20)"


def test_hidden_settled_cell_never_claims_done():
    anmodning_register(kommune=kommune(), aar=2025, antall=5)
    vedtak_register(kommune=kommune(), aar=2025, antall=5, dato=PAST)
    bosatt_register(kommune=kommune(), aar=2025, maaned=1, antall=5)
    Bosatt.objects.create(kommune=kommune(), aar=2025, maaned=2, antall=None, prikket=["antall"])
    assert _sak().status(MIDT) == SakStatus.BOSETTING_PAAGAAR and _sak().bosatt.skjulte == 1
    assert _sak().status(OVER) == SakStatus.UAVKLART
    assert _sak().status_tekst(OVER) == "Uavklart: minst 5 av 5 bosatt (skjulte tall)"


def test_blank_vs_zero_settled():
    anmodning_register(kommune=kommune(), aar=2025, antall=5)
    vedtak_register(kommune=kommune(), aar=2025, antall=5, dato=PAST)
    bosatt_register(kommune=kommune(), aar=2025, maaned=1, antall=None)
    assert _sak().bosatt.verdi is None and _sak().gap_vedtak_bosatt is None
    bosatt_register(kommune=kommune(), aar=2025, maaned=1, antall=0)
    assert _sak().bosatt.verdi == 0 and _sak().gap_vedtak_bosatt == 5
