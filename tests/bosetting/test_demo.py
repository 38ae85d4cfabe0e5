import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bosetting.models import Aarsaker, Bolig, Bosatt, Tjenestekapasitet
from bosetting.selectors import Syntetisk, saker_for_aar, syntetiske_aar, syntetiske_aar_merk
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_seed_demo_is_fast_idempotent_real_where_real_exists_and_labelled(client):
    t = time.monotonic()
    call_command("seed_demo", password="Demo-passord-2026!")
    assert time.monotonic() - t < 60
    counts = (Anmodning.objects.count(), Vedtak.objects.count(), Bosatt.objects.count(),
              Bosettingsbehov.objects.count(), Bolig.objects.count(), Aarsaker.objects.count(),
              Tjenestekapasitet.objects.count())
    call_command("seed_demo", password="Demo-passord-2026!")
    assert counts == (Anmodning.objects.count(), Vedtak.objects.count(), Bosatt.objects.count(),
                      Bosettingsbehov.objects.count(), Bolig.objects.count(), Aarsaker.objects.count(),
                      Tjenestekapasitet.objects.count())
    # Service pressure: generated for some kommuner of 2024, marked as demo, some with a reception centre.
    tjenester = Tjenestekapasitet.objects.all()
    assert counts[-1] > 20 and {t.kilde for t in tjenester} == {"demo"} and {t.aar for t in tjenester} == {2024}
    assert any(t.asylmottak and t.mottaksplasser for t in tjenester) and any(t.har_press for t in tjenester)
    # Generated only where nothing real exists: 2022–2023; IMDi's own figures from 2024.
    assert set(Anmodning.objects.filter(aar__lte=2023).values_list("kilde", flat=True)) == {"demo"}
    for model in (Anmodning, Vedtak, Bosatt):
        assert set(model.objects.filter(aar__gte=2024).values_list("kilde", flat=True)) == {"imdi"}
    assert sum(s.anmodet or 0 for s in saker_for_aar(2024)) == 36985  # IMDi's 2024 table (compiled)
    synthetic_2023 = sum(s.anmodet or 0 for s in saker_for_aar(2023))
    assert 36000 < synthetic_2023 < 44000  # about the national request of 2023 (38 000), not 3 × 2025
    assert any(s.bosatt.verdi for s in saker_for_aar(2023))
    assert syntetiske_aar() == Syntetisk(tall=(2022, 2023), andre=(2022, 2023, 2024), plan=(2022, 2023, 2026, 2027))
    # Every page says so.
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-ks"))
    for url in ("/", "/oversikt/?aar=2025", "/kommuner/3101/"):
        page = client.get(url).content.decode()
        assert "Syntetiske demotall: anmodning, vedtak og bosatte for 2022, 2023" in page, url
        assert "Boligtall, årsaker og tjenester for 2022, 2023, 2024 er syntetiske demotall." in page, url
        assert "Bosettingsplanene for 2022, 2023, 2026, 2027 er syntetiske demotall." in page, url
    # The county report: IMDi's own county table beside the kommuner's sum, also for 2016 (old Østfold).
    page = client.get("/rapport/fylke/01/?aar=2016").content.decode()
    assert 'data-kilde="imdi"' in page and ">780<" in page and ">199<" in page and ">700<" in page
    page = client.get("/rapport/fylke/31/?aar=2024").content.decode()
    assert "IMDis fylketabell (tall per 15. januar 2025)" in page and ">1\u00a0130<" in page
    import io

    import openpyxl
    xlsx = openpyxl.load_workbook(io.BytesIO(client.get("/rapport/fylke/31/?aar=2023&_export=xlsx").content))
    texts = [c for row in xlsx.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Syntetiske demotall: anmodning, vedtak og bosatte for 2023 er laget for demonstrasjon og er ikke " \
           "ekte tall. Boligtall, årsaker og tjenester for 2023, 2024 er syntetiske demotall. Bosettingsplanene for " \
           "2023 er syntetiske demotall." in texts


def test_demo_figures_of_a_year_that_now_has_real_ones_are_removed():
    from demo.saker import _remove_demo_figures
    from tests.factories import kommune

    k = kommune("3101")
    Anmodning.objects.create(kommune=k, aar=2024, antall=100, kilde="demo")
    Bosatt.objects.create(kommune=k, aar=2024, maaned=3, antall=4, kilde="demo")
    Anmodning.objects.create(kommune=k, aar=2023, antall=90, kilde="demo")
    assert syntetiske_aar_merk() == Syntetisk(tall=(2023, 2024)) == syntetiske_aar()
    assert _remove_demo_figures((2024, 2025)) == 2
    assert list(Anmodning.objects.values_list("aar", flat=True)) == [2023]
    assert syntetiske_aar_merk() == Syntetisk(tall=(2023,)) == syntetiske_aar()


def test_no_notice_without_generated_rows(client):
    from core.models import Rolle
    from tests.factories import profil_user

    assert not syntetiske_aar() and syntetiske_aar().tekst() == ""
    client.force_login(profil_user(Rolle.KS))
    assert "Syntetiske demotall" not in client.get("/").content.decode()


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
