"""The intranet's own pages are translated into Thai and Persian.

The .po catalogues under locale/ are complete (no empty or fuzzy entries, plural forms
match the header, placeholders kept) and the committed .mo files match them, so
production needs no gettext.
"""
import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["th", "fa"]
NPLURALS = {"th": 1, "fa": 2}
PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%%")

FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def parse_po(path):
    """Entries of a .po file as dicts: field name -> unquoted text, plus "flags"."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, field = {"flags": set()}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := FIELD.match(line):
                field = match.group(1)
                entry[field] = ast.literal_eval(match.group(2))
            else:
                entry[field] += ast.literal_eval(line)
        entries.append(entry)
    return entries


def translated_entries(lang):
    entries = parse_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po")
    header, rest = entries[0], entries[1:]
    assert header["msgid"] == ""
    return header, rest


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_msgstr_is_translated(lang):
    header, entries = translated_entries(lang)
    assert "fuzzy" not in header["flags"]
    assert f"Language: {lang}\n" in header["msgstr"]
    plural_forms = re.search(r"Plural-Forms: nplurals=(\d+); plural=[^;]+;", header["msgstr"])
    assert plural_forms and int(plural_forms.group(1)) == NPLURALS[lang]
    assert len(entries) > 500
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if "msgid_plural" in entry:
            forms = sorted(k for k in entry if k.startswith("msgstr["))
            assert forms == [f"msgstr[{i}]" for i in range(NPLURALS[lang])], entry["msgid"]
            sources = [entry["msgid"], entry["msgid_plural"]]
        else:
            forms, sources = ["msgstr"], [entry["msgid"]]
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        for form in forms:
            assert entry[form].strip(), f"{lang}: empty msgstr for {entry['msgid']!r}"
            assert set(PLACEHOLDER.findall(entry[form])) == wanted, (lang, entry["msgid"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_po(lang):
    _, entries = translated_entries(lang)
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for entry in entries:
        if "msgid_plural" in entry:
            singular = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            assert singular == entry["msgstr[0]"]
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.parametrize("lang, direction, sign_out, notifications", [
    ("fa", "rtl", "خروج", "اعلان\u200cها"),
    ("th", "ltr", "ออกจากระบบ", "การแจ้งเตือน"),
])
def test_home_page_in_the_users_language(employee_client, lang, direction, sign_out,
                                         notifications):
    employee_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = employee_client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'lang="{lang}" dir="{direction}"' in page
    assert sign_out in page
    assert notifications in page
    assert "Sign out" not in page


@pytest.mark.parametrize("lang", ["fa", "th"])
def test_django_and_pipeline_words_on_main_pages_are_translated(employee_client, reviewer,
                                                                 lang):
    """Words that come from Django itself (a select's blank choice) or from the default
    pipeline's rows (stage names) are in our catalogue too."""
    from tests.ideas.factories import IdeaFactory, move

    move(IdeaFactory(title="Callback instead of hold"), "Triage", "Accepted", actor=reviewer)
    employee_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    pages = {url: employee_client.get(url).content.decode()
             for url in ("/profile/", "/ideas/", "/ideas/new/")}
    for url, page in pages.items():
        assert "Select an option" not in page, url
    assert ">Accepted<" not in pages["/ideas/"]
    assert (">پذیرفته‌شده<" if lang == "fa" else ">ยอมรับแล้ว<") in pages["/ideas/"]


def test_error_pages_speak_the_visitors_language(client):
    from django.template import loader
    from django.utils import translation

    with translation.override("fa"):
        page = loader.get_template("500.html").render()
    assert 'lang="fa" dir="rtl"' in page and "مشکلی پیش آمد" in page


def test_english_stays_the_default(employee_client):
    page = employee_client.get("/").content.decode()
    assert 'lang="en" dir="ltr"' in page
    assert "Sign out" in page


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_every_string_in_the_source_has_a_translation(tmp_path):
    """Extract the catalogue afresh from a copy of the code: a UI string added without
    a Thai and Persian translation fails here, not in front of a user."""
    root = Path(settings.BASE_DIR)
    for name in ["manage.py", "portal", "people", "notifications", "shared", "ideas", "api",
                 "webhooks", "mailin",
                 "champions", "training", "newsletter", "templates", "locale"]:
        source = root / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *[f"--locale={lang}" for lang in LANGUAGES]],
        cwd=tmp_path, check=True, capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
    )
    for lang in LANGUAGES:
        entries = parse_po(tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po")[1:]
        # A new string gets a "fuzzy" guess from a similar one: that is not a translation.
        missing = [e["msgid"] for e in entries if "fuzzy" in e["flags"]
                   or not all(v.strip() for k, v in e.items() if k.startswith("msgstr"))]
        assert not missing, f"{lang}: untranslated: {missing}"
