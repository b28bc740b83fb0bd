"""`python -m bot users create --email E --role conseiller|coordinateur|prescripteur
[--conseiller SLUG] [--structure "CCAS de Metz"]`: desk accounts (a prescripteur names their
structure). The password is asked at the prompt, or read from stdin with --password-stdin
(for scripts); it never appears on the command line."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from bot.cli import command_engine
from bot.db import session_scope
from bot.desk.accounts import AccountError, create_user
from bot.staff.models import ROLES, User


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Encore une fois : ") != first:
        raise AccountError("the two passwords differ")
    return first


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot users")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="create a desk account")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--conseiller", help="slug of the conseiller (places file) this account is")
    create.add_argument("--structure", help='a prescripteur\'s organisation, e.g. "CCAS de Metz"')
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    sub.add_parser("list", help="list the desk accounts")
    args = parser.parse_args(argv)
    if args.action == "list":
        with session_scope(command_engine()) as session:
            for user in session.execute(select(User).order_by(User.email)).scalars():
                print(
                    f"{user.email}\t{user.role}\t{user.conseiller.slug if user.conseiller else user.structure or '-'}"
                    f"\t{'active' if user.active else 'inactive'}"
                )
        return 0
    try:
        password = read_password(args.password_stdin)
        with session_scope(command_engine()) as session:
            user = create_user(
                session,
                email=args.email,
                password=password,
                role=args.role,
                conseiller_slug=args.conseiller,
                structure=args.structure,
            )
            print(f"user {user.email} created ({user.role})")
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
