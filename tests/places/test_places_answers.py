"""Places and hours answered from the database: the named place, else the list."""

from __future__ import annotations

from sqlalchemy import select

from bot.answers.places import fits_sms, places_hours_answer
from bot.db import session_scope
from bot.desk.places_loader import load_places
from bot.places.hours_text import french_hours
from bot.places.models import Place
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig


def test_opening_hours_are_written_in_short_french():
    assert french_hours("Mo-Fr 08:30-12:00,13:30-17:00") == "lun-ven 8h30-12h, 13h30-17h"
    assert french_hours("Tu,Th 09:00-12:00; Sa 10:00-12:00") == "mar, jeu 9h-12h ; sam 10h-12h"
    assert french_hours("Su off") == "dim fermé"
    assert french_hours("Mo-Fr 09:00-17:00; PH off") == "Mo-Fr 09:00-17:00; PH off"  # not guessed
    assert french_hours(None) is None


def test_the_place_named_in_the_message_is_given_with_address_and_hours(db_engine):
    with session_scope(db_engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
    with session_scope(db_engine) as session:
        answer = places_hours_answer(session, "horaires mairie de Bellecroix svp")
    assert answer.startswith("Mairie de quartier de Bellecroix : 13 rue de Toulouse, 57070 Metz.")
    assert "Ouvert lun-ven 8h30-12h, 13h30-17h." in answer
    assert "Conseiller numérique :" in answer and "RDV" in answer
    assert fits_sms(answer)


def test_a_quarter_with_two_places_names_the_other_one_too(db_engine):
    with session_scope(db_engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
        answer = places_hours_answer(session, "la permanence de bellecroix ou vallieres ?")
    assert answer.startswith("Mairie de quartier de Bellecroix") and "Mairie de quartier de Vallières" in answer
    assert fits_sms(answer)


def test_borny_is_the_pole_des_lauriers_and_a_closed_place_is_not_offered_near_you(db_engine):
    with session_scope(db_engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
        answer = places_hours_answer(session, "j'habite a borny ou est la permanence")
    assert answer.startswith("Mairie de quartier de Borny : Pôle des Lauriers, 3 bis rue d'Anjou, 57070 Metz.")
    assert "Jean-Macé" not in answer
    assert fits_sms(answer)


def test_a_closed_place_says_it_is_closed(db_engine):
    with session_scope(db_engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
        answer = places_hours_answer(session, "la médiathèque jean macé est ouverte ?")
        listed = places_hours_answer(session, "vous êtes ouverts quand ?")
    assert answer.startswith("Médiathèque Jean-Macé (Borny) :") and "Fermé en ce moment" in answer
    assert "Ouvert" not in answer and "Conseiller numérique" not in answer
    assert "Jean-Macé" not in listed and "Agora" not in listed  # closed; no permanence yet


def test_no_place_named_lists_the_places_briefly(db_engine):
    with session_scope(db_engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
        answer = places_hours_answer(session, "vous êtes ouverts quand ?")
    assert answer.startswith("Les conseillers numériques vous reçoivent : CCAS de Metz, ")
    assert "quartier" in answer and "RDV" in answer
    assert fits_sms(answer)


def test_the_answer_follows_the_database(db_engine):
    with session_scope(db_engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
        place = session.execute(select(Place).where(Place.slug == "ccas-metz")).scalar_one()
        place.horaires = "Mo-Th 09:00-12:00"
    with session_scope(db_engine) as session:
        answer = places_hours_answer(session, "le ccas ouvre quand")
    assert "Ouvert lun-jeu 9h-12h." in answer


def test_no_place_configured_gives_none_for_the_general_answer(db_engine):
    with session_scope(db_engine) as session:
        assert places_hours_answer(session, "où est la permanence") is None
