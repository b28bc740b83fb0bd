"""A ticket's transcript: the conversation from the request's first message, the assistant's
questions (with the choices they offered) and the resident's answers, redacted."""

from __future__ import annotations

from bot.handoff.transcript import MAX_LINES, transcript


def user(text: str, intent: str = "affirm") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def bot(text: str, buttons: list[str] = ()) -> dict:
    return {
        "event": "bot",
        "text": text,
        "data": {"buttons": [{"title": t, "payload": str(i)} for i, t in enumerate(buttons, start=1)]},
    }


def action(name: str) -> dict:
    return {"event": "action", "name": name}


CARD = "4970 1012 3456 7893"  # passes Luhn: a card number


def conversation() -> list[dict]:
    return [
        action("action_session_start"),
        {"event": "session_started"},
        user("bonjour", "greet"),
        bot("Bonjour ! Que puis-je faire pour vous ?"),
        user("je n'arrive pas à envoyer un mail", "faq_email/piece_jointe"),
        bot("Touchez le trombone."),
        user("je veux un rendez-vous", "book_appointment"),
        action("action_start_triage"),
        bot("Quelques questions courtes."),
        bot("Quel appareil utilisez-vous ?", ["Ordinateur", "Téléphone"]),
        user("2"),
        bot("Avez-vous une adresse e-mail ?", ["Oui", "Non"]),
        user(f"oui et ma carte c'est {CARD}"),
        bot("Voici les prochains rendez-vous :\n1. mardi à 14 h, Borny", ["mardi à 14 h, Borny", "Autres horaires"]),
        user("1"),
    ]


def test_the_transcript_starts_at_the_question_the_triage_carried_and_holds_both_sides():
    lines = transcript(conversation()).splitlines()
    assert lines[0] == "Vous : je n'arrive pas à envoyer un mail"  # not the greeting before it
    assert lines[1] == "Assistant : Touchez le trombone."
    assert "Assistant : Quel appareil utilisez-vous ? [1. Ordinateur · 2. Téléphone]" in lines
    assert (
        lines[lines.index("Assistant : Quel appareil utilisez-vous ? [1. Ordinateur · 2. Téléphone]") + 1] == "Vous : 2"
    )
    # An offer already numbered in its text is not numbered twice.
    assert "Assistant : Voici les prochains rendez-vous :" in lines and lines[-1] == "Vous : 1"
    assert not any("[1. mardi" in line for line in lines)


def test_the_transcript_is_redacted():
    text = transcript(conversation())
    assert CARD not in text and "7893" not in text and "[masqué]" in text


def test_without_a_help_question_it_starts_at_the_message_that_asked_for_the_appointment():
    events = [
        user("bonjour", "greet"),
        bot("Bonjour !"),
        user("je voudrais un rdv", "book_appointment"),
        action("action_start_triage"),
        bot("Quel appareil ?"),
        user("1"),
    ]
    assert transcript(events).splitlines() == ["Vous : je voudrais un rdv", "Assistant : Quel appareil ?", "Vous : 1"]


def test_a_question_from_an_earlier_session_is_not_the_start():
    events = [
        user("mon mail ne marche pas", "faq_email/x"),
        bot("Essayez ceci."),
        {"event": "session_started"},
        user("je veux un rdv", "book_appointment"),
        action("action_start_triage"),
        bot("Quel appareil ?"),
    ]
    assert transcript(events).splitlines()[0] == "Vous : je veux un rdv"


def test_a_very_long_conversation_keeps_its_start_and_its_end():
    events = [user("je veux un rdv", "book_appointment"), action("action_start_triage")]
    for i in range(200):
        events += [bot(f"question {i}"), user(f"réponse {i}")]
    lines = transcript(events).splitlines()
    assert len(lines) == MAX_LINES and lines[0] == "Vous : je veux un rdv" and "[…]" in lines
    assert lines[-1] == "Vous : réponse 199"
