"""The desk's waitlist page (issue #22, point 1): per place, a conseiller sees their places'
lists only, a coordinateur every list; removing an entry is CSRF-protected, scoped and audited."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.db import session_scope
from bot.places.models import Place
from bot.residents import resident_for_phone
from bot.staff.models import AuditEntry
from bot.waitlist import service
from bot.waitlist.models import EntryStatus, WaitlistEntry
from tests.desk.conftest import conseiller_of, first_permanence, login, make_user, post_form
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]


def _entry(engine, phone: str, place_slug: str, first_name: str) -> int:
    with session_scope(engine) as session:
        place = session.execute(select(Place).where(Place.slug == place_slug)).scalar_one()
        resident = resident_for_phone(session, phone, HASH_KEY)
        resident.first_name = first_name
        now = datetime.now(timezone.utc)
        return service.join(
            session,
            resident,
            place_ids=[place.id],
            thematique="email",
            kind="individuel",
            before=now + timedelta(days=10),
            days=14,
            now=now,
            hash_key=HASH_KEY,
        ).id


def test_a_conseiller_sees_and_removes_their_places_entries_a_coordinateur_sees_all(app, desk_engine):
    with session_scope(desk_engine) as session:
        borny = first_permanence(session, "mairie-borny")
        other = session.execute(select(Place).where(Place.slug != "mairie-borny").order_by(Place.id)).scalars()
        other_slug = next(
            p.slug for p in other if first_permanence(session, p.slug).conseiller_id != borny.conseiller_id
        )
    mine = _entry(desk_engine, "+33611110001", "mairie-borny", "Marie")
    theirs = _entry(desk_engine, "+33611110002", other_slug, "Paul")
    make_user(desk_engine, "camille@metz.fr", "conseiller", conseiller_of(desk_engine, borny.id))
    make_user(desk_engine, "coordination@metz.fr", "coordinateur")

    client = app.test_client()
    login(client, "camille@metz.fr")
    page = client.get("/liste-attente").get_data(as_text=True)
    assert "<h1>Liste d'attente</h1>" in page and "Marie" in page and "Paul" not in page
    assert client.post(f"/liste-attente/{mine}/retirer").status_code == 400  # no CSRF token
    assert post_form(client, "/liste-attente", f"/liste-attente/{theirs}/retirer", {}).status_code == 404
    response = post_form(client, "/liste-attente", f"/liste-attente/{mine}/retirer", {})
    assert response.status_code == 302
    with session_scope(desk_engine) as session:
        assert session.get(WaitlistEntry, mine).status == EntryStatus.REMOVED
        assert session.get(WaitlistEntry, theirs).status == EntryStatus.ACTIVE
        audited = session.execute(select(AuditEntry).where(AuditEntry.target == "waitlist_entry")).scalars().all()
        assert [a.target_id for a in audited] == [str(mine)]

    coordinateur = app.test_client()
    login(coordinateur, "coordination@metz.fr")
    page = coordinateur.get("/liste-attente").get_data(as_text=True)
    assert "Paul" in page and "Marie" not in page and "Tous les lieux" in page
