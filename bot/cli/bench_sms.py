"""`python -m bot bench-sms`: the SMS cost (encoding, segments) of every text the bot can send."""

from __future__ import annotations

import argparse


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot bench-sms", description="Encoding and SMS segments of every response, folding on and off."
    )
    parser.parse_args(argv)
    from bot.settings import get_settings
    from bot.sms.bench import every_sms_text, report

    print(report(every_sms_text(get_settings().routes_file)))
    return 0
