"""Request bodies: the generic signed JSON envelope, or a chat message for Slack/Teams.

Chat text is rendered late, in the endpoint's language (translation.override)."""

import json

from django.utils import translation
from django.utils.translation import gettext as _


def envelope(event) -> dict:
    return {"id": str(event.id), "type": event.type,
            "created_at": event.created_at.isoformat(), "data": event.data}


def summary(event) -> str:
    data = event.data
    if event.type == "idea.submitted":
        return _("New idea: “%(title)s”") % {"title": data.get("title", "")}
    if event.type == "idea.decided":
        # Stage names of the default pipeline are in the catalogue (as the notifications).
        return _("“%(title)s” moved to %(stage)s") % {"title": data.get("title", ""),
                                                      "stage": _(data.get("stage", ""))}
    if event.type == "newsletter.published":
        return _("Newsletter published: %(title)s") % {"title": data.get("title", "")}
    return event.type


def body(endpoint, event) -> bytes:
    if endpoint.preset == "generic":
        payload = envelope(event)
    else:
        with translation.override(endpoint.language):
            text = summary(event)
            more = _("Open")
        url = event.data.get("url", "")
        if endpoint.preset == "slack":
            payload = {"text": f"{text} <{url}|{more}>" if url else text}
        else:
            payload = {
                "@type": "MessageCard", "@context": "https://schema.org/extensions",
                "summary": text, "text": text,
                "potentialAction": ([{"@type": "OpenUri", "name": more,
                                      "targets": [{"os": "default", "uri": url}]}]
                                    if url else []),
            }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
