import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from people.models import Department, User

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    counts = (User.objects.count(), Department.objects.count())
    people = User.objects.values_list("email", "display_name", "password").order_by("pk")
    snapshot = list(people)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assert (User.objects.count(), Department.objects.count()) == counts
    assert list(people.all()) == snapshot
    assert User.objects.filter(email="admin@example.com", groups__name="Programme admin").exists()


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "a-real-looking-secret-" + "k7#Qp" * 12,
        "ALLOWED_HOSTS": "intranet.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_intranet_pages_carry_a_strict_content_security_policy(employee_client):
    response = employee_client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy


def test_admin_gets_the_relaxed_policy(admin_client_):
    response = admin_client_.get("/admin/")
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"]
