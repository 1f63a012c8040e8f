"""Demo content for the whole intranet: the registry's seeders (shared.demo), with the
demo people between the early and the late ones."""

from people.demo import seed_departments, seed_people
from shared.demo import LATE_SEEDERS, SEEDERS


def seed_all() -> list[tuple[str, str]]:
    seed_departments()
    for seeder in SEEDERS:
        seeder()
    logins = seed_people()
    for seeder in LATE_SEEDERS:
        seeder()
    return logins
