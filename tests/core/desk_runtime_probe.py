"""Run by tests/core/test_desk_runtime.py in a subprocess, with the desk's interpreter
(.venv-desk: no Rasa installed) or with the Rasa one and `--block` (a meta-path
finder that refuses rasa, rasa_sdk, tensorflow and spacy).

    python tests/core/desk_runtime_probe.py [--block] import MODULE...
    python tests/core/desk_runtime_probe.py [--block] use DATABASE_URL [EMAIL PASSWORD]
    python tests/core/desk_runtime_probe.py [--block] cli COMMAND ARGS...
    python tests/core/desk_runtime_probe.py [--block] help COMMAND...

`import` imports each module and prints one JSON object: the modules that failed,
each with the chain of our files that led to the refused import. `use` builds the
desk and the web page and asks each for its pages, on the database given (already
migrated; with an account, logged in as it), then prints which of the refused
packages ended up in sys.modules. `cli` runs
`python -m bot COMMAND ARGS...` as the Procfile does; `help` runs `python -m bot COMMAND --help`
for each command and prints what each exited with and wrote.
Plain Python only: no pytest here (it is not in .venv-desk).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFUSED = ("rasa", "rasa_sdk", "tensorflow", "spacy")


class RefuseRasa:
    """A meta-path finder that makes `import rasa` (and the others) fail as if not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in REFUSED:
            raise ModuleNotFoundError(f"No module named {name!r} (refused: not on the desk's runtime)", name=name)
        return None


def chain(error: BaseException) -> list[str]:
    """Our files on the way from the imported module to the failing import."""
    files = []
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith(str(ROOT)):
            where = f"{Path(frame.filename).relative_to(ROOT)}:{frame.lineno}"
            if not files or files[-1] != where:
                files.append(where)
    return files


def import_all(modules: list[str]) -> dict:
    failed = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException as error:  # noqa: BLE001 - reported, whatever it is
            failed[name] = {"error": f"{type(error).__name__}: {error}", "chain": chain(error)}
    return {
        "failed": failed,
        "python": sys.version.split()[0],
        "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(REFUSED)),
    }


DESK_PAGES = (
    "/",
    "/tickets",
    "/permanences",
    "/export",
    "/export.csv",
    "/statistiques",
    "/journal",
    "/donnees-personnelles",
    "/webhooks",
)


def use(database_url: str, email: str | None = None, password: str | None = None) -> dict:
    import re

    os.environ["DATABASE_URL"] = database_url
    os.environ["DESK_COOKIE_SECURE"] = "false"
    from bot.desk import create_app as desk_app
    from bot.web.app import create_app as web_app

    statuses = {}
    desk = desk_app().test_client()
    for path in ("/connexion", "/"):
        statuses[f"desk {path}"] = desk.get(path).status_code
    if email:
        page = desk.get("/connexion").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        answer = desk.post("/connexion", data={"email": email, "password": password, "csrf_token": token})
        statuses["desk login"] = answer.status_code
        for path in DESK_PAGES:
            statuses[f"desk {path} (logged in)"] = desk.get(path).status_code
    web = web_app().test_client()
    for path in ("/", "/widget/config.json", "/health"):
        statuses[f"web {path}"] = web.get(path).status_code
    return {
        "statuses": statuses,
        "python": sys.version.split()[0],
        "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(REFUSED)),
    }


def helps(commands: list[str]) -> dict:
    import contextlib
    import io

    from bot.cli import main as cli_main

    answers = {}
    for command in commands:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                code = cli_main([command, "--help"] if command else ["--help"])
            except SystemExit as exit_:
                code = exit_.code
        answers[command] = {"code": code, "stdout": out.getvalue()}
    answers["loaded"] = sorted({m.split(".")[0] for m in sys.modules} & set(REFUSED))
    return answers


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--block":
        sys.meta_path.insert(0, RefuseRasa())
        argv = argv[1:]
    sys.path[0] = str(ROOT)  # the repository, not tests/, as for `python -m bot`
    action, rest = argv[0], argv[1:]
    if action == "cli":
        from bot.cli import main as cli_main

        return cli_main(rest)
    if action == "help":
        print(json.dumps(helps(rest)))
        return 0
    result = import_all(rest) if action == "import" else use(*rest)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
