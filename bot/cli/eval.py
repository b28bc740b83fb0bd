"""`python -m bot eval`: NLU figures on the held-out set and on its noisy copy.

The held-out set (tests/nlu/heldout.yml) is never given to `rasa train`. The
model is loaded once; every message is classified with the classification
contract (bot.classification.classify_parse). Printed: the training data counts
(no model needed), then for the clean and the noisy copy (accents stripped,
seeded typos): per-intent precision/recall/F1, the top confusion pairs, and the
accuracy of the intent, of `request` and of `thematique`.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bot.classification import classify_parse
from bot.nlu_eval import Example, Scores, noisy, read_nlu_file, read_nlu_folder, training_counts
from bot.settings import ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
TRAINING = ROOT / "data" / "nlu"
MIN_EXAMPLES = 40
# Not French, not words: what the fallback (rephrase, then a conseiller) should catch.
GIBBERISH = [
    "xqzw plokj vbnmz", "azertyuiop", "fhdjskqlm gjfkd", "kkkkkkk", "??? !!!", "lol mdr ptdr",
    "Wie spät ist es bitte", "where is the train station please", "¿dónde está la estación?",
    "ne zaman açıksınız", "hhhh bbbb", "zzz",
]


def print_training_counts(folder: Path, heldout: list[Example], out) -> None:
    counts = training_counts(read_nlu_folder(folder))
    held = {}
    for example in heldout:
        held[example.base] = held.get(example.base, 0) + 1
    out.write(f"\n== Training data ({folder}) ==\n")
    out.write(f"{'intent':42} {'examples':>8} {'subs':>5} {'min/sub':>7} {'held-out':>8}\n")
    for intent in sorted(set(counts) | set(held)):
        entry = counts.get(intent, {"examples": 0, "sub_intents": {}})
        subs = entry["sub_intents"]
        low = "  < %d" % MIN_EXAMPLES if (intent.startswith("faq_") or intent == "urgence") \
            and entry["examples"] < MIN_EXAMPLES else ""
        missing = "  NOT TRAINED" if intent in held and intent not in counts else ""
        out.write(f"{intent:42} {entry['examples']:>8} {len(subs):>5} "
                  f"{(min(subs.values()) if subs else 0):>7} {held.get(intent, 0):>8}{low}{missing}\n")
    total = sum(entry["examples"] for entry in counts.values())
    out.write(f"{len(counts)} intents, {total} training examples; held-out: {len(heldout)} messages\n")


def run(model, examples: list[Example], transform=None) -> tuple[Scores, list[tuple[str, str, str]], float]:
    scores = Scores()
    errors = []
    start = time.perf_counter()
    for example in examples:
        text = transform(example.text) if transform else example.text
        parse = model.parse(text)
        result = classify_parse(parse)
        fallback = (parse.get("intent") or {}).get("name") == "nlu_fallback"
        scores.add(example.base, result.intent, result.request, result.thematique, fallback, result.confidence)
        if scores.predicted[-1] != example.base:
            errors.append((example.base, scores.predicted[-1], text))
    elapsed = time.perf_counter() - start
    return scores, errors, elapsed


def summary(scores: Scores) -> dict:
    thematique, with_topic = scores.thematique_accuracy()
    return {
        "messages": scores.total,
        "intent_accuracy": round(scores.intent_accuracy(), 4),
        "request_accuracy": round(scores.request_accuracy(), 4),
        "thematique_accuracy": round(thematique, 4),
        "thematique_messages": with_topic,
        "macro_f1": round(scores.macro_f1(), 4),
        "below_fallback_threshold": scores.fallbacks,
    }


def print_scores(title: str, scores: Scores, errors, elapsed: float, top: int, show_errors: bool, out) -> None:
    s = summary(scores)
    out.write(f"\n== {title} ==\n")
    out.write(f"{'intent':42} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}\n")
    for intent, (p, r, f1, n) in scores.per_intent().items():
        out.write(f"{intent:42} {p:6.2f} {r:6.2f} {f1:6.2f} {n:>4}\n")
    out.write(f"\nTop confusions (expected -> predicted):\n")
    for gold, predicted, n in scores.confusions(top):
        out.write(f"  {n:>3}  {gold} -> {predicted}\n")
    if show_errors:
        out.write("\nMisclassified messages:\n")
        for gold, predicted, text in errors:
            out.write(f"  [{gold} -> {predicted}] {text}\n")
    out.write(
        f"\nintent accuracy     {s['intent_accuracy']:.1%}  (macro F1 {s['macro_f1']:.3f})\n"
        f"request accuracy    {s['request_accuracy']:.1%}\n"
        f"thematique accuracy {s['thematique_accuracy']:.1%}  (on {s['thematique_messages']} messages with a topic)\n"
        f"below fallback threshold: {s['below_fallback_threshold']} of {s['messages']}\n"
        f"parse time: {1000 * elapsed / max(scores.total, 1):.1f} ms per message\n"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="path of the trained model (default: MODEL_PATH)")
    parser.add_argument("--heldout", default=str(HELDOUT), help="labelled messages (Rasa NLU YAML)")
    parser.add_argument("--training-data", default=str(TRAINING), help="folder of the training NLU data")
    parser.add_argument("--seed", type=int, default=13, help="seed of the typos of the noisy copy")
    parser.add_argument("--top", type=int, default=15, help="how many confusion pairs to print")
    parser.add_argument("--errors", action="store_true", help="also print every misclassified message")
    parser.add_argument("--json", help="also write the summary figures to this JSON file")
    args = parser.parse_args(argv)

    out = sys.stdout
    heldout = read_nlu_file(Path(args.heldout))
    print_training_counts(Path(args.training_data), heldout, out)

    from bot.nlu_model import TrainedModel

    started = time.perf_counter()
    model = TrainedModel(args.model)
    out.write(f"\nmodel {model.path} loaded in {time.perf_counter() - started:.1f} s\n")
    try:
        clean, clean_errors, clean_time = run(model, heldout)
        print_scores("Held-out set", clean, clean_errors, clean_time, args.top, args.errors, out)
        dirty, dirty_errors, dirty_time = run(model, heldout, lambda t: noisy(t, args.seed))
        print_scores(f"Noisy copy (no accents, seeded typos, seed {args.seed})", dirty, dirty_errors,
                     dirty_time, args.top, args.errors, out)
        gibberish_parses = [model.parse(text) for text in GIBBERISH]
    finally:
        model.close()

    out.write("\n== Fallback threshold (clean held-out set; gibberish caught = below it or out_of_scope) ==\n")
    gibberish = [classify_parse(model_parse) for model_parse in gibberish_parses]
    out.write(f"{'threshold':>9} {'held-out below':>15} {'accuracy above':>15} {'gibberish caught':>17}\n")
    for threshold, below, accuracy in clean.threshold_sweep():
        caught = sum(g.confidence < threshold or g.request == "hors_sujet" for g in gibberish)
        out.write(f"{threshold:9.2f} {below:15.1%} {accuracy:15.1%} {caught:>10} of {len(gibberish)}\n")

    a, b = summary(clean), summary(dirty)
    out.write("\n== Summary ==\n")
    out.write(f"{'':22} {'clean':>7} {'noisy':>7} {'loss':>6}\n")
    for key in ("intent_accuracy", "request_accuracy", "thematique_accuracy", "macro_f1"):
        out.write(f"{key:22} {a[key]:7.1%} {b[key]:7.1%} {100 * (a[key] - b[key]):+6.1f}\n"
                  if key != "macro_f1" else
                  f"{key:22} {a[key]:7.3f} {b[key]:7.3f} {a[key] - b[key]:+6.3f}\n")
    if args.json:
        Path(args.json).write_text(json.dumps({"clean": a, "noisy": b}, indent=2) + "\n")
    return 0
