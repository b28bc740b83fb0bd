"""What the periodic jobs (reminders, purge, notify) share: run once, or in a loop.

Each job is idempotent, so it is safe from cron every few minutes, from a
Kubernetes CronJob, or in the loop that `make run` starts (`--every N`).
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from typing import Callable


def job_parser(prog: str, with_now: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog)
    if with_now:
        parser.add_argument("--now", help="pretend it is this moment (ISO 8601, with offset)")
    parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")
    return parser


def run_job(args: argparse.Namespace, once: Callable[[datetime | None], str]) -> int:
    """Call `once(now)` and print what it says; repeat every `args.every` seconds if set."""
    while True:
        now = datetime.fromisoformat(args.now) if getattr(args, "now", None) else None
        print(once(now), flush=True)
        if not args.every:
            return 0
        time.sleep(args.every)
