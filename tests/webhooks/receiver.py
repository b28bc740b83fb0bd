"""A real HTTP receiver on 127.0.0.1 (http.server in a thread), as a city system would run one.

Each request is recorded (path, headers, raw body); the answers are scripted: a status code,
or "hang" to answer nothing until the test ends (the sender's timeout fires)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    script: list = field(default_factory=list)  # answers in order; then `default`
    default: int = 200
    release: threading.Event = field(default_factory=threading.Event)

    def next_answer(self):
        return self.script.pop(0) if self.script else self.default


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.requests.append(Received(self.path, {k: v for k, v in self.headers.items()}, body))
            answer = receiver.next_answer()
            if answer == "hang":
                receiver.release.wait(10)
                return
            self.send_response(answer)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/aidenum"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
