import pytest

from core.tasks import ping_task

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_health_task_round_trip_through_real_worker(celery_worker_process):
    result = ping_task.delay("hei fra testen")
    assert result.get(timeout=30) == "hei fra testen"
    assert result.successful()


def test_worker_answers_control_ping(celery_worker_process):
    from config.celery import app

    replies = app.control.ping(destination=[celery_worker_process["node"]], timeout=5)
    assert replies and celery_worker_process["node"] in replies[0]
