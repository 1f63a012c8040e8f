"""What a notification says, rendered when it is read.

A notification stores what happened: a verb, the actor and plain parameters (ids, the
title of an idea, a stage's name, a date). Its text and link are produced from them at
display and send time, in the language of the person reading it: the page's language in
the intranet, the recipient's preferred language in an e-mail. (Wagtail renders its log
entries the same way: a log action formats stored data when it is shown.)

Each feature app declares its kinds in its own `notification_kinds.py`, found by
autodiscovery the first time a kind is looked up."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from shared.l10n import format_date, format_datetime, format_number

# What people can choose to receive by e-mail; every kind names its topic.
TOPICS = {
    "ideas": _("Decisions and news on my ideas and the ideas I follow"),
    "review": _("Ideas assigned to me for review and overdue reviews"),
    "champions": _("Nominations and champion terms"),
    "training": _("Onboarding: enrolments, due dates and modules to review"),
}


class NotificationKind:
    """One kind of notification. Subclasses set `verb` and `topic` and render text
    from the stored parameters; called with the reader's language active."""

    verb: str = ""
    topic: str = "ideas"

    def title(self, params: dict) -> str:
        raise NotImplementedError

    def body(self, params: dict) -> str:
        return ""

    def link(self, params: dict) -> str:
        """A path inside the intranet (from reverse()), or "" for none."""
        return ""


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    link: str


class KindRegistry:
    def __init__(self):
        self._kinds: dict[str, NotificationKind] = {}
        self._discovered = False

    def register(self, kind: type[NotificationKind]) -> type[NotificationKind]:
        """Class decorator: `@kinds.register`."""
        if kind.topic not in TOPICS:
            raise ValueError(f"Unknown notification topic {kind.topic!r} for {kind.verb!r}")
        self._kinds[kind.verb] = kind()
        return kind

    def _discover(self) -> None:
        if not self._discovered:
            self._discovered = True
            autodiscover_modules("notification_kinds")

    def get(self, verb: str) -> NotificationKind | None:
        self._discover()
        return self._kinds.get(verb)

    def __contains__(self, verb: str) -> bool:
        return self.get(verb) is not None

    def verbs(self) -> list[str]:
        self._discover()
        return sorted(self._kinds)


kinds = KindRegistry()


def topic_for(verb: str) -> str:
    kind = kinds.get(verb)
    return kind.topic if kind else "ideas"


def render(notification) -> Rendered:
    """The notification's text and link in the active language. Rows written before
    notifications were rendered late (no parameters) show the text stored then."""
    kind = kinds.get(notification.verb)
    if kind is None or not notification.params:
        return Rendered(notification.legacy_title, notification.legacy_body,
                        notification.legacy_url)
    params = notification.params
    return Rendered(kind.title(params), kind.body(params), kind.link(params))


def show_date(value: str) -> str:
    """A stored ISO date, written the reader's way: in their calendar and digits."""
    return format_date(date.fromisoformat(value))


def show_datetime(value: str) -> str:
    """A stored ISO moment, written the reader's way (date and 24-hour time)."""
    return format_datetime(datetime.fromisoformat(value))


def show_number(value) -> str:
    """A stored count, grouped and in the reader's digits."""
    return format_number(value)
