"""In-process experiments on the answer classifier: our features and linear models only
(seconds to minutes, no `rasa train`), scored on the held-out sets.

    .venv/bin/python scripts/answer_lab.py [--two-stage] [--C 0.5 1 2] [--cv]

Used to choose the design (joint vs two-stage, features, regularisation), to fit the
temperature by cross-validation on the training data, and to tune the decision
thresholds on that cross-validation and the OLD held-out set; the blind set's figures are
printed for information, never used to choose. The figures in README.md come from
`make eval` on the trained model.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.classification import base_intent, request_of, thematique_of  # noqa: E402
from bot.nlu.calibration import fit_temperature, probabilities, reliability  # noqa: E402
from bot.nlu.decision import decide_ranking  # noqa: E402
from bot.nlu.evaluation import read_labelled, read_nlu_file, typo_copies  # noqa: E402
from bot.nlu.features import Token, Vocabulary, feature_names  # noqa: E402
from bot.nlu.text import normalise  # noqa: E402

_nlp = None


def tokens_of(text: str) -> list[Token]:
    global _nlp
    if _nlp is None:
        from bot.nlu.french import load_french

        _nlp = load_french()
    return [Token(normalise(t.text), t.idx, t.idx + len(t.text)) for t in _nlp.tokenizer(text) if t.text.strip()]


def hand_written() -> list:
    examples = []
    for path in sorted(Path("data/nlu").glob("*.yml")):
        if path.name != "generated_typos.yml":
            examples.extend(read_nlu_file(path))
    return examples


def fit_svc(X, y, C):
    from sklearn.svm import LinearSVC

    return LinearSVC(C=C).fit(X, y)


def rankings(model, X, temperature, top=5):
    P = probabilities(model.decision_function(X), temperature)
    out = []
    for row in P:
        order = np.argsort(-row)[:top]
        out.append([(str(model.classes_[i]), float(row[i])) for i in order])
    return out


def report(name, messages, ranked, out=sys.stdout):
    answerable = [(m, r) for m, r in zip(messages, ranked) if m.answers]
    top1 = np.mean([r[0][0] in m.answers for m, r in answerable])
    top3 = np.mean([any(k in m.answers for k, _ in r[:3]) for m, r in answerable])
    them = [(m, r) for m, r in zip(messages, ranked) if m.thematique]
    th = np.mean([thematique_of(r[0][0]) == m.thematique for m, r in them])
    rq = np.mean([request_of(r[0][0]) == m.request for m, r in zip(messages, ranked)])
    th2 = np.mean([next((thematique_of(k) for k, _ in r if thematique_of(k)), None) == m.thematique for m, r in them])
    by_request = {}
    for m, r in them:
        by_request.setdefault(m.request, []).append(thematique_of(r[0][0]) == m.thematique)
    out.write(
        f"  {name}: answer top1 {top1:.1%} top3 {top3:.1%} thematique {th:.1%} (of the best candidate with one: "
        f"{th2:.1%}) request {rq:.1%}\n"
    )
    out.write(
        "    thematique by request: "
        + ", ".join(f"{k} {np.mean(v):.1%} (n={len(v)})" for k, v in by_request.items())
        + "\n"
    )


def decisions(name, messages, ranked, thresholds, out=sys.stdout):
    help_ = [(m, r) for m, r in zip(messages, ranked) if m.is_help]
    ds = [(m, decide_ranking(r, **thresholds)) for m, r in help_]
    answerable = [(m, d) for m, d in ds if m.answers]
    unans = [(m, d) for m, d in ds if not m.answers]
    given = [(m, d) for m, d in ds if d.kind == "answer"]
    right = np.mean([d.kind == "answer" and d.answer in m.answers for m, d in answerable])
    reached = np.mean(
        [
            (d.kind == "answer" and d.answer in m.answers)
            or (d.kind == "clarify" and any(k in m.answers for k, _ in d.candidates))
            for m, d in answerable
        ]
    )
    precision = np.mean([d.answer in m.answers for m, d in given]) if given else 0
    clar = np.mean([d.kind == "clarify" for m, d in ds])
    decl = np.mean([d.kind == "decline" for m, d in ds])
    un = np.mean([d.kind != "answer" for m, d in unans]) if unans else float("nan")
    out.write(
        f"  {name} {thresholds}: right {right:.1%} reached {reached:.1%} precision {precision:.1%} "
        f"clarify {clar:.1%} decline {decl:.1%} unanswerable-not-answered {un:.1%}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--C", type=float, nargs="*", default=[1.0])
    parser.add_argument("--two-stage", action="store_true")
    parser.add_argument("--cv", action="store_true", help="fit the temperature by 3-fold cross-validation")
    parser.add_argument("--temperature", type=float, default=5.0)
    parser.add_argument("--blind", action="store_true", help="also print the blind set's figures")
    parser.add_argument("--no-asking", action="store_true")
    parser.add_argument("--no-negation", action="store_true")
    parser.add_argument("--no-bigrams", action="store_true")
    parser.add_argument("--no-phonetic", action="store_true")
    parser.add_argument("--no-formulas", action="store_true")
    args = parser.parse_args()
    options = dict(
        asking=not args.no_asking,
        negation=not args.no_negation,
        bigrams=not args.no_bigrams,
        phonetic=not args.no_phonetic,
        formulas=not args.no_formulas,
    )
    t0 = time.perf_counter()
    base = hand_written()
    copies = [typo_copies([e]) for e in base]
    texts = [e.text for e in base] + [c[0].text for c in copies if c]
    labels = [e.intent for e in base] + [c[0].intent for c in copies if c]
    origin = list(range(len(base))) + [i for i, c in enumerate(copies) if c]
    sets = {"old": read_labelled(Path("tests/nlu/heldout.yml"))}
    if args.blind:
        sets["blind"] = read_labelled(Path("tests/nlu/blind.yml"))
    feats = [feature_names(tokens_of(t), t, **options) for t in texts]
    set_feats = {k: [feature_names(tokens_of(m.text), m.text, **options) for m in v] for k, v in sets.items()}
    print(
        f"{len(base)} examples + {len(texts) - len(base)} typo copies, featurised in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    vocab = Vocabulary.fit(feats)
    X = vocab.transform(feats)
    Xs = {k: vocab.transform(v) for k, v in set_feats.items()}
    y = np.array(labels)
    for C in args.C:
        t0 = time.perf_counter()
        temperature = args.temperature
        if args.cv:
            folds = np.array([o % 3 for o in origin])
            scores, gold = [], []
            for k in range(3):
                model = fit_svc(X[folds != k], y[folds != k], C)
                held = np.where((folds == k) & (np.arange(len(origin)) < len(base)))[0]
                s = model.decision_function(X[held])
                index = {c: i for i, c in enumerate(model.classes_)}
                keep = [i for i, h in enumerate(held) if y[h] in index]
                scores.append(s[keep])
                gold.extend(index[y[held[i]]] for i in keep)
            scores, gold = np.vstack(scores), np.array(gold)
            temperature = fit_temperature(scores, gold)
            P = probabilities(scores, temperature)
            conf = P.max(axis=1)
            right = P.argmax(axis=1) == gold
            print(f"C={C}: CV top1 {right.mean():.1%}, temperature {temperature:.2f}")
            for row in reliability(conf, right):
                print("   CV %.2f-%.2f n=%d conf %.2f right %.1f%%" % (row[0], row[1], row[2], row[3], 100 * row[4]))
            np.save("/tmp/cv_scores.npy", scores)
            np.save("/tmp/cv_gold.npy", gold)
        model = fit_svc(X, y, C)
        print(f"C={C}: fitted in {time.perf_counter() - t0:.1f} s (T={temperature:.2f})", flush=True)
        for name, messages in sets.items():
            if args.two_stage:
                ranked = two_stage(X, y, Xs[name], C, temperature)
            else:
                ranked = rankings(model, Xs[name], temperature)
            report(name, messages, ranked)
            for a, m, c in (
                (0.5, 0.1, 0.5),
                (0.6, 0.1, 0.5),
                (0.7, 0.1, 0.5),
                (0.6, 0.15, 0.6),
                (0.7, 0.15, 0.6),
                (0.8, 0.1, 0.5),
            ):
                decisions(name, messages, ranked, dict(answer_at=a, candidate_at=m, clarify_mass=c))


def two_stage(X, y, Xt, C, temperature):
    intents = np.array([base_intent(label) for label in y])
    first = fit_svc(X, intents, C)
    Pi = probabilities(first.decision_function(Xt), temperature)
    subs = {}
    for intent in sorted(set(intents)):
        rows = np.where(intents == intent)[0]
        if len(set(y[rows])) > 1:
            subs[intent] = fit_svc(X[rows], y[rows], C)
    ranked = []
    for r in range(Xt.shape[0]):
        row = []
        for i in np.argsort(-Pi[r])[:2]:
            intent = first.classes_[i]
            if intent in subs:
                ps = probabilities(subs[intent].decision_function(Xt[r]), temperature)[0]
                row.extend((str(subs[intent].classes_[j]), Pi[r, i] * ps[j]) for j in np.argsort(-ps)[:3])
            else:
                row.append((str(intent) if "/" not in intent else intent, Pi[r, i]))
        ranked.append(sorted(row, key=lambda kv: -kv[1]))
    return ranked


if __name__ == "__main__":
    main()
