"""A counting SMTP sink for the fan-out benchmark: the test suite's stdlib sink
(tests/newsletter/smtp_sink.py) run as its own process, forgetting message bodies as
they arrive so 10,000 e-mails do not pile up in memory.

    python -m bench.sink STATUS_FILE    # prints the port, then writes counts to the file"""

import json
import os
import sys
import time

from tests.newsletter.smtp_sink import SMTPSink


def main(status_file: str) -> None:
    received = 0
    with SMTPSink() as sink:
        print(sink.port, flush=True)
        while True:
            with sink._lock:
                received += len(sink.messages)
                sink.messages.clear()
                sessions = sink.sessions
            with open(status_file + ".tmp", "w") as f:
                json.dump({"messages": received, "sessions": sessions}, f)
            os.replace(status_file + ".tmp", status_file)
            time.sleep(0.5)


if __name__ == "__main__":
    main(sys.argv[1])
