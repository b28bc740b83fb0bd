"""`python -m bot notify [--every SECONDS]`: tell conseillers about new tickets.

Idempotent (each ticket is notified once, whatever the number of runs):
run it from cron, or in a loop as `make run` does.
"""
from __future__ import annotations

import argparse
import time

from bot.db import session_factory
from bot.desk.notify import notify_new_tickets


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot notify")
    parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")
    args = parser.parse_args(argv)
    factory = session_factory()
    while True:
        sent = notify_new_tickets(factory)
        print(f"{sent} new-ticket notification(s) sent", flush=True)
        if not args.every:
            return 0
        time.sleep(args.every)
