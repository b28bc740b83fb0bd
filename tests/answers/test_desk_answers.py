"""The desk's answer editor and review page, as a coordinateur uses them.

A refused edit says why in French and shows the form again as typed; a new phone
number is added with its source from the same form; a saved edit is a version and
an audit entry, and can be reverted; the review page lists what is due, most used
first, and "Vérifié" records who and when.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from bot.answers import store
from bot.answers.models import AnswerReference, PlaceReview
from bot.db import session_scope
from bot.desk import create_app
from bot.settings import reload_settings
from bot.staff.models import AuditEntry
from tests.desk.conftest import csrf_token, login, make_user

KEY = "utter_ask_human"
EDIT_PAGE = f"/reponses/modifier?cle={KEY}"


@pytest.fixture
def coordinateur(app, seeded_engine):
    make_user(seeded_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    return client


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def submit(client, texts: list[str], action: str = "enregistrer", key: str = KEY, **fields):
    token = csrf_token(client.get(f"/reponses/modifier?cle={key}").get_data(as_text=True))
    data = {"csrf_token": token, "cle": key, "action": action, "sources": "", **fields}
    data.update({f"texte_{i}": t for i, t in enumerate(texts)})
    return client.post("/reponses/modifier", data=data)


def served(engine, key: str = KEY) -> str:
    with session_scope(engine) as session:
        return store.get(session, key).variations[0]["text"]


def add_bot_events(engine, counts: dict[str, int], days_ago: float = 1) -> None:
    """Bot messages as Rasa's tracker store keeps them (the desk's database has no Rasa table yet)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)"
            )
        )
        at = (datetime.now(timezone.utc) - timedelta(days=days_ago)).timestamp()
        for name, n in counts.items():
            for _ in range(n):
                data = {"event": "bot", "timestamp": at, "text": "…", "metadata": {"utter_action": name}}
                conn.execute(
                    text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('web:x', 'bot', :t, :d)"),
                    {"t": at, "d": json.dumps(data)},
                )


def test_only_a_coordinateur_edits_answers(app, seeded_engine):
    make_user(seeded_engine, "camille@metz.fr", "conseiller", "camille")
    client = app.test_client()
    login(client, "camille@metz.fr")
    assert client.get("/reponses").status_code == 403
    assert client.get(EDIT_PAGE).status_code == 403
    assert client.get("/revue").status_code == 403


def test_search_by_words_shows_how_often_each_answer_was_sent(coordinateur, seeded_engine):
    add_bot_events(seeded_engine, {"utter_faq_email/mot_de_passe_oublie": 3})
    add_bot_events(seeded_engine, {"utter_faq_email/mot_de_passe_oublie": 5}, days_ago=40)
    body = page(coordinateur.get("/reponses?q=mot de passe oublie"))
    assert "utter_faq_email/mot_de_passe_oublie" in body and "utter_faq_email/spams" not in body
    row = body.split("utter_faq_email/mot_de_passe_oublie</a>")[1].split("</tr>")[0]
    assert "<td>3</td>" in row


@pytest.mark.parametrize(
    "typed, message",
    [
        (
            "Allez sur aide-gratuite-arnaque.fr pour de l'aide.",
            "Le lien « aide-gratuite-arnaque.fr » n'est pas dans la liste",
        ),
        ("Un conseiller peut vous aider, écrivez RDV pour prendre rendez-vous avec lui. " * 5, "Ce texte ferait 3 SMS"),
        ("", "Le texte est vide"),
        ("Tu peux écrire RDV pour voir un conseiller <b>vite</b>.", "Le texte tutoie (« Tu »)"),
    ],
)
def test_each_refused_edit_says_why_and_keeps_what_was_typed(coordinateur, seeded_engine, typed, message):
    before = served(seeded_engine)
    response = submit(coordinateur, [typed], note="ma note", ref_quoi="quelque chose")
    assert response.status_code == 400
    body = page(response)
    assert "La réponse n'est pas enregistrée" in body and message in body
    assert f">{typed.strip() if not typed.strip() else typed}</textarea>" in body or typed == ""
    assert 'value="ma note"' in body and 'value="quelque chose"' in body
    assert "<b>vite</b>" not in response.get_data(as_text=True)  # typed text is escaped
    assert served(seeded_engine) == before


