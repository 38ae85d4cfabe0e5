"""The administrators' settings and the Kommune transitions have one write path in the admin:
the form, the list editing, the inline and the import all go through the services, which
validate, save and record history in one transaction."""

import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Endring, Rolle
from kommuner.models import Kommune, KommuneOvergang, Statsforvalter
from oppfolging import services
from oppfolging.choices import Regel
from oppfolging.models import DialogplanSteg, RegelInnstilling
from oppfolging.resources import DialogplanStegResource, RegelInnstillingResource
from tests.factories import UserFactory, profil_user

OFFICE = "Østfold, Buskerud, Oslo og Akershus"


@pytest.fixture
def superuser(db):
    return UserFactory(username="set-admin", is_staff=True, is_superuser=True)


@pytest.fixture
def office(db):
    return Statsforvalter.objects.get(kortnavn=OFFICE)


def entries(obj, handling=None):
    qs = Endring.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk))
    return qs.filter(handling=handling) if handling else qs


def rule(regel, *, terskel, aktiv=True, frist_dager=14):
    """The rule's row (the migrations may have created it), set to a known state without history."""
    RegelInnstilling.objects.update_or_create(regel=regel, defaults={"aktiv": aktiv, "terskel": terskel,
                                                                     "frist_dager": frist_dager})
    return RegelInnstilling.objects.get(regel=regel)


def errors_of(result):
    return [m for row in result.invalid_rows for msgs in row.error_dict.values() for m in msgs]


