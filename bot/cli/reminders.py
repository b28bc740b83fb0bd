"""`python -m bot reminders [--now ISO] [--every SECONDS]`: send the due reminder SMS.

Idempotent: run it from cron every few minutes (`make run` runs it in a loop).
"""
from __future__ import annotations

import argparse
import time
from datetime import datetime

from bot.db import session_scope
from bot.reminders import send_due_reminders


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot reminders")
    parser.add_argument("--now", help="pretend it is this moment (ISO 8601, with offset)")
    parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")
    args = parser.parse_args(argv)
    while True:
        now = datetime.fromisoformat(args.now) if args.now else None
        with session_scope() as session:
            sent = send_due_reminders(session, now=now)
        print(f"{sent} reminder(s) sent", flush=True)
        if not args.every:
            return 0
        time.sleep(args.every)
