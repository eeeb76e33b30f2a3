"""CLI: ``moderation sites add|list`` and ``moderation sync [SITE]`` (registered in cli/main.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from moderation.cli.shared import ExitCode, Subparsers, open_store
from moderation.errors import ConfigError, InvalidRequestError, ModerationError
from moderation.pipeline.versions import load_active_rules
from moderation.scoring import build_scorer
from moderation.settings import Settings
from moderation.sites.conflicts import push_conflict
from moderation.sites.records import PasswordSource, RejectAs, SiteKind
from moderation.sites.sync import sync
from moderation.sites.wordpress import WordPressClient, read_password
from moderation.store.sites import add_site, get_site, list_sites


def register(subparsers: Subparsers) -> None:
    sites = subparsers.add_parser("sites", help="connect comment platforms (WordPress)")
    sites_sub = sites.add_subparsers(dest="sites_command", required=True, metavar="COMMAND")
    add = sites_sub.add_parser("add", help="connect a site (its comments come in by `sync`)")
    add.add_argument("kind", choices=[k.value for k in SiteKind])
    add.add_argument("url", help="the site's address, e.g. https://example.org")
    add.add_argument("--user", required=True, help="a user with moderate_comments (an Editor)")
    secret = add.add_mutually_exclusive_group(required=True)
    secret.add_argument(
        "--password-file", type=Path, help="a file holding the application password"
    )
    secret.add_argument("--password-env", help="an environment variable holding it")
    add.add_argument("--name", help="what to call the site (default: its host)")
    add.add_argument(
        "--reject-as",
        choices=[r.value for r in RejectAs],
        default=RejectAs.SPAM.value,
        help="what a rejection becomes on the site (default: spam)",
    )
    add.add_argument(
        "--premoderate",
        action="store_true",
        help="approve held comments on the site when no rule flags them",
    )
    add.add_argument(
        "--no-check", action="store_true", help="do not connect to the site to check the user"
    )
    add.set_defaults(handler=cmd_add)
    listing = sites_sub.add_parser("list", help="the connected sites")
    listing.set_defaults(handler=cmd_list)

    sync_cmd = subparsers.add_parser(
        "sync", help="pull new and changed comments from connected sites, push decisions back"
    )
    sync_cmd.add_argument("site", nargs="?", help="one site's name (default: every site)")
    sync_cmd.add_argument("--no-score", action="store_true", help="store only; score later")
    sync_cmd.set_defaults(handler=cmd_sync)


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequestError("the site's address must be an http(s) URL", subject=args.url)
    if args.password_file:
        source, ref = PasswordSource.FILE, str(args.password_file.expanduser().resolve())
    else:
        source, ref = PasswordSource.ENV, args.password_env
    password = read_password(source, ref)  # fails now, not at the first sync
    if not args.no_check:
        with WordPressClient(args.url, args.user, password) as client:
            if not client.can_moderate():
                raise ConfigError(
                    "this user may not moderate comments: give it the Editor role",
                    subject=args.user,
                )
    name = args.name or parts.netloc
    with open_store(settings) as store:
        site = add_site(
            store,
            name=name,
            kind=SiteKind(args.kind),
            url=args.url.rstrip("/"),
            username=args.user,
            password_source=source,
            password_ref=ref,
            reject_as=RejectAs(args.reject_as),
            premoderate=args.premoderate,
        )
    print(f"added {site.kind} site {site.name!r} ({site.url}); run `moderation sync {site.name}`")
    return ExitCode.OK


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store:
        found = list_sites(store)
    if not found:
        print("no sites connected (moderation sites add wordpress URL --user U --password-file F)")
    for s in found:
        synced = s.last_sync_at.isoformat(timespec="seconds") if s.last_sync_at else "never"
        print(
            f"{s.name}\t{s.kind}\t{s.url}\tuser {s.username}\tpassword from {s.password_source}"
            f"\treject as {s.reject_as}\tpre-moderation {'on' if s.premoderate else 'off'}"
            f"\tlast sync {synced}"
        )
    return ExitCode.OK


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    failed = False
    with open_store(settings) as store:
        targets = [get_site(store, args.site)] if args.site else list_sites(store)
        if not targets:
            print("no sites connected (moderation sites add wordpress URL ...)")
            return ExitCode.OK
        scorer = None if args.no_score else build_scorer(settings)
        rules = load_active_rules(store, settings.rules_path)
        if rules.error:
            print(
                f"warning: {rules.error}; rule set v{rules.version} stays active", file=sys.stderr
            )
        for site in targets:
            try:
                with WordPressClient.for_site(site) as client:
                    report = sync(store, site, client, scorer=scorer, rules=rules)
            except ModerationError as exc:
                print(f"error: {site.name}: {exc}", file=sys.stderr)
                failed = True
                continue
            print(report.summary())
            for comment_id in report.conflicts:
                conflict = push_conflict(store, comment_id)
                if conflict is not None:
                    print(f"conflict: {comment_id}: {conflict.message()}")
            for line in report.failed:
                print(f"warning: push failed, retried later: {line}", file=sys.stderr)
    return ExitCode.FAILED if failed else ExitCode.OK
