"""Defect 4 (issue 16): a date out of range is refused everywhere, and one already in the
database (legacy data) does not stop the rules or the reminder sweep."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from oppfolging.choices import Regel
from oppfolging.forms import DialogForm
from oppfolging.models import Oppfolgingspunkt
from oppfolging.reminders import sweep
from oppfolging.rules import rules_run
from tests.factories import kommune
from vedtak.forms import AnmodningForm
from vedtak.models import Anmodning
from vedtak.services import anmodning_register, vedtak_register

from .helpers import halden, sf_user, utc

pytestmark = pytest.mark.django_db

AAR = datetime.date.today().year
TODAY = datetime.date(AAR, 7, 2)
MELDING = "Datoen må være mellom 01.01.2010 og 31.12.2040."


def test_form_refuses_a_request_dated_9999():
    form = AnmodningForm(data={"aar": AAR, "type": "ordinaer", "antall": 10, "dato_sendt": "9999-12-31"})
    assert not form.is_valid()
    assert form.errors["dato_sendt"] == [MELDING]


def test_service_refuses_a_request_dated_9999():
    with pytest.raises(ValidationError) as exc:
        anmodning_register(kommune=halden(), aar=AAR, antall=10, dato_sendt=datetime.date(9999, 12, 31))
    assert exc.value.message_dict["dato_sendt"] == [MELDING]
    assert not Anmodning.objects.exists()


def test_service_refuses_a_vedtak_dated_before_2010():
    with pytest.raises(ValidationError) as exc:
        vedtak_register(kommune=halden(), aar=AAR, antall=10, dato=datetime.date(1900, 1, 1))
    assert MELDING in exc.value.message_dict["dato"]


def test_dialog_form_refuses_a_date_out_of_range():
    form = DialogForm(data={"dato": "9999-12-31"}, user=sf_user())
    form.is_valid()
    assert form.errors["dato"] == [MELDING]


def _legacy_bad_request(k):
    a = anmodning_register(kommune=k, aar=AAR, antall=20, dato_sendt=datetime.date(AAR, 1, 5))
    Anmodning.objects.filter(pk=a.pk).update(dato_sendt=datetime.date(9999, 12, 31))


def test_a_bad_date_in_the_database_does_not_stop_the_rules(caplog):
    office = sf_user(email="a@example.no")
    _legacy_bad_request(halden())
    moss = kommune("3103")
    anmodning_register(kommune=moss, aar=AAR, antall=20, dato_sendt=datetime.date(AAR, 1, 5))
    result = rules_run(today=TODAY)
    assert result["feil"] == 1
    points = Oppfolgingspunkt.objects.filter(regel=Regel.INGEN_VEDTAK)
    assert [(p.ansvarlig, p.kommune) for p in points] == [(office, moss)]
    assert "ingen_vedtak" in caplog.text and str(halden().pk) in caplog.text


def test_a_bad_date_in_the_database_does_not_stop_the_sweep():
    sf_user(email="a@example.no")
    _legacy_bad_request(halden())
    moss = kommune("3103")
    anmodning_register(kommune=moss, aar=AAR, antall=20, dato_sendt=datetime.date(AAR, 1, 5))
    result = sweep(now=utc(AAR, 7, 2, 8), enqueue=None)
    assert result["feil"] == 1 and result["regler"]["feil"] == 1
    assert Oppfolgingspunkt.objects.filter(regel=Regel.INGEN_VEDTAK, kommune=moss).count() == 1
