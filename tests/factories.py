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
