from django.db import models


class EndringQuerySet(models.QuerySet):
    def for_user(self, user):
        """History the user may read: the kommuner in its scope (and their predecessors).

        Entries without a kommune (the national need, year locks) are national facts for the
        national roles; changes to users' access are for administrators only.
        """
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        from core.access import can, is_national

        if can(user, "brukere"):
            return self
        if is_national(user):
            return self.exclude(content_type=ContentType.objects.get_for_model(get_user_model()))
        # Scoped through the kommune, by the kommune model's own rule (no import of the register).
        kommuner = self.model._meta.get_field("kommune").related_model._default_manager
        return self.filter(kommune__in=kommuner.for_user(user).values("pk"))

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))
