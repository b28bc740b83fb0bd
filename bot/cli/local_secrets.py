"""`python -m bot local-secrets`: random secrets for this machine, written into `.env` once.

`make run` calls it before starting anything, so a fresh clone needs no
configuration and still never runs with a key that is in the repository:
HASH_KEY (keyed hashes of phone numbers, the local SMS signing token),
DESK_SECRET_KEY (the desk's session cookies) and ACTION_SERVER_TOKEN (what
Rasa shows the action server) each get a random value the first time, and
are kept for the next runs. A value already set (in the environment or in
`.env`) that is not a default is left alone. In production it does nothing:
the processes refuse to start instead, and the operator sets the secrets.
"""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from dotenv import dotenv_values

from bot.settings import DEFAULTS, ROOT, SECRETS, is_production, weak_secret


def current_values(env_file: Path) -> dict[str, str]:
    """The environment over `env_file` (read here: this command never loads the settings)."""
    in_file = dotenv_values(env_file) if env_file.exists() else {}
    return {**{k: v or "" for k, v in in_file.items()}, **os.environ}


def missing_secrets(env_file: Path) -> list[str]:
    """The secrets neither the environment nor `env_file` sets to a usable value."""
    values = current_values(env_file)
    return [name for name in SECRETS if weak_secret(values.get(name, ""))]


def write_secrets(env_file: Path, names: list[str]) -> None:
    """Set each of `names` to a fresh random value in `env_file` (replacing its line, or appending one)."""
    values = {name: secrets.token_urlsafe(32) for name in names}
    lines = env_file.read_text(encoding="utf-8").splitlines() if env_file.exists() else []
    kept = []
    for line in lines:
        key = line.split("=", 1)[0].strip()
        if key.startswith("export "):
            key = key[len("export ") :].strip()
        if key in values:
            kept.append(f"{key}={values.pop(key)}")
        else:
            kept.append(line)
    if values:
        kept.append("# Random local secrets written by `python -m bot local-secrets` (make run). Keep them private.")
        kept.extend(f"{key}={value}" for key, value in values.items())
    env_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    os.chmod(env_file, 0o600)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot local-secrets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--env-file", type=Path, default=ROOT / ".env")
    args = parser.parse_args(argv)
    values = current_values(args.env_file)
    if is_production(values.get("APP_ENV", ""), values.get("PUBLIC_URL", DEFAULTS["PUBLIC_URL"])):
        return 0  # an operator's secrets are not ours to write
    names = missing_secrets(args.env_file)
    if names:
        write_secrets(args.env_file, names)
        print(
            f"Wrote random local secrets to {args.env_file} ({', '.join(names)}), once: "
            "they stay for the next runs. Keep this file private."
        )
    return 0
