"""`similar_key`: a fingerprint that is the same for messages that say the same thing.

The inbox shows "N messages semblables" by counting review items with the same key. The
fingerprint of a (redacted) message is made of its content words only, so that word order,
capitals, accents, plurals and small words do not matter:

1. lowercase, accents folded (é -> e, ç -> c), apostrophes and punctuation become spaces;
2. words of fewer than 3 letters, digits-only words, masked secrets ("[numéro masqué]")
   and French function words (le, mon, pour, comment, je, ...) are dropped;
3. each remaining word is cut to a crude stem: a final "s"/"x" dropped, then at most
   STEM letters kept ("telechargement", "telecharger" -> "telech");
4. the stems, deduplicated and sorted, joined by spaces, and hashed (SHA-256, hex) so the
   column has a fixed length.

"comment télécharger WhatsApp ?" and "Télécharger whatsapp comment" get the same key;
"mot de passe oublié gmail" and "j'ai oublié mon mot de passe Gmail" too. A message with no
content word gets the key of its folded text, so that empty messages do not all group.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

STEM = 6
MIN_LETTERS = 3

STOPWORDS = frozenset(
    """
les des une uns aux avec dans pour par sur sous sans chez entre vers mais donc car
que qui quoi quand comment pourquoi quel quelle quels quelles est sont etre ete suis
ai as avons avez ont avoir fait faire faut peux peut pouvez veux veut voudrais voulez
mon ton son mes tes ses notre votre nos vos leur leurs cette ces cet celui celle
moi toi lui elle nous vous ils elles eux tout tous toute toutes rien plus moins tres
bien aussi encore deja alors ainsi bonjour merci svp stp oui non pas
""".split()
)

_MASK = re.compile(r"\[[^\]]*\]")  # bot/privacy/redaction.py's masks
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, accents removed."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    if len(word) > MIN_LETTERS and word[-1] in "sx":
        word = word[:-1]
    return word[:STEM]


def content_stems(text: str) -> list[str]:
    """The sorted, deduplicated stems of a message's content words."""
    words = _WORD.findall(fold(_MASK.sub(" ", text or "")))
    return sorted({stem(w) for w in words if len(w) >= MIN_LETTERS and not w.isdigit() and w not in STOPWORDS})


def similar_key(text: str) -> str:
    stems = content_stems(text)
    basis = " ".join(stems) if stems else " ".join(_WORD.findall(fold(text)))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()
