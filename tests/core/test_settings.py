import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                                                               "CSRF_COOKIE_SECURE", "STATIC_MANIFEST",
                                                               "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_deploy_is_clean_with_production_environment():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"DEBUG": "False", "SECRET_KEY": "x" * 20 + "-produksjonsnokkel-" + "y" * 30,
                   "ALLOWED_HOSTS": "bosetting.example.no"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    env = {"DEBUG": "False", "SECRET_KEY": ""}
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY må settes" in result.stderr
