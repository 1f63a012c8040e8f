"""The fault stage must fail, not skip, in CI when its servers are missing (issue 12):
a stage whose every test skipped would pass CI having tested nothing. Not marked
`faults`: this runs with the ordinary suite, where the servers are not needed."""

import pytest

from . import procs


@pytest.fixture
def nothing_installed(monkeypatch):
    monkeypatch.setattr(procs, "_pg_bindir", lambda: None)
    monkeypatch.setattr(procs.shutil, "which", lambda name: None)
    return procs.PostgresServer(port=1), procs.RedisServer(port=1)


@pytest.mark.parametrize("ci", ["true", "1", "TRUE"])
def test_missing_servers_fail_under_ci(monkeypatch, nothing_installed, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="initdb and redis-server"):
        procs.require_servers(*nothing_installed)


def test_missing_redis_alone_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(procs.shutil, "which", lambda name: None)
    pg, redis = procs.PostgresServer(port=1), procs.RedisServer(port=1)
    pg.bindir = "/usr/lib/postgresql/16/bin"  # as if initdb were there
    with pytest.raises(pytest.fail.Exception, match="need redis-server"):
        procs.require_servers(pg, redis)


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_missing_servers_skip_on_a_developers_machine(monkeypatch, nothing_installed, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception):
        procs.require_servers(*nothing_installed)


def test_installed_servers_neither_fail_nor_skip(monkeypatch):
    monkeypatch.setenv("CI", "true")
    pg, redis = procs.PostgresServer(port=1), procs.RedisServer(port=1)
    pg.bindir, redis.binary = "/somewhere/bin", "/somewhere/redis-server"
    procs.require_servers(pg, redis)
