"""Reading a resident's answers to the triage questions.

Every question is answerable with a number ("2") or in words ("mon telephone"),
and every question can be skipped ("passer", "je sais pas"). The functions are
pure: text in, a Coop value (or SKIPPED, or None when not understood) out.
"""

from __future__ import annotations

import re
import unicodedata

from bot.coop import Materiel

SKIPPED = "inconnu"

SKIP_WORDS = (
    "passer",
    "passe",
    "skip",
    "je sais pas",
    "je ne sais pas",
    "sais pas",
    "jsp",
    "chais pas",
    "aucune idee",
    "peu importe",
    "pas d'importance",
    "n'importe",
    "bof",
    "?",
)


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: 'Téléphone ' -> 'telephone'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").lower()
    return re.sub(r"\s+", " ", text).strip()


def number_choice(text: str) -> int | None:
    """'2', '2.', ' 2 ', 'le 2', 'n°2' -> 2."""
    match = re.fullmatch(r"(?:le |la |n°|no |numero |choix )?([0-9]{1,2})[ .)!]*", plain(text))
    return int(match.group(1)) if match else None


def is_skip(text: str) -> bool:
    value = plain(text)
    return value in SKIP_WORDS or any(value.startswith(w) for w in SKIP_WORDS if len(w) > 3)


