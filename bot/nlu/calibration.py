"""Confidence that means something: temperature scaling of the answer classifier's scores.

A linear SVM's scores rank the answers well but are not probabilities. Softmax(T x score)
over every label is one, once T is fitted so that, on messages the model did not train on,
a confidence of 0.8 is right about 8 times in 10. T is fitted by maximum likelihood on
cross-validation predictions over the TRAINING data (each fold's model never saw the
fold's examples nor their typo copies), never on a held-out set; `make eval` prints the
reliability table on the held-out sets.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax

DEFAULT_TEMPERATURE = 5.0


def probabilities(scores: np.ndarray, temperature: float) -> np.ndarray:
    return softmax(temperature * scores, axis=1)


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """The T that maximises the likelihood of the gold labels (column indices) under softmax(T x scores)."""
    rows = np.arange(len(gold))

    def loss(log_t: float) -> float:
        return float(-log_softmax(np.exp(log_t) * scores, axis=1)[rows, gold].mean())

    found = minimize_scalar(loss, bounds=(np.log(0.1), np.log(200.0)), method="bounded")
    return float(np.exp(found.x))


def reliability(confidences: np.ndarray, right: np.ndarray, edges=(0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)):
    """(low, high, count, mean confidence, share right) per confidence bin."""
    rows = []
    for low, high in zip(edges, edges[1:]):
        chosen = (confidences >= low) & (confidences < high)
        n = int(chosen.sum())
        rows.append(
            (
                low,
                min(high, 1.0),
                n,
                float(confidences[chosen].mean()) if n else 0.0,
                float(right[chosen].mean()) if n else 0.0,
            )
        )
    return rows
