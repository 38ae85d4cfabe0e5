"""Every named URL of the project, classified for the access matrix (tests/test_access_matrix.py).

The matrix walks the URL resolver; a URL name missing here FAILS the matrix ("not classified"),
so every new view must say who may read and write it. Admin URLs of registered ModelAdmins are
classified automatically (see test_access_matrix.ADMIN_MODEL_VIEWS); only the admin's own pages
are listed here.

HOW TO CLASSIFY A NEW URL (one line in URLS below):

    "vedtak:vedtak_create": Url(SCOPED, kwargs=kommune_kwargs, write="sak",
                                post=lambda w, k: {"aar": 2026, "antall": 5},
                                written=lambda w: Vedtak.objects.count(),
                                tamper=lambda w: {"kommune": w.kommune("fjern").pk}),

  kind
    OPEN       no login: anonymous gets `get_ok`.
    SIGNED_IN  any signed-in user reads it (register facts, public figures, own profile, lists
               that filter to the user's scope); anonymous → 302 to the login page.
    SCOPED     one kommune's case details. `kwargs(world, kommune)` builds the URL kwargs. The
               matrix asks for three kommuner: "egen" (3101 Halden: the kommune user's own, in
               the Statsforvalter's office), "nabo" (3103 Moss: same office, not the kommune
               user's) and "fjern" (4601 Bergen: outside both). Out of scope → 404.
    ADMIN      the admin's own pages: non-staff → 302 to the admin login; superuser → get_ok.
  kwargs       (world, kommune) -> dict of URL kwargs; for SIGNED_IN/ADMIN called with kommune=None.
  get_ok       status of a permitted GET (default 200). `expect` overrides single roles:
               {"admin": 302} (roles: see test_access_matrix.ROLES).
  form         True for pages whose GET shows a write form: a role that may not `write` gets 403
               on a kommune it can read (out of scope stays 404).
  write        the core.access WRITE action a POST needs ("sak", "dialog", "anmodning",
               "aarslaas", "brukere", "plan"); None = the view does not write (no POST is tried).
  post         (world, kommune) -> form data for a valid write; post_ok its status (default 302).
  written      (world) -> a number that changes when the write happens; refusals must not change it.
  tamper       (world) -> form data naming another kommune (or a list of such variants), merged into
               `post` and posted by the action's scope-bound writer (the kommune user for "sak", the
               Statsforvalter for "dialog") to the URL of its own kommune ("egen"): nothing may be
               written (refused with 403/404, the form shown again with an error, or the field
               ignored). The same post without the tampering must then write, so the refusal was
               the tampering's doing.
  tamper_written (world) -> what to count for the tampering instead of `written`: for forms on a
               kommune's URL whose body has no kommune field, the other kommune's rows (a stray
               `kommune` in the body must not move the write there; the own kommune's write is fine).
  list         True: the query count for a scoped user must be ≤ the superuser's + 3.
  export       query params for a CSV export; `export_kommune_column` is the header of the column
               starting with the kommune number: a scoped user's export has only its kommuner.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OPEN = "open"
SIGNED_IN = "signed_in"
SCOPED = "scoped"
ADMIN = "admin"


@dataclass
class Url:
    kind: str
    kwargs: Callable[[Any, Any], dict] | None = None
    get_ok: int = 200
    expect: dict = field(default_factory=dict)
    form: bool = False
    write: str | None = None
    post: Callable[[Any, Any], dict] | None = None
    post_ok: int = 302
    written: Callable[[Any], int] | None = None
    tamper: Callable[[Any], dict | list[dict]] | None = None
    tamper_written: Callable[[Any], int] | None = None
    list: bool = False
    export: dict | None = None
    export_kommune_column: str = "Kommune"


def kommune_kwargs(world, kommune):
    return {"nummer": kommune.nummer}


def _user_kwargs(world, kommune):
    return {"id": world.users["ks"].pk}


def _view_on_site_kwargs(world, kommune):
    from django.contrib.contenttypes.models import ContentType

    from kommuner.models import Kommune

    return {"content_type_id": ContentType.objects.get_for_model(Kommune).pk,
            "object_id": world.kommune("egen").pk}


def _totp_device(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get_or_create(user=world.users["ks"], defaults={"name": "app"})[0]


def _count(model_path):
    def count(world):
        from django.apps import apps

        return apps.get_model(model_path).objects.count()

    return count


def _in_fjern(model_path):
    """Rows of the model in "fjern" (Bergen), the kommune a tampered form names."""
    def count(world):
        from django.apps import apps

        return apps.get_model(model_path).objects.filter(kommune=world.kommune("fjern")).count()

    return count


def _stray_kommune(world):
    """A kommune id the form has no field for, added to the body of a form on the own kommune's URL."""
    return {"kommune": world.kommune("fjern").pk, "kommune_id": world.kommune("fjern").pk}