def form_data(response):
    """The POST data of an admin change form as shown (main form and inline formsets)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [v for v in value if v is not None]
            elif value is not None:
                data[key] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.initial_forms:
            add(form)
    return data


# --- Rule settings: list editing ------------------------------------------------------------------


def test_list_editing_rule_settings_saves_through_the_service_with_history(client, superuser):
    innstilling = rule(Regel.INGEN_VEDTAK, terskel=8)
    rule(Regel.VEDTAK_NULL, terskel=None)
    client.force_login(superuser)
    url = reverse("admin:oppfolging_regelinnstilling_changelist")
    rows = list(RegelInnstilling.objects.order_by("regel"))
    data = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": len(rows), "_save": "Lagre"}
    for i, r in enumerate(rows):
        data |= {f"form-{i}-id": r.pk, f"form-{i}-terskel": "" if r.terskel is None else r.terskel,
                 f"form-{i}-frist_dager": r.frist_dager, f"form-{i}-aktiv": "on"}
    i = next(i for i, r in enumerate(rows) if r.pk == innstilling.pk)
    data |= {f"form-{i}-terskel": "10", f"form-{i}-frist_dager": "7"}

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["cl"].formset.errors
    innstilling.refresh_from_db()
    assert (innstilling.terskel, innstilling.frist_dager) == (10, 7)
    entry = entries(innstilling, "regelinnstilling.endret").get()
    assert entry.endringer == {"terskel": [8, 10], "frist_dager": [14, 7]}
    assert entry.bruker == superuser and entry.kommentar == "Endret i administrasjonen"
    # The unchanged row was not written and has no history.
    assert not Endring.objects.filter(handling="regelinnstilling.endret").exclude(pk=entry.pk).exists()


def test_rule_settings_change_form_and_delete_write_history(client, superuser):
    innstilling = rule(Regel.VEDTAK_UNDER, terskel=1)
    client.force_login(superuser)
    response = client.post(reverse("admin:oppfolging_regelinnstilling_change", args=[innstilling.pk]),
                           {"terskel": "", "frist_dager": "14"})  # unchecked: aktiv off; blank: the default
    assert response.status_code == 302
    innstilling.refresh_from_db()
    assert innstilling.aktiv is False and innstilling.terskel is None
    assert entries(innstilling, "regelinnstilling.endret").get().endringer == {
        "aktiv": [True, False], "terskel": [1, None]}

    response = client.post(reverse("admin:oppfolging_regelinnstilling_delete", args=[innstilling.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    assert not RegelInnstilling.objects.filter(pk=innstilling.pk).exists()
    assert Endring.objects.filter(handling="regelinnstilling.slettet", object_id=str(innstilling.pk)).exists()


def test_rule_setting_service_refuses_non_administrators(db):
    ks = profil_user(Rolle.KS)
    rule(Regel.VEDTAK_NULL, terskel=None)
    with pytest.raises(PermissionDenied):
        services.regel_innstilling_save(regel=Regel.VEDTAK_NULL, aktiv=False, terskel=None, frist_dager=14, by=ks)
    assert RegelInnstilling.objects.get(regel=Regel.VEDTAK_NULL).aktiv is True


# --- Rule settings and dialogue plans: import and export -----------------------------------------


def test_rule_settings_import_blank_threshold_is_none_and_round_trips(superuser):
    data = tablib.Dataset(["ingen_vedtak", "ja", "", "21"], ["bolig_mangler", "nei", "0", "14"],
                          headers=["regel", "aktiv", "terskel", "frist_dager"])
    rule(Regel.INGEN_VEDTAK, terskel=8)
    rule(Regel.BOLIG_MANGLER, terskel=None)
    RegelInnstilling.objects.filter(regel=Regel.VEDTAK_NULL).delete()
    data.append(["vedtak_null", "ja", "", "14"])
    result = RegelInnstillingResource().import_data(data, user=superuser, rollback_on_validation_errors=True)
    assert (result.totals["update"], result.totals["new"]) == (2, 1), errors_of(result)
    ingen = RegelInnstilling.objects.get(regel=Regel.INGEN_VEDTAK)
    assert ingen.terskel is None and ingen.frist_dager == 21  # blank: unknown, the rule's default; not 0
    assert RegelInnstilling.objects.get(regel=Regel.BOLIG_MANGLER).terskel == 0
    endret = entries(ingen, "regelinnstilling.endret").get()
    assert endret.endringer == {"terskel": [8, None], "frist_dager": [14, 21]}
    assert endret.import_ref.startswith("admin-regelinnstilling-")
    assert entries(RegelInnstilling.objects.get(regel=Regel.VEDTAK_NULL), "regelinnstilling.importert").exists()

    history = Endring.objects.count()
    exported = RegelInnstillingResource().export()
    back = RegelInnstillingResource().import_data(tablib.Dataset().load(exported.export("csv"), format="csv"),
                                                  user=superuser, rollback_on_validation_errors=True)
    assert [r.import_type for r in back.rows] == ["skip"] * RegelInnstilling.objects.count(), errors_of(back)
    assert Endring.objects.count() == history


def test_rule_settings_import_errors_roll_back(superuser):
    data = tablib.Dataset(["ingen_vedtak", "ja", "8", "21"], ["ingen_regel", "ja", "", "14"],
                          ["vedtak_null", "ja", "x", ""],
                          headers=["regel", "aktiv", "terskel", "frist_dager"])
    rule(Regel.INGEN_VEDTAK, terskel=None)
    before = list(RegelInnstilling.objects.values_list("regel", "aktiv", "terskel", "frist_dager"))
    result = RegelInnstillingResource().import_data(data, user=superuser, rollback_on_validation_errors=True)
    messages = errors_of(result)
    assert any(m.startswith("Rad 3, kolonne «regel»: ") for m in messages), messages
    assert "Rad 4, kolonne «terskel»: «x» er ikke et heltall." in messages
    assert any(m.startswith("Rad 4, kolonne «frist_dager»: ") for m in messages), messages
    assert list(RegelInnstilling.objects.values_list("regel", "aktiv", "terskel", "frist_dager")) == before
    assert not Endring.objects.exists()


def test_dialogue_plan_import_creates_updates_and_round_trips(superuser, office):
    steg = DialogplanSteg.objects.create(statsforvalter=office, tittel="Ring", dager_etter=7)
    data = tablib.Dataset([steg.pk, OFFICE, "Ring rådmannen", "7", "ja"], ["", OFFICE, "Møte", "30", ""],
                          headers=["id", "statsforvalter", "tittel", "dager_etter", "aktiv"])
    result = DialogplanStegResource().import_data(data, user=superuser, rollback_on_validation_errors=True)
    assert (result.totals["update"], result.totals["new"]) == (1, 1), errors_of(result)
    steg.refresh_from_db()
    assert steg.tittel == "Ring rådmannen"
    assert entries(steg, "dialogplansteg.endret").get().endringer == {"tittel": ["Ring", "Ring rådmannen"]}
    ny = DialogplanSteg.objects.get(tittel="Møte")
    assert ny.aktiv is True and ny.dager_etter == 30
    assert entries(ny, "dialogplansteg.importert").exists()

    history = Endring.objects.count()
    exported = DialogplanStegResource().export()
    back = DialogplanStegResource().import_data(tablib.Dataset().load(exported.export("csv"), format="csv"),
                                                user=superuser, rollback_on_validation_errors=True)
    assert [r.import_type for r in back.rows] == ["skip", "skip"], errors_of(back)
    assert Endring.objects.count() == history


def test_dialogue_plan_import_errors(superuser, office):
    data = tablib.Dataset(["", OFFICE, "Uten dager", "", ""], ["", "Mars", "Feil embete", "3", ""],
                          ["999999", OFFICE, "Feil id", "3", ""],
                          headers=["id", "statsforvalter", "tittel", "dager_etter", "aktiv"])
    result = DialogplanStegResource().import_data(data, user=superuser, rollback_on_validation_errors=True)
    messages = errors_of(result)
    assert any(m.startswith("Rad 2, kolonne «dager_etter»: ") for m in messages), messages  # blank is not 0
    assert "Rad 3, kolonne «statsforvalter»: ukjent Statsforvalter-embete «Mars»" in messages
    assert any(m.startswith("Rad 4, kolonne «id»: det finnes ikke noe steg med id 999999") for m in messages)
    assert not DialogplanSteg.objects.exists()


def test_dialogue_plan_admin_form_writes_history(client, superuser, office):
    client.force_login(superuser)
    response = client.post(reverse("admin:oppfolging_dialogplansteg_add"),
                           {"statsforvalter": office.pk, "tittel": "Første møte", "dager_etter": "14", "aktiv": "on"})
    assert response.status_code == 302
    steg = DialogplanSteg.objects.get(tittel="Første møte")
    assert entries(steg, "dialogplansteg.registrert").get().bruker == superuser


# --- The Kommune admin's transition inline --------------------------------------------------------


@pytest.fixture
def historisk(db):
    """A historic kommune with its transition(s) from the register (0101 Halden → 3101 Halden)."""
    return Kommune.objects.get(nummer="0101")


def test_transition_inline_edit_add_and_delete_write_history(client, superuser, historisk):
    client.force_login(superuser)
    url = reverse("admin:kommuner_kommune_change", args=[historisk.pk])
    overgang = KommuneOvergang.objects.get(historisk=historisk)
    assert overgang.gjeldende.nummer == "3101"

    # Edit: a note on the existing transition.
    data = form_data(client.get(url))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data[f"{prefix}-0-merknad"] = "Kontrollert"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    overgang.refresh_from_db()
    assert overgang.merknad == "Kontrollert"
    entry = entries(overgang, "kommuneovergang.endret").get()
    assert entry.endringer == {"merknad": ["", "Kontrollert"]}
    assert entry.kommune.nummer == "3101" and entry.bruker == superuser

    # Add: a second successor.
    data = form_data(client.get(url))
    moss = Kommune.objects.get(nummer="3103")
    data |= {f"{prefix}-TOTAL_FORMS": 2, f"{prefix}-1-gjeldende": moss.pk, f"{prefix}-1-delt": "on",
             f"{prefix}-1-merknad": ""}
    assert client.post(url, data).status_code == 302
    ny = KommuneOvergang.objects.get(historisk=historisk, gjeldende=moss)
    assert ny.delt and entries(ny, "kommuneovergang.registrert").get().kommune == moss

    # Delete it again.
    data = form_data(client.get(url))
    i = next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-id") and str(v) == str(ny.pk))
    data[f"{prefix}-{i}-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not KommuneOvergang.objects.filter(pk=ny.pk).exists()
    assert Endring.objects.filter(handling="kommuneovergang.slettet", object_id=str(ny.pk)).exists()


def test_transition_inline_refuses_a_historic_successor(client, superuser, historisk):
    client.force_login(superuser)
    url = reverse("admin:kommuner_kommune_change", args=[historisk.pk])
    data = form_data(client.get(url))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    other_historic = Kommune.objects.filter(gyldig_til__isnull=False).exclude(pk=historisk.pk).first()
    data |= {f"{prefix}-TOTAL_FORMS": 2, f"{prefix}-1-gjeldende": other_historic.pk, f"{prefix}-1-merknad": ""}
    history = Endring.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Velg en av dagens kommuner, ikke en historisk." in response.content.decode()
    assert Endring.objects.count() == history
    assert not KommuneOvergang.objects.filter(historisk=historisk, gjeldende=other_historic).exists()


def test_transition_service_checks_and_refuses_non_administrators(db, historisk):
    from kommuner.services import kommune_overgang_save

    halden = Kommune.objects.get(nummer="3101")
    with pytest.raises(ValidationError):
        kommune_overgang_save(historisk=halden, gjeldende=halden)
    with pytest.raises(PermissionDenied):
        kommune_overgang_save(historisk=historisk, gjeldende=Kommune.objects.get(nummer="3103"),
                              by=profil_user(Rolle.IMDI))
    assert KommuneOvergang.objects.filter(historisk=historisk).count() == 1
