import datetime

from django.db import models
from django.db.models import Q

from core.access import kommune_scope_q


class FylkeQuerySet(models.QuerySet):
    def gjeldende(self):
        return self.filter(gyldig_til__isnull=True)


class KommuneQuerySet(models.QuerySet):
    def gjeldende(self):
        """Today's kommuner."""
        return self.filter(gyldig_til__isnull=True)

    def historiske(self):
        return self.filter(gyldig_til__isnull=False)

    def gyldige_i_aar(self, aar: int):
        """Kommuner as they were during (any part of) a year."""
        start, end = datetime.date(aar, 1, 1), datetime.date(aar, 12, 31)
        return self.filter(
            Q(gyldig_fra__isnull=True) | Q(gyldig_fra__lte=end),
            Q(gyldig_til__isnull=True) | Q(gyldig_til__gte=start),
        )

    def for_user(self, user):
        """Kommuner whose case details the user may read (the rule: core.access.kommune_scope_q)."""
        q = kommune_scope_q(user)
        if not q:
            return self
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))

    def ids_for_user(self, user):
        """The pks of the kommuner a user bound to an office or kommuner may open; None for the
        roles that see every kommune (no query then)."""
        if not kommune_scope_q(user):
            return None
        return set(self.for_user(user).values_list("pk", flat=True))

    def search(self, value):
        """Number (a prefix, or three digits Excel left without the zero) or any of the names."""
        value = (value or "").strip()
        if not value:
            return self
        if value.isdigit():
            return self.filter(Q(nummer__startswith=value) | Q(nummer=value.zfill(4)))
        return self.filter(Q(navn__icontains=value) | Q(navn_norsk__icontains=value) | Q(andre_navn__icontains=value))

    def with_register(self):
        return self.select_related("fylke", "fylke__statsforvalter")
