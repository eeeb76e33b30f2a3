"""Load Detoxify models through the ``detoxify`` package's own code, online or air-gapped.

detoxify 0.5.4 (``load_checkpoint`` -> ``get_model_and_tokenizer``) always calls
``<ConfigClass>.from_pretrained(<checkpoint's model_type>)``, e.g. ``"bert-base-uncased"``, even
when a local ``huggingface_config_path`` is given; on an air-gapped machine that lookup fails. We
therefore hand Detoxify a copy of the checkpoint whose ``model_type`` names the local config
folder, so every lookup it makes resolves locally.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from moderation.errors import ScoringError

log = logging.getLogger(__name__)

# How long to wait for a TCP connection before declaring the network unavailable: long enough for
# a slow link, short enough that an air-gapped start-up does not stall.
NETWORK_PROBE_TIMEOUT_S = 2.0
_HF_HOST = "huggingface.co"


@dataclass(frozen=True)
class LoadedDetoxify:
    """A Detoxify instance plus what identifies its weights."""

    detox: Any  # detoxify.Detoxify (typed loosely: the package ships no type hints)
    checkpoint_sha: str  # sha256 of the checkpoint file's bytes
    variant: str  # "original", "unbiased", ... or "custom" for a local checkpoint


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_urls() -> dict[str, str]:
    from detoxify.detoxify import MODEL_URLS

    return dict(MODEL_URLS)


def hub_cache_path(variant: str) -> Path:
    """Where ``torch.hub.load_state_dict_from_url`` keeps (or will keep) a variant's weights."""
    import torch.hub

    url = model_urls()[variant]
    return Path(torch.hub.get_dir()) / "checkpoints" / Path(urlparse(url).path).name


def network_reachable(host: str, timeout: float = NETWORK_PROBE_TIMEOUT_S) -> bool:
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def _go_offline() -> None:
    """Stop huggingface_hub from trying the network (it reads HF_HUB_OFFLINE once at import)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import huggingface_hub.constants as hf_constants

        hf_constants.HF_HUB_OFFLINE = True
    except ImportError:  # pragma: no cover - transformers always brings huggingface_hub
        pass


def load_variant(variant: str, device: str) -> LoadedDetoxify:
    """Load a published Detoxify variant: from the torch hub cache, else by downloading it.

    Raises ScoringError quickly (no long network hang) when the weights cannot be had.
    """
    from detoxify import Detoxify

    urls = model_urls()
    if variant not in urls:
        raise ScoringError(
            f"unknown Detoxify model type; choose one of {sorted(urls)}", subject=variant
        )
    cached = hub_cache_path(variant)
    hf_online = network_reachable(_HF_HOST)
    if not hf_online:
        _go_offline()
    if not cached.is_file():
        host = urlparse(urls[variant]).hostname or "github.com"
        if not network_reachable(host):
            raise ScoringError(
                f"weights are not cached at {cached} and {host} is unreachable (offline?)",
                subject=f"detoxify-{variant}",
            )
        # torch.hub shows a tqdm progress bar while downloading.
        log.info(
            "Downloading Detoxify '%s' weights from %s; caching them in %s",
            variant,
            urls[variant],
            cached.parent,
        )
    else:
        log.info("Using cached Detoxify '%s' weights at %s", variant, cached)
    try:
        detox = Detoxify(model_type=variant, device=device)
    except Exception as exc:  # detoxify/transformers raise many types (OSError, HTTPError, ...)
        raise ScoringError(
            f"cannot load Detoxify model: {exc}", subject=f"detoxify-{variant}"
        ) from exc
    if not cached.is_file():  # pragma: no cover - torch.hub always writes it there
        raise ScoringError(f"weights missing after download at {cached}", subject=variant)
    log.info("Detoxify '%s' weights are cached in %s", variant, cached)
    return LoadedDetoxify(detox=detox, checkpoint_sha=file_sha256(cached), variant=variant)


def load_local(
    checkpoint: Path, huggingface_config_path: Path | None, device: str
) -> LoadedDetoxify:
    """Load a local Detoxify checkpoint; with a config folder, without touching the network."""
    from detoxify import Detoxify

    if not checkpoint.is_file():
        raise ScoringError("checkpoint file not found", subject=str(checkpoint))
    sha = file_sha256(checkpoint)
    source: Any = str(checkpoint)
    config_dir: str | None = None
    if huggingface_config_path is not None:
        if not huggingface_config_path.is_dir():
            raise ScoringError(
                "Hugging Face config/tokenizer folder not found",
                subject=str(huggingface_config_path),
            )
        config_dir = str(huggingface_config_path.resolve())
        source = _checkpoint_pointing_at(checkpoint, config_dir, device)
    try:
        detox = Detoxify(checkpoint=source, device=device, huggingface_config_path=config_dir)
    except Exception as exc:  # detoxify raises ValueError/OSError/KeyError on bad input
        raise ScoringError(
            f"cannot load Detoxify checkpoint: {exc}", subject=str(checkpoint)
        ) from exc
    return LoadedDetoxify(detox=detox, checkpoint_sha=sha, variant="custom")


def bert_checkpoint(model: Any, classes: list[str]) -> dict[str, Any]:
    """What ``load_local`` reads (detoxify's ``load_checkpoint`` layout) for a BERT-uncased
    classifier: ``config.arch.args``, ``config.dataset.args.classes`` and the model's
    ``state_dict``. For checkpoints built here (the scoring benchmarks, tests) to save."""
    return {
        "config": {
            "arch": {
                "args": {
                    "model_type": "bert-base-uncased",
                    "model_name": "BertForSequenceClassification",
                    "tokenizer_name": "BertTokenizer",
                    "num_classes": len(classes),
                }
            },
            "dataset": {"args": {"classes": classes}},
        },
        "state_dict": model.state_dict(),
    }


def _checkpoint_pointing_at(checkpoint: Path, config_dir: str, device: str) -> io.BytesIO:
    """The checkpoint re-serialised in memory with ``model_type`` set to ``config_dir``.

    In memory (not on disk) so a 500 MB checkpoint is not duplicated in the cache; torch.load,
    which Detoxify calls, accepts file-like objects.
    """
    import torch

    try:
        loaded = torch.load(checkpoint, map_location="cpu", weights_only=False)
        loaded["config"]["arch"]["args"]["model_type"] = config_dir
    except (KeyError, TypeError) as exc:
        raise ScoringError(
            "not a Detoxify checkpoint (needs config.arch.args and state_dict)",
            subject=str(checkpoint),
        ) from exc
    except Exception as exc:  # torch.load raises pickle/zip/runtime errors on corrupt files
        raise ScoringError(f"cannot read checkpoint: {exc}", subject=str(checkpoint)) from exc
    buffer = io.BytesIO()
    torch.save(loaded, buffer)
    del loaded
    buffer.seek(0)
    return buffer


def resolve_device(setting: str) -> str:
    """``auto`` means CUDA when available, else CPU."""
    import torch

    if setting == "cuda" and not torch.cuda.is_available():
        # A missing GPU is no reason to lose the preferred model: CPU is slower, not wrong.
        log.warning("device=cuda requested but CUDA is not available; using the CPU")
        return "cpu"
    if setting == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return setting
