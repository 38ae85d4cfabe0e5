"""Users with role and scope through django-import-export in the admin: preview and confirm,
Norwegian row errors, one transaction, history for every row, round trip, who may."""

import pytest
import tablib
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV

from core.models import Endring, Profil, Rolle
from core.resources import BrukerResource
from kommuner.models import Statsforvalter
from tests.factories import UserFactory, kommune, profil_user

User = get_user_model()
OFFICE = "Østfold, Buskerud, Oslo og Akershus"
HEADERS = ["brukernavn", "fornavn", "etternavn", "epost", "aktiv", "rolle", "statsforvalter", "kommuner"]


@pytest.fixture
def superuser(db):
    return UserFactory(username="imp-admin", is_staff=True, is_superuser=True)


def dataset(*rows, headers=HEADERS):
    return tablib.Dataset(*rows, headers=headers)


def run_import(data, by, dry_run=False):
    return BrukerResource().import_data(data, dry_run=dry_run, user=by, rollback_on_validation_errors=True)


def errors_of(result):
    return [m for row in result.invalid_rows for msgs in row.error_dict.values() for m in msgs]


def csv_upload(data, name="brukere.csv"):
    return SimpleUploadedFile(name, data.export("csv").encode("utf-8"), content_type="text/csv")


def csv_format_index(model):
    formats = admin.site._registry[model].get_import_formats()
    return next(i for i, f in enumerate(formats) if f is CSV)


# --- Import: what is created, and its history -------------------------------------------------


def test_import_creates_users_with_role_scope_unusable_password_and_history(superuser):
    office = Statsforvalter.objects.get(kortnavn=OFFICE)
    result = run_import(dataset(
        ["k-halden", "Kari", "Nordmann", "kari@halden.kommune.no", "ja", "Kommune", "", "3101, 3103"],
        ["sf-ost", "Siv", "Fjeld", "siv@sf.no", "", "Statsforvalter", OFFICE.upper(), ""],
        ["ks-ola", "Ola", "Ks", "ola@ks.no", "nei", "KS", "", ""],
    ), superuser)

    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert result.totals["new"] == 3
    kari = User.objects.get(username="k-halden")
    assert not kari.has_usable_password()
    assert kari.is_active and kari.email == "kari@halden.kommune.no"
    assert kari.profil.rolle == Rolle.KOMMUNE
    assert sorted(kari.profil.kommuner.values_list("nummer", flat=True)) == ["3101", "3103"]
    assert list(kari.groups.values_list("name", flat=True)) == [Rolle.KOMMUNE]
    siv = User.objects.get(username="sf-ost")
    assert siv.is_active  # blank "aktiv": the default, not False
    assert siv.profil.statsforvalter == office
    assert User.objects.get(username="ks-ola").is_active is False

    entries = Endring.objects.filter(object_id=str(kari.pk))
    assert sorted(entries.values_list("handling", flat=True)) == ["bruker.importert", "bruker.opprettet"]
    assert {e.bruker for e in entries} == {superuser}
    refs = set(Endring.objects.filter(handling__startswith="bruker.").values_list("import_ref", flat=True))
    assert len(refs) == 1 and refs != {""}  # one import, one reference
    access = entries.get(handling="bruker.opprettet").endringer
    assert access["rolle"] == [None, "Kommune"] and access["kommuner"] == [None, ["3101", "3103"]]
    assert "password" not in entries.get(handling="bruker.importert").endringer


def test_update_records_access_change_as_the_admin_does(superuser):
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="k-endre", first_name="A")
    result = run_import(dataset(["k-endre", "Anne", user.last_name, user.email, "ja", "kommune", "", "3103"]),
                        superuser)

    assert result.totals["update"] == 1, errors_of(result)
    assert list(user.profil.kommuner.values_list("nummer", flat=True)) == ["3103"]
    access = Endring.objects.get(object_id=str(user.pk), handling="bruker.tilgang_endret")
    assert access.endringer == {"kommuner": [["3101"], ["3103"]]}
    felt = Endring.objects.get(object_id=str(user.pk), handling="bruker.endret")
    assert felt.endringer == {"first_name": ["A", "Anne"]}


