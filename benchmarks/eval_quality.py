"""Quality of flagging on labelled public data: the model alone, the rules alone, and both.

Data (../shared/data, not shipped with the repo):
* jigsaw_train_5k_predibase.csv - Wikipedia talk comments with Jigsaw's toxic / obscene / insult /
  threat / identity_hate labels;
* davidson_labeled_data.csv - tweets labelled hate speech (0), offensive (1) or neither (2).

Categories are compared where the data has a matching label: profanity ~ obscene, personal_attack
~ insult, threat ~ threat, identity_attack ~ identity_hate (Jigsaw) or hate speech (Davidson);
"overall" is flagged by anything ~ any toxic label (Jigsaw is_bad; Davidson hate or offensive).
The three systems are slices of the same rules.yaml: "model" = the rules that test only model
scores, "rules" = the rules that test no score, "both" = all of them.

    python benchmarks/eval_quality.py [--limit N] [--rules rules.yaml]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.rules import CommentContext, RuleSet, load_rules  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
CATEGORIES = ("overall", "profanity", "personal_attack", "identity_attack", "threat")


@dataclass(frozen=True)
class Dataset:
    name: str
    texts: list[str]
    truth: dict[str, list[bool]]  # category -> gold label per text (only categories it has)


def load_jigsaw(path: Path, limit: int | None) -> Dataset:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    flag = {"overall": "is_bad", "profanity": "obscene", "personal_attack": "insult",
            "identity_attack": "identity_hate", "threat": "threat"}  # fmt: skip
    truth = {cat: [row[col] in ("1", "True") for row in rows] for cat, col in flag.items()}
    return Dataset("jigsaw-5k", [row["comment_text"] for row in rows], truth)


def load_davidson(path: Path, limit: int | None) -> Dataset:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    truth = {
        "overall": [row["class"] in ("0", "1") for row in rows],
        "identity_attack": [row["class"] == "0" for row in rows],
    }
    return Dataset("davidson", [row["tweet"] for row in rows], truth)


def split(rules: RuleSet) -> dict[str, RuleSet]:
    model = tuple(r for r in rules.rules if r.model_leaves and not r.has_spans)
    literal = tuple(r for r in rules.rules if not r.model_leaves)
    return {
        "model": replace(rules, rules=model),
        "rules": replace(rules, rules=literal),
        "both": rules,
    }


def prf(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(texts: list[str]) -> tuple[list[dict[str, float]], str]:
    from moderation.scoring import build_scorer
    from moderation.settings import load_settings

    scorer = build_scorer(load_settings())
    print(f"scoring {len(texts)} texts with {scorer.model_id} ...", file=sys.stderr)
    return [dict(s) for s in scorer.score(texts)], scorer.model_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N rows of each data set")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules.yaml")
    args = parser.parse_args()
    jigsaw, davidson = (
        SHARED / "jigsaw_train_5k_predibase.csv",
        SHARED / "davidson_labeled_data.csv",
    )
    if not (jigsaw.is_file() and davidson.is_file()):
        print(f"eval_quality: data not found under {SHARED} (../shared is absent); nothing to do")
        return 0
    rules = load_rules(args.rules)
    datasets = [load_jigsaw(jigsaw, args.limit), load_davidson(davidson, args.limit)]
    systems = split(rules)
    print("| data | category | system | precision | recall | F1 | positives | flagged |")
    print("|---|---|---|---|---|---|---|---|")
    for data in datasets:
        started = time.perf_counter()
        scores, model_id = score(data.texts)
        items = [CommentContext(t, scores=s) for t, s in zip(data.texts, scores, strict=True)]
        results = {
            name: ruleset.evaluate(items, model_id=model_id) for name, ruleset in systems.items()
        }
        for category in CATEGORIES:
            gold = data.truth.get(category)
            if gold is None:
                continue
            for name, verdicts in results.items():
                if category == "overall":
                    pred = [v.flagged for v in verdicts]
                else:
                    pred = [category in v.categories for v in verdicts]
                p, r, f = prf(pred, gold)
                print(
                    f"| {data.name} | {category} | {name} | {p:.3f} | {r:.3f} | {f:.3f} "
                    f"| {sum(gold)} | {sum(pred)} |"
                )
        if model_id.startswith("alt-profanity-check"):
            print(
                "(the fallback model has only `toxicity`, so the model alone flags no named "
                "category; Detoxify adds insult/threat/identity_attack/obscene)",
                file=sys.stderr,
            )
        print(
            f"({data.name}: {len(items)} texts, model {model_id}, "
            f"{time.perf_counter() - started:.1f}s)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
