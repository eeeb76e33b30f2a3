"""The CLI hooks: `bench scoring --json` parses to our handler; `score --ray` needs ray."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from moderation.cli import main as cli_main
from moderation.cli.bench import register


def test_bench_scoring_parses() -> None:
    parser = argparse.ArgumentParser(prog="moderation")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["bench", "scoring", "--json"])
    assert args.target == "scoring" and args.json is True
    assert callable(args.handler)


def test_bench_runs_the_checkouts_benchmark_script(capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the GPU benchmark would run for real")
    # benchmarks/bench_scoring.py, found beside the package, answers: no GPU here.
    assert cli_main(["bench", "scoring", "--device", "cuda", "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "error: --device cuda: CUDA is not available on this machine"


def test_score_on_ray_without_ray_installed_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # As if the optional extra were not installed: importing ray fails. Checked before any model
    # is loaded or database opened.
    monkeypatch.setitem(sys.modules, "ray", None)
    code = cli_main(["--db", f"sqlite:///{tmp_path / 'x.db'}", "score", "--ray"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert "\n" not in err
    assert "ray is not installed" in err and "requirements-ray.txt" in err
    assert not (tmp_path / "x.db").exists()
