"""The embedded SQLite database under concurrent writes: a transaction that reads and
then writes must wait for another writer, not fail with "database is locked" (a 500).
Runs on a database file of its own with the options the settings give SQLite, whatever
database the rest of the suite uses."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

ALIAS = "sqlite_locking"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    # configure_settings fills in every key a connection expects (and wants a default).
    connections.settings[ALIAS] = connections.configure_settings({
        "default": {}, ALIAS: {"ENGINE": "django.db.backends.sqlite3",
                               "NAME": str(tmp_path / "db.sqlite3"),
                               "OPTIONS": dict(settings.SQLITE_OPTIONS)}})[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        yield connections[ALIAS]
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def test_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions(sqlite_file):
    with sqlite_file.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert sqlite_file.transaction_mode == "IMMEDIATE"
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_concurrent_read_then_write_transactions_wait_for_each_other(sqlite_file,
                                                                     django_db_blocker):
    workers = 4
    barrier, errors = threading.Barrier(workers), []

    def increment():
        try:
            with django_db_blocker.unblock():
                barrier.wait(timeout=10)
                # Read, then write in the same transaction, as a view that checks then
                # saves does: with SQLite's default (deferred) transactions all but one
                # of these failed at once with "database is locked".
                with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    n = cursor.fetchone()[0]
                    time.sleep(0.05)
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=increment) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with sqlite_file.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone()[0] == workers  # and no update was lost
