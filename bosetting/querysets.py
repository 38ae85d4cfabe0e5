from django.db import models


class CaseQuerySet(models.QuerySet):
    """Case data is scoped through its kommune: one rule, core.access."""

    def for_user(self, user):
        from kommuner.models import Kommune

        return self.filter(kommune__in=Kommune.objects.visible_to(user))

    def for_year(self, aar):
        return self.filter(aar=aar)
