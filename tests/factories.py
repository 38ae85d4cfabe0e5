import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.no")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "Demo-passord-2026!")
        if create:
            self.save()


def kommune(nummer="3101"):
    from kommuner.models import Kommune

    return Kommune.objects.get(nummer=nummer)


def profil_user(rolle, *, kommuner=(), statsforvalter=None, **kwargs):
    """A user with a role and scope (core.models.Profil)."""
    from django.contrib.auth.models import Group

    from core.models import Profil

    user = UserFactory(**kwargs)
    profil = Profil.objects.create(user=user, rolle=rolle, statsforvalter=statsforvalter)
    profil.kommuner.set(kommuner)
    group, _ = Group.objects.get_or_create(name=rolle)
    user.groups.add(group)
    return user


# --- One valid row of each case and follow-up model (the admin matrix opens them) ---------------
# Models are named by label, so a model moving app changes one string here.


class AnmodningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vedtak.Anmodning"

    kommune = factory.LazyFunction(kommune)
    aar = 2025
    antall = 20


class BosattFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bosetting.Bosatt"

    kommune = factory.LazyFunction(kommune)
    aar = 2025
    antall = 12


class BoligFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bosetting.Bolig"

    kommune = factory.LazyFunction(kommune)
    aar = 2025
    tilgjengelige = 4


class TjenestekapasitetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bosetting.Tjenestekapasitet"

    kommune = factory.LazyFunction(kommune)
    aar = 2025
    norskopplaering_plasser = 30
    asylmottak = False


class AarsakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bosetting.Aarsaker"

    kommune = factory.LazyFunction(kommune)
    aar = 2025
    aarsaker = factory.LazyFunction(lambda: ["bolig"])


class BosettingsbehovFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vedtak.Bosettingsbehov"

    aar = 2026
    antall = 13000


class AarslaasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vedtak.Aarslaas"

    aar = 2019


class DialogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "oppfolging.Dialog"
        skip_postgeneration_save = True

    dato = datetime.date(2026, 11, 1)
    type = "telefon"
    sammendrag = "Samtale om bosetting"

    @factory.post_generation
    def kommuner(self, create, extracted, **kwargs):
        if create:
            self.kommuner.set(extracted or [kommune()])


class OppfolgingspunktFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "oppfolging.Oppfolgingspunkt"

    kommune = factory.LazyFunction(kommune)
    tittel = "Ring rådmannen"
    ansvarlig = factory.SubFactory(UserFactory)
    frist = datetime.date(2026, 12, 1)


class DialogplanStegFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "oppfolging.DialogplanSteg"

    statsforvalter = factory.LazyFunction(lambda: kommune().fylke.statsforvalter)
    tittel = "Avklar boligsituasjonen"
    dager_etter = 14


class UtsendingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "oppfolging.Utsending"

    bruker = factory.SubFactory(UserFactory)
    type = "digest"
    noekkel = "2026-11-02"
    dag = datetime.date(2026, 11, 2)


class ImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "imports.Import"

    filnavn = "anmodninger.csv"
    data = b"kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,40\n"
    sha256 = factory.LazyAttribute(lambda i: hashlib.sha256(i.data).hexdigest())


class TilskuddssatsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "okonomi.Tilskuddssats"
        django_get_or_create = ("gyldig_aar", "kategori", "bosettingsaar")

    gyldig_aar = 2020
    kategori = "andre"
    bosettingsaar = 0
    belop = 700_000
    kilde = "Testkilde"


class KostnadsanslagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "okonomi.Kostnadsanslag"
        django_get_or_create = ("aar",)

    aar = 2020
    kroner_per_person = 800_000
    kilde = "Testkilde"


CASE_FACTORIES = [AnmodningFactory, BosattFactory, BoligFactory, AarsakerFactory, BosettingsbehovFactory,
                  AarslaasFactory, DialogFactory, OppfolgingspunktFactory, DialogplanStegFactory, UtsendingFactory,
                  ImportFactory, TilskuddssatsFactory, KostnadsanslagFactory, TjenestekapasitetFactory]


class PlanrevisjonFactory(factory.django.DjangoModelFactory):
    """A revision of a kommune-year's plan (bosetting.models.Planrevisjon); `plan` {"7": [plasser, boliger]}."""

    class Meta:
        model = "bosetting.Planrevisjon"

    kommune = factory.LazyFunction(kommune)
    aar = 2025
    nummer = factory.Sequence(lambda n: n + 1)
    plan = factory.LazyFunction(lambda: {"7": [5, None]})
    tidspunkt = factory.LazyAttribute(lambda r: datetime.datetime(r.aar, 1, 15, 12, tzinfo=datetime.UTC))


def factory_for(model):
    """The factory above that makes `model`, or None."""
    return next((f for f in CASE_FACTORIES if f._meta.get_model_class() is model), None)
