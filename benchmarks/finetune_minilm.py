"""Does fine-tuning MiniLM beat frozen embeddings + heads, within what a 2-core CPU allows?

Fine-tunes the bundled all-MiniLM-L6-v2 (all layers, mean pooling, one linear layer over the six
offline labels, masked BCE so Davidson's unknown labels do not train) on the development split,
for a fixed budget of training rows and epochs, then scores the same test split as
``eval_quality.py`` and prints per-label AUC next to the committed heads' (from the model card).

    python benchmarks/finetune_minilm.py [--rows 4000] [--epochs 1] [--threads 2]

Not a test: it takes tens of CPU-minutes. The shipped model stays the heads unless this wins by
a margin worth a 90 MB checkpoint (the heads are ~2 MB on top of the pip-installed encoder).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.scoring.labeled_data import (  # noqa: E402
    OFFLINE_LABELS,
    load_labeled_dir,
    split_rows,
)
from moderation.scoring.metrics import roc_auc  # noqa: E402
from moderation.scoring.minilm import model_dir  # noqa: E402
from moderation.scoring.offline import model_card  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4000, help="training rows (dev, shuffled)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"finetune_minilm: {SHARED} absent; nothing to do")
        return 0

    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    sets = load_labeled_dir(SHARED)
    train_x: list[str] = []
    train_y: list[list[float]] = []
    test_x: list[str] = []
    test_y: list[list[float]] = []
    test_src: list[str] = []
    for data in sets:
        dev, test = split_rows(data)
        for rows, xs, ys in ((dev, train_x, train_y), (test, test_x, test_y)):
            for i in rows:
                xs.append(data.texts[i])
                ys.append([float(data.labels[label][i]) for label in OFFLINE_LABELS])
        test_src.extend([data.name] * len(test))
    # A balanced budget: Jigsaw rows first (the rarer, news-like labels), then Davidson.
    order = rng.permutation(len(train_x))
    is_jigsaw = order < len(split_rows(sets[0])[0])  # sets[0] is Jigsaw, its dev rows come first
    order = np.r_[order[is_jigsaw], order[~is_jigsaw]][: args.rows]
    rng.shuffle(order)

    directory = model_dir()
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=args.max_tokens)
    tokenizer.enable_padding()
    encoder = BertModel.from_pretrained(str(directory), local_files_only=True)
    head = torch.nn.Linear(384, len(OFFLINE_LABELS))
    params = list(encoder.parameters()) + list(head.parameters())
    optimiser = torch.optim.AdamW(params, lr=args.lr)

    def forward(texts: list[str]) -> torch.Tensor:
        batch = tokenizer.encode_batch(texts)
        ids = torch.tensor([b.ids for b in batch])
        mask = torch.tensor([b.attention_mask for b in batch])
        hidden = encoder(input_ids=ids, attention_mask=mask)[0]
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return head(pooled)

    started, cpu_started = time.perf_counter(), time.process_time()
    encoder.train()
    for _epoch in range(args.epochs):
        for start in range(0, len(order), args.batch):
            rows = order[start : start + args.batch]
            y = torch.tensor([train_y[i] for i in rows])
            known = ~torch.isnan(y)
            logits = forward([train_x[i] for i in rows])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[known], y[known])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    train_s, train_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    encoder.eval()
    with torch.inference_mode():
        by_length = sorted(range(len(test_x)), key=lambda i: len(test_x[i]))
        out = np.zeros((len(test_x), len(OFFLINE_LABELS)))
        for start in range(0, len(by_length), 64):
            rows = by_length[start : start + 64]
            out[rows] = torch.sigmoid(forward([test_x[i] for i in rows])).numpy()
        probs = out
    truth = np.array(test_y)
    src = np.array(test_src)
    card = model_card() or {}
    heads_metrics = card.get("metrics", {}).get("test", {})
    result: dict[str, object] = {
        "rows": len(order),
        "epochs": args.epochs,
        "train_wall_s": round(train_s, 1),
        "train_cpu_s": round(train_cpu, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "auc": {},
    }
    for j, label in enumerate(OFFLINE_LABELS):
        for name in ("jigsaw", "davidson", "all"):
            mask = ~np.isnan(truth[:, j]) & ((src == name) if name != "all" else True)
            if not mask.any() or truth[mask, j].sum() == 0:
                continue
            auc = roc_auc(probs[mask, j], truth[mask, j])
            heads_auc = heads_metrics.get(label, {}).get(name, {}).get("auc")
            result["auc"][f"{label}/{name}"] = {  # type: ignore[index]
                "finetuned": None if auc is None else round(auc, 4),
                "heads": heads_auc,
            }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