def test_role_by_norwegian_label_in_either_written_standard(superuser):
    result = run_import(dataset(["imdi-1", "", "", "", "", "imdi", "", ""],
                                ["adm-1", "", "", "", "", "ADMINISTRATOR", "", ""]), superuser)
    assert result.totals["new"] == 2, errors_of(result)
    assert Profil.objects.get(user__username="imdi-1").rolle == Rolle.IMDI


# --- Errors: Norwegian, per row and column; nothing written ------------------------------------


def test_row_errors_are_norwegian_per_row_and_column_and_nothing_is_saved(superuser):
    users, history = User.objects.count(), Endring.objects.count()
    result = run_import(dataset(
        ["ok-1", "Grei", "Rad", "", "ja", "Kommune", "", "3101"],                 # rad 2: valid
        ["feil-1", "", "", "", "ja", "Kommune", "", ""],                          # rad 3: no kommune
        ["feil-2", "", "", "", "ja", "Kommune", "", "3101, 9999"],                # rad 4
        ["feil-3", "", "", "", "ja", "Sjef", "", ""],                             # rad 5
        ["feil-4", "", "", "", "ja", "Statsforvalter", "", ""],                   # rad 6: no office
        ["feil-5", "", "", "", "kanskje", "", "Ukjent embete", "1001"],           # rad 7
        ["feil-6", "", "", "ikke-epost", "ja", "KS", "", "3101"],                 # rad 8
    ), superuser)

    messages = errors_of(result)
    assert "Rad 3, kolonne «kommuner»: En kommunebruker må knyttes til minst én kommune." in messages
    assert "Rad 4, kolonne «kommuner»: ukjent kommunenummer «9999»" in messages
    assert any(m.startswith("Rad 5, kolonne «rolle»: ukjent rolle «Sjef»") for m in messages), messages
    assert "Rad 6, kolonne «statsforvalter»: En statsforvalterbruker må knyttes til ett embete." in messages
    assert "Rad 7, kolonne «aktiv»: «kanskje» er verken «ja» eller «nei»." in messages
    assert "Rad 7, kolonne «statsforvalter»: ukjent Statsforvalter-embete «Ukjent embete»" in messages
    assert "Rad 7, kolonne «kommuner»: kommunenummer «1001» er historisk; bruk dagens kommune" in messages
    assert "Rad 7, kolonne «rolle»: rollen mangler" in messages
    assert any(m.startswith("Rad 8, kolonne «epost»: ") for m in messages), messages
    assert "Rad 8, kolonne «kommuner»: Bare kommunebrukere knyttes til kommuner." in messages
    # One bad row: nothing saved, not even the valid row 2, and no history.
    assert User.objects.count() == users and Endring.objects.count() == history
    assert not User.objects.filter(username="ok-1").exists()


def test_unknown_column_is_an_error_and_there_is_no_password_column(superuser):
    result = run_import(dataset(["ny-1", "Kommune", "3101", "hemmelig"],
                                headers=["brukernavn", "rolle", "kommuner", "passord"]), superuser)
    assert result.has_errors()
    assert "Ukjent kolonne: «passord»" in str(result.base_errors[0].error)
    assert not User.objects.filter(username="ny-1").exists()
    assert "passord" not in BrukerResource().get_export_headers()
    assert "password" not in BrukerResource().get_export_headers()


# --- Round trip ----------------------------------------------------------------------------------


def test_export_imports_back_unchanged(superuser):
    office = Statsforvalter.objects.get(kortnavn=OFFICE)
    profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101"), kommune("3103")], username="rt-kommune")
    profil_user(Rolle.STATSFORVALTER, statsforvalter=office, username="rt-sf", is_active=False)
    profil_user(Rolle.KS, username="rt-ks")
    exported = BrukerResource().export(User.objects.filter(username__startswith="rt-"))
    assert set(exported.headers) == set(HEADERS)
    row = dict(zip(exported.headers, next(r for r in exported if r[0] == "rt-kommune"), strict=True))
    assert row["kommuner"] == "3101, 3103" and row["rolle"] == "Kommune" and row["aktiv"] == "ja"

    history = Endring.objects.count()
    back = tablib.Dataset().load(exported.export("csv"), format="csv")
    result = run_import(back, superuser)
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert result.totals["skip"] == 3
    assert [r.import_type for r in result.rows] == ["skip"] * 3
    assert Endring.objects.count() == history


