"""A tiny Detoxify-format checkpoint, loaded by the real ``detoxify.Detoxify`` with no network."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from moderation.scoring import UNBIASED_LABELS, DetoxifyScorer, LoadedDetoxify, load_local
from moderation.scoring.detoxify_loading import bert_checkpoint

UNBIASED_CLASSES = list(UNBIASED_LABELS)
WORDS = [
    "the",
    "a",
    "you",
    "are",
    "is",
    "an",
    "idiot",
    "stupid",
    "great",
    "article",
    "thanks",
    "i",
    "think",
    "turkey",
    "armenia",
    "war",
    "not",
    "this",
    "that",
    "good",
    "bad",
    "hate",
    "love",
    "people",
    "news",
    "comment",
    "##s",
    "##ing",
    "##ed",
]
NON_LATIN = list("тыдурак日本語中文好坏مرحبا")


@pytest.fixture(scope="session", autouse=True)
def offline() -> Iterator[None]:
    """No Hugging Face network access for the whole session (env and the import-time constant)."""
    import huggingface_hub.constants as hf_constants

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setattr(hf_constants, "HF_HUB_OFFLINE", True)
        yield


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(checkpoint, config folder). model_type names a hub model the offline box cannot fetch."""
    import torch
    import transformers

    root = tmp_path_factory.mktemp("tiny-detoxify")
    config_dir = root / "hf-config"
    config_dir.mkdir()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, *NON_LATIN]
    (config_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    (config_dir / "tokenizer_config.json").write_text(
        json.dumps(
            {"do_lower_case": True, "model_max_length": 512, "tokenizer_class": "BertTokenizer"}
        )
    )
    # Shapes small enough for a few-second export/quantise, big enough to exercise every path;
    # init wider than BERT's 0.02 so scores spread over (0, 1) and agreement checks mean something.
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=512,
        initializer_range=0.2,
    )
    config.num_labels = len(UNBIASED_CLASSES)
    config.save_pretrained(config_dir)
    torch.manual_seed(1234)
    model = transformers.BertForSequenceClassification(config)
    checkpoint = root / "tiny.ckpt"
    torch.save(bert_checkpoint(model, UNBIASED_CLASSES), checkpoint)
    return checkpoint, config_dir


@pytest.fixture(scope="session")
def classes() -> tuple[str, ...]:
    """The tiny checkpoint's labels (Detoxify ``unbiased`` names)."""
    return tuple(UNBIASED_CLASSES)


@pytest.fixture(scope="session")
def loaded(tiny_model: tuple[Path, Path]) -> LoadedDetoxify:
    checkpoint, config_dir = tiny_model
    return load_local(checkpoint, config_dir, "cpu")


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def int8_scorer(loaded: LoadedDetoxify, model_cache: Path) -> DetoxifyScorer:
    # A small token budget forces several batches, so sorting/reordering is exercised.
    return DetoxifyScorer(
        loaded, engine="onnx-int8", max_tokens=64, batch_tokens=96, threads=2, cache_dir=model_cache
    )


@pytest.fixture(scope="session")
def fp32_scorer(loaded: LoadedDetoxify) -> DetoxifyScorer:
    return DetoxifyScorer(loaded, engine="torch-fp32", max_tokens=64, batch_tokens=96, threads=2)
