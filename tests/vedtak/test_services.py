"""The agreement's write rules: the year lock holds for every year a write touches, and a
correction that moves a vedtak supersedes what it now covers (issue 13's one supersession)."""

import pytest
from django.core.exceptions import ValidationError

from bosetting.selectors import saker_for_aar
from kommuner.models import Kommune
from tests.factories import kommune
from vedtak.models import Vedtak
from vedtak.services import aar_set_lock, vedtak_register, vedtak_update

pytestmark = pytest.mark.django_db


def _vedtatt(k, aar):
    return saker_for_aar(aar, Kommune.objects.filter(pk=k.pk))[0].vedtatt


def test_correction_into_a_locked_year_is_refused_and_nothing_changes():
    halden = kommune("3101")
    locked = vedtak_register(kommune=halden, aar=2023, antall=7)
    v = vedtak_register(kommune=halden, aar=2025, antall=12)
    aar_set_lock(aar=2023, laast=True)
    for fields in ({"aar": 2023}, {"aar": 2022, "aar_til": 2024}):
        with pytest.raises(ValidationError, match="2023"):
            vedtak_update(vedtak=v, antall=999, **fields)
    v.refresh_from_db()
    locked.refresh_from_db()
    assert (v.aar, v.aar_til, v.antall) == (2025, None, 12)
    assert locked.erstattet_av is None and _vedtatt(halden, 2023) == 7


def test_a_correction_that_moves_a_vedtak_supersedes_what_it_now_covers():
    halden = kommune("3101")
    old = vedtak_register(kommune=halden, aar=2024, antall=7)
    v = vedtak_register(kommune=halden, aar=2025, antall=12)
    vedtak_update(vedtak=v, aar=2024, aar_til=2025)
    old.refresh_from_db()
    assert old.erstattet_av_id == v.pk
    assert Vedtak.objects.in_force(2024).get() == v
    assert (_vedtatt(halden, 2024), _vedtatt(halden, 2025)) == (12, 12)


def test_a_newer_decision_for_one_year_leaves_a_two_year_vedtak_in_force_for_the_other():
    halden = kommune("3101")
    span = vedtak_register(kommune=halden, aar=2025, aar_til=2026, antall=20)
    vedtak_register(kommune=halden, aar=2026, antall=15)
    span.refresh_from_db()
    assert span.erstattet_av is None
    assert (_vedtatt(halden, 2025), _vedtatt(halden, 2026)) == (20, 15)
    both = vedtak_register(kommune=halden, aar=2025, aar_til=2026, antall=30)
    assert Vedtak.objects.filter(erstattet_av=both).count() == 2
    assert (_vedtatt(halden, 2025), _vedtatt(halden, 2026)) == (30, 30)
