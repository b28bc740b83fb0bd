"""`python -m bot eval`: NLU figures on the held-out sets and on their noisy copies.

Two held-out sets and three dev sets, never given to `rasa train` (tests/nlu/test_nlu_data.py
fails if one of their messages is copied into data/nlu/):

- tests/nlu/blind.yml, the blind set: written by someone who never read data/nlu/,
  before the training examples it judges; each message with every answer that fits it
  (none: no answer in the catalogue), its request, thematique and style tags;
- tests/nlu/heldout.yml, the older set (one label per message);
- three dev sets written blind too, tests/nlu/dev_no_answer.yml (questions without an answer
  in the catalogue), tests/nlu/dev_answerable.yml (hard questions it answers), on which
  the thematique of a question not answered at once was chosen, and tests/nlu/dev_scope.yml
  (digital questions told as everyday life, and everyday messages that are not digital help:
  is the scope right?): their figures guide choices, the targets are the blind set's.

The model is loaded once; every message goes through the classification contract
(bot.classification) and the decision (bot.nlu.decision: answer, clarify, decline).
Printed for each set: the answer figures of the targets (first answer, reached after one
clarifying question, precision of the answers given, shares answered / clarified /
declined, unanswerable questions not answered), thematique and request accuracy, a
per-style breakdown, the confusion pairs, a reliability table of the calibrated
confidence, then the same figures on a noisy copy (accents stripped, seeded typos) and
the mean over ten other seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bot.classification import classify_parse
from bot.nlu.evaluation import (
    DecisionScores,
    Example,
    Labelled,
    Scores,
    answer_of,
    decide_all,
    noisy,
    read_labelled,
    read_nlu_file,
    read_nlu_folder,
    training_counts,
)
from bot.nlu.near_copy import BLIND, DEV_ANSWERABLE, DEV_NO_ANSWER, DEV_SCOPE, HELDOUT
from bot.settings import ROOT, get_settings

DEV_SETS = (
    ("Dev set, questions without an answer (choices made on it)", DEV_NO_ANSWER),
    ("Dev set, hard questions with an answer (choices made on it)", DEV_ANSWERABLE),
    ("Dev set, everyday life: digital help or not (choices made on it)", DEV_SCOPE),
)
TRAINING = ROOT / "data" / "nlu"
MIN_EXAMPLES = 40
# Not French, not words: what the fallback (rephrase, then a conseiller) should catch.
GIBBERISH = [
    "xqzw plokj vbnmz",
    "azertyuiop",
    "fhdjskqlm gjfkd",
    "kkkkkkk",
    "??? !!!",
    "lol mdr ptdr",
    "Wie spät ist es bitte",
    "where is the train station please",
    "¿dónde está la estación?",
    "ne zaman açıksınız",
    "hhhh bbbb",
    "zzz",
]
NOISE_SEEDS = range(1, 11)
# The figures the targets speak of, as (key, label); shares printed as percentages.
TARGET_KEYS = (
    ("answer_accuracy", "right answer at once (answerable messages)"),
    ("reached_after_one_question", "right answer at once or after one question"),
    ("best_candidate_accuracy", "best candidate right (before the decision)"),
    ("precision_of_answers", "precision of the answers given"),
    ("answered", "help messages answered"),
    ("clarified", "help messages clarified"),
    ("declined", "help messages declined"),
    ("clarified_of_all_messages", "clarifying questions, of all messages"),
    ("unanswerable_declined_or_clarified", "no answer in the catalogue: declined or clarified"),
    ("thematique_accuracy", "thematique"),
    ("request_accuracy", "request"),
)


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
        low = (
            "  < %d" % MIN_EXAMPLES
            if (intent.startswith("faq_") or intent == "urgence") and entry["examples"] < MIN_EXAMPLES
            else ""
        )
        missing = "  NOT TRAINED" if intent in held and intent not in counts else ""
        out.write(
            f"{intent:42} {entry['examples']:>8} {len(subs):>5} "
            f"{(min(subs.values()) if subs else 0):>7} {held.get(intent, 0):>8}{low}{missing}\n"
        )
    total = sum(entry["examples"] for entry in counts.values())
    out.write(f"{len(counts)} intents, {total} training examples; old held-out: {len(heldout)} messages\n")


def run(model, examples: list[Example], transform=None) -> tuple[Scores, list[tuple[str, str, str]], float]:
    """The old set's intent-level scores: classify every example; the errors are (expected, given, text)."""
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
    return scores, errors, time.perf_counter() - start


