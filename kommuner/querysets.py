import datetime

from django.db import models
from django.db.models import Q


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

    def with_register(self):
        return self.select_related("fylke", "fylke__statsforvalter")