def _choose(text: str, options: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """Pick an option by its number (1-based) or by one of its words."""
    if is_skip(text):
        return SKIPPED
    number = number_choice(text)
    if number is not None:
        return options[number - 1][0] if 1 <= number <= len(options) else None
    value = plain(text)
    for code, words in options:
        if any(re.search(rf"\b{re.escape(w)}", value) for w in words):
            return code
    return None


# "portable" alone means a phone far more often than a laptop in residents' French.
MATERIEL_OPTIONS = [
    (Materiel.ORDINATEUR.value, ("ordi", "pc", "computer", "mac")),
    (Materiel.TELEPHONE.value, ("tel", "portable", "smartphone", "iphone", "samsung", "mobile", "gsm")),
    (Materiel.TABLETTE.value, ("tablette", "ipad")),
    (Materiel.AUTRE.value, ("autre", "liseuse", "tv", "tele", "imprimante", "montre")),
    (Materiel.AUCUN.value, ("aucun", "rien", "pas d'appareil", "pas de telephone", "non")),
]


def parse_materiel(text: str) -> str | None:
    value = plain(text)
    if re.search(r"\bordinateur portable\b", value):
        return Materiel.ORDINATEUR.value
    return _choose(text, MATERIEL_OPTIONS)


YES_WORDS = (
    "oui",
    "ouais",
    "ouai",
    "yes",
    "ok",
    "d'accord",
    "dacc",
    "bien sur",
    "j'en ai",
    "jen ai",
    "affirmatif",
    "si ",
)
NO_WORDS = ("non", "nan", "no", "pas", "jamais", "aucun", "aucune")


def parse_yes_no(text: str) -> str | None:
    """1/oui -> 'oui', 2/non -> 'non', 3/je sais pas -> SKIPPED."""
    if is_skip(text):
        return SKIPPED
    number = number_choice(text)
    if number is not None:
        return {1: "oui", 2: "non", 3: SKIPPED}.get(number)
    value = plain(text) + " "
    if any(re.search(rf"\b{re.escape(w)}", value) for w in NO_WORDS):
        return "non"
    if any(re.search(rf"\b{re.escape(w)}", value) for w in YES_WORDS):
        return "oui"
    return None


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")

TIME_OPTIONS = [
    ("matin", ("matin", "matinee", "avant midi", "tot")),
    ("apres_midi", ("apres-midi", "apres midi", "aprem", "aprem", "apm", "tantot")),
    ("peu_importe", ("peu importe", "n'importe", "quand vous voulez", "tout", "indifferent", "egal")),
]


def parse_preferred_time(text: str) -> str | None:
    """'1' / 'le matin' -> 'matin'; 'mardi' -> 'mardi'; 'mardi matin' -> 'mardi matin'."""
    value = plain(text)
    days = [d for d in WEEKDAYS if re.search(rf"\b{d}", value)]
    number = number_choice(text)
    if number is None and not is_skip(text):
        part = next((code for code, words in TIME_OPTIONS[:2] if any(w in value for w in words)), None)
        if days:
            return " ".join([days[0]] + ([part] if part else []))
    choice = _choose(text, TIME_OPTIONS)
    if choice == "peu_importe":
        return SKIPPED
    return choice


ACCESSIBILITY_OPTIONS = [
    ("aucun", ("non", "rien", "aucun", "pas besoin", "ca va")),
    ("mobilite", ("fauteuil", "mobilite", "marcher", "canne", "handicap", "ascenseur", "escalier", "deambulateur")),
    ("audition", ("sourd", "entend", "audition", "appareil auditif", "malentendant", "lsf")),
    ("vue", ("vue", "voir", "aveugle", "malvoyant", "lunettes")),
    ("langue", ("langue", "francais", "traduct", "interprete", "parle pas bien", "arabe", "turc", "anglais")),
]


def parse_accessibility(text: str) -> str | None:
    choice = _choose(text, ACCESSIBILITY_OPTIONS)
    if choice is None and len(plain(text)) >= 3:
        return "autre: " + text.strip()[:120]
    return choice


def parse_first_name(text: str) -> str | None:
    """'Je m'appelle Marie' -> 'Marie'. Letters, spaces and hyphens only, at most 40."""
    if is_skip(text):
        return SKIPPED
    value = re.sub(r"(?i)^\s*(je m'?appelle|je suis|moi c'?est|c'?est|mon prenom est|prenom\s*:?)\s+", "", text.strip())
    value = value.strip(" .!,")
    if not value or len(value) > 40 or not re.fullmatch(r"[^\W\d_]+(?:[ '\-][^\W\d_]+){0,3}", value):
        return None
    return value[:1].upper() + value[1:]


CALLBACK = "rappel"


def parse_slot_choice(text: str, offered: int) -> int | str | None:
    """'2' -> 2 (1-based, within the offer), 'autre' -> 'autre', 'rappelez-moi' -> CALLBACK, else None."""
    value = plain(text)
    if re.search(r"\b(rappel|rappele[rz]?|rappeller|appelez[ -]moi|m'appeler|me rappeler|telephonez[ -]moi)\b", value):
        return CALLBACK
    if re.search(r"\b(autre|autres|aucun|aucune|pas possible|d'autres|plus tard|non)\b", value):
        return "autre"
    number = number_choice(text)
    if number is not None and 1 <= number <= offered:
        return number
    return None


# --- What the first message already said (pre-filled answers) --------------------------

# French negation just before a word: "pas d'ordinateur", "ni téléphone", "sans mail",
# "plus de mot de passe", "aucun ordinateur", "pas encore d'adresse mail".
_NEGATION_BEFORE = re.compile(
    r"\b(?:pas|plus|jamais|ni|sans|aucune?)\s+(?:(?:encore|vraiment|non plus|du tout|forcement)\s+)?"
    r"(?:(?:d'|de|du|des|un|une|mon|ma|mes|le|la|les)\s*)?$"
)


def is_negated(text: str, start: int) -> bool:
    """Whether the word at `start` in `text` is said to be lacking ("j'ai pas d'ordinateur")."""
    before = plain(text[:start] + "x")[:-1] if start > 0 else ""  # keeps the space before the word
    return bool(_NEGATION_BEFORE.search(before))


_EMAIL_WORDS = r"(?:adresse\s+)?(?:e-?mail|mail|courriel|gmail|boite\s+mail|messagerie)s?\b"
_LOGIN_WORDS = r"(?:identifiants?|mot\s+de\s+passe|mdp|compte|franceconnect|codes?\s+d'acces)\b"


def _lacks(text: str, words: str) -> bool:
    value = plain(text)
    return any(is_negated(value, m.start()) for m in re.finditer(rf"\b{words}", value))


def stated_has_email(text: str) -> str | None:
    """'non' when the message says the person has no e-mail address, else None (ask)."""
    return "non" if _lacks(text, _EMAIL_WORDS) else None


def stated_has_login(text: str) -> str | None:
    """'non' when the message says the person has no login for the site, else None (ask)."""
    return "non" if _lacks(text, _LOGIN_WORDS) else None


# An appointment request that also says what for: "un rendez-vous pour apprendre à me
# servir de mon téléphone", "un rdv avec un conseiller pour mes mails". A need follows a
# connector and is not only a time, a place or the request's own words.
_NEED_CONNECTOR = re.compile(
    r"\b(?:pour|car|parce que|parce qu'|concernant|au sujet d|a propos d|afin d|besoin d'aide (?:pour|avec|sur))"
)
_NOT_A_NEED = frozenset(
    """
a au aux avec ce cet cette d de des du en et il j je l la le les m ma me mes moi mon ne nous on pas pour qu que qui s
sa se son svp sur ta te toi ton tu un une vous y est c ca cela suis ai avoir etre faire fait peux peut pouvoir voudrais
veux voulais souhaite souhaiterais aimerais aimerai prendre rdv rendez rendezvous conseiller conseillere conseillers
numerique quelqu quelqu'un un personne humain aide aider m'aider besoin possible plait s'il merci bonjour madame monsieur
rencontrer voir venir passer parler appeler rappeler demain aujourd'hui matin apres midi soir semaine prochain prochaine
lundi mardi mercredi jeudi vendredi samedi dimanche heure heures h creneau creneaux mois jour jours date bientot vite
rapidement urgent urgence mairie mediatheque ccas quartier metz borny sablon bellecroix patrotte queuleu plantieres
vallieres grange magny gare centre ville nouvelle woippy montigny lorry devant ponts pontiffroy
""".split()
)


def need_named(text: str) -> bool:
    """Whether an appointment request also says what it is for (then it is not asked again)."""
    value = plain(text)
    for match in _NEED_CONNECTOR.finditer(value):
        words = re.findall(r"[a-z']+", value[match.end() :])
        if any(
            len(w.strip("'")) >= 3 and w.strip("'") not in _NOT_A_NEED and w.split("'")[-1] not in _NOT_A_NEED
            for w in words
        ):
            return True
    return False