def noisy_figures(model, messages: list[Labelled], seeds=NOISE_SEEDS) -> dict[str, tuple[float, float, float]]:
    """The noisy copy is one draw of typos: over several seeds, key -> (mean, min, max)."""
    runs = [decide_all(model, messages, lambda t, seed=seed: noisy(t, seed))[0].figures() for seed in seeds]
    keys = [k for k, _ in TARGET_KEYS]
    return {
        key: (sum(r[key] for r in runs) / len(runs), min(r[key] for r in runs), max(r[key] for r in runs))
        for key in keys
    }


def noisy_runs(model, examples: list[Example], seeds=NOISE_SEEDS) -> dict[str, tuple[float, float, float]]:
    """The old set's intent-level scores over several noisy seeds: key -> (mean, min, max)."""
    runs = [summary(run(model, examples, lambda t, seed=seed: noisy(t, seed))[0]) for seed in seeds]
    return {
        key: (sum(r[key] for r in runs) / len(runs), min(r[key] for r in runs), max(r[key] for r in runs))
        for key in SUMMARY_KEYS
    }


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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def print_decisions(
    title: str,
    scores: DecisionScores,
    times: list[float],
    top: int,
    show_errors: bool,
    out,
    reliability: bool = True,
    styles: bool = True,
) -> dict:
    f = scores.figures()
    out.write(f"\n== {title} ==\n")
    out.write(
        f"{f['messages']} messages: {f['help_messages']} help messages ({f['answerable']} with an answer in "
        f"the catalogue, {f['unanswerable']} without), {f['answers_given']} answers given\n"
    )
    for key, label in TARGET_KEYS:
        out.write(f"  {label:52} {f[key]:6.1%}\n")
    if times:
        out.write(
            f"  parse time: mean {1000 * sum(times) / len(times):.1f} ms, p95 {1000 * percentile(times, 0.95):.1f} ms\n"
        )
    if styles:
        out.write(f"\n  {'style':16} {'n':>4} {'answer':>7} {'reached':>8} {'thematique':>10}\n")
        for style, row in scores.per_style().items():
            out.write(
                f"  {style:16} {row['messages']:>4} {row['answer_accuracy']:7.1%} {row['reached']:8.1%} "
                f"{row['thematique_accuracy']:10.1%}\n"
            )
    out.write("\n  Confusions (expected answer -> given answer or best candidate):\n")
    for gold, guess, n in scores.confusions(top):
        out.write(f"    {n:>3}  {gold} -> {guess}\n")
    if reliability:
        out.write(
            f"\n  Reliability of the best candidate's confidence (help messages):\n"
            f"  {'confidence':>12} {'n':>5} {'mean conf':>10} {'right':>7}\n"
        )
        for low, high, n, mean, right in scores.reliability():
            out.write(f"  {low:5.2f}-{high:4.2f}  {n:>5} {mean:10.2f} {right:7.1%}\n")
    if show_errors:
        out.write("\n  Errors [expected | decision: given / candidates | thematique | request]:\n")
        for o in scores.errors():
            out.write(
                f"    [{', '.join(o.message.answers) or o.message.intent or 'no answer'} | {o.decision}: "
                f"{o.answer} / {', '.join(o.candidates)} | {o.thematique} | {o.request}] {o.text}\n"
            )
    return f


