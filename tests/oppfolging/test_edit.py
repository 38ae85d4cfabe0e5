"""Issue 15: a dialogue can be changed and its follow-ups given a new text, owner or due date,
with history; the owner must be someone who can see the kommune."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Endring, Rolle
from oppfolging import services
from oppfolging.forms import owner_choices
from oppfolging.models import Dialog
from tests.factories import kommune, profil_user

from .helpers import ks_user, punkt, sf_user

pytestmark = pytest.mark.django_db
FRIST = datetime.date(2026, 12, 1)
DATO = datetime.date(2026, 11, 2)


def _dialog(*kommuner, by=None):
    return services.dialog_register(kommuner=list(kommuner), dato=DATO, type="telefon", sammendrag="Første samtale",
                                    by=by)


def _edit(dialog, by, **changes):
    data = {"kommuner": list(dialog.kommuner.all()), "dato": dialog.dato, "type": dialog.type,
                "sammendrag": dialog.sammendrag, "deltakere": list(dialog.deltakere.all()), "aar": dialog.aar}
    data.update(changes)
    return services.dialog_update(dialog=dialog, by=by, **data)


def test_owner_choices_are_the_people_who_see_the_kommune():
    halden, bergen = kommune("3101"), kommune("4601")
    sf = sf_user(halden)
    ks = ks_user()
    own = profil_user(Rolle.KOMMUNE, kommuner=[halden])
    other = profil_user(Rolle.KOMMUNE, kommuner=[bergen])
    sf_bergen = sf_user(bergen)
    chosen = set(owner_choices(halden))
    assert {sf, ks, own} <= chosen
    assert other not in chosen and sf_bergen not in chosen


def test_dialog_update_writes_history_for_each_kommune_with_names():
    halden, moss = kommune("3101"), kommune("3103")
    sf = sf_user(halden)
    dialog = _dialog(halden, by=sf)
    _edit(dialog, sf, kommuner=[halden, moss], sammendrag="Avtalt 10 plasser til")
    dialog.refresh_from_db()
    assert dialog.sammendrag == "Avtalt 10 plasser til"
    assert set(dialog.kommuner.all()) == {halden, moss}
    entries = Endring.objects.filter(handling="dialog.endret")
    assert {e.kommune_id for e in entries} == {halden.pk, moss.pk}
    changes = entries[0].endringer
    assert changes["sammendrag"] == ["Første samtale", "Avtalt 10 plasser til"]
    assert changes["kommuner"] == ["Halden", "Halden, Moss"]
    assert all(e.bruker == sf for e in entries)


def test_unchanged_dialog_writes_no_history():
    sf = sf_user()
    dialog = _dialog(kommune("3101"), by=sf)
    _edit(dialog, sf)
    assert not Endring.objects.filter(handling="dialog.endret").exists()


def test_dialog_with_a_kommune_out_of_scope_cannot_be_changed(client):
    halden, bergen = kommune("3101"), kommune("4601")
    dialog = _dialog(halden, bergen)  # by the system
    sf = sf_user(halden)
    with pytest.raises(PermissionDenied):
        _edit(dialog, sf, sammendrag="Endret")
    client.force_login(sf)
    assert client.get(reverse("oppfolging:dialog_update", args=[dialog.pk])).status_code == 403
    assert "Endre dialogen" not in client.get(dialog.get_absolute_url()).content.decode()
    dialog.refresh_from_db()
    assert dialog.sammendrag == "Første samtale"


def test_removing_a_kommune_with_follow_ups_is_refused():
    halden, moss = kommune("3101"), kommune("3103")
    sf = sf_user(halden)
    dialog = _dialog(halden, moss, by=sf)
    punkt(sf, FRIST, moss, dialog=dialog)
    with pytest.raises(ValidationError) as exc:
        _edit(dialog, sf, kommuner=[halden])
    assert "oppfølgingspunkter" in str(exc.value)
    assert set(Dialog.objects.get(pk=dialog.pk).kommuner.all()) == {halden, moss}


def test_punkt_update_reassigns_with_history():
    halden = kommune("3101")
    sf, ks = sf_user(halden), ks_user(first_name="Kari", last_name="Nordmann")
    p = punkt(sf, FRIST, halden)
    services.punkt_update(punkt=p, tittel="Ring ordføreren", ansvarlig=ks, frist=datetime.date(2026, 12, 20),
                          by=sf, kommentar="Kari tar det")
    p.refresh_from_db()
    assert (p.tittel, p.ansvarlig, p.frist) == ("Ring ordføreren", ks, datetime.date(2026, 12, 20))
    entry = Endring.objects.get(handling="oppfolging.endret")
    assert entry.endringer["ansvarlig_id"] == [sf.pk, ks.pk]
    assert entry.kommentar == "Kari tar det" and entry.bruker == sf and entry.kommune == halden


def test_owner_who_cannot_see_the_kommune_is_refused():
    halden, bergen = kommune("3101"), kommune("4601")
    sf = sf_user(halden)
    p = punkt(sf, FRIST, halden)
    outsider = profil_user(Rolle.KOMMUNE, kommuner=[bergen], first_name="Per", last_name="Bergen")
    with pytest.raises(ValidationError) as exc:
        services.punkt_update(punkt=p, tittel=p.tittel, ansvarlig=outsider, frist=p.frist, by=sf)
    assert "Per Bergen har ikke tilgang til Halden" in str(exc.value)
    p.refresh_from_db()
    assert p.ansvarlig == sf
    with pytest.raises(ValidationError):
        services.punkt_create(kommune=halden, tittel="Nytt", ansvarlig=outsider, frist=FRIST, by=sf)


def test_punkt_edit_page_lists_only_eligible_owners_and_saves(client):
    halden, bergen = kommune("3101"), kommune("4601")
    sf = sf_user(halden, first_name="Siri", last_name="Forvalter")
    own = profil_user(Rolle.KOMMUNE, kommuner=[halden], first_name="Hanne", last_name="Halden")
    profil_user(Rolle.KOMMUNE, kommuner=[bergen], first_name="Per", last_name="Bergen")
    p = punkt(sf, FRIST, halden)
    client.force_login(sf)
    url = reverse("oppfolging:punkt_update", args=[p.pk])
    html = client.get(url).content.decode()
    assert "Hanne Halden" in html and "Per Bergen" not in html
    resp = client.post(url, {"tittel": "Send boligplan", "ansvarlig": own.pk, "frist": "2026-12-24",
                             "beskrivelse": "", "kommentar": ""})
    assert resp.status_code == 302
    p.refresh_from_db()
    assert p.ansvarlig == own and p.tittel == "Send boligplan"
    # A bad date is a Norwegian message on the form, nothing saved.
    resp = client.post(url, {"tittel": "X", "ansvarlig": own.pk, "frist": "9999-12-31"})
    assert resp.status_code == 400
    p.refresh_from_db()
    assert p.tittel == "Send boligplan"


def test_dialog_edit_page_shows_searchable_control_and_saves(client):
    halden, moss = kommune("3101"), kommune("3103")
    sf = sf_user(halden)
    dialog = _dialog(halden, by=sf)
    client.force_login(sf)
    url = reverse("oppfolging:dialog_update", args=[dialog.pk])
    html = client.get(url).content.decode()
    assert "data-sokbar" in html and "designsystemet-web/umd/index.js" in html and "js/sokbar.js" in html
    assert f'value="{halden.pk}" selected' in html
    resp = client.post(url, {"kommuner": [halden.pk, moss.pk], "dato": "2026-11-02", "type": "moete",
                             "sammendrag": "Regionalt møte"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    dialog.refresh_from_db()
    assert dialog.type == "moete" and set(dialog.kommuner.all()) == {halden, moss}


def test_punkt_edit_form_starts_from_the_stored_values(client):
    sf = sf_user()
    p = punkt(sf, FRIST, tittel="Ring rådmannen i Halden")
    client.force_login(sf)
    html = client.get(reverse("oppfolging:punkt_update", args=[p.pk])).content.decode()
    assert 'value="Ring rådmannen i Halden"' in html and 'value="2026-12-01"' in html


def test_follow_up_list_says_overdue_in_words(client):
    sf = sf_user()
    punkt(sf, datetime.date(2020, 1, 2), tittel="Gammelt punkt")
    punkt(sf, datetime.date(2039, 1, 2), tittel="Nytt punkt")
    client.force_login(sf)
    html = client.get(reverse("oppfolging:punkt_list")).content.decode()
    assert "02.01.2020 <strong>(forfalt)</strong>" in html
    assert "02.01.2039 <strong>" not in html
