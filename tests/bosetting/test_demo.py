import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bosetting.models import Bosatt
from bosetting.selectors import saker_for_aar
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_seed_demo_is_fast_idempotent_and_labelled():
    t = time.monotonic()
    call_command("seed_demo", password="Demo-passord-2026!")
    assert time.monotonic() - t < 60
    counts = (Anmodning.objects.count(), Vedtak.objects.count(), Bosatt.objects.count(),
              Bosettingsbehov.objects.count())
    call_command("seed_demo", password="Demo-passord-2026!")
    assert counts == (Anmodning.objects.count(), Vedtak.objects.count(), Bosatt.objects.count(),
                      Bosettingsbehov.objects.count())
    assert set(Anmodning.objects.filter(aar__lte=2024).values_list("kilde", flat=True)) == {"demo"}
    assert set(Anmodning.objects.filter(aar__gte=2025).values_list("kilde", flat=True)) == {"imdi"}
    saker = saker_for_aar(2024)
    assert sum(s.anmodet or 0 for s in saker) > 20000
    assert any(s.bosatt.verdi for s in saker)


DEMO_MAIL = {f"{u}@bosetting.example" for u in ("demo-ks", "demo-statsforvalter", "demo-halden", "demo-indre")}


def test_each_demo_dialogue_exists_once_with_ks_and_the_office_and_real_themes():
    from bosetting.choices import Aarsak
    from demo.oppfolging import PLAN
    from oppfolging.models import Dialog, Oppfolgingspunkt

    call_command("seed_demo", password="Demo-passord-2026!")
    counts = Dialog.objects.count(), Oppfolgingspunkt.objects.count()
    call_command("seed_demo", password="Demo-passord-2026!")
    assert (Dialog.objects.count(), Oppfolgingspunkt.objects.count()) == counts == (
        len(PLAN), sum(len(d["punkter"]) for d in PLAN))
    assert len(set(Dialog.objects.values_list("sammendrag", flat=True))) == len(PLAN)
    ks = User.objects.get(username="demo-ks")
    sf = User.objects.get(username="demo-statsforvalter")
    for user in (ks, sf):  # both see every demo dialogue, and one dialogue has them both
        assert Dialog.objects.for_user(user).count() == len(PLAN)
    assert Dialog.objects.filter(deltakere=ks).filter(deltakere=sf).exists()
    for d in Dialog.objects.all():
        assert d.temaer and set(d.temaer) <= set(Aarsak.values)
        assert "demodata" not in d.get_temaer_display()
    # The follow-ups are shared out: each demo user with a scope has some of their own.
    owners = set(Oppfolgingspunkt.objects.values_list("ansvarlig__username", flat=True))
    assert owners == {"demo-ks", "demo-statsforvalter", "demo-halden", "demo-indre"}


def test_first_send_reminders_on_the_demo_mails_the_demo_users_and_a_second_run_nothing(settings):
    from django.core import mail

    settings.OPPFOLGING_DIGEST_TIME = 0  # whatever the hour the test runs at
    call_command("seed_demo", password="Demo-passord-2026!")
    assert set(User.objects.filter(username__startswith="demo-").values_list("email", flat=True)) >= DEMO_MAIL
    mail.outbox = []
    call_command("send_reminders", stdout=io.StringIO())
    first = len(mail.outbox)
    per_user = {to: sum(to in m.to for m in mail.outbox) for to in DEMO_MAIL}
    assert all(n >= 1 for n in per_user.values()), per_user
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == first
