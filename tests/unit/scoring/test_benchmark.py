"""Benchmark inputs (the full BERT-base run lives in benchmarks/, not in the test suite)."""

from __future__ import annotations

import pytest

from moderation.scoring.benchmark import main, seed_comments, uncased_vocab_dir


def test_seed_comments_come_from_the_real_parser_repeated_to_200() -> None:
    texts = seed_comments(at_least=200)
    assert len(texts) >= 200
    distinct = set(texts)
    assert 1 < len(distinct) < len(texts)
    assert any(t.startswith("Turkey would never do this") for t in distinct)


def test_uncased_vocabulary_is_bert_base_uncased() -> None:
    vocab = (uncased_vocab_dir() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert len(vocab) == 30522 and vocab[0] == "[PAD]"


def test_cuda_benchmark_without_a_gpu_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the GPU benchmark would run for real")
    assert main(["--device", "cuda", "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "error: --device cuda: CUDA is not available on this machine"
