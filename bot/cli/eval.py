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
from bot.nlu.evaluation import Example, Scores, answer_of, noisy, read_nlu_file, read_nlu_folder, training_counts
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
    """Classify every example; the errors are (expected, given, text): a wrong intent, or the
    right topic with another answer than the one the message is labelled with."""
    scores = Scores()
    errors = []
    start = time.perf_counter()
    for example in examples:
        text = transform(example.text) if transform else example.text
        parse = model.parse(text)
        result = classify_parse(parse)
        fallback = (parse.get("intent") or {}).get("name") == "nlu_fallback"
        given = answer_of(parse) or result.intent
        scores.add(example.intent, given, result.request, result.thematique, fallback, result.confidence)
        if scores.predicted[-1] != example.base or ("/" in example.intent and given != example.intent):
            errors.append((example.intent, given, text))
    elapsed = time.perf_counter() - start
    return scores, errors, elapsed


NOISE_SEEDS = range(1, 11)


def noisy_runs(model, examples: list[Example], seeds=NOISE_SEEDS) -> dict[str, tuple[float, float, float]]:
    """The noisy copy is one draw of typos: over several seeds, key -> (mean, min, max)."""
    runs = [summary(run(model, examples, lambda t, seed=seed: noisy(t, seed))[0]) for seed in seeds]
    return {key: (sum(r[key] for r in runs) / len(runs), min(r[key] for r in runs), max(r[key] for r in runs))
            for key in SUMMARY_KEYS}


SUMMARY_KEYS = ("intent_accuracy", "request_accuracy", "thematique_accuracy", "answer_accuracy", "macro_f1")


def summary(scores: Scores) -> dict:
    thematique, with_topic = scores.thematique_accuracy()
    answer, with_answer = scores.answer_accuracy()
    return {
        "messages": scores.total,
        "intent_accuracy": round(scores.intent_accuracy(), 4),
        "request_accuracy": round(scores.request_accuracy(), 4),
        "thematique_accuracy": round(thematique, 4),
        "thematique_messages": with_topic,
        "answer_accuracy": round(answer, 4),
        "answer_messages": with_answer,
        "macro_f1": round(scores.macro_f1(), 4),
        "below_fallback_threshold": scores.fallbacks,
    }


def print_scores(title: str, scores: Scores, errors, elapsed: float, top: int, show_errors: bool, out) -> None:
    s = summary(scores)
    out.write(f"\n== {title} ==\n")
    out.write(f"{'intent':42} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}\n")
    for intent, (p, r, f1, n) in scores.per_intent().items():
        out.write(f"{intent:42} {p:6.2f} {r:6.2f} {f1:6.2f} {n:>4}\n")
    out.write("\nTop confusions (expected -> predicted):\n")
    for gold, predicted, n in scores.confusions(top):
        out.write(f"  {n:>3}  {gold} -> {predicted}\n")
    if show_errors:
        out.write("\nMisclassified messages, and wrong answers on the right topic:\n")
        for gold, predicted, text in errors:
            out.write(f"  [{gold} -> {predicted}] {text}\n")
    out.write(
        f"\nintent accuracy     {s['intent_accuracy']:.1%}  (macro F1 {s['macro_f1']:.3f})\n"
        f"request accuracy    {s['request_accuracy']:.1%}\n"
        f"thematique accuracy {s['thematique_accuracy']:.1%}  (on {s['thematique_messages']} messages with a topic)\n"
        f"answer accuracy     {s['answer_accuracy']:.1%}  (on {s['answer_messages']} messages labelled with the answer "
        f"they should get)\n"
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
    parser.add_argument("--no-seed-sweep", action="store_true",
                        help=f"skip the noisy copies with seeds {NOISE_SEEDS.start}-{NOISE_SEEDS.stop - 1}")
    parser.add_argument("--top", type=int, default=15, help="how many confusion pairs to print")
    parser.add_argument("--errors", action="store_true", help="also print every misclassified message")
    parser.add_argument("--json", help="also write the summary figures to this JSON file")
    args = parser.parse_args(argv)

    out = sys.stdout
    heldout = read_nlu_file(Path(args.heldout))
    print_training_counts(Path(args.training_data), heldout, out)

    from bot.nlu.model import TrainedModel

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
        sweep = None if args.no_seed_sweep else noisy_runs(model, heldout)
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
    for key in SUMMARY_KEYS:
        out.write(f"{key:22} {a[key]:7.1%} {b[key]:7.1%} {100 * (a[key] - b[key]):+6.1f}\n"
                  if key != "macro_f1" else
                  f"{key:22} {a[key]:7.3f} {b[key]:7.3f} {a[key] - b[key]:+6.3f}\n")
    if sweep:
        out.write(f"\n== Noisy copies with seeds {NOISE_SEEDS.start}-{NOISE_SEEDS.stop - 1}: mean (min-max), loss of the mean ==\n")
        for key in SUMMARY_KEYS:
            mean, low, high = sweep[key]
            if key == "macro_f1":
                out.write(f"{key:22} {mean:6.3f} ({low:.3f}-{high:.3f}) {a[key] - mean:+6.3f}\n")
            else:
                out.write(f"{key:22} {mean:6.1%} ({low:.1%}-{high:.1%}) {100 * (a[key] - mean):+6.1f}\n")
    if args.json:
        figures = {"clean": a, "noisy": b}
        if sweep:
            figures["noisy_seeds"] = {key: dict(zip(("mean", "min", "max"), values)) for key, values in sweep.items()}
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0
