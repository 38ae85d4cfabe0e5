"""The accessibility statement (tilgjengelighetserklæring): every WCAG 2.1 A and AA success criterion,
how the service meets it, or what is not met yet. Open without login: the statement must be public."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

OPPFYLT = "oppfylt"
DELVIS = "delvis"
IKKE_RELEVANT = "ikke_relevant"

STATUS_TEKST = {OPPFYLT: _("Oppfylt"), DELVIS: _("Delvis oppfylt"), IKKE_RELEVANT: _("Ikke relevant")}

# (number, level, name, status, how it is met / what is missing). The 50 success criteria of WCAG 2.1
# at levels A and AA. The Norwegian regulation (forskrift om universell utforming av IKT) requires 47:
# 1.2.3, 1.2.4 and 1.2.5 are exempt there; they are listed anyway (none applies: no video).
KRITERIER = [
    ("1.1.1", "A", _("Ikke-tekstlig innhold"), OPPFYLT,
     _("Kartet og figurene har tekstalternativ eller en tabell med de samme tallene.")),
    ("1.2.1", "A", _("Bare lyd og bare video (forhåndsinnspilt)"), IKKE_RELEVANT,
     _("Tjenesten har ikke lyd eller video.")),
    ("1.2.2", "A", _("Teksting (forhåndsinnspilt)"), IKKE_RELEVANT, _("Tjenesten har ikke video.")),
    ("1.2.3", "A", _("Synstolking eller mediealternativ (forhåndsinnspilt)"), IKKE_RELEVANT,
     _("Tjenesten har ikke video.")),
    ("1.2.4", "AA", _("Teksting (direkte)"), IKKE_RELEVANT, _("Tjenesten har ikke direktesendt video.")),
    ("1.2.5", "AA", _("Synstolking (forhåndsinnspilt)"), IKKE_RELEVANT, _("Tjenesten har ikke video.")),
    ("1.3.1", "A", _("Informasjon og relasjoner"), OPPFYLT,
     _("Overskrifter, lister, tabeller med tabelltekst og overskriftsceller, og skjemafelt med ledetekst; "
       "feilmeldinger er knyttet til feltet med aria-describedby.")),
    ("1.3.2", "A", _("Meningsfylt rekkefølge"), OPPFYLT, _("Kildekoden følger lese- og tabulatorrekkefølgen.")),
    ("1.3.3", "A", _("Instruksjoner basert på sanseinntrykk"), OPPFYLT,
     _("Instruksjoner viser ikke bare til form, plassering eller farge.")),
    ("1.3.4", "AA", _("Visningsretning"), OPPFYLT, _("Sidene virker både stående og liggende.")),
    ("1.3.5", "AA", _("Identifiser formål med inndata"), OPPFYLT,
     _("Feltene for brukernavn og passord har autocomplete.")),
    ("1.4.1", "A", _("Bruk av farge"), OPPFYLT,
     _("Status vises alltid med tekst, ikke bare med farge; lenker er understreket.")),
    ("1.4.2", "A", _("Styring av lyd"), IKKE_RELEVANT, _("Tjenesten spiller ikke av lyd.")),
    ("1.4.3", "AA", _("Kontrast (minimum)"), OPPFYLT,
     _("Fargene kommer fra Designsystemet; axe-core kontrollerer kontrasten på hver side i testene.")),
    ("1.4.4", "AA", _("Endring av tekststørrelse"), OPPFYLT,
     _("Sidene tåler 200 % forstørrelse uten tap av innhold (testet med skjermbilder).")),
    ("1.4.5", "AA", _("Bilder av tekst"), OPPFYLT, _("Tjenesten bruker ikke bilder av tekst.")),
    ("1.4.10", "AA", _("Dynamisk tilpasning (Reflow)"), DELVIS,
     _("Sidene virker i 320 piksler bredde; store tabeller rulles sidelengs inne i tabellen, "
       "som standarden tillater for todimensjonale tabeller.")),
    ("1.4.11", "AA", _("Kontrast for ikke-tekstlig innhold"), OPPFYLT,
     _("Skjemafelt, knapper og fokusmarkering har minst 3:1 kontrast.")),
    ("1.4.12", "AA", _("Tekstavstand"), OPPFYLT, _("Teksten flyter fritt og tåler økt linje- og bokstavavstand.")),
    ("1.4.13", "AA", _("Pekerfølsomt innhold eller innhold ved tastaturfokus"), OPPFYLT,
     _("Tjenesten viser ikke innhold som bare kommer fram ved pekerfølsomhet.")),
    ("2.1.1", "A", _("Tastatur"), OPPFYLT,
     _("Alle oppgaver kan gjøres med tastaturet; hovedoppgavene er testet med bare tastatur.")),
    ("2.1.2", "A", _("Ingen tastaturfelle"), OPPFYLT, _("Fokus kan alltid flyttes videre med tabulatortasten.")),
    ("2.1.4", "A", _("Hurtigtaster"), IKKE_RELEVANT, _("Tjenesten har ikke hurtigtaster med ett tegn.")),
    ("2.2.1", "A", _("Justerbar hastighet"), OPPFYLT,
     _("Sidene har ingen tidsbegrensning.")),
    ("2.2.2", "A", _("Pause, stopp, skjul"), IKKE_RELEVANT, _("Tjenesten har ikke innhold som beveger seg.")),
    ("2.3.1", "A", _("Terskelverdi på maksimalt tre glimt"), OPPFYLT, _("Ingenting blinker.")),
    ("2.4.1", "A", _("Hoppe over blokker"), OPPFYLT,
     _("Lenken «Hopp til hovedinnhold» er første element på hver side.")),
    ("2.4.2", "A", _("Sidetitler"), OPPFYLT, _("Hver side har en egen tittel.")),
    ("2.4.3", "A", _("Fokusrekkefølge"), OPPFYLT,
     _("Fokus følger lesefølgen; etter en feil i et skjema flyttes fokus til feiloppsummeringen.")),
    ("2.4.4", "A", _("Formål med lenke (i kontekst)"), OPPFYLT, _("Lenketekstene sier hvor de går.")),
    ("2.4.5", "AA", _("Flere måter"), OPPFYLT, _("Hovedmeny, søk og filter i listene, og lenker mellom sidene.")),
    ("2.4.6", "AA", _("Overskrifter og ledetekster"), OPPFYLT, _("Overskrifter og ledetekster beskriver innholdet.")),
    ("2.4.7", "AA", _("Synlig fokus"), OPPFYLT, _("Alle elementer som kan få fokus, får en synlig fokusramme.")),
    ("2.5.1", "A", _("Pekerbevegelser"), IKKE_RELEVANT, _("Tjenesten bruker ikke bevegelser med flere fingre.")),
    ("2.5.2", "A", _("Pekeravbrytelse"), OPPFYLT, _("Handlinger skjer først når knappen slippes.")),
    ("2.5.3", "A", _("Ledetekst i navn"), OPPFYLT, _("Det tilgjengelige navnet inneholder den synlige teksten.")),
    ("2.5.4", "A", _("Bevegelsesaktivering"), IKKE_RELEVANT, _("Tjenesten bruker ikke bevegelse av enheten.")),
    ("3.1.1", "A", _("Språk på siden"), OPPFYLT, _("Siden oppgir språket (nb eller nn) i lang-attributtet.")),
    ("3.1.2", "AA", _("Språk på deler av innholdet"), OPPFYLT,
     _("Navnet på den andre målformen i målformvelgeren er merket med sitt eget språk.")),
    ("3.2.1", "A", _("Fokus"), OPPFYLT, _("Fokus alene endrer ikke innhold.")),
    ("3.2.2", "A", _("Inndata"), OPPFYLT,
     _("Å endre et filter i en liste eller i oversikten oppdaterer bare treffene under skjemaet: siden "
       "lastes ikke på nytt, fokus blir i feltet, og antallet treff leses opp. Uten JavaScript tas filteret i "
       "bruk når brukeren trykker på knappen. Andre skjemaer sendes først når brukeren trykker på knappen.")),
    ("3.2.3", "AA", _("Konsekvent navigering"), OPPFYLT, _("Hovedmenyen er lik på alle sider.")),
    ("3.2.4", "AA", _("Konsekvent identifikasjon"), OPPFYLT, _("Samme funksjon har samme navn overalt.")),
    ("3.3.1", "A", _("Identifikasjon av feil"), OPPFYLT,
     _("Feil beskrives med tekst ved feltet og i en oppsummering øverst i skjemaet.")),
    ("3.3.2", "A", _("Ledetekster eller instruksjoner"), OPPFYLT,
     _("Alle felt har ledetekst, og hjelpetekst der det trengs.")),
    ("3.3.3", "AA", _("Forslag ved feil"), OPPFYLT, _("Feilmeldingene sier hva som må rettes.")),
    ("3.3.4", "AA", _("Forhindre feil (juridiske feil, økonomiske feil, datafeil)"), OPPFYLT,
     _("Importer vises først som forhåndsvisning og må bekreftes; alle endringer kan spores i historikken.")),
    ("4.1.1", "A", _("Parsing (oppdeling)"), OPPFYLT, _("Gyldig HTML; kriteriet er fjernet i WCAG 2.2.")),
    ("4.1.2", "A", _("Navn, rolle, verdi"), OPPFYLT,
     _("Standard HTML-elementer; sorterbare kolonner og målformvelgeren oppgir tilstanden sin.")),
    ("4.1.3", "AA", _("Statusbeskjeder"), OPPFYLT,
     _("Kvitteringer og importstatus ligger i en levende region (role=status), vilkårsvarselet i en "
       "aria-live-region. Når et filter oppdaterer en liste eller oversikten uten å laste siden på nytt, leser "
       "en skjult statusregion opp antallet treff (for eksempel «Viser 1–50 av 357 kommuner.») én gang etter "
       "hver oppdatering, ikke når siden lastes; selve tabellen leses ikke opp, og fokus blir i feltet. Feiler "
       "oppdateringen, står det i den samme regionen, også synlig. Er antallet det samme som etter forrige "
       "oppdatering, leser ikke alle skjermlesere det opp på nytt.")),
]


@method_decorator(login_not_required, name="dispatch")
class TilgjengelighetView(TemplateView):
    template_name = "core/tilgjengelighet.html"

    def get_context_data(self, **kwargs):
        rader = [{"nummer": n, "niva": niva, "navn": navn, "status": status, "status_tekst": STATUS_TEKST[status],
                  "merknad": merknad} for n, niva, navn, status, merknad in KRITERIER]
        return super().get_context_data(
            title=_("Tilgjengelighetserklæring"), kriterier=rader,
            antall={s: sum(1 for r in rader if r["status"] == s) for s in STATUS_TEKST},
            kontakt=getattr(settings, "TILGJENGELIGHET_KONTAKT", "tilgjengelighet@imdi.no"),
            **kwargs)
