"""`python -m bot augment`: write the typo copies of the training examples.

Residents type without accents and with typos; the model learns that from
a seeded typo copy of every example (bot.nlu.evaluation.typo_copies), written
to data/nlu/generated_typos.yml. `make train` runs it first, so the copies
always follow the hand-written data. The held-out set is never read here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.nlu.evaluation import read_nlu_file, render_nlu, typo_copies
from bot.settings import ROOT

NLU = ROOT / "data" / "nlu"
GENERATED = NLU / "generated_typos.yml"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot augment", description=__doc__)
    parser.add_argument("--out", default=str(GENERATED))
    args = parser.parse_args(argv)
    out = Path(args.out)
    examples = []
    for path in sorted(NLU.glob("**/*.yml")):
        if path.resolve() != out.resolve():
            examples.extend(read_nlu_file(path, keep_entities=True))
    copies = typo_copies(examples)
    text = render_nlu(copies)
    if not out.exists() or out.read_text(encoding="utf-8") != text:  # keep make's timestamps still
        out.write_text(text, encoding="utf-8")
    print(f"{len(copies)} typo copies of {len(examples)} examples -> {out}")
    return 0
