"""The review inbox (labelling, rights, CSRF, audit) and the learning statistics, in the desk."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.db import session_scope
from bot.places.models import Conseiller
from bot.review.capture import capture
from bot.review.counters import count_feedback, count_outcome, iso_week
from bot.review.models import ReviewItem, ReviewReason
from bot.review.stats import feedback_per_answer, unanswered_needs, weekly_outcomes
from bot.staff.models import AuditEntry, User
from tests.desk.conftest import csrf_token, login, make_user, post_form

SPAMS = "faq_email/spams"
CANDIDATES = [{"answer": SPAMS, "confidence": 0.42}, {"answer": "faq_email/boite_pleine", "confidence": 0.31}]


def add_items(engine) -> dict[str, int]:
    with session_scope(engine) as session:
        first = capture(
            session,
            conversation_id="web:1",
            reason=ReviewReason.FEEDBACK_NO,
            text="ma boite est pleine de pubs",
            context="Bonjour ! Posez votre question.",
            candidates=CANDIDATES,
            answered_with=SPAMS,
        )
        second = capture(
            session,
            conversation_id="web:2",
            reason=ReviewReason.DECLINED,
            text="Pubs : ma boîte est pleine !",
            candidates=CANDIDATES,
        )
        alone = capture(session, conversation_id="sms:3", reason=ReviewReason.FALLBACK, text="blorp zzgl")
        return {"first": first.id, "second": second.id, "alone": alone.id}


def a_conseiller(engine) -> str:
    with session_scope(engine) as session:
        return session.execute(sa.select(Conseiller.slug).order_by(Conseiller.id)).scalars().first()


def test_the_coordinateur_sees_the_messages_grouped_and_labels_one_with_the_right_answer(app, desk_engine):
    ids = add_items(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    page = client.get("/apprentissage").get_data(as_text=True)
    assert "<h1>Messages à revoir</h1>" in page and "3 message(s) non revu(s)" in page
    # the two similar messages are one group, shown first, newest message on top
    assert page.index("Pubs : ma boîte est pleine !") < page.index("blorp zzgl")
    assert "ma boite est pleine de pubs" not in page
    assert "2 message(s) semblable(s)" in page and "42 %" in page
    assert f'<label for="reponse-{ids["second"]}"' in page  # every control has its label
    assert 'value="faq_email/spams"' in page and "Intention : book_appointment" in page
    response = post_form(
        client,
        "/apprentissage",
        f"/apprentissage/{ids['second']}/etiquette",
        {"etiquette": "answer", "reponse": "faq_email/boite_pleine", "semblables": "1"},
    )
    assert response.status_code == 303
    with session_scope(desk_engine) as session:
        labelled = {
            i.id: (i.label, i.label_answer, i.labelled_by is not None)
            for i in session.execute(sa.select(ReviewItem)).scalars()
        }
        entry = session.execute(sa.select(AuditEntry).where(AuditEntry.action == "label")).scalar_one()
        assert entry.target == "review_item" and entry.target_id == str(ids["second"])
        assert "Pubs" not in str(entry.detail) and "pubs" not in str(entry.detail)  # names the item, never its text
    assert labelled[ids["first"]] == labelled[ids["second"]] == ("answer", "faq_email/boite_pleine", True)
    assert labelled[ids["alone"]] == (None, None, False)
    page = client.get("/apprentissage").get_data(as_text=True)
    assert "1 message(s) non revu(s)" in page
    # the other labels
    post_form(client, "/apprentissage", f"/apprentissage/{ids['alone']}/etiquette", {"etiquette": "off_topic"})
    with session_scope(desk_engine) as session:
        assert session.get(ReviewItem, ids["alone"]).label == "off_topic"


def test_a_label_with_an_unknown_answer_or_without_csrf_is_refused(app, desk_engine):
    ids = add_items(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    response = post_form(
        client,
        "/apprentissage",
        f"/apprentissage/{ids['alone']}/etiquette",
        {"etiquette": "answer", "reponse": "faq_email/../../etc"},
    )
    assert response.status_code == 303
    assert "choisissez la bonne réponse" in client.get("/apprentissage").get_data(as_text=True)
    assert client.post(f"/apprentissage/{ids['alone']}/etiquette", data={"etiquette": "ignore"}).status_code == 400
    with session_scope(desk_engine) as session:
        assert session.get(ReviewItem, ids["alone"]).label is None


def test_a_conseiller_needs_the_right_the_coordinateur_gives(app, desk_engine):
    ids = add_items(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    make_user(desk_engine, "nadia@metz.fr", "conseiller", a_conseiller(desk_engine))
    conseiller = app.test_client()
    login(conseiller, "nadia@metz.fr")
    assert conseiller.get("/apprentissage").status_code == 403
    token = csrf_token(conseiller.get("/tickets").get_data(as_text=True))
    refused = conseiller.post(
        f"/apprentissage/{ids['alone']}/etiquette", data={"etiquette": "ignore", "csrf_token": token}
    )
    assert refused.status_code == 403
    assert conseiller.get("/apprentissage/droits").status_code == 403
    assert conseiller.get("/apprentissage/statistiques").status_code == 403
    assert "Messages à revoir" not in conseiller.get("/tickets").get_data(as_text=True)

    coordinateur = app.test_client()
    login(coordinateur, "coord@metz.fr")
    with session_scope(desk_engine) as session:
        nadia = session.execute(sa.select(User).where(User.email == "nadia@metz.fr")).scalar_one().id
    page = coordinateur.get("/apprentissage/droits").get_data(as_text=True)
    assert "Donner le droit" in page
    post_form(coordinateur, "/apprentissage/droits", "/apprentissage/droits", {"utilisateur": nadia, "droit": "1"})
    assert conseiller.get("/apprentissage").status_code == 200
    response = conseiller.post(
        f"/apprentissage/{ids['alone']}/etiquette", data={"etiquette": "ignore", "csrf_token": token}
    )
    assert response.status_code == 303
    with session_scope(desk_engine) as session:
        assert session.get(ReviewItem, ids["alone"]).label == "ignore"
        assert session.execute(sa.select(AuditEntry).where(AuditEntry.action == "review_right")).scalar_one()
    post_form(coordinateur, "/apprentissage/droits", "/apprentissage/droits", {"utilisateur": nadia, "droit": "0"})
    assert conseiller.get("/apprentissage").status_code == 403


def build_statistics(engine) -> None:
    """Two weeks of turns, feedback on two answers, and unanswered needs in two thematiques."""
    last_week = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)  # 2026-W48
    this_week = last_week + timedelta(days=7)  # 2026-W49
    with session_scope(engine) as session:
        for outcome, n in (("answer", 6), ("clarify", 2), ("decline", 1), ("fallback", 1)):
            for _ in range(n):
                count_outcome(session, outcome, now=last_week)
        for outcome, n in (("answer", 3), ("decline", 1)):
            for _ in range(n):
                count_outcome(session, outcome, now=this_week)
        for field, n in (("asked", 4), ("yes", 3), ("no", 1)):
            for _ in range(n):
                count_feedback(session, SPAMS, field, now=this_week)
        for field, n in (("asked", 3), ("no", 2)):
            for _ in range(n):
                count_feedback(session, "faq_email/boite_pleine", field, now=last_week)
        sante = [{"answer": "faq_sante/doctolib", "confidence": 0.2}]
        for text in (
            "comment avoir la carte vitale sur mon telephone",
            "carte Vitale sur le téléphone, comment ?",
            "application carte vitale telephone",
        ):
            capture(session, conversation_id="web:s", reason="declined", text=text, candidates=sante)
        email = capture(
            session,
            conversation_id="web:e",
            reason="feedback_no",
            text="changer d'adresse mail partout",
            candidates=CANDIDATES,
        )
        email.label = "missing"
        reviewed = capture(session, conversation_id="web:e", reason="declined", text="minecraft", candidates=CANDIDATES)
        reviewed.label = "off_topic"  # not a missing answer


def test_statistics_figures_on_a_built_dataset(desk_engine):
    build_statistics(desk_engine)
    with session_scope(desk_engine) as session:
        weeks = weekly_outcomes(session)
        assert [w.week for w in weeks] == ["2026-W48", "2026-W49"]
        assert weeks[0].total == 10 and weeks[0].share("answer") == 0.6 and weeks[0].share("clarify") == 0.2
        assert weeks[1].share("answer") == 0.75 and weeks[1].share("decline") == 0.25 and weeks[1].share("clarify") == 0
        feedback = feedback_per_answer(session)
        assert [(f.answer_key, f.asked, f.yes, f.no) for f in feedback] == [
            ("faq_email/boite_pleine", 3, 0, 2),
            (SPAMS, 4, 3, 1),
        ]
        assert feedback[1].yes_rate == 0.75 and feedback[0].no_rate == 1.0
        assert [f.answer_key for f in feedback_per_answer(session, "2026-W49")] == [SPAMS]
        needs = unanswered_needs(session)
        assert [(n.thematique, n.count) for n in needs] == [("sante", 3), ("email", 1)]
        assert needs[0].needs[0].count == 2  # the two "carte vitale telephone" messages are one need
    assert iso_week(datetime(2026, 12, 31)) == "2026-W53" and iso_week(datetime(2027, 1, 4)) == "2027-W01"


def test_the_statistics_page_shows_the_figures_to_the_coordinateur(app, desk_engine):
    build_statistics(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    page = client.get("/apprentissage/statistiques").get_data(as_text=True)
    assert "<h1>Apprentissage : statistiques</h1>" in page
    row = re.search(r"<th scope=\"row\">2026-W48</th>(.*?)</tr>", page, re.S).group(1)
    assert "60 % (6)" in row and "20 % (2)" in row and "10 % (1)" in row
    assert "Santé" in page or "sante" in page
    assert "carte vitale" in page.lower()