def _vedtak_kwargs(world, kommune):
    from vedtak.models import Vedtak

    return {"nummer": kommune.nummer, "pk": Vedtak.objects.filter(kommune=kommune).values_list("pk", flat=True)[0]}


MATRIX_PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 1\n0000000000 65535 f \n"
              b"trailer\n<< /Root 1 0 R >>\nstartxref\n47\n%%EOF\n")


def _vedtak_dokument_kwargs(world, kommune):
    """A vedtak of the kommune with a stored document (one shared file under MEDIA_ROOT)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from vedtak.models import Vedtak

    name = "vedtak/matrise-test.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(MATRIX_PDF))
    vedtak = Vedtak.objects.filter(kommune=kommune).order_by("pk").first()
    Vedtak.objects.filter(pk=vedtak.pk).update(dokument=name, dokument_navn="vedtak.pdf")
    return {"nummer": kommune.nummer, "pk": vedtak.pk}


def _punkt(world, kommune):
    from oppfolging.models import Oppfolgingspunkt

    return Oppfolgingspunkt.objects.filter(kommune=kommune).order_by("pk").first() or _new_punkt(world, kommune)


def _new_punkt(world, kommune):
    from oppfolging.models import Oppfolgingspunkt

    return Oppfolgingspunkt.objects.create(kommune=kommune, tittel="Ring rådmannen", ansvarlig=world.users["ks"],
                                           frist="2026-12-01")


def _punkt_kwargs(world, kommune):
    return {"pk": _punkt(world, kommune).pk}


def _punkt_status_post(world, kommune):
    """Move the follow-up back and forth between open and in progress, so every post changes it."""
    return {"status": "aapen" if _punkt(world, kommune).status == "paagaar" else "paagaar", "kommentar": ""}


def _ferdige_punkter(world):
    from oppfolging.models import Oppfolgingspunkt

    return Oppfolgingspunkt.objects.filter(status="ferdig").count()


def _dialog_post(world, kommune):
    return {"kommuner": [kommune.pk], "dato": "2026-11-01", "type": "telefon", "sammendrag": "Samtale",
            "punkt-TOTAL_FORMS": 1, "punkt-INITIAL_FORMS": 0, "punkt-0-tittel": "Send tall",
            "punkt-0-ansvarlig": world.users["ks"].pk, "punkt-0-frist": "2026-12-01", "punkt-0-kommune": kommune.pk}


def _dialog_tampered(world):
    egen, fjern = world.kommune("egen").pk, world.kommune("fjern").pk
    return [
        {"kommuner": [fjern], "punkt-0-kommune": fjern},  # only another kommune
        {"kommuner": [egen, fjern], "punkt-0-kommune": egen},  # a regional meeting with one too many
        {"kommuner": [egen], "punkt-0-kommune": fjern},  # the follow-up put on another kommune
    ]


def _dialog_edit_post(world, kommune):
    return {"kommuner": [kommune.pk], "dato": "2026-11-01", "type": "telefon", "sammendrag": f"Samtale {_tick()}"}


def _punkt_edit_post(world, kommune):
    return {"tittel": f"Ring rådmannen {_tick()}", "ansvarlig": world.users["ks"].pk, "frist": "2026-12-15"}


def _dialog_kwargs(world, kommune):
    from oppfolging.models import Dialog

    dialog = Dialog.objects.filter(kommuner=kommune).first()
    if dialog is None:
        dialog = Dialog.objects.create(dato="2026-11-01", type="telefon", sammendrag="Samtale")
        dialog.kommuner.add(kommune)
    return {"pk": dialog.pk}


def _import_kwargs(world, kommune):
    from imports.services import import_create

    imp, _preview = import_create(b"kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,40\n", filename="m.csv")
    return {"pk": imp.pk}


_ticks = itertools.count(1)


def _tick():
    """A new value for every post, so an update-style form always has something to change."""
    return next(_ticks)


IMPORTERS_ONLY = {"ks": 403, "statsforvalter": 403, "kommune": 403, "uten_rolle": 403}


URLS = {
    # --- core -------------------------------------------------------------------------
    "home": Url(SIGNED_IN),
    # Signed-in users are sent on from the login page (redirect_authenticated_user).
    "login": Url(OPEN, expect={"*signed_in": 302}),
    "logout": Url(SIGNED_IN, get_ok=405),  # POST only
    "health": Url(OPEN, expect={"*signed_in": 200}),
    # The written standard switch: a GET only redirects (no state change); the choice is a POST.
    "set_language": Url(OPEN, get_ok=302, expect={"*signed_in": 302}),
    "tilgjengelighet": Url(OPEN, expect={"*signed_in": 200}),
    "profil": Url(SIGNED_IN),
    "core:password_change": Url(SIGNED_IN),
    "core:password_change_done": Url(SIGNED_IN),
    "core:totp": Url(SIGNED_IN),  # any user may add an app; administrators must when ADMIN_TOTP_REQUIRED
    "rapporter:endring_list": Url(SIGNED_IN, list=True, export={"_export": "csv"}),
    "rapporter:kommune_historikk": Url(SCOPED, kwargs=kommune_kwargs, list=True),
    # --- kommuner: the register is public to signed-in users; the kommune page is case detail
    "kommuner:kommune_list": Url(SIGNED_IN, list=True),
    "rapporter:kommune_detail": Url(SCOPED, kwargs=kommune_kwargs),
    # --- the settlement case (bosetting, vedtak) ---------------------------------------
    # Public IMDi figures: every signed-in user, opening on the user's own scope.
    "rapporter:oversikt": Url(SIGNED_IN, list=True),
    "vedtak:behov": Url(SIGNED_IN, form=True, write="anmodning",
                           post=lambda w, k: {"aar": 2027, "antall": 13000},
                           written=_count("vedtak.Bosettingsbehov")),
    "vedtak:aarslaas": Url(SIGNED_IN, form=True, write="aarslaas",
                              post=lambda w, k: {"aar": 2019, "handling": "laas"},
                              written=_count("core.Endring")),
    "vedtak:anmodning_add": Url(SCOPED, kwargs=kommune_kwargs, form=True, write="anmodning",
                                   post=lambda w, k: {"aar": 2026, "type": "ordinaer", "antall": 20},
                                   written=_count("vedtak.Anmodning")),
    "bosetting:bosatt_add": Url(SCOPED, kwargs=kommune_kwargs, form=True, write="sak",
                                post=lambda w, k: {"aar": 2025, "maaned": 3, "antall": _tick()},
                                written=_count("core.Endring"),
                                tamper=_stray_kommune, tamper_written=_in_fjern("core.Endring")),
    "bosetting:bolig_edit": Url(SCOPED, kwargs=kommune_kwargs, form=True, write="sak",
                                post=lambda w, k: {"aar": 2025, "tilgjengelige": _tick()},
                                written=_count("core.Endring"),
                                tamper=_stray_kommune, tamper_written=_in_fjern("core.Endring")),
    "bosetting:aarsaker_edit": Url(SCOPED, kwargs=kommune_kwargs, form=True, write="sak",
                                   post=lambda w, k: {"aar": 2025, "aarsaker": ["bolig"], "fritekst": str(_tick())},
                                   written=_count("core.Endring"),
                                   tamper=_stray_kommune, tamper_written=_in_fjern("core.Endring")),
    # Services and pressure: every reader of the kommune reads it (the page is also its form for
    # those who write the kommune's case, "sak").
    "bosetting:tjenester": Url(SCOPED, kwargs=kommune_kwargs, write="sak",
                               post=lambda w, k: {"aar": 2025, "introduksjonsprogram_plasser": _tick(),
                                                  "asylmottak": "unknown"},
                               written=_count("core.Endring"),
                               tamper=_stray_kommune, tamper_written=_in_fjern("core.Endring")),
    # The settlement plan: every reader of the kommune reads it (the page is also its form for
    # the writers); the kommune, its Statsforvalter, IMDi and administrators write ("plan").
    "bosetting:plan": Url(SCOPED, kwargs=kommune_kwargs, write="plan",
                          post=lambda w, k: {"aar": 2026, "plasser_3": _tick()},
                          written=_count("bosetting.Planrevisjon"),
                          tamper=_stray_kommune, tamper_written=_in_fjern("bosetting.Planrevisjon")),
    # Places ready in the next three months: the user's scope only (none without a role).
    "bosetting:plan_pipeline": Url(SIGNED_IN, list=True),
    # The two pages' tables as CSV/XLSX: the kommune's plan for its readers (out of scope 404);
    # the pipeline for the user's scope (its scope and query count: tests/bosetting/test_plan_export.py).
    "bosetting:plan_export": Url(SCOPED, kwargs=kommune_kwargs),
    "bosetting:plan_pipeline_export": Url(SIGNED_IN),
    "vedtak:vedtak_add": Url(SCOPED, kwargs=kommune_kwargs, form=True, write="sak",
                             post=lambda w, k: {"aar": 2026, "antall": 5, "dato": "2025-12-01",
                                                "organ": "kommunestyre"},
                             written=_count("vedtak.Vedtak"),
                             tamper=_stray_kommune, tamper_written=_in_fjern("vedtak.Vedtak")),
    "vedtak:vedtak_edit": Url(SCOPED, kwargs=_vedtak_kwargs, form=True, write="sak",
                              post=lambda w, k: {"aar": 2025, "antall": _tick(), "organ": "kommunestyre"},
                              written=_count("core.Endring"),
                              tamper=_stray_kommune, tamper_written=_in_fjern("vedtak.Vedtak")),
    "vedtak:vilkaar_check": Url(SCOPED, kwargs=kommune_kwargs),
    # The vedtak's PDF: whoever reads the kommune's case; another kommune's (or out of scope) is 404.
    "vedtak:vedtak_dokument": Url(SCOPED, kwargs=_vedtak_dokument_kwargs),
    # --- dialogue and follow-ups (oppfolging) ------------------------------------------
    "oppfolging:punkt_list": Url(SIGNED_IN, list=True),  # its scoped export: tests/oppfolging/test_views.py
    # POST only; ids out of the user's scope are left alone (nothing written), so the page still redirects.
    "oppfolging:punkt_bulk_done": Url(SIGNED_IN, get_ok=405, write="dialog",
                                      post=lambda w, k: {"velg": [_new_punkt(w, k).pk]}, written=_ferdige_punkter,
                                      tamper=lambda w: {"velg": [_new_punkt(w, w.kommune("fjern")).pk]}),
    # The page shows the status form to everyone who reads it; the POST needs "dialog".
    "oppfolging:punkt_detail": Url(SCOPED, kwargs=_punkt_kwargs, write="dialog", post=_punkt_status_post,
                                   written=_count("core.Endring"),
                                   tamper=_stray_kommune, tamper_written=_in_fjern("core.Endring")),
    "oppfolging:dialog_detail": Url(SCOPED, kwargs=_dialog_kwargs),
    # Changing a dialogue or a follow-up: "dialog" writers with the kommune (every kommune of the
    # dialogue) in scope; the owner chosen must see the kommune.
    "oppfolging:dialog_update": Url(SCOPED, kwargs=_dialog_kwargs, form=True, write="dialog", post=_dialog_edit_post,
                                    written=_count("core.Endring"),
                                    tamper=lambda w: [{"kommuner": [w.kommune("fjern").pk]},
                                                      {"kommuner": [w.kommune("egen").pk, w.kommune("fjern").pk]}],
                                    tamper_written=_in_fjern("core.Endring")),
    "oppfolging:punkt_update": Url(SCOPED, kwargs=_punkt_kwargs, form=True, write="dialog", post=_punkt_edit_post,
                                   written=_count("core.Endring"),
                                   tamper=_stray_kommune, tamper_written=_in_fjern("core.Endring")),
    "oppfolging:dialog_add": Url(SIGNED_IN, form=True, write="dialog", post=_dialog_post,
                                 written=_count("oppfolging.Dialog"), tamper=_dialog_tampered),
    # --- reports (rapporter): public figures, opening on the user's scope --------------
    "rapporter:dashboard": Url(SIGNED_IN),
    # How the statuses and gaps are computed: no figures, open to every signed-in user.
    "rapporter:slik_regner_vi": Url(SIGNED_IN),
    # The menu's «Fylkesrapport»: the chooser, or straight on to the user's one fylke.
    "rapporter:fylkesrapport_velg": Url(SIGNED_IN, expect={"kommune": 302}),
    # A county report needs at least one kommune of that fylke in the user's scope.
    "rapporter:fylkesrapport": Url(SIGNED_IN, kwargs=lambda w, k: {"nummer": w.kommune("egen").fylke.nummer},
                                   expect={"uten_rolle": 404}),
    # --- grants and cost, estimated (okonomi): published figures, but every row and sum is made
    # of the kommuner the user may read (the whole country only for the national roles).
    "okonomi:nasjonal": Url(SIGNED_IN),
    "okonomi:nasjonal_eksport": Url(SIGNED_IN),  # its scoped content: tests/okonomi/test_views.py
    # A fylke needs at least one of its kommuner in the user's scope (as the county report).
    "okonomi:fylke": Url(SIGNED_IN, kwargs=lambda w, k: {"nummer": w.kommune("egen").fylke.nummer},
                         expect={"uten_rolle": 404}),
    "okonomi:fylke_eksport": Url(SIGNED_IN, kwargs=lambda w, k: {"nummer": w.kommune("egen").fylke.nummer},
                                 expect={"uten_rolle": 404}),
    "okonomi:kommune": Url(SCOPED, kwargs=kommune_kwargs),
    "okonomi:kommune_eksport": Url(SCOPED, kwargs=kommune_kwargs),
    # --- imports: IMDi and administrators only -------------------------------------------
    "imports:import_list": Url(SIGNED_IN, expect=IMPORTERS_ONLY),
    "imports:import_detail": Url(SIGNED_IN, kwargs=_import_kwargs, expect=IMPORTERS_ONLY),
    "imports:import_confirm": Url(SIGNED_IN, kwargs=_import_kwargs, get_ok=405,
                                  expect={"ks": 405, "statsforvalter": 405, "kommune": 405, "uten_rolle": 405}),
    "imports:export_long": Url(SIGNED_IN, export={"aar": 2025}, export_kommune_column="kommunenummer"),
    # The import's templates (an example row, no figures from the database): whoever may import.
    "imports:import_template_csv": Url(SIGNED_IN, expect=IMPORTERS_ONLY),
    "imports:import_template_xlsx": Url(SIGNED_IN, expect=IMPORTERS_ONLY),
    # --- the admin's own pages (model pages are generated) ----------------------------
    "admin:index": Url(ADMIN),
    "admin:login": Url(OPEN, expect={"admin": 302}),  # non-staff see "not authorised" on the form
    "admin:logout": Url(ADMIN, get_ok=405),
    "admin:password_change": Url(ADMIN),
    "admin:password_change_done": Url(ADMIN),
    "admin:autocomplete": Url(ADMIN, get_ok=403),  # without its parameters
    "admin:jsi18n": Url(ADMIN),
    "admin:view_on_site": Url(ADMIN, kwargs=_view_on_site_kwargs, get_ok=302),
    "admin:app_list": Url(ADMIN, kwargs=lambda w, k: {"app_label": "core"}),
    "admin:auth_user_password_change": Url(ADMIN, kwargs=_user_kwargs),
    "admin:otp_totp_totpdevice_config": Url(ADMIN, kwargs=lambda w, k: {"pk": _totp_device(w).pk}),
    "admin:otp_totp_totpdevice_qrcode": Url(ADMIN, kwargs=lambda w, k: {"pk": _totp_device(w).pk}),
}
