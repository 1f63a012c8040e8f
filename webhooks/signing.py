"""HMAC-SHA256 signatures: `X-Intranet-Signature: t=<unix ts>,v1=<hex>` over f"{t}.{body}".

Receivers call verify(); the timestamp inside the signed text defeats replays older
than `tolerance` seconds."""

import hashlib
import hmac
import time

HEADER = "X-Intranet-Signature"


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    if isinstance(body, str):
        body = body.encode()
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, tolerance: int = 300,
           now: float | None = None) -> bool:
    """True when `header` signs `body` with `secret` and is at most `tolerance` s old."""
    try:
        parts = dict(item.split("=", 1) for item in (header or "").split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(_digest(secret, timestamp, body), given)
