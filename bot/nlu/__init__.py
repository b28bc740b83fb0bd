"""The assistant's understanding of French: our Rasa components and the tools around the model.

- `french.py`: `FrenchTokenizer`, spaCy's French tokens, loaded in about a second.
- `intents.py`: `LinearIntentClassifier`, the intent by logistic regression.
- `answers.py`: `AnswerSelector`, which picks the answer of a retrieval intent
  (`faq_email/mot_de_passe_oublie`) as Rasa's ResponseSelector does, without TensorFlow.
- `linear.py`: the logistic regression both use, stored as plain arrays.
- `model.py`: the trained model loaded once, for batch use (classify, eval, bench).
- `evaluation.py`: the held-out set, its noisy copy, the scores.

`bot/config.yml` names the three components; the figures that chose them are in README.md.
"""
from __future__ import annotations

import hashlib
import sys


def source_fingerprint(*module_names: str) -> str:
    """A hash of these modules' source, for Rasa's training cache (`fingerprint_addon`).

    Rasa reuses a trained component from `.rasa/` when its configuration and inputs
    did not change; it does not look at the component's code. Our components add
    their code to what it compares, so that editing them retrains them.
    """
    digest = hashlib.sha256()
    for name in module_names:
        with open(sys.modules[name].__file__, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()
