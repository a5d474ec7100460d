"""Admin command line: `python -m store.access.admin create-admin USERNAME`, `create-user USERNAME --role official`,
`issue-token NAME --kind wall|ingest`, `revoke-token NAME`, `list-tokens`. Every action is audited.

`--provinces 35` (or `12,35`) limits a user or token to those provinces; without it, it covers every province
of the deployment (the national role)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from store.access.accounts import audit, create_user, issue_token, list_tokens, revoke_token
from store.access.models import Role, scope_label, scope_of
from store.contract.provinces import parse_scope
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade

PROVINCES_HELP = "province codes it is limited to, e.g. 35 or 12,35 (default: every province)"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise SystemExit("passwords differ")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store.access.admin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (("create-admin", "create an admin"), ("create-user", "create a user with a role")):
        command = commands.add_parser(name, help=helptext)
        command.add_argument("username")
        command.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        if name == "create-user":
            command.add_argument("--role", required=True, choices=[r.label for r in Role if r != Role.WALL])
        command.add_argument("--provinces", type=parse_scope, default=None, help=PROVINCES_HELP)
    issue = commands.add_parser("issue-token", help="issue a token and print it (shown only this once)")
    issue.add_argument("name")
    issue.add_argument("--kind", required=True, choices=["wall", "ingest"])
    issue.add_argument("--provinces", type=parse_scope, default=None, help=PROVINCES_HELP)
    revoke = commands.add_parser("revoke-token", help="revoke a token at once")
    revoke.add_argument("name")
    revoke.add_argument("--kind", choices=["wall", "ingest"])
    listing = commands.add_parser("list-tokens", help="list tokens (never their values)")
    listing.add_argument("--all", action="store_true", help="include revoked tokens")
    return parser


def main(argv: list[str] | None = None, url: str | None = None) -> int:
    """Run one admin command against `url` (default: the configured database, migrated first)."""
    args = _parser().parse_args(argv)
    url = url or Settings.from_env().sqlalchemy_url()
    upgrade(url)
    actor = f"cli:{os.environ.get('USER') or getpass.getuser()}"
    sessions = make_sessionmaker(url)
    try:
        with sessions.begin() as db:
            if args.command in ("create-admin", "create-user"):
                role = Role.ADMIN if args.command == "create-admin" else Role.parse(args.role)
                create_user(db, args.username, _password(args), role, args.provinces)
                scope = scope_label(args.provinces)
                audit(db, actor, "user.create", f"{args.username} ({role.label}) for {scope}")
                print(f"created {role.label} {args.username} for {scope}")
            elif args.command == "issue-token":
                plaintext = issue_token(db, args.name, args.kind, scope=args.provinces)
                audit(db, actor, "token.issue", f"{args.kind} {args.name} for {scope_label(args.provinces)}")
                print(plaintext)
            elif args.command == "revoke-token":
                count = revoke_token(db, args.name, args.kind)
                audit(db, actor, "token.revoke", f"{args.kind or 'any'} {args.name}: {count}")
                if not count:
                    print(f"no active token named {args.name!r}", file=sys.stderr)
                    return 1
                print(f"revoked {count}")
            else:
                for token in list_tokens(db, include_revoked=args.all):
                    state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                    used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                    origin = "config" if token.from_config else "cli"
                    scope = scope_label(scope_of(token.provinces))
                    print(f"{token.kind:7} {token.name:24} {scope:12} {state:24} last used {used:16} {origin}")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        sessions.kw["bind"].dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
