"""The site's learned model on decisions simulated from labeled data, replayed in time order.

Simulation (documented, reproducible):
* comments: the Jigsaw rows of the *test* split (the offline model never trained on them, so
  its scores, which are features of the learned model, are honest), in file order, posted one
  minute apart, 50 to an article, imported through the CSV importer and ingested with the
  offline model and the default rules.yaml like any real import;
* moderator: decides every comment in posting order; rejects the labeled-bad ones (Jigsaw
  ``is_bad``) citing the clause of the label (obscene -> no-profanity, insult ->
  no-personal-attacks, anything else -> no-inappropriate-material) and approves the rest;
* replay: ``moderation model evaluate-learned`` logic (moderation.scoring.learned_eval.replay):
  train on the first ``--start`` decisions, predict the next ``--window``, move on.

    python benchmarks/eval_learned.py [--start 200] [--window 100] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from moderation import review  # noqa: E402
from moderation.pipeline.ingest import ingest  # noqa: E402
from moderation.pipeline.versions import load_active_rules  # noqa: E402
from moderation.records import Action  # noqa: E402
from moderation.scoring import MiniLMHeadsScorer  # noqa: E402
from moderation.scoring.labeled_data import load_jigsaw, split_rows  # noqa: E402
from moderation.scoring.learned_eval import replay  # noqa: E402
from moderation.store import Store  # noqa: E402
from moderation.store.schema import comments  # noqa: E402

JIGSAW = ROOT.parent / "shared" / "data" / "jigsaw_train_5k_predibase.csv"
PER_ARTICLE = 50


def clause_for(labels: dict[str, float]) -> str:
    if labels["obscene"] == 1:
        return "no-profanity"
    if labels["insult"] == 1:
        return "no-personal-attacks"
    return "no-inappropriate-material"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=200)
    parser.add_argument("--window", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not JIGSAW.is_file():
        print(f"eval_learned: {JIGSAW} absent; nothing to do")
        return 0
    data = load_jigsaw(JIGSAW)
    _, test_rows = split_rows(data)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "simulated.csv"
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        truth: dict[str, tuple[bool, str]] = {}
        with source.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "article", "title", "author", "date", "comment_text"])
            for n, i in enumerate(test_rows):
                labels = {label: float(v[i]) for label, v in data.labels.items()}
                author = f"reader-{n}"
                truth[author] = (bool(data.bad[i]), clause_for(labels))
                writer.writerow(
                    [
                        f"c{n}",
                        f"a{n // PER_ARTICLE}",
                        f"Simulated article {n // PER_ARTICLE:03d}",
                        author,
                        (t0 + timedelta(minutes=n)).isoformat(),
                        data.texts[i],
                    ]
                )
        store = Store.open(f"sqlite:///{Path(tmp) / 'sim.db'}")
        scorer = MiniLMHeadsScorer()
        rules = load_active_rules(store, ROOT / "rules.yaml")
        report = ingest([source], store, scorer=scorer, rules=rules)
        if not report.ok:
            print(f"import failed: {report.failed}", file=sys.stderr)
            return 2
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(comments.c.id, comments.c.author, comments.c.version).order_by(
                    comments.c.posted_at, comments.c.id
                )
            ).all()
        for row in rows:
            bad, clause = truth[row.author]
            review.decide(
                store,
                row.id,
                Action.REJECT if bad else Action.APPROVE,
                moderator="simulated-moderator",
                expected_version=row.version,
                clause_id=clause if bad else None,
            )
        result = replay(
            store,
            rules=rules.ruleset,
            rule_set_version=rules.version,
            scorer=scorer,
            start=args.start,
            window=args.window,
        )
        store.close()
    out = result.as_dict()
    out["comments"] = len(rows)
    out["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(result.summary())
        print(f"({len(rows)} simulated comments, {out['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