def test_a_new_phone_number_is_added_with_its_source_then_the_edit_saves_and_is_audited(coordinateur, seeded_engine):
    # A number the references file does not hold (Info Escroqueries' 0 805 805 817 is there now).
    new = "Un conseiller peut vous aider : écrivez RDV. Ligne d'essai : 0 800 123 456 (gratuit)."
    refused = submit(coordinateur, [new])
    assert refused.status_code == 400 and "Le numéro « 0800123456 »" in page(refused)
    no_source = submit(coordinateur, [new], ref_valeur="0 800 123 456", ref_quoi="Ligne d'essai")
    assert no_source.status_code == 400 and "Donnez la source" in page(no_source)
    with session_scope(seeded_engine) as session:
        assert session.execute(select(AnswerReference)).first() is None  # nothing kept of a refused edit
    saved = submit(
        coordinateur,
        [new],
        ref_valeur="0 800 123 456",
        ref_quoi="Ligne d'essai",
        ref_source="service-public.fr, page Info Escroqueries",
        sources="service-public.fr (1/12/2026)",
    )
    assert saved.status_code == 302
    assert "Réponse enregistrée" in page(coordinateur.get(saved.headers["Location"]))
    assert served(seeded_engine) == new
    with session_scope(seeded_engine) as session:
        answer = store.get(session, KEY)
        assert answer.sources == ["service-public.fr (1/12/2026)"] and answer.updated_by == "coord@metz.fr"
        reference = session.execute(select(AnswerReference)).scalar_one()
        assert (reference.kind, reference.source) == ("phone", "service-public.fr, page Info Escroqueries")
        audit = {(e.action, e.target) for e in session.execute(select(AuditEntry)).scalars()}
        assert {("change", "answer"), ("change", "answer_reference")} <= audit


def test_verifier_shows_checks_and_previews_without_saving(coordinateur, seeded_engine):
    before = served(seeded_engine)
    typed = "Un conseiller numérique peut vous aider. Écrivez RDV pour prendre rendez-vous."
    response = submit(coordinateur, [typed], action="verifier")
    body = page(response)
    assert response.status_code == 200 and served(seeded_engine) == before
    assert "Le texte passe les vérifications" in body and "1 SMS" in body
    assert "Lisibilité" in body and "mots par phrase" in body
    assert "Lu à voix haute" in body and "R D V" in body
    assert f">{typed}</textarea>" in body


def test_the_json_check_answers_the_editors_script(coordinateur):
    token = csrf_token(coordinateur.get(EDIT_PAGE).get_data(as_text=True))
    response = coordinateur.post(
        "/reponses/controle.json", data={"csrf_token": token, "cle": KEY, "texte_0": "Tu peux venir."}
    )
    [report] = response.get_json()
    assert not report["ok"] and "Le texte tutoie" in report["problems"][0] and report["sms"]["segments"] == 1


