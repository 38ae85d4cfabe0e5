import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/kommuner/", "/kommuner/3101/"])
def test_everything_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_login_page_is_open_and_norwegian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="nb"' in body
    assert "Logg inn" in body and 'href="#hovedinnhold"' in body


def test_login_with_valid_password_lands_on_home(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert user.get_full_name() in response.content.decode()


def test_wrong_password_gives_norwegian_error(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "feil"})
    assert response.status_code == 200
    assert "korrekt brukernavn og passord" in response.content.decode()


def test_health_endpoint_is_open_and_reports_each_part_as_json(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"  # the real Redis the suite uses
    response = client.get("/helse/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": {"status": "ok"}, "cache": {"status": "ok"},
                               "broker": {"status": "ok"}}


def test_health_says_which_part_failed(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/helse/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "feil" and body["broker"]["status"] == "feil" and body["database"] == {"status": "ok"}


def test_seed_demo_creates_admin_and_is_idempotent(capsys, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    monkeypatch.setenv("DEMO_PASSWORD", "Et-sterkt-demopassord-1")
    call_command("seed_demo")
    call_command("seed_demo")
    admin = get_user_model().objects.get(username="demo-admin")
    assert admin.is_superuser and admin.check_password("Et-sterkt-demopassord-1")
    assert admin.groups.filter(name="Administrator").exists()
    assert "Et-sterkt-demopassord-1" in capsys.readouterr().out


def test_seed_demo_generates_password_once_when_not_given(capsys, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    out = capsys.readouterr().out
    generated = out.split("Passord: ")[1].split()[0]
    assert get_user_model().objects.get(username="demo-admin").check_password(generated)
    call_command("seed_demo")
    assert "uendret" in capsys.readouterr().out
