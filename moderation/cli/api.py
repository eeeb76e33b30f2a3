"""CLI: ``moderation api token add|list|revoke``, ``moderation api webhook set|clear`` and
``moderation serve`` (registered in cli/main.py). FastAPI and uvicorn are imported by the commands
that need them, so every other command starts without them."""

from __future__ import annotations

import argparse
import sys

from moderation.api.config import ApiConfig
from moderation.errors import InvalidRequestError
from moderation.settings import Settings
from moderation.store import Store

EXIT_OK = 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    api = subparsers.add_parser("api", help="HTTP API clients: tokens and webhooks")
    api_sub = api.add_subparsers(dest="api_command", required=True, metavar="COMMAND")
    token = api_sub.add_parser("token", help="API tokens (stored hashed; shown once)")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="COMMAND")
    add = token_sub.add_parser("add", help="a new token for a client (created if new)")
    add.add_argument("client", help="the client's name: letters, digits, '-' or '_'")
    add.add_argument(
        "--scopes",
        nargs="+",
        required=True,
        help="comments:write and/or decisions:read (comma or space separated)",
    )
    add.set_defaults(handler=cmd_token_add)
    token_sub.add_parser("list", help="tokens (prefix, client, scopes)").set_defaults(
        handler=cmd_token_list
    )
    revoke = token_sub.add_parser("revoke", help="refuse a token from now on")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(handler=cmd_token_revoke)

    webhook = api_sub.add_parser("webhook", help="a client's webhook for decisions")
    hook_sub = webhook.add_subparsers(dest="webhook_command", required=True, metavar="COMMAND")
    set_ = hook_sub.add_parser("set", help="POST each decision on the client's comments to URL")
    set_.add_argument("client")
    set_.add_argument("url")
    secret = set_.add_mutually_exclusive_group(required=True)
    secret.add_argument("--secret-file", help="file holding the signing secret (read each time)")
    secret.add_argument("--secret-env", help="environment variable holding the signing secret")
    set_.set_defaults(handler=cmd_webhook_set)
    clear = hook_sub.add_parser("clear", help="stop sending a client's webhook")
    clear.add_argument("client")
    clear.set_defaults(handler=cmd_webhook_clear)

    serve = subparsers.add_parser("serve", help="run the HTTP API (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    defaults = ApiConfig()
    serve.add_argument("--max-body-bytes", type=int, default=defaults.max_body_bytes)
    serve.add_argument("--max-batch", type=int, default=defaults.max_batch)
    serve.add_argument(
        "--rate", type=float, default=defaults.rate_per_s, help="requests/s per token"
    )
    serve.add_argument("--burst", type=int, default=defaults.burst, help="burst per token")
    serve.add_argument("--no-webhooks", action="store_true", help="do not send webhooks")
    serve.add_argument(
        "--webhook-retry-s",
        type=float,
        default=defaults.retry_base_s,
        help="first retry delay (doubles each attempt)",
    )
    serve.set_defaults(handler=cmd_serve)


def _store(settings: Settings) -> Store:
    return Store.open(settings.database_url)


def cmd_token_add(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.api.tokens import add_token, parse_scopes

    store = _store(settings)
    try:
        new = add_token(store, args.client, parse_scopes(args.scopes))
    finally:
        store.close()
    print(f"token {new.id} for {new.client} ({' '.join(sorted(new.scopes))}):", file=sys.stderr)
    print("store it now: it is not shown again", file=sys.stderr)
    print(new.token)
    return EXIT_OK


def cmd_token_list(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.api.tokens import list_tokens

    store = _store(settings)
    try:
        rows = list_tokens(store)
    finally:
        store.close()
    for row in rows:
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        print(
            f"{row.id}\t{row.client.name}\t{row.prefix}…\t{' '.join(sorted(row.scopes))}\t{state}"
        )
    return EXIT_OK


def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.api.tokens import revoke_token

    store = _store(settings)
    try:
        revoke_token(store, args.token_id)
    finally:
        store.close()
    print(f"token {args.token_id} revoked")
    return EXIT_OK


def cmd_webhook_set(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.api.webhooks import set_webhook

    ref = f"file:{args.secret_file}" if args.secret_file else f"env:{args.secret_env}"
    store = _store(settings)
    try:
        set_webhook(store, args.client, args.url, ref)
    finally:
        store.close()
    print(f"decisions on {args.client}'s comments go to {args.url} from now on")
    return EXIT_OK


def cmd_webhook_clear(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.api.webhooks import set_webhook

    store = _store(settings)
    try:
        set_webhook(store, args.client, None, None)
    finally:
        store.close()
    print(f"no webhook for {args.client}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from moderation.api.server import build_app

    if not 0 < args.port < 65536:
        raise InvalidRequestError("not a port number", subject=str(args.port))
    config = ApiConfig(
        max_body_bytes=args.max_body_bytes,
        max_batch=args.max_batch,
        rate_per_s=args.rate,
        burst=args.burst,
        retry_base_s=args.webhook_retry_s,
    )
    app, store = build_app(settings, config, webhooks=not args.no_webhooks)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False)
    finally:
        store.close()
    return EXIT_OK