def test_admin_export_then_import_preview_shows_every_row_unchanged(client, superuser):
    profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="rt-admin-k")
    client.force_login(superuser)
    fmt = csv_format_index(User)
    response = client.post(reverse("admin:auth_user_export"), {
        "format": fmt, **{f"brukerresource_{h}": "on" for h in HEADERS}})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert content.splitlines()[0].split(",") == HEADERS
    assert "rt-admin-k" in content

    upload = SimpleUploadedFile("eksport.csv", content.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("admin:auth_user_import"), {"import_file": upload, "format": fmt})
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert result.totals["skip"] == User.objects.count()
    assert result.totals["new"] == result.totals["update"] == 0


# --- The admin's preview and confirm -------------------------------------------------------------


def test_admin_preview_then_confirm_creates_and_records(client, superuser):
    client.force_login(superuser)
    fmt = csv_format_index(User)
    data = dataset(["adm-k1", "Kari", "K", "kari@example.no", "ja", "Kommune", "", "3101"])
    response = client.post(reverse("admin:auth_user_import"), {"import_file": csv_upload(data), "format": fmt})
    assert response.status_code == 200
    assert response.context["result"].totals["new"] == 1
    assert not User.objects.filter(username="adm-k1").exists()  # the preview saved nothing
    assert not Endring.objects.filter(handling__startswith="bruker.").exists()

    confirm = response.context["confirm_form"].initial
    response = client.post(reverse("admin:auth_user_process_import"), confirm)
    assert response.status_code == 302 and response.url == reverse("admin:auth_user_changelist")
    user = User.objects.get(username="adm-k1")
    assert user.profil.rolle == Rolle.KOMMUNE and not user.has_usable_password()
    assert set(Endring.objects.filter(object_id=str(user.pk)).values_list("handling", flat=True)) == {
        "bruker.importert", "bruker.opprettet"}


def test_admin_preview_with_errors_offers_no_confirm(client, superuser):
    client.force_login(superuser)
    data = dataset(["adm-feil", "", "", "", "ja", "Kommune", "", "9999"])
    response = client.post(reverse("admin:auth_user_import"),
                           {"import_file": csv_upload(data), "format": csv_format_index(User)})
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "Rad 2, kolonne «kommuner»: ukjent kommunenummer «9999»" in response.content.decode()


# --- Who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("rolle", [Rolle.KS, Rolle.IMDI, Rolle.STATSFORVALTER, Rolle.KOMMUNE])
def test_staff_without_the_users_right_may_not_import_or_export(db, client, rolle):
    office = Statsforvalter.objects.get(kortnavn=OFFICE)
    user = profil_user(rolle, is_staff=True, kommuner=[kommune("3101")] if rolle == Rolle.KOMMUNE else [],
                       statsforvalter=office if rolle == Rolle.STATSFORVALTER else None)
    client.force_login(user)
    for name in ("admin:auth_user_import", "admin:auth_user_export", "admin:oppfolging_regelinnstilling_import",
                 "admin:oppfolging_regelinnstilling_export", "admin:oppfolging_dialogplansteg_import",
                 "admin:oppfolging_dialogplansteg_export"):
        assert client.get(reverse(name)).status_code == 403, name
    data = dataset(["sniker", "", "", "", "ja", "Administrator", "", ""])
    response = client.post(reverse("admin:auth_user_import"),
                           {"import_file": csv_upload(data), "format": csv_format_index(User)})
    assert response.status_code == 403
    assert not User.objects.filter(username="sniker").exists()


def test_the_service_refuses_an_import_by_a_non_administrator(db):
    ks = profil_user(Rolle.KS)
    result = run_import(dataset(["sniker", "", "", "", "ja", "Administrator", "", ""]), ks)
    assert result.has_errors()
    assert not User.objects.filter(username="sniker").exists()
