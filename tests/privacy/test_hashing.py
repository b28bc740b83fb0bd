"""The keyed hashes take HASH_KEY as an argument, and are the same HMAC-SHA256 as before it was passed in."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot.privacy.hashing import keyed_hash, phone_hash


def test_a_phone_hash_is_the_hmac_of_the_number_under_the_key_given():
    expected = hmac.new(b"some-key", b"phone:+33612345678", hashlib.sha256).hexdigest()[:32]
    assert phone_hash("+33612345678", "some-key") == expected
    assert keyed_hash("phone:+33612345678", "some-key") == expected


def test_another_key_gives_another_hash():
    assert phone_hash("+33612345678", "some-key") != phone_hash("+33612345678", "another-key")


def test_the_key_has_no_default():
    with pytest.raises(TypeError):
        phone_hash("+33612345678")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        keyed_hash("call:CA123")  # type: ignore[call-arg]
