"""Every SMS text of the catalogue is GSM-7 with accent folding and fits the bench's segment budget.

The texts said on the phone line (each module's SPOKEN) are not SMS; a text
that cannot follow a rule is named, with the reason, in its module's NOT_GSM.
"""

from __future__ import annotations

from bot.sms.encoding import count_segments, normalise
from bot.texts import MAX_SEGMENTS, not_gsm, sms_catalogue


def test_every_sms_text_is_gsm7_with_folding_or_says_why_not():
    exempt = not_gsm()
    unfit = {
        name: text
        for name, text in sms_catalogue().items()
        if count_segments(normalise(text, True)).encoding != "GSM-7" and name not in exempt
    }
    assert unfit == {}, f"texts that stay UCS-2 even with folding (write them in GSM-7, or say why in NOT_GSM): {unfit}"


def test_every_sms_text_fits_the_segment_budget_or_says_why_not():
    exempt = not_gsm()
    over = {
        name: count_segments(normalise(text, True)).count
        for name, text in sms_catalogue().items()
        if count_segments(normalise(text, True)).count > MAX_SEGMENTS and name not in exempt
    }
    assert over == {}, f"texts over {MAX_SEGMENTS} SMS segments with folding: {over}"


def test_the_rules_see_a_text_that_breaks_them():
    """The checks above read what they should: the old notification ("n°") was UCS-2."""
    assert count_segments(normalise("Nouveau ticket n° 1234 : Mairie de quartier de Borny", True)).encoding == "UCS-2"
    assert "notify.new_ticket" in sms_catalogue() and "n°" not in sms_catalogue()["notify.new_ticket"]
