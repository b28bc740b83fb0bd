"""`python -m bot classify`: one message per line on stdin, one JSON line out.

Each output line has the keys text, intent, confidence, request and thematique (the
classification contract, see bot/classification.py), and the NLU's decision
(bot/nlu/decision.py): `answer` (the answer key it gives, such as `faq_email/spams`, or
null when it asks or declines), `decision` (`answer`, `clarify` or `decline`) and
`candidates` (up to 3 answer keys, best first). The model is loaded once per call.
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.classification import classify_parse
from bot.nlu.decision import decision_fields
from bot.nlu.model import TrainedModel
from bot.settings import get_settings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot classify", description=__doc__)
    parser.add_argument("--model", help="path of the trained model (default: MODEL_PATH)")
    args = parser.parse_args(argv)
    model = TrainedModel(args.model or get_settings().model_path)
    try:
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            parse = model.parse(text)
            output = {**classify_parse(parse).as_dict(text), **decision_fields(parse)}
            sys.stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        model.close()
    return 0
