"""What a resident says they do NOT have: "j'ai pas d'ordinateur ni d'adresse mail".

A negation cue ("pas de", "plus de", "jamais de", "sans", "ni", "aucun", "pas d'") opens a
short scope, the noun phrase that follows: at most `SCOPE` words, closed early by
punctuation or a word that starts another clause ("mais", "et", "pour"...). "ni" opens a
new scope. "je n'arrive pas à me connecter" is not an absence ("pas" + "à"): nothing in it
is negated.

Two readers:
- the answer classifier's features (bot/nlu/features.py): a word in a scope counts as
  `neg:<word>`, not as `<word>`, so that "pas d'ordinateur" does not pull towards the
  computer answers;
- the conversation: `negated_mentions` says which devices, e-mail and logins the message
  says are missing. The answer classifier writes them into the parse as the property
  `negated` (a list of {"kind": "appareil" | "email" | "identifiants", "value": normalised
  word, "start", "end"}) and marks Rasa's `appareil` entities in a scope with
  `"negated": true`. The triage never pre-fills a device or an e-mail listed there.
"""

from __future__ import annotations

from dataclasses import dataclass

SCOPE = 3  # words after the cue (articles and possessives do not count)
# A cue that needs a partitive after it ("pas de", "plus d'"): "pas" alone negates a verb.
NEEDS_DE = {"pas", "plus", "jamais", "point", "guere"}
DE = {"de", "d'", "d", "du", "des"}
# A cue on its own.
ALONE = {"sans", "ni", "aucun", "aucune", "aucuns", "aucunes", "zero"}
# "pas de" is written "pa de", "pad", "po de" too.
SPELLINGS = {"pa": "pas", "po": "pas", "pd": "pas", "pad": "pas"}
SKIPPED = {
    "le",
    "la",
    "les",
    "l'",
    "l",
    "un",
    "une",
    "mon",
    "ma",
    "mes",
    "son",
    "sa",
    "ses",
    "votre",
    "vos",
    "notre",
    "nos",
    "ton",
    "ta",
    "tes",
    "leur",
    "leurs",
    "de",
    "d'",
    "d",
    "du",
    "des",
    "vrai",
    "vraie",
}
CLOSERS = {
    "mais",
    "et",
    "ou",
    "car",
    "donc",
    "pour",
    "qui",
    "que",
    "qu'",
    "quand",
    "alors",
    "comment",
    "si",
    "parce",
    "puis",
    "je",
    "j'",
    "j",
    "il",
    "elle",
    "on",
    "nous",
    "vous",
    "avec",
    "a",
    "au",
    "aux",
    "sur",
    "dans",
    "par",
    "est",
    "ai",
    "suis",
    "depuis",
    "hier",
    "aujourd'hui",
    "maintenant",
    "encore",
    "chez",
    "ici",
    "ca",
    "c'",
    "cela",
    "svp",
}
PUNCTUATION = set('.,;:!?()[]"«»…\n-/')

EMAIL_WORDS = {
    "mail",
    "mails",
    "email",
    "emails",
    "e-mail",
    "e-mails",
    "courriel",
    "courriels",
    "adresse",
    "gmail",
    "messagerie",
    "boite",
    "mel",
}
LOGIN_WORDS = {
    "identifiant",
    "identifiants",
    "mot",
    "code",
    "codes",
    "compte",
    "franceconnect",
    "login",
    "password",
    "mdp",
}
DEVICE_WORDS = {
    "ordinateur",
    "ordi",
    "pc",
    "mac",
    "macbook",
    "chromebook",
    "telephone",
    "portable",
    "mobile",
    "smartphone",
    "iphone",
    "android",
    "samsung",
    "tablette",
    "ipad",
    "liseuse",
    "imprimante",
    "scanner",
    "box",
    "internet",
    "wifi",
    "tel",
    "tele",
    "smart",
    "ordinateurs",
    "telephones",
    "tablettes",
    "imprimantes",
}


def _normalised(words: set[str]) -> set[str]:
    from bot.nlu.text import normalise

    return {normalise(w) for w in words}


NEEDS_DE, DE, ALONE, SKIPPED, CLOSERS = map(_normalised, (NEEDS_DE, DE, ALONE, SKIPPED, CLOSERS))
EMAIL_WORDS, LOGIN_WORDS, DEVICE_WORDS = map(_normalised, (EMAIL_WORDS, LOGIN_WORDS, DEVICE_WORDS))


def negated_flags(words: list[str]) -> list[bool]:
    """For each normalised token (punctuation included), whether it sits in a negation scope."""
    flags = [False] * len(words)
    i = 0
    while i < len(words):
        word = SPELLINGS.get(words[i], words[i])
        start = None
        if word in ALONE:
            start = i + 1
        elif word in NEEDS_DE and i + 1 < len(words) and words[i + 1] in DE:
            start = i + 2
        elif word in NEEDS_DE and i + 1 < len(words) and words[i + 1].startswith("d'"):  # "pas d'ordi" as one token
            flags[i + 1] = True
            start = i + 2
        if start is None:
            i += 1
            continue
        counted, j = 0, start
        while j < len(words) and counted < SCOPE:
            w = words[j]
            if w in PUNCTUATION or w in CLOSERS or SPELLINGS.get(w, w) in ALONE | NEEDS_DE:
                break
            flags[j] = True
            if w not in SKIPPED:
                counted += 1
            j += 1
        i = max(j, i + 1)
    return flags


@dataclass(frozen=True)
class Mention:
    kind: str  # appareil, email, identifiants
    value: str  # the normalised word
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"kind": self.kind, "value": self.value, "start": self.start, "end": self.end}


def kind_of(word: str) -> str | None:
    if word in DEVICE_WORDS:
        return "appareil"
    if word in EMAIL_WORDS:
        return "email"
    if word in LOGIN_WORDS:
        return "identifiants"
    return None


def negated_mentions(tokens: list[tuple[str, int, int]]) -> list[Mention]:
    """The devices, e-mail and logins in a negation scope; tokens are (normalised word, start, end)."""
    flags = negated_flags([t[0] for t in tokens])
    mentions = []
    for (word, start, end), negated in zip(tokens, flags):
        kind = kind_of(word) if negated else None
        if kind:
            mentions.append(Mention(kind, word, start, end))
    return mentions
