"""The change history (core.models.Endring) in words: one place that turns a stored entry into
what a person reads — the event's name, what it concerns, who did it, and each change as
«Felt: gammel → ny» with field labels, choice labels, names and Norwegian dates.

Used by the history list and its export, the kommune history, its «Hendelse» filter and the
timeline on the kommune page. `Endringstekster(entries)` reads the names an entry refers to
(users, kommuner, imports, other rows) in one query per kind, whatever the number of entries.
"""

import datetime
import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bosetting.status import FIGUR
from core.models import Endring, Rolle
from imports.layouts import NOT_REQUESTED, PENDING, SUPPRESSED
from imports.models import Import

# What an event's code (`Endring.handling`, «hva.hendelse») is called: whole codes first, then
# the thing and what happened to it. A code not known here still reads as words, never as a code.
HANDLINGER = {
    "vedtak.erstattet": gettext_lazy("Vedtak erstattet av nytt vedtak"),
    "oppfolging.status": gettext_lazy("Status for oppfølgingspunkt endret"),
    "oppfolging.regel_opprettet": gettext_lazy("Oppfølgingspunkt opprettet av varslingsregel"),
    "oppfolging.regel_gjenaapnet": gettext_lazy("Oppfølgingspunkt gjenåpnet av varslingsregel"),
    "oppfolging.regel_lukket": gettext_lazy("Oppfølgingspunkt lukket av varslingsregel"),
    "oppfolging.dialogplan": gettext_lazy("Oppfølgingspunkt opprettet fra dialogplan"),
    "profil.varsler": gettext_lazy("Varslingsvalg endret"),
    "import.rad": gettext_lazy("Tall importert"),
    "bruker.tilgang_endret": gettext_lazy("Tilgang endret"),
    "bruker.epost_endret": gettext_lazy("E-postadresse endret"),
    "bruker.totp_registrert": gettext_lazy("Tofaktorinnlogging tatt i bruk"),
}
HANDLING_OBJEKT = {
    "anmodning": gettext_lazy("Anmodning"), "vedtak": gettext_lazy("Vedtak"), "bosatt": gettext_lazy("Bosatte"),
    "bolig": gettext_lazy("Boligkapasitet"), "aarsaker": gettext_lazy("Årsaker til avvik"),
    "behov": gettext_lazy("Bosettingsbehov"), "bosettingsbehov": gettext_lazy("Bosettingsbehov"),
    "aar": gettext_lazy("År"), "aarslaas": gettext_lazy("År"),
    "dialog": gettext_lazy("Dialog"), "oppfolging": gettext_lazy("Oppfølgingspunkt"),
    "oppfolgingspunkt": gettext_lazy("Oppfølgingspunkt"), "profil": gettext_lazy("Brukerprofil"),
    "regelinnstilling": gettext_lazy("Varslingsregel"), "dialogplansteg": gettext_lazy("Steg i dialogplan"),
    "kommuneovergang": gettext_lazy("Kommuneovergang"), "bruker": gettext_lazy("Bruker"),
    "user": gettext_lazy("Bruker"), "import": gettext_lazy("Import"), "kommune": gettext_lazy("Kommune"),
    "plan": gettext_lazy("Bosettingsplan"), "tjenester": gettext_lazy("Tjenester og press"),
    "tjenestekapasitet": gettext_lazy("Tjenester og press"),
    "tilskuddssats": gettext_lazy("Tilskuddssats"), "kostnadsanslag": gettext_lazy("Kostnadsanslag"),
}
HANDLING_VERB = {
    "registrert": gettext_lazy("registrert"), "endret": gettext_lazy("endret"),
    "erstattet": gettext_lazy("erstattet av nytt vedtak"), "importert": gettext_lazy("importert"),
    "importert_endret": gettext_lazy("endret ved import"), "slettet": gettext_lazy("slettet"),
    "laast": gettext_lazy("låst"), "laast_opp": gettext_lazy("låst opp"), "opprettet": gettext_lazy("opprettet"),
    "revidert": gettext_lazy("revidert"),
}
# Verbs of an entry that holds a new object's values (shown as «Felt: verdi», no arrow) or a
# removed one's («Felt: verdi» as it was).
NY = {"registrert", "importert", "opprettet", "regel_opprettet", "dialogplan"}
BORT = {"slettet"}
# Bookkeeping a new object's entry need not repeat: who and when are the entry's own columns.
BOKFOERING = {"opprettet", "opprettet_av_id", "endret", "kommune_id", "aar"}
# Keys of the history that are not the object's fields (written by the services).
EKSTRA_FELT = {
    "kommuner": gettext_lazy("Kommuner"), "deltakere": gettext_lazy("Deltakere"),
    "rolle": gettext_lazy("Rolle"), "statsforvalter": gettext_lazy("Statsforvalter"),
    "totp": gettext_lazy("Tofaktorinnlogging"),
}
MERKER = {SUPPRESSED: gettext_lazy("skjult"), PENDING: gettext_lazy("avventer vedtak"),
          NOT_REQUESTED: gettext_lazy("ikke anmodet")}
