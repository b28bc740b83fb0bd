"""Every URL and phone number the assistant gives residents is listed, with its source.

The answers name official resources (sites, phone lines, reporting services);
none may be invented. data/references.yml lists each one with what it is and
where it was checked. This test extracts URLs and French phone numbers from
every user-facing text (domain responses, route messages, the message-building
modules) and fails on any that is not listed.
"""

from __future__ import annotations

import ast

import pytest

from bot.answers.references import FORMAT_SAMPLES, digits, extract, url_key
from bot.settings import ROOT
from bot.yaml_files import load_yaml

REFERENCES = ROOT / "data" / "references.yml"

# Python modules whose strings are sent to residents.
# The catalogue bot/texts/ (but its EXAMPLES' sample arguments) and the actions.
MESSAGE_MODULES = [
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bot" / "texts").glob("*.py") if p.name != "_samples.py"),
    "bot/answers/places.py",
    "bot/sms/opt_out.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "actions").glob("*.py")),
]


def load_references() -> tuple[set[str], set[str]]:
    data = load_yaml(REFERENCES.read_text(encoding="utf-8"))
    urls, phones = set(), set()
    for entry in data["references"]:
        if entry["kind"] == "phone":
            phones.add(digits(str(entry["value"])))
        elif entry["kind"] == "url":
            urls.add(url_key(str(entry["value"])))
    return urls, phones


def domain_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            for variant in variants or []:
                pieces = [variant.get("text") or ""]
                pieces += [b.get("title", "") for b in variant.get("buttons") or []]
                texts.append((f"{path.name}:{name}", " ".join(pieces)))
    return texts


def route_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "data" / "routes").glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for rule in [*(data.get("routes") or []), data.get("default") or {}]:
            if rule.get("message"):
                texts.append((f"{path.name}:{rule.get('route')}", rule["message"]))
    return texts


def module_texts() -> list[tuple[str, str]]:
    """String constants of the message modules (docstrings excluded)."""
    texts = []
    for relative in MESSAGE_MODULES:
        path = ROOT / relative
        if not path.exists():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    docstrings.add(id(body[0].value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                texts.append((f"{relative}:{node.lineno}", node.value))
    return texts


def all_texts() -> list[tuple[str, str]]:
    return domain_texts() + route_texts() + module_texts()


@pytest.mark.parametrize(
    "text, urls, phones",
    [
        ("Allez sur impots.gouv.fr ou ants.gouv.fr.", {"impots.gouv.fr", "ants.gouv.fr"}, set()),
        (
            "Voir https://www.service-public.fr/particuliers/vosdroits/F1234 ici",
            {"service-public.fr/particuliers/vosdroits/F1234".lower()},
            set(),
        ),
        ("gmail.com, laposte.net et foo.com", {"gmail.com", "laposte.net", "foo.com"}, set()),
        ("Appelez le 03 87 55 50 00 ou le 03.87.55.50.00", set(), {"0387555000"}),
        ("Opposition : 0 892 705 705. Impots : 0809 401 401.", set(), {"0892705705", "0809401401"}),
        ("Appelez le 3646, transférez au 33700, ou le 3018.", set(), {"3646", "33700", "3018"}),
        ("En danger, appelez le 17. Numéro 112.", set(), {"17", "112"}),
        ("+33 3 87 55 50 00", set(), {"0387555000"}),
        ("Écrivez à contact@exemple.fr", {"contact@exemple.fr"}, set()),
        ("Le 17 mars à 14 h, 20 Mo, 2 000 euros, l'e-mail, bot.places.lookup, 3000 €, 12:30", set(), set()),
    ],
)
def test_the_extractors_find_urls_and_french_phone_numbers(text, urls, phones):
    assert extract(text) == (urls, phones)


def test_the_reference_file_entries_are_complete():
    data = load_yaml(REFERENCES.read_text(encoding="utf-8"))
    assert data["references"], "no reference at all"
    for entry in data["references"]:
        missing = [k for k in ("value", "kind", "what", "source") if not str(entry.get(k) or "").strip()]
        assert not missing, f"{entry.get('value')!r}: missing {missing}"
        assert entry["kind"] in {"url", "phone", "fact"}, entry
        if entry["kind"] == "fact":
            assert str(entry["value"]).startswith("fact:"), entry
            assert entry.get("checked"), f"{entry['value']}: a fact carries the date it was checked"


def test_the_scan_covers_the_answers():
    texts = all_texts()
    assert any(name.startswith("faq_email.yml:utter_faq_email/") for name, _ in texts)
    assert any(name.startswith("metz.yml:") for name, _ in texts), "route messages not scanned"
    assert any(name.startswith("bot/texts/booking.py") for name, _ in texts)


def test_every_url_and_phone_number_given_is_in_the_reference_file():
    known_urls, known_phones = load_references()
    unknown = []
    for where, text in all_texts():
        urls, phones = extract(text)
        unknown += [f"{where}: URL {u}" for u in sorted(urls - known_urls)]
        unknown += [f"{where}: phone {p}" for p in sorted(phones - known_phones - FORMAT_SAMPLES)]
    assert not unknown, "not in data/references.yml:\n" + "\n".join(unknown)
