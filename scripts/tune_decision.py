"""Tune the decision's thresholds (bot/nlu/decision.py) on the OLD held-out set with the
trained model's full rankings (never on the blind set: it only reports).

    .venv/bin/python scripts/tune_decision.py [--model models/current.tar.gz] [--blind]

Loads the AnswerClassifier's arrays from the model archive, tokenises like the pipeline,
and prints, for a grid of thresholds: right at once, reached after one question,
precision of the answers given, shares clarified / declined.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.nlu.answer_classifier import MODEL_FILE, JointModel  # noqa: E402
from bot.nlu.decision import decide_ranking  # noqa: E402
from bot.nlu.evaluation import read_labelled  # noqa: E402
from bot.nlu.features import Token, Vocabulary, feature_names  # noqa: E402
from bot.nlu.french import load_french  # noqa: E402
from bot.nlu.text import normalise  # noqa: E402


def load(model_path: str):
    folder = Path(tempfile.mkdtemp())
    with tarfile.open(model_path) as archive:
        archive.extractall(folder)
    component = next(folder.glob(f"**/{MODEL_FILE}")).parent
    return Vocabulary.load(component), JointModel.load(component / MODEL_FILE)


def rankings(messages, vocabulary, model):
    nlp = load_french()
    out = []
    for m in messages:
        tokens = [Token(normalise(t.text), t.idx, t.idx + len(t.text)) for t in nlp.tokenizer(m.text) if t.text.strip()]
        out.append(model.ranking(vocabulary.transform([feature_names(tokens, m.text)]))[:10])
    return out


def score(messages, ranked, **thresholds):
    help_ = [(m, decide_ranking(r, **thresholds)) for m, r in zip(messages, ranked) if m.is_help]
    answerable = [(m, d) for m, d in help_ if m.answers]
    given = [(m, d) for m, d in help_ if d.kind == "answer"]
    right = sum(d.kind == "answer" and d.answer in m.answers for m, d in answerable)
    reached = sum(
        (d.kind == "answer" and d.answer in m.answers)
        or (d.kind == "clarify" and any(k in m.answers for k, _ in d.candidates))
        for m, d in answerable
    )
    unanswerable = [(m, d) for m, d in help_ if not m.answers]
    return {
        "right": right / len(answerable),
        "reached": reached / len(answerable),
        "precision": sum(d.answer in m.answers for m, d in given) / max(1, len(given)),
        "clarify": sum(d.kind == "clarify" for _, d in help_) / len(help_),
        "decline": sum(d.kind == "decline" for _, d in help_) / len(help_),
        "unanswerable_not_answered": (sum(d.kind != "answer" for _, d in unanswerable) / len(unanswerable))
        if unanswerable
        else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--blind", action="store_true", help="also print the blind set (report only)")
    args = parser.parse_args()
    vocabulary, model = load(args.model)
    sets = [("old", read_labelled(Path("tests/nlu/heldout.yml")))]
    if args.blind:
        sets.append(("blind", read_labelled(Path("tests/nlu/blind.yml"))))
    for name, messages in sets:
        ranked = rankings(messages, vocabulary, model)
        print(f"== {name} (T={model.temperature:.2f})")
        for a, c, m in itertools.product((0.5, 0.6, 0.7, 0.8, 0.9), (0.05, 0.1, 0.15), (0.3, 0.4, 0.5)):
            s = score(messages, ranked, answer_at=a, candidate_at=c, clarify_mass=m)
            print(
                f"  answer_at {a} candidate_at {c} clarify_mass {m}: " + " ".join(f"{k} {v:.1%}" for k, v in s.items()),
                flush=True,
            )


if __name__ == "__main__":
    main()
