import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webhooks import signing


class Receiver:
    """A real HTTP receiver on loopback that checks signatures like a customer would.

    `down` failures first (503), then 200. `verified` holds each verified JSON body;
    `event_ids` lets a test count unique events (receivers dedupe on the event id)."""

    def __init__(self, secret=""):
        self.secret, self.down, self.hits = secret, 0, 0
        self.verified, self.rejected, self.headers = [], 0, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.hits += 1
                receiver.headers.append(dict(self.headers))
                if receiver.down > 0:
                    receiver.down -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                if signing.verify(receiver.secret, self.headers.get(signing.HEADER), body):
                    receiver.verified.append(json.loads(body))
                    self.send_response(204)
                else:
                    receiver.rejected += 1
                    self.send_response(400)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
