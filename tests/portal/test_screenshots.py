"""The screenshot gallery's pages (scripts/screenshots.py) all answer for their demo
role, so the gallery cannot silently lose a page when a URL changes."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from people.models import User

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "screenshots.py"


def _gallery():
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("screenshots", module)  # its dataclasses look it up there
    spec.loader.exec_module(module)
    return module


def test_every_gallery_page_answers_for_its_role(client):
    gallery = _gallery()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for shot in gallery.PAGES:
        client.force_login(User.objects.get(email=gallery.ROLES[shot.role]))
        response = client.get(shot.path)
        assert response.status_code == 200, shot
        if shot.follow:
            link = gallery.first_link(response.content.decode(), shot.follow)
            assert link, shot
            assert client.get(link).status_code == 200, (shot, link)
    assert {shot.name for shot in gallery.PAGES} >= {"home", "idea", "queue", "dashboard"}


def test_the_gallery_index_lists_every_page_in_three_languages():
    gallery = _gallery()
    index = (SCRIPT.parent.parent / "docs" / "screenshots" / "README.md").read_text()
    for shot in gallery.PAGES:
        for code, _label in gallery.LANGUAGES:
            name = f"{shot.name}-{code}-1280.jpg"
            assert f"({name})" in index
            assert (SCRIPT.parent.parent / "docs" / "screenshots" / name).exists()
