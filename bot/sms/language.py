"""Is this SMS written in another language than French? A small heuristic.

The assistant only understands French; a message clearly in another language
gets a short French answer with the city's phone number instead of a wrong
answer. The check counts common function words of French and of the languages
most often met (English, Spanish, Portuguese, Italian, German, Turkish) and
looks at the script (Arabic, Cyrillic, Chinese...).

It must never take French SMS shorthand for a foreign language ("jai pa compri",
"rdv", "ok", "slt cv"): short messages and any message with a French word are
left to the assistant, and words shared with French are not counted as foreign.
No extra package: a wrong "foreign" costs more than a missed one.
"""

from __future__ import annotations

import re
import unicodedata

MIN_WORDS = 3  # shorter messages are never called foreign (unless in another script)

FRENCH = frozenset(
    """
je j jai j'ai tu il elle on nous vous ils elles me moi te toi se lui leur y en
le la les l un une des du de d au aux ce c cest ca ça sa son ses mon ma mes ton ta tes notre votre vos
et ou mais donc car ni que qu qui quoi quand comment pourquoi combien ou
est suis es sont etre avoir ai as a avez ont fait faire peux peut pouvez veux veut voudrais voulez
dois doit faut besoin aide aider aidez pas pa ne n plus rien jamais tres trop bien mal
pour par avec sans sur sous dans chez vers entre apres avant depuis pendant
oui non merci bonjour bonsoir salut slt cv svp stp stv rdv ok dac daccord
mot passe mdp ordi ordinateur portable telephone tel compte site appli application courriel
probleme pb marche arrive arrivent compris comprends compri sais sait connais
quel quelle quels quelles cette cet ces tout tous toute toutes autre meme dont ben las
""".split()
)

FOREIGN = {
    "en": frozenset(
        """i im i'm the is are am my you your with what how need help please can cant
        have has do does dont not this that for to of and it hello hi thanks thank want get where
        when speak english understand would could should there they we our""".split()
    ),
    "es": frozenset(
        """el los las por para necesito ayuda hola gracias quiero tengo como donde
        cuando yo estoy muy pero porque puedo hacer cita correo contrasena hablo espanol usted
        ayudar necesita""".split()
    ),
    "pt": frozenset(
        """eu nao obrigado obrigada preciso ajuda voce meu minha uma com estou tenho
        bom dia falo portugues senha""".split()
    ),
    "it": frozenset(
        """io sono che per mio mia aiuto grazie ciao voglio ho questo della buongiorno
        parlo italiano posso""".split()
    ),
    "de": frozenset(
        """ich bin nicht und der die das ist mit mein meine hilfe brauche bitte danke
        wie was kann ein eine haben wir auf zu sprechen deutsch""".split()
    ),
    "tr": frozenset(
        """ben bir ve bu icin yardim merhaba tesekkur lutfen nasil var yok istiyorum
        turkce""".split()
    ),
}
# Words of those lists that French also uses are never counted as foreign.
FOREIGN = {lang: words - FRENCH for lang, words in FOREIGN.items()}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _other_script_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    other = sum(1 for c in letters if "LATIN" not in unicodedata.name(c, ""))
    return other / len(letters)


def looks_foreign(text: str) -> bool:
    """True when the message is clearly not French."""
    text = text or ""
    letters = sum(1 for c in text if c.isalpha())
    if letters >= 3 and _other_script_share(text) >= 0.6:
        return True
    words = re.findall(r"[a-z']+", _strip_accents(text.lower()))
    words = [w.strip("'") for w in words if w.strip("'")]
    if len(words) < MIN_WORDS:
        return False
    french = sum(1 for w in words if w in FRENCH or w.split("'")[-1] in FRENCH)
    foreign = max(sum(1 for w in words if w in vocabulary) for vocabulary in FOREIGN.values())
    if french == 0:
        return foreign >= 2
    return foreign >= 4 * french and foreign >= 4
