"""The model in service over HTTP, for Rasa's model pulling (endpoints.yml `models: url`).

`GET /model`: the file of the model in service (bot/retrain/service.py `serving`), with its
SHA-256 as `ETag`; `If-None-Match` with that value gives 304, so each Rasa process downloads
a model once. 404 when no model is in service (Rasa then keeps, or loads, its own). With
MODEL_SERVER_TOKEN set, a request without `Authorization: Bearer <token>` gets 401.
The retrain worker serves it in a thread (`python -m bot retrain --worker`).
"""

from __future__ import annotations

import hmac
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from bot.retrain.service import serving

logger = logging.getLogger(__name__)
PATH = "/model"


def make_handler(factory: sessionmaker, token: str, select_model=serving):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
            logger.debug("model server: " + format, *args)

        def do_GET(self):  # noqa: N802 (the stdlib's name)
            if self.path.split("?", 1)[0] != PATH:
                return self._empty(404)
            if token and not hmac.compare_digest(self.headers.get("Authorization", ""), f"Bearer {token}"):
                return self._empty(401)
            with factory() as session:
                row = select_model(session)
                path, sha = (Path(row.path), row.sha256) if row is not None and row.path else (None, None)
            if path is None or not path.exists():
                return self._empty(404)
            if self.headers.get("If-None-Match", "").strip('"') == sha:
                return self._empty(304, sha)
            body = path.read_bytes()
            self.server.downloads += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", sha)
            self.send_header("filename", "model.tar.gz")
            self.end_headers()
            self.wfile.write(body)

        def _empty(self, status: int, etag: str | None = None):
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def start_model_server(
    factory: sessionmaker, host: str, port: int, token: str = "", select_model=serving
) -> ThreadingHTTPServer:
    """Serve in a daemon thread; `server.shutdown()` stops it. `select_model(session)` picks the
    row to serve (the model in service; a test may hold it back)."""
    server = ThreadingHTTPServer((host, port), make_handler(factory, token, select_model))
    server.daemon_threads = True
    server.downloads = 0  # models handed out (200 responses): what `make bench` counts
    threading.Thread(target=server.serve_forever, name="model-server", daemon=True).start()
    return server
