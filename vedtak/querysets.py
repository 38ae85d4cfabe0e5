from django.db import models

from kommuner.models import Kommune

from .rules import vedtak_in_force_q


class CaseQuerySet(models.QuerySet):
    """Case data is scoped through its kommune: one rule, Kommune.objects.for_user."""

    def for_user(self, user):
        return self.filter(kommune__in=Kommune.objects.for_user(user))

    def for_year(self, aar):
        return self.filter(aar=aar)


class AnmodningQuerySet(CaseQuerySet):
    pass


class VedtakQuerySet(CaseQuerySet):
    def in_force(self, *aarene):
        """Vedtak in force for any of the years (not superseded, covering the year)."""
        q = models.Q(pk__in=[])
        for aar in aarene:
            q |= vedtak_in_force_q(aar)
        return self.filter(q)
