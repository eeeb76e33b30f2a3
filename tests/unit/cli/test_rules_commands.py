"""``rules validate`` and ``check`` through argparse, as moderation/cli/main.py wires them."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

from moderation.cli.rules import register
from moderation.settings import Settings

ROOT = Path(__file__).resolve().parents[3]


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    parser = argparse.ArgumentParser(prog="moderation")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return int(args.handler(args, Settings(rules_path=ROOT / "rules.yaml", model="offline")))


def test_validate_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["rules", "validate"], monkeypatch) == 0
    assert "valid (version" in capsys.readouterr().out


def test_validate_lists_every_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "rules.yaml"
    text = (ROOT / "rules.yaml").read_text()
    text = text.replace("action: hold\n    severity: 5", "action: explode\n    severity: 5", 1)
    text = text.replace(
        "    clause: no-profanity\n    action: flag\n    severity: 2\n    priority: 10",
        "    clause: no-swearing\n    action: flag\n    severity: 2\n    priority: 10",
    )
    bad.write_text(text)
    assert run(["rules", "validate", str(bad)], monkeypatch) == 2
    out = capsys.readouterr().out
    assert "[rule threat]" in out and "action" in out
    assert run(["rules", "validate", str(bad)], monkeypatch) == 2


def test_validate_semantic_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "rules.yaml"
    (tmp_path / "rule_lists").symlink_to(ROOT / "rule_lists")
    text = (
        (ROOT / "rules.yaml")
        .read_text()
        .replace(
            "clause: no-profanity\n    action: flag\n    severity: 2\n    priority: 10",
            "clause: no-swearing\n    action: flag\n    severity: 2\n    priority: 10",
        )
    )
    bad.write_text(text)
    assert run(["rules", "validate", str(bad)], monkeypatch) == 2
    out = capsys.readouterr().out
    line = text.splitlines().index("    clause: no-swearing") + 1
    assert f":line {line} [rule profanity]: unknown clause 'no-swearing'" in out


def test_check_prints_json_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = '{"text": "You are an idiot"}\n{"text": "Nice article"}\n'
    assert run(["check", "--json"], monkeypatch, stdin) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["text"] for line in lines] == ["You are an idiot", "Nice article"]
    first = lines[0]
    assert first["flagged"] is True
    assert first["status"] == "flagged"
    assert "personal_attack" in first["categories"]
    hit = next(h for h in first["hits"] if h["rule"] == "personal-attack")
    assert hit["clause"] == "no-personal-attacks"
    assert {"start": 11, "end": 16, "text": "idiot"} in hit["evidence"]
    assert set(first) == {"text", "flagged", "status", "categories", "hits", "scores", "model"}
    assert lines[1]["flagged"] is False
