"""Seeding, editing, reverting and exporting the answers, through `python -m bot answers`.

The command line applies the desk's checks; every change is a version; the export
writes the database back into the domain files, byte for byte unchanged when
nothing changed, and only the edited line when a text changed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.answers import store
from bot.answers.models import Answer, AnswerRevision, AnswerVersion
from bot.answers.seed import seed
from bot.cli import answers as cli
from bot.db import session_scope
from bot.yaml_files import load_yaml
from tests.answers.conftest import snapshot

KEY = "utter_ask_human"


def run(*argv: str) -> int:
    return cli.main(list(argv))


def text_file(tmp_path, text: str, name: str = "texte.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def served_text(engine, key: str = KEY, index: int = 0) -> str:
    with session_scope(engine) as session:
        return store.get(session, key).variations[index]["text"]


def test_seeding_twice_changes_nothing(seeded_engine):
    with session_scope(seeded_engine) as session:
        revision = session.get(AnswerRevision, 1).value
        report = seed(session)
        assert not (report.added or report.updated or report.conflicts)
        assert session.get(AnswerRevision, 1).value == revision
        assert session.execute(select(Answer).where(Answer.key == "utter_faq_email/spams")).scalar_one()


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "Appelez le 01 23 45 67 89 pour de l'aide.",
            "Le numéro « 0123456789 » n'est pas dans la liste des références",
        ),
        (
            "Allez sur aide-gratuite-arnaque.fr tout de suite.",
            "Le lien « aide-gratuite-arnaque.fr » n'est pas dans la liste",
        ),
        ("", "Le texte est vide"),
        ("Tu peux écrire RDV pour un rendez-vous.", "Le texte tutoie (« Tu »)"),
        ("Un conseiller peut vous aider, écrivez RDV pour prendre rendez-vous avec lui. " * 5, "Ce texte ferait 3 SMS"),
    ],
)
def test_the_command_line_refuses_each_bad_edit_with_its_reason(seeded_engine, tmp_path, capsys, text, message):
    before = served_text(seeded_engine)
    assert run("set", KEY, "--text-file", text_file(tmp_path, text)) == 1
    err = capsys.readouterr().err
    assert "Modification refusée" in err and message in err
    assert served_text(seeded_engine) == before


def test_set_saves_a_version_that_show_lists_and_revert_undoes(seeded_engine, tmp_path, capsys):
    original = served_text(seeded_engine)
    new = "Un conseiller peut vous aider : écrivez RDV. La mairie répond au 03 87 55 50 00."
    assert (
        run(
            "set",
            KEY,
            "--text-file",
            text_file(tmp_path, new),
            "--by",
            "camille",
            "--source",
            "metz.fr, page Contact, vérifié le 1er décembre 2026",
        )
        == 0
    )
    assert served_text(seeded_engine) == new
    capsys.readouterr()
    assert run("show", KEY) == 0
    shown = capsys.readouterr().out
    assert new in shown and "edit\tcamille" in shown and "metz.fr, page Contact" in shown
    with session_scope(seeded_engine) as session:
        version = session.execute(
            select(AnswerVersion).join(Answer).where(Answer.key == KEY, AnswerVersion.number == 2)
        ).scalar_one()
        assert version.before["variations"][0]["text"] == original and version.after["variations"][0]["text"] == new
    assert run("revert", KEY, "--to", "1", "--by", "camille") == 0
    assert served_text(seeded_engine) == original
    with session_scope(seeded_engine) as session:
        kinds = [v.kind for v in store.history(session, KEY)]
    assert kinds == ["revert", "edit", "seed"]


def test_every_change_raises_the_revision_the_rasa_processes_watch(seeded_engine, tmp_path):
    with session_scope(seeded_engine) as session:
        before = store.revision(session)
    run("set", KEY, "--text-file", text_file(tmp_path, "Écrivez RDV pour voir un conseiller."))
    with session_scope(seeded_engine) as session:
        assert store.revision(session) == before + 1


def test_export_with_nothing_changed_leaves_the_files_byte_identical(seeded_engine, checkout, capsys):
    with session_scope(seeded_engine) as session:
        seed(session, checkout)  # domain_file paths are relative: the same for the copy
    before = snapshot(checkout)
    assert run("export", "--root", str(checkout)) == 0
    assert "nothing to write" in capsys.readouterr().out
    assert snapshot(checkout) == before


def test_export_of_an_edit_changes_only_that_line_and_a_new_reference_is_appended(seeded_engine, checkout, tmp_path):
    # A number data/references.yml does not hold yet (Info Escroqueries' is there now).
    new = "Un conseiller peut vous aider : écrivez RDV. Ligne d'essai : 0 800 123 456."
    with session_scope(seeded_engine) as session:
        store.add_reference(
            session, "0 800 123 456", "Ligne d'essai (numéro de test)", "service-public.fr, page d'essai", "camille"
        )
    assert run("set", KEY, "--text-file", text_file(tmp_path, new)) == 0
    before = snapshot(checkout)
    assert run("export", "--root", str(checkout)) == 0
    after = snapshot(checkout)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"bot/domain/core.yml", "data/references.yml"}
    old_lines = before["bot/domain/core.yml"].decode().splitlines()
    new_lines = after["bot/domain/core.yml"].decode().splitlines()
    assert len(old_lines) == len(new_lines)
    differing = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(differing) == 1 and "0 800 123 456" in differing[0][1]
    data = load_yaml(after["bot/domain/core.yml"])
    assert data["responses"][KEY] == [{"text": new}]
    references = load_yaml(after["data/references.yml"])["references"]
    assert references[-1] == {
        "value": "0 800 123 456",
        "kind": "phone",
        "what": "Ligne d'essai (numéro de test)",
        "source": "service-public.fr, page d'essai",
    }
    # The round trip now holds: exporting again writes nothing.
    assert run("export", "--root", str(checkout)) == 0
    assert snapshot(checkout) == after


def test_export_rewrites_a_block_whose_buttons_changed_and_nothing_else(seeded_engine, checkout):
    key = "utter_ask_has_email"
    with session_scope(seeded_engine) as session:
        answer = store.get(session, key)
        variations = [dict(v) for v in answer.variations]
        variations[0]["buttons"] = variations[0]["buttons"][:2]
        before_state = store.state(answer)
        answer.variations = variations
        store.record(session, answer, "edit", "test", before_state)
    before = snapshot(checkout)
    assert run("export", "--root", str(checkout)) == 0
    after = snapshot(checkout)
    assert {n for n in after if after[n] != before[n]} == {"bot/domain/booking.yml"}
    data = load_yaml(after["bot/domain/booking.yml"])
    assert data["responses"][key] == variations
    assert (
        data["responses"]["utter_ask_has_login"]
        == load_yaml(before["bot/domain/booking.yml"])["responses"]["utter_ask_has_login"]
    )


def test_a_repository_change_updates_an_unedited_answer_and_keeps_a_desk_edit(
    seeded_engine, checkout, tmp_path, capsys
):
    with session_scope(seeded_engine) as session:
        seed(session, checkout)
    desk_text = "Écrivez RDV : un conseiller vous aide. La mairie : 03 87 55 50 00."
    assert run("set", KEY, "--text-file", text_file(tmp_path, desk_text)) == 0
    core = checkout / "bot" / "domain" / "core.yml"
    source = core.read_text(encoding="utf-8")
    source = source.replace("Au revoir et bonne journée !", "Au revoir, bonne journée !")
    source = source.replace("Vous pouvez aussi appeler la mairie", "Ou appelez la mairie")
    core.write_text(source, encoding="utf-8")
    assert run("seed", "--root", str(checkout)) == 0
    out = capsys.readouterr().out
    assert "1 updated from the repository" in out and f"kept (changed in the repository and in the desk): {KEY}" in out
    assert served_text(seeded_engine, "utter_goodbye").startswith("Au revoir, bonne journée !")
    assert served_text(seeded_engine) == desk_text
    # Exported, committed and deployed: the repository and the database agree again, silently.
    assert run("export", "--root", str(checkout)) == 0
    capsys.readouterr()
    assert run("seed", "--root", str(checkout)) == 0
    assert "0 kept as edited" in capsys.readouterr().out


def test_check_prints_the_figures_and_the_reasons(seeded_engine, tmp_path, capsys):
    assert run("check", "--text-file", text_file(tmp_path, "Vérifie ton compte.")) == 1
    out = capsys.readouterr().out
    assert "SMS: 1 segment(s), GSM-7" in out and "Le texte tutoie" in out


CHECKS = """# Sources and checked dates of the answers.
utter_faq_email/spams:
  sources:
    - "signal-spam.fr (consulté le 30/11/2026)"
  checked: 2026-11-30
