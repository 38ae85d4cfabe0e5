from django.db import models
from django.db.models import Exists, OuterRef, Q


class DialogQuerySet(models.QuerySet):
    def for_user(self, user):
        """Dialogues touching at least one kommune the user may read (core.access)."""
        from core.access import kommune_scope_q
        from kommuner.models import Kommune

        q = kommune_scope_q(user)
        if not q:
            return self
        through = self.model.kommuner.through
        visible = Kommune.objects.filter(q).values("pk")
        return self.filter(Exists(through.objects.filter(dialog_id=OuterRef("pk"), kommune_id__in=visible)))

    def about_kommune(self, kommune, user):
        """The dialogues touching `kommune`, if the user may read it (none otherwise): what
        `for_user(user).filter(kommuner=kommune)` gives on the kommune's page, with the scope
        asked once for the kommune rather than for every dialogue link in a county."""
        from core.access import kommune_gate

        return self.filter(kommune_gate(user, kommune), kommuner=kommune)


class OppfolgingspunktQuerySet(models.QuerySet):
    def for_user(self, user):
        """Follow-ups for kommuner the user may read, and always the user's own."""
        from core.access import kommune_scope_q
        from kommuner.models import Kommune

        q = kommune_scope_q(user)
        if not q:
            return self
        own = Q(ansvarlig_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
        return self.filter(Q(kommune_id__in=Kommune.objects.filter(q).values("pk")) | own)

    def about_kommune(self, kommune, user):
        """The kommune's follow-ups as `for_user(user).filter(kommune=kommune)` gives them (all if
        the user may read the kommune, else only the user's own), the scope asked once."""
        from core.access import kommune_gate

        gate = kommune_gate(user, kommune)
        if not gate:
            return self.filter(kommune=kommune)
        own = Q(ansvarlig_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
        return self.filter(gate | own, kommune=kommune)

    def aktive(self):
        from .choices import AKTIVE

        return self.filter(status__in=AKTIVE)

    def forfalt(self, today):
        return self.aktive().filter(frist__lt=today)

    def forfaller_innen(self, today, dager):
        """Active follow-ups overdue or due within `dager` days of `today` (the digest window)."""
        import datetime

        return self.aktive().filter(frist__lte=today + datetime.timedelta(days=dager))
