"""Icons come from the vendored Lucide sprite (static/icons/sprite.svg): every name a
template asks for is in it, and an icon is decorative markup the CSP allows."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

ROOT = Path(settings.BASE_DIR)
SPRITE = ROOT / "static" / "icons" / "sprite.svg"


def test_every_icon_a_template_uses_is_in_the_sprite():
    symbols = set(re.findall(r'<symbol id="([^"]+)"', SPRITE.read_text()))
    used = set()
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        used |= set(re.findall(r'{%\s*icon\s+"([^"]+)"', template.read_text()))
    from portal.context_processors import MAIN_NAVIGATION

    used |= {icon for _label, _url, icon in MAIN_NAVIGATION}
    assert used, "no template uses an icon"
    assert used <= symbols, f"not in the sprite (scripts/build_icons.py): {used - symbols}"


def test_an_icon_is_hidden_from_assistive_technology_and_mirrors_when_directional():
    html = Template('{% load icons %}{% icon "lightbulb" %}{% icon "chevron-right" %}').render(
        Context())
    assert html.count('aria-hidden="true" focusable="false"') == 2
    assert "sprite.svg#lightbulb" in html
    assert 'class="icon icon--directional"' in html
    assert "style=" not in html


@pytest.mark.django_db
def test_pages_with_icons_keep_the_strict_csp(employee_client):
    response = employee_client.get("/ideas/")
    page = response.content.decode()
    assert "sprite.svg#lightbulb" in page
    assert "style=" not in page
    assert "unsafe-inline" not in response.headers.get("Content-Security-Policy", "")