utter_goodbye:
  sources: []
"""


def test_checks_file_seeds_sources_and_dates_and_a_later_check_is_exported_into_it(seeded_engine, checkout):
    from datetime import date

    checks = checkout / "data" / "answers" / "checks.yml"
    checks.parent.mkdir(parents=True, exist_ok=True)
    checks.write_text(CHECKS, encoding="utf-8")
    with session_scope(seeded_engine) as session:
        # seeded_engine was seeded from this repository, whose checks.yml dates utter_goodbye:
        # start it undated, as the checkout's file has it.
        store.get(session, "utter_goodbye").checked_on = None
        seed(session, checkout)
        spams = store.get(session, "utter_faq_email/spams")
        assert spams.sources == ["signal-spam.fr (consulté le 30/11/2026)"] and spams.checked_on == date(2026, 11, 30)
        assert store.get(session, "utter_goodbye").checked_on is None
    before = snapshot(checkout)
    assert run("export", "--root", str(checkout)) == 0
    assert snapshot(checkout) == before
    with session_scope(seeded_engine) as session:
        store.mark_checked(session, "utter_goodbye", "camille", on=date(2026, 12, 1))
    assert run("export", "--root", str(checkout)) == 0
    data = load_yaml(checks.read_text(encoding="utf-8"))
    assert data["utter_goodbye"] == {"sources": [], "checked": date(2026, 12, 1)}
    assert data["utter_faq_email/spams"]["checked"] == date(2026, 11, 30)
    assert checks.read_text(encoding="utf-8").startswith("# Sources and checked dates of the answers.\n")


def test_the_block_writer_reads_back_as_every_response_of_the_repository():
    from bot.answers.export import emit
    from bot.answers.seed import repository_answers

    for key, (_file, variations) in repository_answers().items():
        block = "responses:\n  x:\n" + "\n".join(emit(variations, 4)) + "\n"
        assert load_yaml(block)["responses"]["x"] == variations, key
