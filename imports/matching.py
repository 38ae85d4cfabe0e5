"""Finding the kommune a row means, for the year it is about.

A number that was valid that year is kept as it was (2014's 0121 Rømskog stays Rømskog and rolls up
to Aurskog-Høland on read). A number used outside its validity is followed through SSB's change list
to the kommune valid that year, and the import says so. Names are a cross-check, or the key when a
table has names only (IMDi), together with the fylke heading.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from kommuner.choices import EndringType
from kommuner.models import Fylke, Kommune, KommuneEndring
from kommuner.services import normalise_name


def valid_in(k, year):
    return (k.gyldig_fra is None or k.gyldig_fra.year <= year) and (k.gyldig_til is None or k.gyldig_til.year >= year)


class MatchError(ValueError):
    pass


class Matcher:
    """Loads the register once (three queries) and answers every row from memory."""

    def __init__(self):
        self.by_number = {k.nummer: k for k in Kommune.objects.select_related("fylke")}
        self.forward, self.backward = defaultdict(set), defaultdict(set)
        for old, new, typ in KommuneEndring.objects.values_list("gammel_kode", "ny_kode", "type"):
            if old != new and typ != EndringType.NAVNEENDRING:
                self.forward[old].add(new)
                self.backward[new].add(old)
        self.fylke_names = {normalise_name(f.navn): f for f in Fylke.objects.all()}
        self.names = defaultdict(list)
        for k in self.by_number.values():
            for n in self.names_of(k):
                self.names[n].append(k)

    def names_of(self, k):
        return {normalise_name(n) for n in (k.navn, *k.alle_navn)}

    @staticmethod
    def name_fits(navn, names):
        """The name in the file is one of the kommune's names, or one of its parts is: a compilation
        that spells the Sami form differently ('Evenes - Evenássi' for SSB's 'Evenes - Evenášši')
        still names the kommune by its Norwegian part."""
        return normalise_name(navn) in names or any(normalise_name(p) in names for p in str(navn).split(" - "))

    def _follow(self, code, year, step):
        """Walk the change list (forward or backward) until codes valid in `year`."""
        frontier, seen, found = {code}, set(), set()
        while frontier:
            nxt = set()
            for c in frontier:
                for d in step[c]:
                    if d in seen:
                        continue
                    seen.add(d)
                    k = self.by_number.get(d)
                    if k and valid_in(k, year):
                        found.add(k)
                    else:
                        nxt.add(d)
            frontier = nxt
        return found

    def match_number(self, raw, year, navn=""):
        text = str(raw).strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit() or len(text) > 4:
            raise MatchError(_("«%(v)s» er ikke et kommunenummer") % {"v": raw})
        code = text.zfill(4)
        k = self.by_number.get(code)
        if k is None:
            raise MatchError(_("ukjent kommunenummer %(n)s") % {"n": code})
        note = ""
        if not valid_in(k, year):
            later = k.gyldig_til is not None and k.gyldig_til.year < year
            found = self._follow(code, year, self.forward if later else self.backward)
            if not later and (len(found) != 1 or not next(iter(found)).kun_omnummerert):
                # Figures for a year before today's kommune existed (a backfill keyed on today's
                # numbers): kept on today's kommune, which is where the overview shows them anyway.
                # Only a pure renumbering (same kommune, older number) is followed backwards.
                note = _("%(n)s %(navn)s fantes ikke i %(aar)s; tallene er ført på kommunen slik den er i dag") % {
                    "n": code, "navn": k.navn, "aar": year}
                found = {k}
            if len(found) != 1:
                if len(found) > 1:
                    raise MatchError(_("%(n)s %(navn)s ble delt; bruk nummeret til kommunen tallene gjelder (%(alle)s)")
                                     % {"n": code, "navn": k.navn,
                                        "alle": ", ".join(sorted(f"{f.nummer} {f.navn}" for f in found))})
                raise MatchError(_("kommunenummer %(n)s fantes ikke i %(aar)s") % {"n": code, "aar": year})
            (target,) = found
            note = note or _("%(gammel)s %(navn)s gjaldt ikke i %(aar)s; tallene er ført på %(ny)s %(nynavn)s") % {
                "gammel": code, "navn": k.navn, "aar": year, "ny": target.nummer, "nynavn": target.navn}
            original, k = k, target
        else:
            original = k
        if navn and not self.name_fits(navn, self.names_of(k) | self.names_of(original)):
            raise MatchError(_("kommunenummer %(n)s er %(navn)s, men navnet i filen er «%(fil)s»")
                             % {"n": code, "navn": k.navn, "fil": navn})
        return k, note

    def match_name(self, navn, fylke, year):
        wanted = normalise_name(navn)
        candidates = [k for k in self.names.get(wanted, []) if valid_in(k, year)]
        if fylke:
            f = self.fylke_names.get(normalise_name(fylke))
            if f is None:
                raise MatchError(_("ukjent fylke «%(f)s»") % {"f": fylke})
            candidates = [k for k in candidates if k.fylke.navn == f.navn]
        if not candidates:
            raise MatchError(_("fant ingen kommune «%(navn)s»%(i)s i %(aar)s")
                             % {"navn": navn, "i": f" i {fylke}" if fylke else "", "aar": year})
        if len(candidates) > 1:
            raise MatchError(_("«%(navn)s» finnes i flere fylker; filen må ha fylkesoverskrift eller kommunenummer")
                             % {"navn": navn})
        return candidates[0]
