"""No module outside bot/texts/ writes a text it sends to a resident: the catalogue is the one home.

The rule, read from the source (AST), over bot/** and actions/** but bot/texts/ and bot/migrations/:

1. **Sending calls get no literal.** The text argument of a call that sends or says
   something to a resident is never a string literal, an f-string, or an expression
   built on one ("..." + x, "..." % x, "...".format(x)): `utter_message(text=)`,
   `send_sms(body=)`, `reply(to, text)` (bot/sms/intake.py), `said(sender, *texts)`
   (bot/web/channel.py), `tell_resident(session, hold, text)`, the voice channel's
   `Reply([texts...])`, `twiml(text)` and `EdgeCase(kind, text)`. A name, an attribute
   or a call (a catalogue function) is fine.
2. **Resident-facing modules hold no French sentence.** In actions/, bot/sms/, bot/web/,
   bot/voice/, bot/conversations/, bot/places/, bot/booking/, bot/handoff/,
   bot/reminders.py, bot/residents.py and bot/privacy/screening.py, no string (or f-string)
   outside docstrings, logging calls and raised exceptions is a French sentence: three
   words or more, an accent or two common French words, and a capital at the start or
   a final ". ! ? :". This catches a constant (EMPTY = "Votre message est vide.")
   that rule 1 cannot see, since it reaches the call by name.

ALLOWED lists, with the reason, the few sentences that are not texts sent to residents.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.settings import ROOT

EXCLUDED = ("bot/texts/", "bot/migrations/")
RESIDENT_FACING = (
    "actions/",
    "bot/sms/",
    "bot/web/",
    "bot/voice/",
    "bot/conversations/",
    "bot/places/",
    "bot/booking/",
    "bot/handoff/",
    "bot/reminders.py",
    "bot/residents.py",
    "bot/privacy/screening.py",
)
# (file, start of the string): why it is not a text the module sends to a resident.
ALLOWED = {
    ("bot/voice/spoken.py", ""): "the rules that turn the domain's written answers into speech "
    "(a pattern and its spoken replacement), not texts of their own",
    ("bot/web/app.py", "Je veux parler à un conseiller"): "what the widget's button sends as the resident's "
    "own message (a sentence the NLU knows)",
    ("bot/conversations/hold.py", "Bonjour,"): "the e-mail to the conseiller who holds the conversation",
}
FRENCH_WORDS = {
    "vous",
    "votre",
    "vos",
    "je",
    "nous",
    "est",
    "les",
    "des",
    "une",
    "pour",
    "pas",
    "merci",
    "bonjour",
    "au",
    "aux",
    "du",
    "sur",
    "dans",
    "avec",
    "ou",
    "et",
    "le",
    "la",
    "un",
    "de",
    "l",
    "d",
    "j",
    "qu",
    "c",
    "n",
}  # elided: l'assistant, d'autres, j'ai, qu'il, c'est, n'a
WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]+")
ACCENT = re.compile(r"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜ]")

# call name -> which arguments are the text sent: positions, and keyword names.
SENDERS = {
    "utter_message": ((), ("text",)),
    "send_sms": ((), ("body",)),
    "reply": ((1,), ("body", "text")),
    "said": ((1, 2, 3, 4), ()),
    "tell_resident": ((2,), ("text",)),
    "Reply": ((0,), ("says",)),
    "twiml": ((0,), ()),
    "EdgeCase": ((1,), ("reply",)),
}


def literal_pieces(node: ast.AST) -> list[str]:
    """The literal text an expression is built on ([] for a name, an attribute, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return literal_pieces(node.left) + literal_pieces(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [piece for element in node.elts for piece in literal_pieces(element)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return literal_pieces(node.func.value)
    return []


def is_french_sentence(text: str) -> bool:
    words = WORD.findall(text.lower())
    if len(words) < 3 or not (ACCENT.search(text) or sum(w in FRENCH_WORDS for w in words) >= 2):
        return False
    stripped = text.strip()
    return bool(re.search(r"[.!?:]$", stripped) or re.match(r"[A-ZÀÂÇÉÈÊÎÔ]", stripped))


def call_name(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def literal_sends(tree: ast.AST) -> list[tuple[int, str]]:
    """Rule 1: (line, text) of each sending call given a literal text."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or call_name(node) not in SENDERS:
            continue
        positions, keywords = SENDERS[call_name(node)]
        args = [node.args[i] for i in positions if i < len(node.args)]
        args += [k.value for k in node.keywords if k.arg in keywords]
        for arg in args:
            text = "".join(literal_pieces(arg))
            if re.search(r"[A-Za-zÀ-ÿ]", text):
                found.append((node.lineno, text))
    return found


def skipped_nodes(tree: ast.AST) -> set[int]:
    """Docstrings, and everything inside logging calls and raised exceptions."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string is read whole, not piece by piece
            skip.update(id(value) for value in node.values)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        logging_call = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("log", "logger", "logging")
        )
        if logging_call or isinstance(node, ast.Raise):
            skip.update(id(inner) for inner in ast.walk(node))
    return skip


def french_sentences(tree: ast.AST) -> list[tuple[int, str]]:
    """Rule 2: (line, text) of each French sentence outside docstrings, logs and exceptions."""
    skip = skipped_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in skip:
            text = "".join(literal_pieces(node))
            if is_french_sentence(text):
                found.append((node.lineno, text))
    return found


def allowed(relative: str, text: str) -> bool:
    return any(relative == path and text.startswith(start) for path, start in ALLOWED)


def findings(relative: str, source: str) -> list[str]:
    tree = ast.parse(source)
    found = [(line, text, "a sending call writes its text") for line, text in literal_sends(tree)]
    if relative.startswith(RESIDENT_FACING):
        found += [(line, text, "a French sentence") for line, text in french_sentences(tree)]
    return [f"{relative}:{line}: {why}: {text[:70]!r}" for line, text, why in found if not allowed(relative, text)]


def scanned_files() -> list[Path]:
    files = [*ROOT.glob("bot/**/*.py"), *ROOT.glob("actions/**/*.py")]
    return sorted(p for p in files if not p.relative_to(ROOT).as_posix().startswith(EXCLUDED))


def test_no_module_outside_the_catalogue_writes_a_text_for_residents():
    problems = []
    for path in scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        problems += findings(relative, path.read_text(encoding="utf-8"))
    assert problems == [], (
        "texts sent to residents belong in bot/texts/ (a function, an EXAMPLES entry):\n" + "\n".join(problems)
    )


def test_the_rule_catches_each_way_a_text_was_written_before_the_catalogue():
    """The shapes the texts had in actions/ and bot/ before bot/texts/ (a test must fail without it)."""
    cases = {
        'dispatcher.utter_message(text="Écrivez seulement votre prénom, ou PASSER.")': "actions/triage.py",
        'dispatcher.utter_message(text=f"Vous avez déjà {n} rendez-vous prévus.")': "actions/booking.py",
        'dispatcher.utter_message(text=intro + "\\nPour annuler, répondez ANNULER.")': "actions/booking.py",
        'send_sms(session, to_e164=e164, body=f"Votre rendez-vous {when} est annulé.")': "bot/desk/permanence_admin.py",
        'reply(e164, "Répondez avec le numéro.")': "bot/sms/intake.py",
        'Reply(["Je vous passe un conseiller. Ne quittez pas."])': "bot/voice/channel.py",
        'EMPTY = "Votre message est vide. Écrivez votre question."': "bot/web/channel.py",
        'RESUMED_TEXT = "L\'assistant reprend la conversation."': "bot/conversations/hold.py",
    }
    for source, relative in cases.items():
        assert findings(relative, source), source
    # What stays fine: a catalogue call, a name, a log line, a docstring, an English error.
    fine = (
        '"""Un docstring en français : « Votre message est vide. »"""\n'
        "dispatcher.utter_message(text=texts.other_times_text())\n"
        "dispatcher.utter_message(text=route.message)\n"
        'log.info("message vide de %s : rien à répondre.", who)\n'
        'raise ValueError(f"DESK_NOTIFY_CHANNEL must be one of {names}")\n'
    )
    assert findings("actions/booking.py", fine) == []
