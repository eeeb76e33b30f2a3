"""Scoring throughput: naive Detoxify loop vs. Threadwatch's scorer (prints one JSON line last).

Run: ``python benchmarks/bench_scoring.py [--json] [--batch-tokens N] [--threads N]``
"""

from __future__ import annotations

import sys
from pathlib import Path

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.scoring.benchmark import main

if __name__ == "__main__":
    sys.exit(main())
