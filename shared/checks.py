"""What search needs from PostgreSQL, checked when the intranet starts (migrate, check
--database default, and the web process's first request through the health check).

Text search matches substrings of a normalised column through a pg_trgm GIN index
(shared.search). Two things silently make it slow or blind:

- no pg_trgm extension: the index cannot exist, every search reads every idea;
- a database whose LC_CTYPE is C or POSIX: pg_trgm treats only ASCII letters as word
  characters there, so Thai, Persian or any non-Latin text yields no trigrams and those
  searches fall back to a full scan. A UTF-8 ctype (en_US.UTF-8, C.UTF-8) or an ICU
  locale provider fixes it."""

import logging

from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

CTYPE_QUERY = """
    SELECT datctype, datlocprovider,
           EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'),
           to_regclass('ideas_idea') IS NOT NULL
    FROM pg_database WHERE datname = current_database()
"""


def search_requirements(connection) -> list:
    """Problems with this PostgreSQL database for search (none on other databases)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(CTYPE_QUERY)
        ctype, provider, has_trgm, migrated = cursor.fetchone()
    problems = []
    # Before the first migrate the extension is simply not created yet (migrate does it).
    if migrated and not has_trgm:
        problems.append(Error(
            "PostgreSQL's pg_trgm extension is not installed in this database.",
            hint="Run `python manage.py migrate` as a role that may CREATE EXTENSION "
                 "(or have a superuser run `CREATE EXTENSION pg_trgm;`): idea search "
                 "reads every idea without its index.",
            id="shared.E001"))
    # 'i' is the ICU provider (PostgreSQL 15+): its character classes are Unicode's.
    unicode_ctype = provider == "i" or "utf" in (ctype or "").lower().replace("-", "")
    if not unicode_ctype:
        problems.append(Warning(
            f"The database's LC_CTYPE is {ctype!r}: pg_trgm finds no trigrams in Thai, "
            "Persian or other non-Latin text, so those searches scan every idea.",
            hint="Create the database with a UTF-8 ctype, e.g. `CREATE DATABASE intranet "
                 "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE "
                 "'C.UTF-8';` (or LOCALE_PROVIDER icu), and restore into it.",
            id="shared.W001"))
    return problems


@register("database")
def check_search_requirements(app_configs=None, databases=None, **kwargs):
    problems = []
    for alias in databases or []:
        try:
            problems += search_requirements(connections[alias])
        except DatabaseError as exc:
            # An unreachable database is reported by what needs it (migrate, /healthz).
            logger.info("Search requirements not checked on %s: %s", alias, exc)
    return problems
