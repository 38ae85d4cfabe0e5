from django.db import models
from django.utils.translation import gettext_lazy as _


class Virkemiddel(models.TextChoices):
    STARTLAAN = "startlaan", _("Startlån")
    UTLEIEBOLIGER = "utleieboliger", _("Tilskudd til utleieboliger")
    BOSTOETTE = "bostoette", _("Bostøtte")
    KOMMUNALE_BOLIGER = "kommunale", _("Kommunale utleieboliger")
    PRIVAT_LEIE = "privat", _("Privat leiemarked")
    ANNET = "annet", _("Annet")


class Aarsak(models.TextChoices):
    """Why kommuner settle fewer than requested (KS 2014, see DOMAIN.md §5)."""

    BOLIG = "bolig", _("Bolig")
    OEKONOMI = "okonomi", _("Økonomi")
    KAPASITET_TJENESTE = "kapasitet", _("Kapasitet i flyktningtjenesten")
    VOKSENOPPLAERING = "voksenopplaering", _("Plasser i voksenopplæring / introduksjonsprogram")
    ARBEIDSMARKED = "arbeidsmarked", _("Arbeidsmarkedet")
    RESULTATER = "resultater", _("Svake resultater etter introduksjonsprogrammet")
    SEKUNDAERTILFLYTTING = "sekundaertilflytting", _("Sekundærtilflytting")
    FOR_LITEN = "for_liten", _("For liten til å bygge opp et program")
    UTFLYTTING = "utflytting", _("Erfaring med utflytting")


class SakStatus(models.TextChoices):
    """Derived status of a kommune-year; never typed in. The rule for each is in
    bosetting.status.STATUSREGLER (listed, from there, on the page «Slik regner vi»)."""

    IKKE_ANMODET = "ikke_anmodet", _("Ikke anmodet")
    ANMODET = "anmodet", _("Anmodet")
    AVVENTER = "avventer", _("Avventer vedtak")
    VEDTAK_MANGLER = "vedtak_mangler", _("Vedtak mangler (fristen er ute)")
    VEDTAK_FULLT = "vedtak_fullt", _("Vedtak fattet – hele anmodningen")
    VEDTAK_DELVIS = "vedtak_delvis", _("Vedtak fattet – under anmodningen")
    VEDTAK_FATTET = "vedtak_fattet", _("Vedtak fattet")
    AVSLAATT = "avslaatt", _("Avslått (vedtak 0)")
    BOSETTING_PAAGAAR = "bosetting_pagar", _("Bosetting pågår")
    BOSATT_ETTER_VEDTAK = "bosatt_etter_vedtak", _("Bosatt etter vedtak")
    ANMODNING_DEKKET = "anmodning_dekket", _("Anmodningen dekket")
    IKKE_NAADD = "ikke_naadd", _("Ikke nådd")
    UAVKLART = "uavklart", _("Uavklart (bosatte ukjent eller skjult)")
