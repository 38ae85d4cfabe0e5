"""/kommuner/ opens on the user's own kommuner; a switch widens to the country, and then only the
kommuner the user may open are links. The fylke choice offers today's fylker unless historic."""

import pytest
from django.urls import reverse

from core.models import Rolle
from kommuner.models import Fylke, Kommune, Statsforvalter
from tests.factories import kommune, profil_user
from tests.test_access_matrix import OFFICE

pytestmark = pytest.mark.django_db
LIST = reverse("kommuner:kommune_list")


def _rows(response):
    return list(response.context["table"].page.object_list)


def test_a_kommune_user_starts_on_their_own_kommune(client, register):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    response = client.get(LIST)
    assert [r.record.nummer for r in _rows(response)] == ["3101"]
    html = response.content.decode()
    assert 'id="egne-kommuner"' in html and 'name="hele_landet"' in html
    assert f'href="{kommune("3101").get_absolute_url()}"' in html


def test_widened_a_kommune_user_sees_the_country_with_links_only_to_their_own(client, register):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    response = client.get(LIST, {"hele_landet": "on", "q": "3"})
    assert response.context["table"].paginator.count > 1
    html = response.content.decode()
    assert 'id="egne-kommuner"' not in html
    assert f'href="{kommune("3101").get_absolute_url()}"' in html
    assert f'href="{kommune("3103").get_absolute_url()}"' not in html and ">3103<" in html  # Moss: no link
    assert client.get(kommune("3103").get_absolute_url()).status_code == 404  # which is why


def test_an_office_starts_on_its_own_kommuner(client, register):
    office = Statsforvalter.objects.get(navn=OFFICE)
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=office))
    response = client.get(LIST, {"per_page": 100})
    own = Kommune.objects.filter(fylke__statsforvalter=office, gyldig_til__isnull=True)
    assert response.context["table"].paginator.count == own.count()
    assert {r.record.pk for r in _rows(response)} <= set(own.values_list("pk", flat=True))


def test_a_national_reader_sees_the_country_without_a_switch(client, register):
    client.force_login(profil_user(Rolle.KS))
    response = client.get(LIST)
    assert response.context["table"].paginator.count == 357
    assert 'name="hele_landet"' not in response.content.decode()


def test_fylke_choices_are_todays_unless_historic(client, register):
    client.force_login(profil_user(Rolle.KS))
    former = Fylke.objects.filter(gyldig_til__isnull=False).first()
    assert former is not None
    today = response_choices(client.get(LIST))
    assert str(former.pk) not in today and len(today) == Fylke.objects.filter(gyldig_til__isnull=True).count()
    assert str(former.pk) in response_choices(client.get(LIST, {"historiske": "on"}))


def response_choices(response):
    field = response.context["filter"].form.fields["fylke"]
    return {str(v) for v, _label in field.choices if v}


def test_overview_fylke_choices_are_todays_unless_historic(client, register):
    client.force_login(profil_user(Rolle.KS))
    former = Fylke.objects.filter(gyldig_til__isnull=False).first()
    url = reverse("rapporter:oversikt")
    today = response_choices(client.get(url, {"aar": 2025}))
    assert str(former.pk) not in today and len(today) == Fylke.objects.filter(gyldig_til__isnull=True).count()
    assert str(former.pk) in response_choices(client.get(url, {"aar": 2016, "historisk": "on"}))
