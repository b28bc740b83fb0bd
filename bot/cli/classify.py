"""`python -m bot classify`: one message per line on stdin, one JSON line out.

Each output line has exactly the keys text, intent, confidence, request and
thematique (the classification contract, see bot/classification.py).
The model is loaded once per call.
"""
from __future__ import annotations

import argparse
import json
import sys

from bot.classification import classify_parse
from bot.nlu.model import TrainedModel


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot classify", description=__doc__)
    parser.add_argument("--model", help="path of the trained model (default: MODEL_PATH)")
    args = parser.parse_args(argv)
    model = TrainedModel(args.model)
    try:
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            result = classify_parse(model.parse(text))
            sys.stdout.write(json.dumps(result.as_dict(text), ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        model.close()
    return 0
