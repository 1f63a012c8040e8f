"""The PostgreSQL search requirements check (shared.checks)."""

import pytest
from django.db import connection

from shared.checks import check_search_requirements, search_requirements


class FakeConnection:
    vendor = "postgresql"

    def __init__(self, row):
        self.row = row

    def cursor(self):
        row = self.row

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql):
                self.sql = sql

            def fetchone(self):
                return row

        return Cursor()


@pytest.mark.parametrize(("row", "ids"), [
    (("C.UTF-8", "c", True, True), []),
    (("en_US.utf8", "c", True, True), []),
    (("C", "i", True, True), []),                 # ICU: Unicode character classes
    (("C", "c", True, True), ["shared.W001"]),
    (("POSIX", "c", True, True), ["shared.W001"]),
    (("C.UTF-8", "c", False, True), ["shared.E001"]),
    (("C.UTF-8", "c", False, False), []),         # before the first migrate creates it
])
def test_problems_named_with_a_fix(row, ids):
    problems = search_requirements(FakeConnection(row))
    assert [p.id for p in problems] == ids
    assert all(p.hint for p in problems)


def test_other_databases_need_nothing():
    class SQLite:
        vendor = "sqlite"

    assert search_requirements(SQLite()) == []


@pytest.mark.django_db
def test_the_database_the_suite_runs_on_meets_them():
    # On PostgreSQL (CI's second run) a migrated test database has pg_trgm and UTF-8.
    assert check_search_requirements(databases=["default"]) == []
    if connection.vendor == "postgresql":
        assert search_requirements(connection) == []
