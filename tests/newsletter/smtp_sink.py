"""A tiny SMTP server for tests (stdlib only): accepts every message on loopback and
keeps it, so a test can count what really went over the wire.

It can also misbehave on purpose: `rcpt_reply(address)` may return a reply such as
"451 4.7.1 Try again later" or "550 5.1.1 No such mailbox" to refuse a recipient (every
RCPT and its reply code are kept in `attempts`), and `data_delay` makes it wait after a
message is stored before it answers 250 (a server syncing to disk: a client that dies
then cannot know the message was accepted); `on_message(received)` is called as each
message is stored. `hang_up(stage, stored)` makes the server drop the connection without
a reply: asked at "mail" (MAIL FROM, before anything of that message is stored) and at
"data" (after the message is stored, instead of the 250), with the number of messages
stored so far; dropped sessions are counted in `hung_up`."""

import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    session: int


@dataclass
class SMTPSink:
    messages: list[Received] = field(default_factory=list)
    sessions: int = 0
    host: str = "127.0.0.1"
    port: int = 0
    rcpt_reply: Callable[[str], str | None] | None = None
    data_delay: float = 0.0
    on_message: Callable[["Received"], None] | None = None
    attempts: list[tuple[str, int]] = field(default_factory=list)
    hang_up: Callable[[str, int], bool] | None = None
    hung_up: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def hangs_up(self, stage: str) -> bool:
                if not sink.hang_up:
                    return False
                with sink._lock:
                    stored = len(sink.messages)
                    if not sink.hang_up(stage, stored):
                        return False
                    sink.hung_up.append((stage, stored))
                return True  # handle() returns: socketserver closes the connection

            def reply(self, text: str) -> None:
                self.wfile.write(text.encode("ascii") + b"\r\n")
                self.wfile.flush()

            def handle(self):
                with sink._lock:
                    sink.sessions += 1
                    session = sink.sessions
                self.reply("220 sink ESMTP ready")
                mail_from, rcpt_to = "", []
                while True:
                    line = self.rfile.readline(4096)
                    if not line:
                        return
                    command = line.decode("ascii", "replace").rstrip("\r\n")
                    verb, _, argument = command.partition(" ")
                    verb = verb.upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 HELP\r\n")
                    elif verb == "HELO":
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        if self.hangs_up("mail"):
                            return
                        mail_from, rcpt_to = argument.partition(":")[2].strip(" <>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = argument.partition(":")[2].strip(" <>")
                        answer = (sink.rcpt_reply and sink.rcpt_reply(address)) or "250 OK"
                        with sink._lock:
                            sink.attempts.append((address, int(answer[:3])))
                        if answer.startswith("2"):
                            rcpt_to.append(address)
                        self.reply(answer)
                    elif verb == "DATA":
                        if not rcpt_to:
                            self.reply("503 RCPT first")
                            continue
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        while True:
                            data_line = self.rfile.readline()
                            if not data_line or data_line == b".\r\n":
                                break
                            lines.append(data_line[1:] if data_line.startswith(b"..")
                                         else data_line)
                        received = Received(mail_from, rcpt_to, b"".join(lines), session)
                        with sink._lock:
                            sink.messages.append(received)
                        if sink.on_message:
                            sink.on_message(received)
                        if self.hangs_up("data"):
                            return
                        mail_from, rcpt_to = "", []
                        if sink.data_delay:
                            time.sleep(sink.data_delay)
                        self.reply("250 OK queued")
                    elif verb == "RSET":
                        mail_from, rcpt_to = "", []
                        self.reply("250 OK")
                    elif verb == "NOOP":
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server((self.host, 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
