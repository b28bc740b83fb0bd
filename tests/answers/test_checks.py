"""The checks of an answer's text: each refusal with its French reason, and no false alarm
on the repository's own answers."""

from __future__ import annotations

import pytest

from bot.answers.checks import check_answer, check_text, readability, sms_preview, spoken, tutoiement
from bot.answers.references import known_references
from bot.answers.seed import repository_answers

KNOWN = known_references()


def problems(text: str, **kwargs) -> list[str]:
    return check_text(text, KNOWN, **kwargs).problems


def test_an_empty_text_is_refused():
    assert problems("   ") == ["Le texte est vide : écrivez la réponse que l'assistant enverra."]


def test_a_text_of_three_sms_is_refused_with_how_much_to_cut():
    text = ("Ouvrez l'application de votre banque et vérifiez chaque opération récente. " * 5).strip()
    [problem] = problems(text)
    assert problem.startswith("Ce texte ferait 3 SMS") and "2 au plus (306 caractères)" in problem
    assert "Raccourcissez-le de" in problem


def test_two_segments_pass_and_the_preview_cuts_them_as_the_phone_receives_them():
    text = "Bonjour. " * 30  # 270 characters: 2 segments
    report = check_text(text.strip(), KNOWN)
    assert report.ok and report.sms.segments == 2 and len(report.sms.parts) == 2
    assert all(len(part) <= 153 for part in report.sms.parts)


def test_accents_are_folded_as_the_sms_channel_does_and_other_scripts_are_refused():
    assert check_text("Vous êtes prêt ? Ça marche.", KNOWN).sms.encoding == "GSM-7"
    [problem] = problems("Merci ✅")
    assert "ne passent pas en SMS" in problem and "✅" in problem


def test_buttons_count_in_the_sms_as_numbered_lines():
    buttons = [{"title": "Une réponse assez longue pour compter", "payload": str(i)} for i in range(8)]
    text = "Choisissez. " * 12
    assert check_text(text, KNOWN).ok
    assert any(p.startswith("Ce texte ferait") for p in problems(text, buttons=buttons))


def test_a_url_or_a_phone_number_not_in_the_references_is_refused():
    [url] = problems("Allez sur arnaque-info-gratuite.fr pour signaler.")
    assert url == (
        "Le lien « arnaque-info-gratuite.fr » n'est pas dans la liste des références. "
        "Ajoutez-le à la liste avec sa source, ou retirez-le."
    )
    [phone] = problems("Appelez le 01 23 45 67 89.")
    assert "Le numéro « 0123456789 » n'est pas dans la liste des références" in phone
    assert problems("Appelez le 03 87 55 50 00 ou allez sur cybermalveillance.gouv.fr.") == []


@pytest.mark.parametrize(
    "text, words",
    [
        ("Tu peux appeler la banque.", ["Tu"]),
        ("Vérifie ton mot de passe.", ["ton"]),
        ("Écris à ta banque et à tes proches.", ["ta", "tes"]),
        ("Connecte-toi sur le site.", ["toi"]),
        ("Je t'envoie le lien.", ["t'"]),
        ("Chez toi, c'est plus simple.", ["toi"]),
    ],
)
def test_tutoiement_is_found(text, words):
    assert tutoiement(text) == words
    assert any("Le texte tutoie" in p and "« vous »" in p for p in problems(text))


@pytest.mark.parametrize(
    "text",
    [
        "Parlez sur un ton calme.",  # the noun
        "Votre téléphone, vos tests, un bouton, une tête, le toit, la tuile.",
        "Allez sur tu.example.com",  # not a URL we know, but not tutoiement either
        "Le TA de la TES",  # abbreviations in capitals
        "Attention : l'arnaque a tué la confiance.",
    ],
)
def test_words_that_only_look_like_tutoiement_pass(text):
    assert tutoiement(text) == []


def test_an_unknown_placeholder_is_refused_and_a_known_one_is_filled_in_the_preview():
    report = check_text("Merci {first_name} !", KNOWN, placeholders={"first_name"})
    assert report.ok and "Marie-Christine" in report.sms.text
    [problem] = problems("Merci {prenom} !", placeholders={"first_name"})
    assert "{prenom}" in problem and "{first_name}" in problem


def test_readability_counts_words_per_sentence_and_long_words():
    r = readability("Ouvrez l'application. Vérifiez les caractéristiques techniques de l'ordinateur.")
    assert r.sentences == 2 and r.longest_sentence == 6 and "caractéristiques" in r.long_words


def test_the_spoken_line_spells_links_and_abbreviations():
    assert (
        spoken("Allez sur cybermalveillance.gouv.fr ou écrivez RDV.")
        == "Allez sur cybermalveillance point gouv point fr ou écrivez R D V."
    )


def test_the_sms_preview_folds_and_numbers_the_buttons():
    preview = sms_preview("Êtes-vous là ?", [{"title": "Oui", "payload": "1"}, {"title": "Non", "payload": "2"}])
    assert preview.text.startswith("Etes-vous là ?\n1. Oui\n2. Non")


def test_every_answer_of_the_repository_passes_the_checks():
    failing = {}
    for key, (_file, variations) in repository_answers().items():
        found = [p for r in check_answer(variations, KNOWN) for p in r.problems]
        if found:
            failing[key] = found
    assert not failing, failing
