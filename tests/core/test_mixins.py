import logging

import pytest
from django.http import Http404
from django.views.generic import DetailView

from core.mixins import ScopedObjectMixin
from core.models import Rolle
from tests.factories import kommune, profil_user
from vedtak.models import Vedtak
from vedtak.services import vedtak_register

pytestmark = pytest.mark.django_db


class VedtakDetail(ScopedObjectMixin, DetailView):
    model = Vedtak


def test_scoped_object_mixin_gives_404_for_another_kommunes_object_and_logs(rf, caplog):
    own = vedtak_register(kommune=kommune("3101"), aar=2025, antall=5)
    other = vedtak_register(kommune=kommune("3103"), aar=2025, antall=5)
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])
    request = rf.get("/")
    request.user = user
    view = VedtakDetail()
    view.setup(request, pk=own.pk)
    assert view.get_object() == own
    view.setup(request, pk=other.pk)
    with caplog.at_level(logging.WARNING, logger="bosetting.access"), pytest.raises(Http404):
        view.get_object()
    assert f"user={user.pk}" in caplog.records[-1].getMessage()
