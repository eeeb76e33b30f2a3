"""Quality of flagging on labeled public data, on comments the model never trained on.

Data (../shared/data, not shipped): the Jigsaw 5k subset and the Davidson tweets, split by text
hash exactly as training splits them (moderation/scoring/labeled_data.py; the split is recorded
in the model card). ``--split test`` (default) measures on the 20 % test part only; ``--split
validation`` uses the development part's out-of-fold scores (what thresholds are tuned on).

Systems, all on the same texts:
* ``model``: the rules that test only model scores, with the bundled offline model's calibrated
  scores (Detoxify's weights cannot be downloaded here, so Detoxify is not measured: its rules
  never fire offline);
* ``rules``: the rules that test no score (word lists, regexes);
* ``both``: the whole rules.yaml, i.e. what the product flags (lands in Pending or Rejected);
* ``learned``: the site's learned head (moderation.scoring.learned) fitted on decisions simulated
  from the development part (a moderator who rejects every labeled-bad comment), predicting the
  test part with "reject" >= 0.5; ``both+learned``: flagged by either (for comparison only: the
  product never acts on the learned model).

Per label: AUC, average precision, expected calibration error and best-F1 of the offline scores.
Per category: precision/recall/F1, where the data has a matching label: profanity ~ obscene,
personal_attack ~ insult, threat ~ threat, identity_attack ~ identity_hate (Jigsaw) / hate speech
(Davidson), overall ~ any label (Jigsaw is_bad; Davidson hate or offensive).

    python benchmarks/eval_quality.py [--split test|validation] [--rules rules.yaml] [--tune]

``--tune`` (validation only) searches the offline model's thresholds for the best mean of the
per-set overall F1 and prints them; put them in rules.yaml by hand.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.rules import CommentContext, RuleSet, load_rules  # noqa: E402
from moderation.scoring import labeled_data  # noqa: E402
from moderation.scoring.labeled_data import OFFLINE_LABELS, load_labeled_dir  # noqa: E402
from moderation.scoring.metrics import (  # noqa: E402
    average_precision,
    best_f1_threshold,
    prf,
    roc_auc,
)

SHARED = ROOT.parent / "shared" / "data"
CATEGORIES = ("overall", "profanity", "personal_attack", "identity_attack", "threat")
CATEGORY_LABEL = {
    "profanity": "obscene",
    "personal_attack": "insult",
    "identity_attack": "identity_attack",
    "threat": "threat",
}
# Which offline-model rule feeds which category (for --tune's fast emulation of the rules).
OFFLINE_RULE_CATEGORY = {
    "toxicity": "other",
    "severe_toxicity": "other",
    "obscene": "profanity",
    "identity_attack": "identity_attack",
    "insult": "personal_attack",
    "threat": "threat",
}


@dataclass(frozen=True)
class Dataset:
    """The first rows of one file with per-category truth (tests and quick looks)."""

    name: str
    texts: list[str]
    truth: dict[str, list[bool]]  # category -> gold label per text (only categories it has)


def load_jigsaw(path: Path, limit: int | None) -> Dataset:
    data = labeled_data.load_jigsaw(path)
    n = len(data) if limit is None else min(limit, len(data))
    truth = {"overall": [bool(x) for x in data.bad[:n]]}
    for category, label in CATEGORY_LABEL.items():
        truth[category] = [bool(x) for x in data.labels[label][:n]]
    return Dataset("jigsaw-5k", data.texts[:n], truth)


def load_davidson(path: Path, limit: int | None) -> Dataset:
    data = labeled_data.load_davidson(path)
    n = len(data) if limit is None else min(limit, len(data))
    truth = {
        "overall": [bool(x) for x in data.bad[:n]],
        "identity_attack": [bool(x) for x in data.labels["identity_attack"][:n]],
    }
    return Dataset("davidson", data.texts[:n], truth)


def split_systems(rules: RuleSet) -> dict[str, RuleSet]:
    model = tuple(r for r in rules.rules if r.model_leaves and not r.has_spans)
    literal = tuple(r for r in rules.rules if not r.model_leaves)
    return {
        "model": replace(rules, rules=model),
        "rules": replace(rules, rules=literal),
        "both": rules,
    }


split = split_systems  # the name the rules tests use


def score_rows(split: str, report: bool = True) -> dict[str, object]:
    """Texts, truth and offline-model probabilities of the chosen split, plus what the learned
    head needs (embeddings, development part's out-of-fold probabilities)."""
    from moderation.scoring.heads import load_heads
    from moderation.scoring.minilm import MiniLMEncoder
    from moderation.scoring.offline import HEADS_PATH
    from moderation.scoring.training import (
        TrainConfig,
        calibrated,
        cross_fit,
        embed_cached,
        fold_cache_dir,
        pools,
    )

    heads, sha = load_heads(HEADS_PATH)
    sets = load_labeled_dir(SHARED)
    encoder = MiniLMEncoder()
    if encoder.encoder_id != heads.encoder_id:
        raise SystemExit(f"heads need {heads.encoder_id}, got {encoder.encoder_id}")
    started = time.perf_counter()
    embeddings = [embed_cached(encoder, s) for s in sets]
    dev, test = pools(sets, embeddings)
    config = TrainConfig()
    oof_raw = cross_fit(dev, config, cache=fold_cache_dir(sets, encoder.encoder_id, config, None))
    dev_probs = calibrated(oof_raw, heads.calibrators)
    test_probs = heads.probabilities(test.embeddings, test.texts)
    if report:
        print(
            f"(heads {sha[:12]}, {len(dev)} development / {len(test)} test rows, "
            f"{time.perf_counter() - started:.1f}s)",
            file=sys.stderr,
        )
    chosen, probs = (test, test_probs) if split == "test" else (dev, dev_probs)
    return {
        "pool": chosen,
        "probs": probs,
        "dev": dev,
        "dev_probs": dev_probs,
        "model_id": f"threadwatch-minilm-heads-{sha[:12]}",
    }


def label_table(pool, probs: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    print("\n| data | label | rows | positives | AUC | avg precision | ECE | best F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for j, label in enumerate(OFFLINE_LABELS):
        truth = pool.labels[label]
        for name in ("jigsaw", "davidson", "all"):
            mask = ~np.isnan(truth) & ((pool.source == name) if name != "all" else True)
            if not mask.any() or truth[mask].sum() == 0:
                continue
            from moderation.scoring.calibration import expected_calibration_error

            y, p = truth[mask], probs[mask, j]
            auc, ap = roc_auc(p, y), average_precision(p, y)
            print(
                f"| {name} | {label} | {int(mask.sum())} | {int(y.sum())} | {auc:.3f} | "
                f"{ap:.3f} | {expected_calibration_error(p, y):.3f} | "
                f"{best_f1_threshold(p, y)[1]:.3f} |"
            )


def gold_for(pool, category: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    if category == "overall":
        return pool.bad.astype(float)
    return pool.labels[CATEGORY_LABEL[category]]


def rule_verdicts(rules: RuleSet, texts: list[str], probs: np.ndarray, model_id: str):  # type: ignore[no-untyped-def]
    items = [
        CommentContext(t, scores={lab: float(p[j]) for j, lab in enumerate(OFFLINE_LABELS)})
        for t, p in zip(texts, probs, strict=True)
    ]
    return {
        name: ruleset.evaluate(items, model_id=model_id, evidence=False)
        for name, ruleset in split_systems(rules).items()
    }


def learned_flags(data: dict[str, object], rules: RuleSet) -> np.ndarray | None:
    """The learned head fitted on simulated decisions over the development part."""
    from moderation.scoring.learned_heads import clause_categories, fit_heads
    from moderation.store.learned import HumanDecision

    dev, dev_probs, pool, probs = data["dev"], data["dev_probs"], data["pool"], data["probs"]
    if pool is dev:
        return None  # in-sample: not measured on the validation split
    model_id = str(data["model_id"])
    categories = sorted(rules.categories)

    def features(p: object, pr: np.ndarray) -> np.ndarray:
        verdicts = rule_verdicts(rules, p.texts, pr, model_id)["both"]  # type: ignore[attr-defined]
        hits = np.array(
            [
                [
                    max((h.severity for h in v.hits if h.category == c), default=0) / 5
                    for c in categories
                ]
                for v in verdicts
            ]
        )
        return np.hstack([p.embeddings.astype(np.float64), pr, hits])  # type: ignore[attr-defined]

    clause = {
        "obscene": "no-profanity",
        "insult": "no-personal-attacks",
    }
    simulated = []
    for i in range(len(dev)):  # type: ignore[arg-type]
        bad = bool(dev.bad[i])  # type: ignore[attr-defined]
        cited = "no-inappropriate-material"
        for label, c in clause.items():
            if dev.labels[label][i] == 1:  # type: ignore[attr-defined]
                cited = c
                break
        simulated.append(
            HumanDecision(
                i,
                str(i),
                "reject" if bad else "approve",
                cited if bad else None,
                "sim",
                None,
                "",
                "",
            )  # type: ignore[arg-type]
        )
    heads, _ = fit_heads(
        features(dev, dev_probs), simulated, clause_categories(rules), categories, OFFLINE_LABELS
    )
    return heads.probabilities(features(pool, probs))[:, 0] >= 0.5


def category_table(data: dict[str, object], rules: RuleSet) -> None:
    pool, probs = data["pool"], data["probs"]
    verdicts = rule_verdicts(rules, pool.texts, probs, str(data["model_id"]))  # type: ignore[attr-defined]
    learned = learned_flags(data, rules)
    print("\n| data | category | system | precision | recall | F1 | positives | flagged |")
    print("|---|---|---|---|---|---|---|---|")
    for category in CATEGORIES:
        gold_all = gold_for(pool, category)
        for name in ("jigsaw", "davidson", "all"):
            mask = ~np.isnan(gold_all) & ((pool.source == name) if name != "all" else True)  # type: ignore[attr-defined]
            if not mask.any() or gold_all[mask].sum() == 0:
                continue
            gold = gold_all[mask] > 0
            systems = {}
            for sname, vs in verdicts.items():
                if category == "overall":
                    systems[sname] = np.array([v.flagged for v in vs])
                else:
                    systems[sname] = np.array([category in v.categories for v in vs])
            if learned is not None and category == "overall":
                systems["learned"] = learned
                systems["both+learned"] = systems["both"] | learned
            for sname, pred_all in systems.items():
                pred = pred_all[mask]
                p, r, f = prf(pred, gold)
                print(
                    f"| {name} | {category} | {sname} | {p:.3f} | {r:.3f} | {f:.3f} | "
                    f"{int(gold.sum())} | {int(pred.sum())} |"
                )


def tune(data: dict[str, object], rules: RuleSet) -> None:
    """Coordinate search of the offline rules' thresholds on the validation split."""
    pool, probs = data["pool"], data["probs"]
    literal = split_systems(rules)["rules"]
    base = np.array(
        [
            v.flagged
            for v in literal.evaluate([CommentContext(t) for t in pool.texts], evidence=False)
        ]  # type: ignore[attr-defined]
    )
    gold = pool.bad > 0  # type: ignore[attr-defined]
    sets = [pool.source == "jigsaw", pool.source == "davidson"]  # type: ignore[attr-defined]

    def objective(th: dict[str, float]) -> tuple[float, list[float]]:
        flagged = base.copy()
        for j, label in enumerate(OFFLINE_LABELS):
            flagged |= probs[:, j] >= th[label]
        f1s = [prf(flagged[m], gold[m])[2] for m in sets]
        return float(np.mean(f1s)), f1s

    thresholds = {label: 0.8 for label in OFFLINE_LABELS}
    grid = [round(x, 2) for x in np.arange(0.2, 0.96, 0.05)]
    best, _ = objective(thresholds)
    for _round in range(3):
        for label in OFFLINE_LABELS:
            for value in grid:
                trial = {**thresholds, label: value}
                score, _ = objective(trial)
                if score > best + 1e-9:
                    best, thresholds = score, trial
    score, f1s = objective(thresholds)
    print(f"\nbest thresholds (validation, mean per-set overall F1 {score:.4f}; {f1s}):")
    for label, value in thresholds.items():
        print(f"  {label} >= {value}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "validation"], default="test")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules.yaml")
    parser.add_argument("--tune", action="store_true", help="search thresholds (validation)")
    args = parser.parse_args()
    if not (SHARED / "jigsaw_train_5k_predibase.csv").is_file():
        print(f"eval_quality: data not found under {SHARED} (../shared is absent); nothing to do")
        return 0
    if args.tune and args.split != "validation":
        parser.error("--tune works on --split validation only (never tune on the test split)")
    rules = load_rules(args.rules)
    data = score_rows(args.split)
    print(
        f"split: {args.split}; offline model {data['model_id']}; Detoxify: not measured "
        "(its weights cannot be downloaded here)"
    )
    label_table(data["pool"], data["probs"])  # type: ignore[arg-type]
    category_table(data, rules)
    if args.tune:
        tune(data, rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
