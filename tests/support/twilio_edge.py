"""A recording `twilio.http.HttpClient`: the network edge of the Twilio library, faked.

The real twilio library builds and signs every request; this client records
it instead of sending it and answers as Twilio's Messages API does. It can
be told to fail the first N requests (HTTP 500) to exercise retries.

In another process (the action server), `TWILIO_HTTP_CLIENT=tests.support.twilio_edge:RecordingHttpClient`
selects it, and every request is appended as a JSON line to TWILIO_RECORD_FILE.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path

from twilio.http import HttpClient
from twilio.http.response import Response


class RecordingHttpClient(HttpClient):
    def __init__(self, fail_first: int = 0, fail_status: int = 500) -> None:
        super().__init__(logging.getLogger("tests.support.twilio_edge"), is_async=False)
        self.requests: list[dict] = []
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.record_file = os.environ.get("TWILIO_RECORD_FILE")

    def request(
        self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False
    ) -> Response:
        record = {"method": method, "uri": uri, "data": dict(data or {}), "auth_user": (auth or ("",))[0]}
        self.requests.append(record)
        if self.record_file:
            with Path(self.record_file).open("a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        if self.fail_first > 0:
            self.fail_first -= 1
            return Response(
                self.fail_status,
                json.dumps({"code": 20500, "message": "Internal Server Error", "status": self.fail_status}),
            )
        body = {
            "sid": "SM" + uuid.uuid4().hex,
            "status": "queued",
            "to": (data or {}).get("To"),
            "from": (data or {}).get("From"),
            "body": (data or {}).get("Body"),
            "num_segments": "1",
            "messaging_service_sid": (data or {}).get("MessagingServiceSid"),
        }
        return Response(201, json.dumps(body))


def recorded(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
