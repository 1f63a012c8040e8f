"""A database built on the earlier layout (people and notifications inside the portal
app) migrates to today's without losing a row, a permission or a history entry.

The fixture is the demo data (plus a role change and a profile edit) migrated and seeded
by the code of commit 434f40b, the last one before the move, saved as SQLite."""

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "layout-2026-11-portal.sqlite3.gz"


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def _manage(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
           "DATABASE_URL": f"sqlite:///{db}", "REDIS_URL": ""}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def old_database(tmp_path) -> Path:
    db = tmp_path / "old.sqlite3"
    with gzip.open(FIXTURE, "rb") as source, db.open("wb") as target:
        shutil.copyfileobj(source, target)
    return db


COUNTS = ("portal_user", "portal_department", "portal_notification",
          "portal_customersegment", "portal_journeystage", "portal_channel",
          "portal_user_groups", "auth_group_permissions", "ideas_idea",
          "wagtailcore_modellogentry", "account_emailaddress")
# Permissions that migrations written after the move grant to a role: the only group
# permissions the upgrade may add.
GRANTED_LATER = {
    ("Programme admin", "champions.manage_champions"),
    ("Programme admin", "api.revoke_any_token"), ("Programme admin", "api.view_accesstoken"),
    ("Programme admin", "webhooks.manage_webhooks"), ("Programme admin", "webhooks.view_endpoint"),
    ("Programme admin", "webhooks.add_endpoint"), ("Programme admin", "webhooks.change_endpoint"),
    ("Programme admin", "webhooks.delete_endpoint"),
    ("Programme admin", "mailin.view_inboundmessage"),
    ("Programme admin", "newsletter.send_newsletter"),
    ("Programme admin", "training.manage_onboarding"),
    ("Programme admin", "people.change_programmesettings"),
    *{("Programme admin", f"champions.{action}_pulsesurvey")
      for action in ("add", "change", "delete", "view")},
    *{("Programme admin", f"people.{action}_journeymap")
      for action in ("add", "change", "delete", "view")},
}
GRANTS_SQL = """
    select g.name, c.app_label || '.' || p.codename from auth_group g
    join auth_group_permissions gp on gp.group_id = g.id
    join auth_permission p on p.id = gp.permission_id
    join django_content_type c on c.id = p.content_type_id"""
MOVED_APPS = {"portal": "people"}  # every portal model with permissions moved to people


def test_the_earlier_layout_migrates_without_losing_anything(old_database):
    before = {table: _rows(old_database, f"select count(*) from {table}")[0][0]
              for table in COUNTS}
    user_ct = _rows(old_database, "select id from django_content_type "
                                  "where app_label='portal' and model='user'")[0][0]
    assert _rows(old_database, "select count(*) from django_migrations "
                               "where app='people'") == [(0,)]

    grants_before = {(group, MOVED_APPS.get(perm.split(".")[0], perm.split(".")[0]) + "."
                      + perm.split(".", 1)[1])
                     for group, perm in _rows(old_database, GRANTS_SQL)}
    result = _manage(old_database, "migrate", "--no-input")
    assert result.returncode == 0, result.stdout + result.stderr

    after = {table: _rows(old_database, f"select count(*) from {table}")[0][0]
             for table in COUNTS}
    # Every grant survives (moved with its model); later migrations only add theirs.
    grants_after = set(_rows(old_database, GRANTS_SQL))
    assert grants_after - GRANTED_LATER == grants_before
    assert after["auth_group_permissions"] == (before["auth_group_permissions"]
                                               + len(GRANTED_LATER))
    after["auth_group_permissions"] = before["auth_group_permissions"]
    assert after == before
    # The content type keeps its id, so the roles' permissions and admin history follow.
    assert _rows(old_database, "select app_label from django_content_type "
                               f"where id={user_ct}") == [("people",)]
    # Nothing moved is left under portal: only its home page and the dashboard's rollup
    # (added after the move) are there.
    left = {row[0] for row in _rows(old_database, "select model from django_content_type "
                                                  "where app_label='portal'")}
    assert left <= {"homepage", "ideadayfigures", "ideamonthfigures", "ideadaydecisions",
                    "ideadirtyday", "idearollupstate"}
    granted = {row[0] for row in _rows(old_database, """
        select c.app_label || '.' || p.codename from auth_group g
        join auth_group_permissions gp on gp.group_id = g.id
        join auth_permission p on p.id = gp.permission_id
        join django_content_type c on c.id = p.content_type_id
        where g.name = 'Programme admin'""")}
    assert {"people.manage_roles", "people.change_user",
            "people.view_programme_dashboard"} <= granted
    actions = {row[0] for row in _rows(old_database,
                                       "select action from wagtailcore_modellogentry")}
    assert {"people.roles_change", "people.profile_update"} <= actions
    assert not {a for a in actions if a.startswith("portal.")}

    # The models and the database agree, and a second run has nothing to do.
    check = _manage(old_database, "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr
    again = _manage(old_database, "migrate", "--no-input")
    assert again.returncode == 0 and "No migrations to apply" in again.stdout
    # The demo people can still be found through the moved model.
    shell = _manage(old_database, "shell", "-c",
                    "from people.models import User; from notifications.models import "
                    "Notification; print(User.objects.get(email='employee@example.com')"
                    ".job_title, Notification.objects.count())")
    assert shell.returncode == 0, shell.stderr
    last_line = shell.stdout.strip().splitlines()[-1]
    assert last_line.split() == ["Claims", "lead", str(before["portal_notification"])]
