"""`python -m bot answers export`: the database's answers written back to the repository.

So that git (and the next deployment's model) agree with what residents get. The
writer changes as little as it can, so that `git diff` shows the edit and nothing
else, and a round trip with nothing changed leaves every file byte-identical:

- a file none of whose responses changed is not written at all;
- a changed text on a one-line `text: "..."` is rewritten on that line only;
- any other change (buttons, variations added or removed, a text on several lines)
  rewrites that response's block, and only it;
- the result is read back and must be exactly the database's answers, or nothing is written.

References added from the desk are appended to data/references.yml, and `checked`
dates later than data/answers/checks.yml's are written into it (when it exists).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answers.models import Answer, AnswerReference
from bot.answers.references import REFERENCES_FILE, file_entries, normalised
from bot.answers.seed import CHECKS_RELATIVE, read_checks
from bot.settings import ROOT
from bot.yaml_files import load_yaml

KEY_LINE = re.compile(r"^  (?P<key>[^\s#][^:]*|\"[^\"]+\"):\s*(?:#.*)?$")
TEXT_LINE = re.compile(r"^(?P<prefix>\s*(?:- )?text:\s*)(?P<value>.*?)\s*$")
VARIATION_START = re.compile(r"^    - ")


class ExportError(RuntimeError):
    pass


@dataclass
class ExportReport:
    files: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def scalar(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()


def emit(value, indent: int) -> list[str]:
    """A YAML block for a list of dicts / dict / scalar, in the domain files' style."""
    pad = " " * indent
    lines = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = emit(item, indent + 2)
                lines.append(pad + "- " + inner[0][indent + 2 :])
                lines += inner[1:]
            else:
                lines.append(pad + "- " + scalar(item))
        return lines
    for key, item in value.items():
        if isinstance(item, (list, dict)) and item:
            lines.append(f"{pad}{key}:")
            lines += emit(item, indent + 2)
        else:
            lines.append(f"{pad}{key}: {scalar(item)}")
    return lines


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Response name -> (first line of its variations, end), within the `responses:` section."""
    blocks, start, current = {}, None, None
    in_responses = False
    for index, line in enumerate(lines):
        if re.match(r"^\S", line):
            if current is not None:
                blocks[current] = (start, index)
                current = None
            in_responses = line.startswith("responses:")
            continue
        if not in_responses:
            continue
        match = KEY_LINE.match(line.rstrip("\n"))
        if match:
            if current is not None:
                blocks[current] = (start, index)
            current = load_yaml(match.group("key")) if match.group("key").startswith('"') else match.group("key")
            start = index + 1
    if current is not None:
        blocks[current] = (start, len(lines))
    # A block ends before its trailing blank lines and comments.
    for key, (first, end) in blocks.items():
        while end > first and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        blocks[key] = (first, end)
    return blocks


def _only_texts_differ(old: list[dict], new: list[dict]) -> bool:
    if len(old) != len(new):
        return False
    for a, b in zip(old, new):
        if {k: v for k, v in a.items() if k != "text"} != {k: v for k, v in b.items() if k != "text"}:
            return False
        if ("text" in a) != ("text" in b):
            return False
    return True


def _rewrite_texts(lines: list[str], first: int, end: int, old: list[dict], new: list[dict]) -> bool:
    """Replace the changed one-line texts in place; False when a text is not on one line."""
    starts = [i for i in range(first, end) if VARIATION_START.match(lines[i])]
    if len(starts) != len(old):
        return False
    bounds = list(zip(starts, [*starts[1:], end]))
    edits = {}
    for (a, b), before, after in zip(bounds, old, new):
        if before.get("text") == after.get("text"):
            continue
        for i in range(a, b):
            match = TEXT_LINE.match(lines[i].rstrip("\n"))
            if not match:
                continue
            try:
                parsed = load_yaml("x: " + match.group("value"))
            except yaml.YAMLError:
                return False
            if parsed != {"x": before.get("text")}:
                return False
            ending = "\n" if lines[i].endswith("\n") else ""
            edits[i] = match.group("prefix") + scalar(after["text"]) + ending
            break
        else:
            return False
    for i, line in edits.items():
        lines[i] = line
    return True


def write_responses(path: Path, wanted: dict[str, list[dict]]) -> list[str]:
    """Bring the responses of one domain file to `wanted`; the names of those changed."""
    original = path.read_text(encoding="utf-8")
    current = (load_yaml(original) or {}).get("responses") or {}
    changed = [key for key, variations in wanted.items() if key in current and current[key] != variations]
    if not changed:
        return []
    lines = original.splitlines(keepends=True)
    # From the bottom up, so that earlier blocks keep their line numbers.
    blocks = _blocks(lines)
    for key in sorted(changed, key=lambda k: blocks[k][0], reverse=True):
        first, end = blocks[key]
        old, new = current[key], wanted[key]
        if _only_texts_differ(old, new) and _rewrite_texts(lines, first, end, old, new):
            continue
        lines[first:end] = [line + "\n" for line in emit(new, 4)]
    text = "".join(lines)
    check = (load_yaml(text) or {}).get("responses") or {}
    for key, variations in wanted.items():
        if key in current and check.get(key) != variations:
            raise ExportError(f"{path.name}: {key} would not read back as the database holds it; nothing written")
    path.write_text(text, encoding="utf-8")
    return changed


def append_references(session: Session, path: Path) -> list[str]:
    listed = {(str(e.get("kind")), normalised(str(e.get("kind")), str(e.get("value")))) for e in file_entries(path)}
    new = [
        r
        for r in session.execute(select(AnswerReference).order_by(AnswerReference.id)).scalars()
        if (r.kind, normalised(r.kind, r.value)) not in listed
    ]
    if not new:
        return []
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    for r in new:
        text += (
            f"  - value: {scalar(r.value)}\n    kind: {r.kind}\n    what: {scalar(r.what)}\n"
            f"    source: {scalar(r.source)}\n"
        )
    path.write_text(text, encoding="utf-8")
    return [r.value for r in new]


def write_checked_dates(session: Session, path: Path) -> list[str]:
    """Write later `checked` dates into checks.yml, on the answer's `checked:` line (added if missing)."""
    if not path.exists():
        return []
    in_file = read_checks(path)
    later = {
        a.key: a.checked_on
        for a in session.execute(select(Answer).where(Answer.checked_on.is_not(None))).scalars()
        if a.key in in_file and (in_file[a.key]["checked"] is None or a.checked_on > in_file[a.key]["checked"])
    }
    if not later:
        return []
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    done = []
    for key, checked in later.items():
        names = {key, key.removeprefix("utter_")}
        for index, line in enumerate(lines):
            match = re.match(r"^(\s*)(\"?)([^\s\"#:][^:\"]*)\2:\s*$", line.rstrip("\n"))
            if not match or match.group(3) not in names:
                continue
            indent = len(match.group(1))
            child = None
            end = index + 1
            while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
                inner = re.match(r"^(\s*)checked:\s*(.*?)\s*$", lines[end].rstrip("\n"))
                if inner and child is None:
                    child = end
                end += 1
            if child is not None:
                pad = re.match(r"^(\s*)", lines[child]).group(1)
                lines[child] = f"{pad}checked: {checked.isoformat()}\n"
            else:
                pad = " " * (indent + 2)
                lines.insert(index + 1, f"{pad}checked: {checked.isoformat()}\n")
            done.append(key)
            break
    path.write_text("".join(lines), encoding="utf-8")
    return done


def export(session: Session, root: Path | None = None) -> ExportReport:
    """Write into the checkout at `root` (default: this one)."""
    root = root or ROOT
    report = ExportReport()
    by_file: dict[str, dict[str, list[dict]]] = {}
    for answer in session.execute(select(Answer).where(Answer.retired.is_(False))).scalars():
        by_file.setdefault(answer.domain_file, {})[answer.key] = answer.variations
    for relative_path, wanted in sorted(by_file.items()):
        path = root / relative_path
        if not path.exists():
            continue
        changed = write_responses(path, wanted)
        if changed:
            report.files.append(relative_path)
            report.answers += changed
    report.references = append_references(session, root / REFERENCES_FILE.relative_to(ROOT))
    report.checks = write_checked_dates(session, root / CHECKS_RELATIVE)
    return report