def evaluate_set(model, name: str, messages: list[Labelled], args, out) -> dict:
    clean, times = decide_all(model, messages)
    figures = {"clean": print_decisions(f"{name}: {len(messages)} messages", clean, times, args.top, args.errors, out)}
    figures["clean"]["parse_p95_ms"] = round(1000 * percentile(times, 0.95), 2)
    dirty, _ = decide_all(model, messages, lambda t: noisy(t, args.seed))
    figures["noisy"] = print_decisions(
        f"{name}, noisy copy (no accents, seeded typos, seed {args.seed})",
        dirty,
        [],
        args.top,
        False,
        out,
        reliability=False,
        styles=False,
    )
    if not args.no_seed_sweep:
        sweep = noisy_figures(model, messages)
        figures["noisy_seeds"] = {key: dict(zip(("mean", "min", "max"), v)) for key, v in sweep.items()}
        out.write(
            f"\n  {name}, noisy copies with seeds {NOISE_SEEDS.start}-{NOISE_SEEDS.stop - 1}: "
            f"mean (min-max), loss of the mean\n"
        )
        for key, label in TARGET_KEYS:
            mean, low, high = sweep[key]
            out.write(
                f"    {label:52} {mean:6.1%} ({low:.1%}-{high:.1%}) {100 * (figures['clean'][key] - mean):+5.1f}\n"
            )
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot eval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", help="path of the trained model (default: MODEL_PATH)")
    parser.add_argument("--blind", default=str(BLIND), help="the blind set (messages: ...); skipped if absent")
    parser.add_argument("--heldout", default=str(HELDOUT), help="the old held-out set (Rasa NLU YAML)")
    parser.add_argument("--no-dev", action="store_true", help="skip the three dev sets")
    parser.add_argument("--training-data", default=str(TRAINING), help="folder of the training NLU data")
    parser.add_argument("--seed", type=int, default=13, help="seed of the typos of the noisy copy")
    parser.add_argument(
        "--no-seed-sweep",
        action="store_true",
        help=f"skip the noisy copies with seeds {NOISE_SEEDS.start}-{NOISE_SEEDS.stop - 1}",
    )
    parser.add_argument("--top", type=int, default=15, help="how many confusion pairs to print")
    parser.add_argument("--errors", action="store_true", help="also print every message it got wrong")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    out = sys.stdout
    old = read_nlu_file(Path(args.heldout))
    print_training_counts(Path(args.training_data), old, out)
    sets = []
    if Path(args.blind).exists():
        sets.append(("Blind set", read_labelled(Path(args.blind))))
    sets.append(("Old held-out set", read_labelled(Path(args.heldout))))
    if not args.no_dev:
        sets += [(title, read_labelled(path)) for title, path in DEV_SETS if path.exists()]

    from bot.nlu.model import TrainedModel

    started = time.perf_counter()
    model = TrainedModel(args.model or get_settings().model_path)
    out.write(f"\nmodel {model.path} loaded in {time.perf_counter() - started:.1f} s\n")
    figures = {}
    try:
        for name, messages in sets:
            figures[name] = evaluate_set(model, name, messages, args, out)
        gibberish = [classify_parse(model.parse(text)) for text in GIBBERISH]
    finally:
        model.close()
    caught = sum(g.request == "hors_sujet" for g in gibberish)
    out.write(f"\n== Gibberish and other languages: {caught} of {len(gibberish)} taken as out of scope ==\n")
    out.write("\n== Summary (clean / noisy seed %d / loss) ==\n" % args.seed)
    for name, f in figures.items():
        out.write(f"{name}\n")
        for key, label in TARGET_KEYS:
            a, b = f["clean"][key], f["noisy"][key]
            out.write(f"  {label:52} {a:6.1%} {b:6.1%} {100 * (a - b):+5.1f}\n")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0
