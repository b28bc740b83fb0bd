"""In-process experiments on the answer classifier: trains only our features and logistic
regressions (seconds, no `rasa train`) and scores them on a held-out set.

    .venv/bin/python scripts/answer_lab.py [--set tests/nlu/blind.yml] [--variant NAME ...]

Used to choose the design (joint vs two-stage, features, regularisation) and the decision
thresholds; the figures in README.md come from `make eval` on the trained model.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.classification import base_intent, request_of, thematique_of  # noqa: E402
from bot.nlu.evaluation import noisy, read_labelled, read_nlu_folder  # noqa: E402
from bot.nlu.features import Token, Vocabulary, feature_names  # noqa: E402
from bot.nlu.text import normalise  # noqa: E402

_nlp = None


def tokens_of(text: str) -> list[Token]:
    global _nlp
    if _nlp is None:
        from bot.nlu.french import load_french
        _nlp = load_french()
    return [Token(normalise(t.text), t.idx, t.idx + len(t.text)) for t in _nlp.tokenizer(text) if t.text.strip()]


def featurise(texts, **options):
    return [feature_names(tokens_of(t), t, **options) for t in texts]


def fit_lr(X, y, C, solver="liblinear"):
    if solver == "svc":
        from sklearn.svm import LinearSVC
        m = LinearSVC(C=C).fit(X, y)
        m.solver = "svc"
        return m
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, solver=solver, max_iter=1000, random_state=42, dual=solver == "liblinear").fit(X, y)


def proba(model, X):
    if model.solver == "svc":
        from scipy.special import softmax
        return softmax(model.decision_function(X) * 8.0, axis=1)
    if hasattr(model, "decision_function") and model.solver == "liblinear":
        from scipy.special import expit
        p = expit(model.decision_function(X))
        return p / p.sum(axis=1, keepdims=True)
    return model.predict_proba(X)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default="tests/nlu/heldout.yml")
    parser.add_argument("--C", type=float, nargs="*", default=[10.0])
    parser.add_argument("--no-asking", action="store_true")
    parser.add_argument("--no-bigrams", action="store_true")
    parser.add_argument("--no-negation", action="store_true")
    parser.add_argument("--two-stage", action="store_true")
    parser.add_argument("--solver", default="liblinear")
    parser.add_argument("--noisy", type=int, default=0)
    args = parser.parse_args()
    options = dict(asking=not args.no_asking, bigrams=not args.no_bigrams, negation=not args.no_negation)

    train = read_nlu_folder(Path("data/nlu"))
    messages = read_labelled(Path(args.set))
    t0 = time.perf_counter()
    Xtr_f = featurise([e.text for e in train], **options)
    texts = [noisy(m.text, args.noisy) if args.noisy else m.text for m in messages]
    Xte_f = featurise(texts, **options)
    vocab = Vocabulary.fit(Xtr_f)
    Xtr, Xte = vocab.transform(Xtr_f), vocab.transform(Xte_f)
    print(f"features {len(vocab.index)}, featurised in {time.perf_counter() - t0:.1f} s", flush=True)
    labels = [e.intent for e in train]
    for C in args.C:
        t0 = time.perf_counter()
        if args.two_stage:
            intents = fit_lr(Xtr, [base_intent(l) for l in labels], C, args.solver)
            pi = proba(intents, Xte)
            subs = {}
            for intent in sorted({base_intent(l) for l in labels if "/" in l}):
                rows = [i for i, l in enumerate(labels) if base_intent(l) == intent]
                ys = [labels[i] for i in rows]
                subs[intent] = fit_lr(Xtr[rows], ys, C, args.solver) if len(set(ys)) > 1 else ys[0]
            ranked = []
            for r in range(Xte.shape[0]):
                best = intents.classes_[int(np.argmax(pi[r]))]
                sub = subs.get(best)
                if sub is None:
                    ranked.append([(best, pi[r].max())])
                elif isinstance(sub, str):
                    ranked.append([(sub, pi[r].max())])
                else:
                    ps = proba(sub, Xte[r])[0]
                    order = np.argsort(-ps)[:3]
                    ranked.append([(sub.classes_[i], pi[r].max() * ps[i]) for i in order])
        else:
            model = fit_lr(Xtr, labels, C, args.solver)
            P = proba(model, Xte)
            ranked = []
            for r in range(P.shape[0]):
                order = np.argsort(-P[r])[:3]
                ranked.append([(model.classes_[i], P[r, i]) for i in order])
        fit_time = time.perf_counter() - t0
        answerable = [(m, rk) for m, rk in zip(messages, ranked) if m.answers]
        top1 = np.mean([rk[0][0] in m.answers for m, rk in answerable])
        top3 = np.mean([any(k in m.answers for k, _ in rk) for m, rk in answerable])
        them = [(m, rk) for m, rk in zip(messages, ranked) if m.thematique]
        th = np.mean([thematique_of(rk[0][0]) == m.thematique for m, rk in them])
        rq = np.mean([request_of(rk[0][0]) == m.request for m, rk in zip(messages, ranked)])
        print(f"C={C}: answer top1 {top1:.1%} top3 {top3:.1%} thematique {th:.1%} request {rq:.1%} "
              f"({len(answerable)} answerable) fit {fit_time:.1f} s", flush=True)


if __name__ == "__main__":
    main()
