"""The HTTP API under a bounded load: p50/p95 latency of single-comment POSTs and comments/s of
batch POSTs, against `moderation serve` in its own process (SQLite, the bundled offline model).

    python benchmarks/bench_api.py [--singles 150] [--clients 4] [--batches 5] [--batch-size 100]

Baselines measured in the same run: GET /v1/health (the HTTP and framework cost alone) and the
same single-comment work through the domain in this process (``Intake.post``, no HTTP), on its
own database. Every comment text is distinct, so each one is scored. Prints one JSON line last.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.api.intake import Intake  # noqa: E402
from moderation.api.models import CommentIn  # noqa: E402
from moderation.api.tokens import Scope, add_token  # noqa: E402
from moderation.pipeline.versions import load_active_rules  # noqa: E402
from moderation.scoring import MiniLMHeadsScorer  # noqa: E402
from moderation.store import Store  # noqa: E402
from moderation.store.api_clients import find_client  # noqa: E402

SENTENCES = [
    "Thanks for the clear explanation of the budget",
    "You are an idiot and everyone knows it",
    "I disagree with the minister about the new road",
    "This is bullshit, the council never listens",
    "Great photos of the harbour this morning",
    "What a moron, read the article before commenting",
]


def _text(i: int) -> str:
    return f"{SENTENCES[i % len(SENTENCES)]} (reader note {i})"


def _comment(i: int, article: str) -> dict[str, Any]:
    return {
        "article": {"id": article, "title": f"Bench article {article}"},
        "id": f"c{i}",
        "author": f"reader{i % 37}",
        "text": _text(i),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(port: int, method: str, path: str, token: str, body: Any = None) -> tuple[int, float]:
    payload = None if body is None else json.dumps(body).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    conn.request(
        method,
        path,
        body=payload,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, elapsed


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _rules(tmp: Path) -> Path:
    rules = tmp / "rules" / "rules.yaml"
    rules.parent.mkdir()
    shutil.copy(ROOT / "rules.yaml", rules)
    shutil.copytree(ROOT / "rule_lists", rules.parent / "rule_lists")
    return rules


def _serve(tmp: Path, rules: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "THREADWATCH_MODEL": "offline",
        "THREADWATCH_RULES_PATH": str(rules),
        "DATABASE_URL": f"sqlite:///{tmp / 'api.db'}",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "moderation",
                "--db",
                f"sqlite:///{tmp / 'api.db'}",
                "serve",
                "--port",
                str(port),
                "--rate",
                "100000",
                "--burst",
                "100000",
                "--max-body-bytes",
                str(16 * 1024 * 1024),
                "--no-webhooks",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, token: str, log: Path) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server stopped:\n{log.read_text()}")
        try:
            if _request(port, "GET", "/v1/health", token)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--singles", type=int, default=150)
    parser.add_argument("--clients", type=int, default=4, help="concurrent single posters")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    try:
        rules = _rules(tmp)
        store = Store.open(f"sqlite:///{tmp / 'api.db'}")
        token = add_token(
            store, "bench", frozenset({Scope.COMMENTS_WRITE, Scope.DECISIONS_READ})
        ).token
        store.close()
        port = _free_port()
        log = tmp / "serve.log"
        proc = _serve(tmp, rules, port, log)
        try:
            _wait_healthy(proc, port, token, log)
            figures = _measure(args, port, token)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        figures.update(_direct(args, tmp, rules))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures["http_over_direct_p50"] = round(
        figures["single_p50_ms"] / figures["direct_single_p50_ms"], 2
    )
    figures["loadavg_1m_before"] = round(load_before, 2)
    figures["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    figures["cpus"] = os.cpu_count()
    print(json.dumps(figures))


def _measure(args: argparse.Namespace, port: int, token: str) -> dict[str, Any]:
    # Warm-up: the first post loads nothing new (the model is loaded at start) but fills caches.
    _request(port, "POST", "/v1/comments", token, _comment(-1, "warm"))
    health = [_request(port, "GET", "/v1/health", token)[1] for _ in range(50)]

    def single(i: int) -> float:
        status, elapsed = _request(port, "POST", "/v1/comments", token, _comment(i, f"s{i % 20}"))
        if status != 201:
            raise SystemExit(f"single POST answered {status}")
        return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        latencies = list(pool.map(single, range(args.singles)))
    singles_s = time.perf_counter() - started
    batch_times = []
    for b in range(args.batches):
        first = 1_000_000 + b * args.batch_size
        body = {"comments": [_comment(first + i, f"b{b}") for i in range(args.batch_size)]}
        status, elapsed = _request(port, "POST", "/v1/comments", token, body)
        if status != 201:
            raise SystemExit(f"batch POST answered {status}")
        batch_times.append(elapsed)
    return {
        "singles": args.singles,
        "clients": args.clients,
        "single_p50_ms": round(_percentile(latencies, 0.5) * 1000, 1),
        "single_p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "singles_per_s": round(args.singles / singles_s, 1),
        "health_p50_ms": round(statistics.median(health) * 1000, 2),
        "batches": args.batches,
        "batch_size": args.batch_size,
        "batch_p50_s": round(statistics.median(batch_times), 3),
        "batch_comments_per_s": round(args.batches * args.batch_size / sum(batch_times), 1),
    }


def _direct(args: argparse.Namespace, tmp: Path, rules: Path) -> dict[str, Any]:
    """The same single-comment work through ``Intake.post`` in this process: no HTTP."""
    store = Store.open(f"sqlite:///{tmp / 'direct.db'}")
    try:
        add_token(store, "bench", frozenset({Scope.COMMENTS_WRITE}))
        with store.engine.connect() as conn:
            client = find_client(conn, "bench")
        assert client is not None
        intake = Intake(store, MiniLMHeadsScorer(), load_active_rules(store, rules))
        intake.post(client, [CommentIn.model_validate(_comment(-1, "warm"))])
        latencies = []
        for i in range(args.singles):
            item = CommentIn.model_validate(_comment(i, f"s{i % 20}"))
            started = time.perf_counter()
            intake.post(client, [item])
            latencies.append(time.perf_counter() - started)
    finally:
        store.close()
    return {
        "direct_single_p50_ms": round(_percentile(latencies, 0.5) * 1000, 1),
        "direct_single_p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
    }


if __name__ == "__main__":
    main()
