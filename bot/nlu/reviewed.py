"""Labels from the review inbox become training examples (issue 17).

A review item labelled "answer" in the desk (bot/review/models.py: `label == "answer"`,
`label_answer` the answer key as the classifier names it, "faq_email/spams", or a
conversational intent) is a message a resident really wrote, with its right answer.

- `export_reviewed(session, folder)`: `python -m bot nlu export-reviewed` writes the items not
  yet exported into `data/nlu/reviewed_<topic>.yml` (one file per topic, appended, no
  duplicates) and marks them exported;
- `examples_for_retrain(session, folder)`: every labelled example a retrain adds to the
  training data, without writing anything (the worker trains on a temporary copy).

Both refuse an item whose text copies a held-out message exactly or nearly (the one check,
bot/nlu/near_copy.py): training on it would make the held-out figures lie. They also refuse
a label the training data does not know (an answer key renamed or removed since).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.classification import base_intent
from bot.db import utcnow
from bot.nlu.evaluation import Example, read_nlu_file, read_nlu_folder, strip_entities
from bot.nlu.near_copy import CopyIndex, heldout_texts, squash
from bot.review.models import ReviewItem, ReviewLabel

HEADER = (
    "# Examples from the review inbox, labelled in the desk (issue 17).\n"
    "# Written by `python -m bot nlu export-reviewed`: residents' messages as stored (redacted),\n"
    "# each under the answer a conseiller chose. Edit or remove freely; new ones are appended.\n"
)
PREFIX = "reviewed_"
CONVERSATION = "conversation"


@dataclass
class Refused:
    item_id: int
    text: str
    label: str
    why: str  # "held-out" (with the message it copies) or "unknown label"


@dataclass
class Selection:
    """What the labelled items give: new examples (with their items), refusals, duplicates."""

    examples: list[Example] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)  # the items of `examples`, in order
    refused: list[Refused] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # items whose text is already trained on


def topic_of(label: str) -> str:
    """The file a label's examples go to: the help intent (`faq_email`, `urgence`), else conversation."""
    base = base_intent(label)
    return base if base.startswith("faq_") or base == "urgence" else CONVERSATION


def clean_example(text: str) -> str:
    """One line, no entity markup: what a training example may hold."""
    return re.sub(r"\s+", " ", strip_entities(text or "")).strip()


def labelled_items(session: Session, only_new: bool) -> list[ReviewItem]:
    query = select(ReviewItem).where(ReviewItem.label == ReviewLabel.ANSWER, ReviewItem.label_answer.is_not(None))
    if only_new:
        query = query.where(ReviewItem.exported_at.is_(None))
    return list(session.execute(query.order_by(ReviewItem.id)).scalars())


def select_examples(items: list[ReviewItem], training: list[Example], heldout: CopyIndex) -> Selection:
    known = {e.intent for e in training}
    trained = {squash(e.text) for e in training}
    chosen = Selection()
    for item in items:
        text, label = clean_example(item.text), item.label_answer.strip()
        if label not in known:
            chosen.refused.append(Refused(item.id, text, label, "unknown label"))
            continue
        copied = heldout.copied(text)
        if copied is not None or not squash(text):
            chosen.refused.append(Refused(item.id, text, label, f"held-out: {copied}" if copied else "empty"))
            continue
        if squash(text) in trained:
            chosen.duplicates.append(item.id)
            continue
        trained.add(squash(text))
        chosen.examples.append(Example(text, label))
        chosen.item_ids.append(item.id)
    return chosen


def examples_for_retrain(session: Session, folder: Path, heldout: CopyIndex | None = None) -> Selection:
    """Every labelled example not already in `folder` (data/nlu): what a retrain adds. Writes nothing."""
    return select_examples(
        labelled_items(session, only_new=False), read_nlu_folder(folder), heldout or CopyIndex(heldout_texts())
    )


def render_reviewed(examples: list[Example]) -> str:
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example.text)
    lines = ['version: "3.1"', "", "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {text}" for text in by_intent[intent]]
    return HEADER + "\n".join(lines) + "\n"


def write_examples(folder: Path, examples: list[Example]) -> list[Path]:
    """Append `examples` to their topic's reviewed file (created with its header); the paths written."""
    by_topic: dict[str, list[Example]] = {}
    for example in examples:
        by_topic.setdefault(topic_of(example.intent), []).append(example)
    written = []
    for topic, new in sorted(by_topic.items()):
        path = Path(folder) / f"{PREFIX}{topic}.yml"
        old = read_nlu_file(path, keep_entities=True) if path.exists() else []
        path.write_text(render_reviewed(old + new), encoding="utf-8")
        written.append(path)
    return written


def export_reviewed(session: Session, folder: Path, heldout: CopyIndex | None = None) -> tuple[Selection, list[Path]]:
    """Write the labelled items not yet exported into `folder`; mark them (and the duplicates) exported.

    Refused items stay unexported: fix the label in the desk, or leave them (they are reported
    at each export)."""
    chosen = select_examples(
        labelled_items(session, only_new=True), read_nlu_folder(folder), heldout or CopyIndex(heldout_texts())
    )
    paths = write_examples(folder, chosen.examples)
    now = utcnow()
    for item in session.execute(
        select(ReviewItem).where(ReviewItem.id.in_(chosen.item_ids + chosen.duplicates or [-1]))
    ).scalars():
        item.exported_at = now
    session.commit()
    return chosen, paths
