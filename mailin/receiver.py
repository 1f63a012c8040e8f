"""The SMTP receiver (aiosmtpd): takes mail for MAILIN_DOMAIN only and hands each
message to mailin.services.message_receive, off the event loop."""

import asyncio

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections

from . import services


def _receive(raw: bytes, mail_from: str, rcpt_to: list[str]):
    close_old_connections()
    try:
        return services.message_receive(raw=raw, mail_from=mail_from, rcpt_to=rcpt_to)
    finally:
        close_old_connections()


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.rpartition("@")[2].lower() != settings.MAILIN_DOMAIN:
            return "550 5.1.1 Not a mailbox of this receiver"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Accepted or refused, the answer is 250: a refusal sent back as a bounce would
        # go to a sender who may be forged (backscatter) or another robot (loops).
        await asyncio.get_running_loop().run_in_executor(
            None, _receive, envelope.original_content or envelope.content,
            envelope.mail_from or "", list(envelope.rcpt_tos))
        return "250 OK"


def controller(*, host: str | None = None, port: int | None = None) -> Controller:
    return Controller(Handler(), hostname=host or settings.MAILIN_HOST,
                      port=port or settings.MAILIN_PORT,
                      data_size_limit=settings.MAILIN_MAX_BYTES)
