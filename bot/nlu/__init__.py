"""The assistant's understanding of French: our Rasa components and the tools around the model.

- `french.py`: `FrenchTokenizer`, spaCy's French tokens, loaded in about a second.
- `answer_classifier.py`: `AnswerClassifier`, one model over every answer key and
  conversational intent; writes the intent, Rasa's `response_selector`, the decision and
  the negated mentions.
- `unknown_words.py`: `UnknownWordsGuard`, a message of words never seen falls back.
- `features.py`: its features (the sentence that asks, negated words); `negation.py`: the
  negation scopes; `calibration.py`: the temperature that makes its confidence mean
  something; `decision.py`: answer, clarify or decline (the contract with the conversation);
  `text.py`: the normalised form of a word.
- `model.py`: the trained model loaded once, for batch use (classify, eval, bench).
- `evaluation.py`: the held-out set, its noisy copy, the scores.

`bot/config.yml` names the components; the figures that chose them are in README.md.
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
