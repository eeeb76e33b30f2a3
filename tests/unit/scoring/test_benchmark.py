"""Benchmark inputs (the full BERT-base run lives in benchmarks/, not in the test suite)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_scoring.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """benchmarks/bench_scoring.py, loaded as the script it is (it is not in the package)."""
    spec = importlib.util.spec_from_file_location("bench_scoring", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scoring"] = module
    spec.loader.exec_module(module)
    return module


def test_seed_comments_come_from_the_real_parser_repeated_to_200(bench: ModuleType) -> None:
    texts = bench.seed_comments(at_least=200)
    assert len(texts) >= 200
    distinct = set(texts)
    assert 1 < len(distinct) < len(texts)
    assert any(t.startswith("Turkey would never do this") for t in distinct)


def test_uncased_vocabulary_is_bert_base_uncased(bench: ModuleType) -> None:
    vocab = (bench.uncased_vocab_dir() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert len(vocab) == 30522 and vocab[0] == "[PAD]"


def test_cuda_benchmark_without_a_gpu_is_one_line(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the GPU benchmark would run for real")
    assert bench.main(["--device", "cuda", "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "error: --device cuda: CUDA is not available on this machine"


def test_data_file_that_is_not_there_is_one_line(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-article.txt"
    assert bench.main(["--data", str(missing), "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: {missing}")
