import pytest
from django.core.cache import cache

from notifications.kinds import NotificationKind, kinds
from people import roles

from .factories import UserFactory

PASSWORD = "correct-horse-battery"


@kinds.register
class TestMessage(NotificationKind):
    """A notification whose text the test chooses (params: title, body, url, topic)."""

    verb = "tests.message"
    topic = "ideas"

    def title(self, params):
        return params["title"]

    def body(self, params):
        return params.get("body", "")

    def link(self, params):
        return params.get("url", "")


def clear_own_cache_keys():
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:
        cache.clear()
        return
    # Redis: FLUSHDB would also wipe a parallel test worker's keys; delete only ours.
    redis = client(write=True)
    for key in redis.scan_iter(f"{cache.key_prefix}:*"):
        redis.delete(key)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Persian leaves Persian
    active in the thread, and notifications render in the active language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none, and with no
    # filter form rendered for another test's vocabularies.
    from shared.fragments import forget_rendered

    clear_own_cache_keys()
    forget_rendered()
    yield
    clear_own_cache_keys()


@pytest.fixture
def employee(db):
    return UserFactory(display_name="Erin Employee")


@pytest.fixture
def reviewer(db):
    return UserFactory(display_name="Rui Reviewer", roles=[roles.REVIEWER])


@pytest.fixture
def champion(db):
    return UserFactory(display_name="Chai Champion", roles=[roles.CHAMPION])


@pytest.fixture
def new_hire(db):
    return UserFactory(display_name="Nasrin New hire", roles=[roles.NEW_HIRE])


@pytest.fixture
def programme_admin(db):
    return UserFactory(display_name="Ada Admin", roles=[roles.PROGRAMME_ADMIN, roles.REVIEWER])


@pytest.fixture
def employee_client(client, employee):
    client.force_login(employee)
    return client


@pytest.fixture
def admin_client_(client, programme_admin):
    client.force_login(programme_admin)
    return client
