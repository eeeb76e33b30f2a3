"""CLI: ``moderation audit export [--csv|--json]`` and ``moderation audit verify``.

export writes the audit log, newest first, to stdout or ``--output``: CSV with every cell safe to
open in a spreadsheet, or a JSON array with ``details`` as objects. verify walks the hash chain
and reports the first broken link: exit 0 when intact, 2 when broken.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from moderation.cli.shared import ExitCode, Subparsers, open_store
from moderation.review import audit
from moderation.settings import Settings
from moderation.store.audit import verify_chain


class Form(StrEnum):
    CSV = "csv"
    JSON = "json"


def register(subparsers: Subparsers) -> None:
    group = subparsers.add_parser("audit", help="export or verify the audit log")
    sub = group.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    export = sub.add_parser("export", help="write the audit log as CSV (default) or JSON")
    form = export.add_mutually_exclusive_group()
    form.add_argument("--csv", dest="form", action="store_const", const=Form.CSV, help="CSV")
    form.add_argument("--json", dest="form", action="store_const", const=Form.JSON, help="JSON")
    export.set_defaults(form=Form.CSV, handler=cmd_export)
    export.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    export.add_argument("--actor", help="only this actor's entries")
    export.add_argument("--action", help="only this action (approve, reject, block, …)")
    export.add_argument("--target-type", help="only entries about comment, author, rule_set, …")
    export.add_argument("--since", type=date.fromisoformat, help="from this UTC day (YYYY-MM-DD)")
    export.add_argument("--until", type=date.fromisoformat, help="to this UTC day, inclusive")
    verify = sub.add_parser("verify", help="check the audit log's hash chain")
    verify.set_defaults(handler=cmd_verify)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    flt = audit.AuditFilter(args.actor, args.action, args.target_type, args.since, args.until)
    with open_store(settings) as store, ExitStack() as stack:
        out: TextIO = sys.stdout
        if args.output:
            out = stack.enter_context(args.output.open("w", encoding="utf-8", newline=""))
        if args.form == Form.JSON:
            _write_json(out, audit.audit_records(store, flt))
        else:
            out.write(audit.audit_csv(store, flt, limit=None))
    return ExitCode.OK


def _write_json(out: TextIO, records: Iterable[dict[str, Any]]) -> None:
    # One entry at a time: an export of the whole log never holds it all as one string.
    out.write("[")
    for n, record in enumerate(records):
        out.write(",\n" if n else "\n")
        out.write(json.dumps(record, ensure_ascii=False, default=str))
    out.write("\n]\n")


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store:
        report = verify_chain(store)
    print(report.summary())
    return ExitCode.OK if report.ok else ExitCode.FAILED