@pytest.mark.parametrize("fold, passes", [("true", True), ("false", False)])
def test_the_configured_sms_fold_accents_decides_whether_a_circumflex_passes(
    desk_env, seeded_engine, monkeypatch, fold, passes
):
    """SMS_FOLD_ACCENTS, read by the desk's app factory: "ô" is sent as "o" when it is on; when it is
    off, the SMS would go in UCS-2 and the check refuses it."""
    monkeypatch.setenv("SMS_FOLD_ACCENTS", fold)
    app = create_app(reload_settings())
    app.config["TESTING"] = True
    make_user(seeded_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    token = csrf_token(client.get(EDIT_PAGE).get_data(as_text=True))
    response = client.post(
        "/reponses/controle.json",
        data={"csrf_token": token, "cle": KEY, "texte_0": "Un conseiller vous rappelle bientôt."},
    )
    [report] = response.get_json()
    assert report["ok"] is passes
    assert passes or "Ces caractères ne passent pas en SMS : « ô »" in report["problems"][0]


def test_an_edit_is_reverted_from_the_history(coordinateur, seeded_engine):
    original = served(seeded_engine)
    assert submit(coordinateur, ["Écrivez RDV pour voir un conseiller."]).status_code == 302
    assert served(seeded_engine) == "Écrivez RDV pour voir un conseiller."
    token = csrf_token(coordinateur.get(EDIT_PAGE).get_data(as_text=True))
    response = coordinateur.post("/reponses/retour", data={"csrf_token": token, "cle": KEY, "version": "1"})
    assert response.status_code == 302
    assert served(seeded_engine) == original
    assert "Retour arrière" in page(coordinateur.get(EDIT_PAGE))


def test_the_review_page_lists_what_is_due_most_used_first_and_records_who_checked(coordinateur, seeded_engine):
    add_bot_events(seeded_engine, {"utter_faq_email/spams": 7, "utter_goodbye": 2})
    with session_scope(seeded_engine) as session:
        store.mark_checked(session, "utter_thank", "someone", on=date.today() - timedelta(days=10))
        store.mark_checked(session, "utter_greet", "someone", on=date.today() - timedelta(days=200))
        for key in ("utter_faq_email/spams", "utter_goodbye"):  # due whatever data/answers/checks.yml says
            store.mark_checked(session, key, "someone", on=date.today() - timedelta(days=300))
    body = page(coordinateur.get("/revue"))
    answers = body.split("<h2>Lieux")[0]
    assert answers.index("utter_faq_email/spams") < answers.index("utter_goodbye") < answers.index("utter_greet")
    assert "utter_thank<" not in answers  # checked 10 days ago: not due
    assert "Médiathèque" in body.split("<h2>Lieux")[1] or "Mairie" in body.split("<h2>Lieux")[1]
    token = csrf_token(body)
    response = coordinateur.post(
        "/reponses/verifiee", data={"csrf_token": token, "cle": "utter_faq_email/spams", "retour": "/revue"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/revue")
    assert "utter_faq_email/spams<" not in page(coordinateur.get("/revue")).split("<h2>Lieux")[0]
    with session_scope(seeded_engine) as session:
        answer = store.get(session, "utter_faq_email/spams")
        assert answer.checked_on == date.today() and answer.checked_by == "coord@metz.fr"
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "checked")).scalar_one()
        assert entry.detail["key"] == "utter_faq_email/spams" and entry.user_email == "coord@metz.fr"


def test_a_place_is_marked_checked_from_the_review_page(coordinateur, seeded_engine):
    body = coordinateur.get("/revue").get_data(as_text=True)
    slug = body.split('name="lieu" value="')[1].split('"')[0]
    response = coordinateur.post("/revue/lieu", data={"csrf_token": csrf_token(body), "lieu": slug, "retour": "/revue"})
    assert response.status_code == 302
    assert f'name="lieu" value="{slug}"' not in coordinateur.get("/revue").get_data(as_text=True)
    with session_scope(seeded_engine) as session:
        review = session.execute(select(PlaceReview).where(PlaceReview.place_slug == slug)).scalar_one()
        assert review.checked_on == date.today() and review.checked_by == "coord@metz.fr"
        assert (
            session.execute(select(AuditEntry).where(AuditEntry.target == "place")).scalar_one().detail["slug"] == slug
        )


def test_only_the_editor_may_run_its_own_script(coordinateur):
    editor = coordinateur.get(EDIT_PAGE)
    assert "script-src 'self'" in editor.headers["Content-Security-Policy"]
    assert 'src="/static/answers.js"' in editor.get_data(as_text=True)
    assert "script-src 'none'" in coordinateur.get("/reponses").headers["Content-Security-Policy"]


def test_an_edit_made_meanwhile_by_someone_else_is_not_overwritten_and_the_text_is_kept(coordinateur, seeded_engine):
    token = csrf_token(coordinateur.get(EDIT_PAGE).get_data(as_text=True))
    with session_scope(seeded_engine) as session:
        seen = store.get(session, KEY).version
        store.edit(session, KEY, ["Écrivez RDV pour voir un conseiller."], "camille", fold_accents=True)
    mine = "Un conseiller peut vous aider : écrivez RDV."
    response = coordinateur.post(
        "/reponses/modifier",
        data={
            "csrf_token": token,
            "cle": KEY,
            "action": "enregistrer",
            "version": str(seen),
            "texte_0": mine,
            "sources": "",
        },
    )
    body = page(response)
    assert response.status_code == 400 and "Quelqu'un a changé cette réponse pendant que vous écriviez" in body
    assert f">{mine}</textarea>" in body and served(seeded_engine) == "Écrivez RDV pour voir un conseiller."
    again = coordinateur.post(
        "/reponses/modifier",
        data={
            "csrf_token": csrf_token(body),
            "cle": KEY,
            "action": "enregistrer",
            "version": str(seen + 1),
            "texte_0": mine,
            "sources": "",
        },
    )
    assert again.status_code == 302 and served(seeded_engine) == mine
