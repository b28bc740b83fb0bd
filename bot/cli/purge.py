"""`python -m bot purge [--now ISO] [--every SECONDS]`: apply the retention periods.

Deletes or anonymises what is older than RETENTION_*_DAYS (bot/privacy/retention.py)
and prints what it did. Idempotent: `make run` runs it daily in a loop; in
production run it from cron or a timer.
"""
from __future__ import annotations

import argparse
import time
from datetime import datetime

from bot.db import session_scope
from bot.logging_setup import install_log_redaction
from bot.privacy.retention import purge


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot purge")
    parser.add_argument("--now", help="pretend it is this moment (ISO 8601, with offset)")
    parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")
    args = parser.parse_args(argv)
    install_log_redaction()
    while True:
        now = datetime.fromisoformat(args.now) if args.now else None
        with session_scope() as session:
            report = purge(session, now=now)
        print(f"purge: {report.summary()}", flush=True)
        if not args.every:
            return 0
        time.sleep(args.every)
