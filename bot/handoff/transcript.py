"""A ticket's transcript: the request's conversation, redacted.

It starts at the first message of the request: the help question whose topic the
triage carried (the latest one of the session before the triage began), or else
the message that started the triage. It holds the assistant's questions, with the
choices they offered (so that "2" reads as an answer), and the resident's answers.
Every line is masked (bot/privacy/redaction.py) before it is stored.
"""

from __future__ import annotations

from bot.privacy.redaction import redact

TRIAGE_START = "action_start_triage"
RESIDENT, ASSISTANT = "Vous", "Assistant"
MAX_LINES = 80  # a triage is about twenty lines; a longer one keeps its start and its end


def _intent(event: dict) -> str:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""


def _is_help_question(event: dict) -> bool:
    name = _intent(event)
    return event.get("event") == "user" and (name.startswith("faq_") or name == "urgence")


def request_start(events: list[dict]) -> int:
    """Index of the request's first message in the conversation's events."""
    session_start = max((i for i, e in enumerate(events) if e.get("event") == "session_started"), default=0)
    triage = max(
        (i for i, e in enumerate(events) if e.get("event") == "action" and e.get("name") == TRIAGE_START), default=None
    )
    if triage is None:
        users = [i for i, e in enumerate(events) if e.get("event") == "user" and i >= session_start]
        return users[0] if users else len(events)
    before = [i for i in range(session_start, triage) if events[i].get("event") == "user"]
    questions = [i for i in before if _is_help_question(events[i])]
    if questions:
        return questions[-1]
    return before[-1] if before else triage


def _bot_line(event: dict) -> str:
    text = (event.get("text") or "").strip()
    buttons = (event.get("data") or {}).get("buttons") or []
    titles = [b.get("title") for b in buttons if b.get("title")]
    if titles and not any(f"{n}." in text for n in range(1, len(titles) + 1)):
        text = f"{text} [{' · '.join(f'{n}. {t}' for n, t in enumerate(titles, start=1))}]".strip()
    return text


def transcript(events: list[dict]) -> str:
    """ "Assistant : Quel appareil utilisez-vous ? [1. Ordinateur · 2. Téléphone …]\\nVous : 2 ...", redacted."""
    lines = []
    for event in events[request_start(events) :]:
        if event.get("event") == "user" and (event.get("text") or "").strip():
            lines.append(f"{RESIDENT} : {redact(event['text'].strip())}")
        elif event.get("event") == "bot" and (line := _bot_line(event)):
            lines.append(f"{ASSISTANT} : {redact(line)}")
    if len(lines) > MAX_LINES:
        head = MAX_LINES // 4
        lines = [*lines[:head], "[…]", *lines[-(MAX_LINES - head - 1) :]]
    return "\n".join(lines)
