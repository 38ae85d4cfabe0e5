import time

import pytest
from django.core.management import call_command

from bosetting.models import Bosatt
from bosetting.selectors import saker_for_aar
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak

pytestmark = pytest.mark.django_db


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
