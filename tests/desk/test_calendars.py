"""Calendar feeds (issue #22, point 3): a secret, revocable ICS link per
conseiller and per place, parsed back with the icalendar library."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select

from bot.booking.models import Appointment
from bot.db import session_scope
from bot.desk.calendar_feeds import CalendarFeed, build_feed, create_feed, feed_for_token
from bot.places.models import Permanence
from bot.residents import resident_for_phone
from bot.tickets.models import Ticket
from tests.desk.conftest import (
    RESIDENT_PHONE,
    first_permanence,
    login,
    make_booked_ticket,
    make_user,
    post_form,
)
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PARIS = ZoneInfo("Europe/Paris")


def _events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return [c for c in calendar.walk("VEVENT")]


def _appointment_at(engine, day: date, hour: int, status: str = "booked") -> int:
    """An appointment row at `hour` Paris time (test data: the bot's writers are not under test here)."""
    with session_scope(engine) as session:
        permanence = first_permanence(session)
        resident = resident_for_phone(session, RESIDENT_PHONE, HASH_KEY)
        resident.first_name = "Marie"
        start = datetime.combine(day, time(hour), PARIS).astimezone(timezone.utc)
        appointment = Appointment(
            resident_id=resident.id,
            permanence_id=permanence.id,
            place_id=permanence.place_id,
            start=start,
            end=start + timedelta(minutes=permanence.slot_minutes),
            status=status,
        )
        session.add(appointment)
        session.flush()
        session.add(
            Ticket(
                resident_id=resident.id,
                appointment_id=appointment.id,
                place_id=permanence.place_id,
                thematique="email",
                route="rendez_vous",
                triage={},
                activity_report={},
                bot_answers=[],
                transcript_excerpt="Marie 06 12 34 99 99",
            )
        )
        return appointment.id


def _feed_url(html: str) -> str:
    match = re.search(r'id="feed-url"|value="(http[^"]+\.ics)"', html)
    urls = re.findall(r'value="(http[^"]+\.ics)"', html)
    assert match and urls, "no feed URL shown"
    return urls[0]


def test_local_times_right_on_both_sides_of_the_march_2027_dst_change(desk_engine):
    before = _appointment_at(desk_engine, date(2027, 3, 26), 10)  # UTC+1
    after = _appointment_at(desk_engine, date(2027, 3, 29), 10)  # UTC+2
    with session_scope(desk_engine) as session:
        permanence = first_permanence(session)
        create_feed(session, "place", permanence.place_id)
        feed = session.execute(select(CalendarFeed)).scalar_one()
        body = build_feed(
            session, feed, public_url="https://desk.example.fr", now=datetime(2027, 3, 1, tzinfo=timezone.utc)
        )
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Paris" in body
    events = {str(e["UID"]): e for e in _events(body)}
    for appointment_id, utc_hour in ((before, 9), (after, 8)):
        event = events[f"appointment-{appointment_id}@desk.example.fr"]
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert (start.hour, start.minute) == (10, 0)
        assert start.astimezone(timezone.utc).hour == utc_hour
        assert str(event["SUMMARY"]) == "RDV aide numérique — E-mail"
        assert "Mairie" in str(event["LOCATION"]) or "," in str(event["LOCATION"])


def test_the_vtimezone_itself_gives_the_right_offsets(desk_engine):
    """A client that uses the feed's VTIMEZONE (not its own tz database) gets 10:00 on both sides too."""
    _appointment_at(desk_engine, date(2027, 3, 26), 10)
    _appointment_at(desk_engine, date(2027, 3, 29), 10)
    with session_scope(desk_engine) as session:
        create_feed(session, "place", first_permanence(session).place_id)
        feed = session.execute(select(CalendarFeed)).scalar_one()
        body = build_feed(
            session, feed, public_url="https://desk.example.fr", now=datetime(2027, 3, 1, tzinfo=timezone.utc)
        )
    vtimezone = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")[0]
    offsets = {}
    for part in vtimezone.walk():
        if part.name in ("DAYLIGHT", "STANDARD"):
            rule = part["RRULE"]
            offsets[part.name] = (part.decoded("TZOFFSETTO"), rule["BYMONTH"], rule["BYDAY"])
    assert offsets == {
        "DAYLIGHT": (timedelta(hours=2), [3], ["-1SU"]),
        "STANDARD": (timedelta(hours=1), [10], ["-1SU"]),
    }
    lines = body.decode()
    assert "DTSTART;TZID=Europe/Paris:20270326T100000" in lines
    assert "DTSTART;TZID=Europe/Paris:20270329T100000" in lines


def test_cancelled_appointment_stays_with_its_uid_as_cancelled(desk_engine):
    kept = _appointment_at(desk_engine, date(2027, 3, 26), 10)
    cancelled = _appointment_at(desk_engine, date(2027, 3, 29), 10, status="revoked")
    with session_scope(desk_engine) as session:
        create_feed(session, "place", first_permanence(session).place_id)
        feed = session.execute(select(CalendarFeed)).scalar_one()
        body = build_feed(
            session, feed, public_url="https://desk.example.fr", now=datetime(2027, 3, 1, tzinfo=timezone.utc)
        )
        later = build_feed(
            session, feed, public_url="https://desk.example.fr", now=datetime(2027, 3, 2, tzinfo=timezone.utc)
        )
    status = {str(e["UID"]): str(e["STATUS"]) for e in _events(body)}
    assert status[f"appointment-{kept}@desk.example.fr"] == "CONFIRMED"
    assert status[f"appointment-{cancelled}@desk.example.fr"] == "CANCELLED"
    assert {str(e["UID"]) for e in _events(later)} == set(status)  # stable UIDs


def test_conseiller_makes_a_link_the_feed_serves_no_name_nor_phone_and_revoked_gives_404(app, desk_engine):
    _ticket_id, appointment_id = make_booked_ticket(desk_engine)
    with session_scope(desk_engine) as session:
        permanence = session.get(Permanence, session.get(Appointment, appointment_id).permanence_id)
        slug = permanence.conseiller.slug
    make_user(desk_engine, "conseiller@metz.fr", "conseiller", slug)
    client = app.test_client()
    login(client, "conseiller@metz.fr")
    page = post_form(
        client,
        "/calendriers",
        "/calendriers/lien",
        {"kind": "conseiller", "owner_id": str(_conseiller_id(desk_engine, slug))},
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Outlook" in html and "Google Agenda" in html and "Thunderbird" in html
    url = _feed_url(html)
    path = url.split("localhost", 1)[1]

    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "max-age" in response.headers["Cache-Control"] and response.headers.get("ETag")
    assert anonymous.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    body = response.get_data()
    uids = [str(e["UID"]) for e in _events(body)]
    assert any(uid.startswith(f"appointment-{appointment_id}@") for uid in uids)
    text = body.decode()
    for personal in ("Marie", RESIDENT_PHONE, "612349999", "06 12 34 99 99", "mails"):
        assert personal not in text

    post_form(
        client,
        "/calendriers",
        "/calendriers/revoquer",
        {"kind": "conseiller", "owner_id": str(_conseiller_id(desk_engine, slug))},
    )
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/calendrier/not-a-real-token.ics").status_code == 404


def test_a_new_link_revokes_the_old_one(desk_engine):
    with session_scope(desk_engine) as session:
        place_id = first_permanence(session).place_id
        old = create_feed(session, "place", place_id)
        new = create_feed(session, "place", place_id)
        assert feed_for_token(session, old) is None
        assert feed_for_token(session, new) is not None
        assert all(
            len(f.token_hash) == 64 and old not in f.token_hash for f in session.execute(select(CalendarFeed)).scalars()
        )


def test_first_name_only_when_the_setting_says_so(app, desk_engine):
    _ticket_id, appointment_id = make_booked_ticket(desk_engine)
    with session_scope(desk_engine) as session:
        token = create_feed(session, "place", session.get(Appointment, appointment_id).place_id)
    app.config["DESK_SETTINGS"] = _with(app.config["DESK_SETTINGS"], ics_include_resident_names=True)
    text = app.test_client().get(f"/calendrier/{token}.ics").get_data(as_text=True)
    assert "Marie" in text
    assert "612349999" not in text


def test_conseiller_cannot_make_a_place_link_coordinateur_can(app, desk_engine):
    make_booked_ticket(desk_engine)
    with session_scope(desk_engine) as session:
        permanence = first_permanence(session)
        place_id, slug = permanence.place_id, permanence.conseiller.slug
    make_user(desk_engine, "conseiller@metz.fr", "conseiller", slug)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "conseiller@metz.fr")
    assert (
        post_form(client, "/calendriers", "/calendriers/lien", {"kind": "place", "owner_id": str(place_id)}).status_code
        == 403
    )
    coordinateur = app.test_client()
    login(coordinateur, "coord@metz.fr")
    page = post_form(coordinateur, "/calendriers", "/calendriers/lien", {"kind": "place", "owner_id": str(place_id)})
    assert page.status_code == 200 and _feed_url(page.get_data(as_text=True))


def test_feed_page_needs_login_but_the_feed_does_not(app):
    client = app.test_client()
    assert client.get("/calendriers").status_code == 302
    assert client.get("/calendrier/whatever.ics").status_code == 404


def _conseiller_id(engine, slug: str) -> int:
    from bot.places.models import Conseiller

    with session_scope(engine) as session:
        return session.execute(select(Conseiller.id).where(Conseiller.slug == slug)).scalar_one()


def _with(settings, **changes):
    from dataclasses import replace

    return replace(settings, **changes)


def test_the_etag_ignores_the_time_the_feed_was_made_but_not_the_appointments():
    from bot.desk.views.calendars import feed_etag

    def feed(stamp: str, start: str) -> bytes:
        return (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:appointment-1@aide\r\n"
            f"DTSTAMP:{stamp}\r\nDTSTART:{start}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()

    # Two requests a second apart, same agenda: the same ETag, so a polling client gets 304.
    assert feed_etag(feed("20261201T100000Z", "20261203T090000")) == feed_etag(
        feed("20261201T100001Z", "20261203T090000")
    )
    assert feed_etag(feed("20261201T100000Z", "20261203T090000")) != feed_etag(
        feed("20261201T100000Z", "20261203T100000")
    )