MAANED = [gettext_lazy("januar"), gettext_lazy("februar"), gettext_lazy("mars"), gettext_lazy("april"),
          gettext_lazy("mai"), gettext_lazy("juni"), gettext_lazy("juli"), gettext_lazy("august"),
          gettext_lazy("september"), gettext_lazy("oktober"), gettext_lazy("november"), gettext_lazy("desember")]
_PERIODE = re.compile(r"^\S+ (?:(\d{2})/(\d{4})|(\d{4}(?:–\d{4})?))\b")


def tom():
    """What a blank or unknown value reads as, everywhere in the history."""
    return _("tom")


def handling_tekst(code):
    """«dialog.registrert» → «Dialog registrert»; an unknown code still in words."""
    code = code or ""
    if code in HANDLINGER:
        return str(HANDLINGER[code])
    obj, _sep, verb = code.partition(".")
    noun = HANDLING_OBJEKT.get(obj, gettext_lazy("Endring"))
    return f"{noun} {HANDLING_VERB.get(verb, HANDLING_VERB['endret'])}"


def handling_valg(codes):
    """The «Hendelse» filter's choices for these codes, by their names."""
    return sorted(((c, handling_tekst(c)) for c in set(codes)), key=lambda c: c[1].lower())


def _stor(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def tidspunkt_tekst(value):
    """dd.mm.åååå tt:mm in Oslo time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%d.%m.%Y %H:%M}"


def person_navn(user):
    return user.get_full_name() or user.get_username()


def _kommune_navn(k):
    return f"{k.nummer} {k.navn}"


def _navn(obj):
    if isinstance(obj, get_user_model()):
        return person_navn(obj)
    if getattr(obj, "nummer", None) and getattr(obj, "navn", None):
        return _kommune_navn(obj)
    return str(obj)


def _import_id(ref):
    kind, _sep, pk = (ref or "").partition(":")
    return int(pk) if kind == "import" and pk.isdigit() else None


def _model(e):
    # ContentType's own cache: no query per entry.
    return ContentType.objects.get_for_id(e.content_type_id).model_class()


def _fields(model):
    return {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}


def _navn_sql():
    """How each kind of object an entry refers to is named, as two text columns and a formatter:
    one query reads the names of every kind together (a UNION), whatever the entries hold."""
    from kommuner.models import Kommune, Statsforvalter
    from oppfolging.choices import DialogType
    from oppfolging.models import Dialog
    from vedtak.models import Vedtak

    typer = dict(DialogType.choices)

    def dialog(n, x):
        return f"{datetime.date.fromisoformat(n):%d.%m.%Y} {typer.get(x, x)}"

    def vedtak(n, x):
        return f"{n}: {x or '–'}"

    text = models.TextField()
    return {
        get_user_model(): (Concat("first_name", Value(" "), "last_name", output_field=text), Cast("username", text),
                           lambda n, x: n.strip() or x),
        Kommune: (Cast("nummer", text), Cast("navn", text), lambda n, x: f"{n} {x}"),
        Statsforvalter: (Cast("navn", text), Value("", output_field=text), lambda n, x: n),
        Import: (Cast("filnavn", text), Value("", output_field=text), lambda n, x: n),
        Dialog: (Cast("dato", text), Cast("type", text), dialog),
        Vedtak: (Concat("kommune__nummer", Value(" "), Cast("aar", text), output_field=text), Cast("antall", text),
                 vedtak),
    }


def _names(wanted):
    """{(model, str(pk)): name} for {model: ids}; one query for the known kinds."""
    spec = _navn_sql()
    parts, keys, names = [], {}, {}
    for i, (model, ids) in enumerate(sorted(wanted.items(), key=lambda kv: kv[0]._meta.label)):
        ids = [v for v in ids if str(v).isdigit()] if model._meta.pk.get_internal_type().endswith("AutoField") else ids
        if not ids:
            continue
        if model not in spec:  # a rare kind: its own read, by its own name
            qs = model._base_manager.filter(pk__in=ids)
            names.update({(model, str(o.pk)): _navn(o) for o in qs})
            continue
        n, x, _fmt = spec[model]
        keys[str(i)] = model
        # No ORDER BY in a UNION's parts (the models' default ordering): SQLite refuses it.
        parts.append(model._base_manager.filter(pk__in=ids).order_by().annotate(
            _m=Value(str(i), output_field=models.TextField()), _pk=Cast("pk", models.TextField()), _n=n, _x=x)
            .values_list("_m", "_pk", "_n", "_x"))
    if parts:
        qs = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for m, pk, n, x in qs:
            model = keys[m]
            names[(model, pk)] = spec[model][2](n or "", x or "")
    return names


class Endringstekster:
    """The words for a batch of entries (one page, the timeline or an export)."""

    def __init__(self, entries):
        self.entries = list(entries)
        wanted = defaultdict(set)
        for e in self.entries:
            fields = _fields(_model(e))
            verb = e.handling.partition(".")[2]
            for name, pair in e.endringer.items():
                field = fields.get(name)
                if field is None or not field.many_to_one or (verb in NY and name in BOKFOERING):
                    continue
                wanted[field.related_model].update(v for v in pair if v not in (None, ""))
            if e.bruker_id and not Endring.bruker.is_cached(e):  # else read with the entry (select_related)
                wanted[get_user_model()].add(e.bruker_id)
            if (pk := _import_id(e.import_ref)) is not None:
                wanted[Import].add(pk)
        self.names = _names(wanted)
        for e in self.entries:
            if e.bruker_id and Endring.bruker.is_cached(e) and e.bruker is not None:
                self.names[(get_user_model(), str(e.bruker_id))] = person_navn(e.bruker)

    # -- one entry -----------------------------------------------------------------------
    def hendelse(self, e):
        return handling_tekst(e.handling)

    def gjelder(self, e):
        """What the entry concerns: a kommune's year by kommune name and period (never «3101 2026: ?»)."""
        # Case rows and import rows are stored as «nummer periode: antall»: say kommune and period.
        if e.kommune_id and e.aar and (e.objekt or "").startswith(f"{e.kommune.nummer} "):
            m = _PERIODE.match(e.objekt or "")
            if m and m.group(1):
                periode = f"{MAANED[int(m.group(1)) - 1]} {m.group(2)}"
            else:
                periode = m.group(3) if m else str(e.aar)
            return f"{_kommune_navn(e.kommune)}, {periode}"
        return e.objekt or tom()

    def hvem(self, e):
        """Who made the change; an import by its file and number, and who imported it."""
        person = self.names.get((get_user_model(), str(e.bruker_id))) if e.bruker_id else None
        pk = _import_id(e.import_ref)
        if pk is not None:
            fil = self.names.get((Import, str(pk)))
            navn = person or _("ukjent bruker")
            if fil is None:
                return _("Importert fra en slettet fil (import %(nr)s) av %(navn)s") % {"nr": pk, "navn": navn}
            return _("Importert fra «%(fil)s» (import %(nr)s) av %(navn)s") % {"fil": fil, "nr": pk, "navn": navn}
        if e.bruker_id:
            return person or _("(slettet)")
        if e.import_ref == "demo":
            return _("Demodata")
        if e.import_ref:
            return _("Import i administrasjonen")
        return _("Systemet")

    def felter(self, e):
        """[(label, old, new)] in words; old is None for a new object's values, new None for a removed one's."""
        model = _model(e)
        fields = _fields(model)
        verb = e.handling.partition(".")[2]
        out = []
        for name, (old, new) in e.endringer.items():
            if verb in NY and old is None and (name in BOKFOERING or new in ("", [], None)):
                continue  # a new object's blanks and bookkeeping say nothing
            field = fields.get(name)
            label = self._label(e, name, field)
            old_t, new_t = self.verdi(e, field, name, old), self.verdi(e, field, name, new)
            if old_t == new_t:
                continue  # e.g. a time stamp moved within the minute
            if verb in NY and old is None:
                out.append((label, None, new_t))
            elif verb in BORT and new is None:
                out.append((label, old_t, None))
            else:
                out.append((label, old_t, new_t))
        return out

    def endringer_tekst(self, e):
        """The changes as one line (exports)."""
        parts = []
        for label, old, new in self.felter(e):
            if old is None or new is None:
                parts.append(f"{label}: {new if old is None else old}")
            else:
                parts.append(f"{label}: {old} → {new}")
        return "; ".join(parts + ([e.kommentar] if e.kommentar else []))

    # -- parts ---------------------------------------------------------------------------
    def _label(self, e, name, field):
        if e.handling == "import.rad" and name in FIGUR:
            return str(FIGUR[name].label)
        if field is not None:
            return _stor(field.verbose_name)
        if name in EKSTRA_FELT:
            return str(EKSTRA_FELT[name])
        return _stor(name.replace("_", " "))

    def verdi(self, e, field, name, value):
        if value is None or value == "" or value == []:
            return tom()
        if e.handling == "import.rad" and isinstance(value, str) and value in MERKER:
            return str(MERKER[value])
        if value is True:
            return _("Ja")
        if value is False:
            return _("Nei")
        if field is None:
            if name == "rolle":
                return str(dict(Rolle.choices).get(value, value))
            return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        if isinstance(field, models.FileField):
            return _("lastet opp")  # the stored name is unguessable on purpose; the file's own name has its field
        if field.many_to_one:
            return self.names.get((field.related_model, str(value)), _("(slettet)"))
        if isinstance(value, list):
            base = getattr(field, "base_field", None)
            if field.name == "prikket":
                fields = {f.name: f for f in field.model._meta.concrete_fields}
                return ", ".join(_stor(fields[v].verbose_name) if v in fields else str(v) for v in value)
            return ", ".join(self._choice(base, v) for v in value)
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            try:
                return tidspunkt_tekst(datetime.datetime.fromisoformat(value))
            except ValueError:
                return value
        if isinstance(field, models.DateField) and isinstance(value, str):
            try:
                return f"{datetime.date.fromisoformat(value[:10]):%d.%m.%Y}"
            except ValueError:
                return value
        if field.name == "maaned" and isinstance(value, int):
            return str(MAANED[value - 1]) if 1 <= value <= 12 else _("hele året")
        return self._choice(field, value)

    @staticmethod
    def _choice(field, value):
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)


def med_tekst(entries):
    """The entries with their words attached (`e.tekst`: hendelse, gjelder, hvem, felter), for templates."""
    entries = list(entries)
    tekster = Endringstekster(entries)
    for e in entries:
        e.tekst = {"hendelse": tekster.hendelse(e), "gjelder": tekster.gjelder(e), "hvem": tekster.hvem(e),
                   "felter": tekster.felter(e), "tidspunkt": tidspunkt_tekst(e.tidspunkt)}
    return entries
