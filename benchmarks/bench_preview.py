"""Impact preview speed: a one-word edit of rules.yaml previewed over 100,000 stored comments.

Fills a database like bench_dashboard.py (real fallback-model scores, real flags from the
active rules, some decisions), then times ``rule_edits.preview`` (cached scores only, no model
runs) for a draft that adds one word to the profanity list. Prints one JSON line last:
``{"comments": int, "preview_s": float, "changed": int, ...}``; preview_s is the median of
3 runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_dashboard

from moderation.pipeline import rule_edits
from moderation.pipeline.versions import load_active_rules
from moderation.store import Store

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = "    source: better-profanity 0.7.0 (PyPI), better_profanity/profanity_wordlist.txt\n"
WORD = "kakare"  # in a seed comment, so the edit changes real verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="threadwatch-preview-")
    store = Store.open(f"sqlite:///{Path(tmp.name) / 'bench.db'}")
    started = time.perf_counter()
    filled = bench_dashboard.fill(
        store, n_comments=args.comments, n_articles=args.articles, n_authors=3_000, seed=7
    )
    model_id = bench_dashboard.score_texts(store, filled["texts"])
    bench_dashboard.flag_and_decide(store, model_id, 7)
    fill_s = time.perf_counter() - started
    rules_path = ROOT / "rules.yaml"
    active = load_active_rules(store, rules_path)
    content = rules_path.read_text(encoding="utf-8")
    if ANCHOR not in content:
        sys.exit("rules.yaml no longer has the profanity list anchor this benchmark edits")
    draft = rule_edits.parse_draft(
        content.replace(ANCHOR, ANCHOR + f"    items: [{WORD}]\n", 1), rules_path
    )
    times, impact = [], None
    for run in range(args.runs):
        impact = rule_edits.preview(store, draft, active, model_id=model_id)
        times.append(impact.seconds)
        print(
            f"run {run + 1}: {impact.seconds:.2f}s, {impact.total_changed} changed", file=sys.stderr
        )
    assert impact is not None
    print(
        json.dumps(
            {
                "comments": impact.evaluated,
                "preview_s": round(statistics.median(times), 3),
                "changed": impact.total_changed,
                "newly_flagged": impact.newly_flagged,
                "runs_s": [round(t, 3) for t in times],
                "fill_s": round(fill_s, 1),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "target_s": 5.0,
            }
        )
    )
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
