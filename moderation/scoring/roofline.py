"""The machine's own limit for our scorer: peak GEMM throughput and the work one comment costs.

``encoder_flops`` counts the matrix work of a BERT-style encoder on ``n`` tokens, per layer:

* ``4·n·d²`` multiply-adds for the Q, K, V and output projections,
* ``2·n²·d`` for attention (``Q·Kᵀ`` and ``softmax·V``),
* ``2·n·d·d_ff`` for the two FFN matrices (``d → d_ff → d``),

times 2 FLOPs per multiply-add and times the layer count:
``FLOPs(n) = 2·L·(4·n·d² + 2·n²·d + 2·n·d·d_ff)``. For BERT-base (``L=12, d=768, d_ff=3072``) that
is ~0.17 GFLOP per token at short lengths. Embeddings, LayerNorm, softmax, GELU, the pooler and the
classifier head are left out: they are O(n·d), small next to the GEMMs, and the GEMM peak is the
limit they are compared with. ``n`` is each comment's real token count (after truncation, with
[CLS]/[SEP]); padding a scorer adds is not counted as useful work.

The peaks are measured with the engine the scorer runs (ONNX Runtime, CPU provider), at a
BERT-base FFN shape ``[tokens×d]·[d×d_ff]``: a float ``MatMul`` for fp32 and a ``MatMulInteger``
(uint8 activations × int8 weights, int32 accumulators) for int8, the kernel the dynamically
quantised model's ``DynamicQuantizeMatMul``/``QAttention`` nodes call. Both are measured two ways
with the scorer's thread count (one GEMM on an intra-op pool of ``threads``, and ``threads``
single-threaded GEMMs side by side) and the faster counts as the peak, so the fraction our scorer
reaches is never flattered by a badly parallelised reference.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CPUINFO = Path("/proc/cpuinfo")


def cpu_flags(cpuinfo: str | None = None) -> dict[str, bool]:
    """Which SIMD/matrix extensions the CPU reports (Linux ``/proc/cpuinfo``; all False elsewhere).

    ``vnni`` is AVX512-VNNI or AVX-VNNI (int8 dot products in one instruction); ``amx`` is any AMX
    tile extension. A hypervisor can hide flags the silicon has: we report what the OS enables.
    """
    if cpuinfo is None:
        try:
            cpuinfo = CPUINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    flags: set[str] = set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            flags.update(value.split())
            break  # every core reports the same set
    return {
        "avx2": "avx2" in flags,
        "avx512": "avx512f" in flags,
        "vnni": bool({"avx512_vnni", "avx_vnni"} & flags),
        "amx": any(f.startswith("amx") for f in flags),
    }


@dataclass(frozen=True)
class EncoderShape:
    layers: int
    hidden: int
    intermediate: int

    @classmethod
    def of(cls, config: Any) -> EncoderShape:
        """From a transformers config (BERT, RoBERTa, XLM-R, MiniLM all use these names)."""
        return cls(
            layers=int(config.num_hidden_layers),
            hidden=int(config.hidden_size),
            intermediate=int(config.intermediate_size),
        )


def encoder_flops(n: int, shape: EncoderShape) -> int:
    """FLOPs of the encoder's matrix work on one sequence of ``n`` tokens (formula above)."""
    d, d_ff = shape.hidden, shape.intermediate
    per_layer_macs = 4 * n * d * d + 2 * n * n * d + 2 * n * d * d_ff
    return 2 * shape.layers * per_layer_macs


@dataclass
class PeakMeter:
    """Accumulates GEMM samples so a benchmark can interleave them with the work it compares.

    The reported peak is total operations over total time across all samples of the faster
    scheme: samples are taken in the same minutes as the scorer's chunks, so load from other
    processes lowers both alike instead of skewing the fraction.
    """

    threads: int
    tokens: int = 512
    hidden: int = 768
    intermediate: int = 3072
    _sessions: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _inputs: dict[str, Any] = field(default_factory=dict, repr=False)
    # (kind, scheme) -> [ops, seconds]
    _totals: dict[tuple[str, str], list[float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        import numpy as np

        rng = np.random.default_rng(0)
        k, n = self.hidden, self.intermediate
        self._inputs = {
            "fp32": rng.standard_normal((self.tokens, k)).astype(np.float32),
            "int8": rng.integers(0, 256, (self.tokens, k), dtype=np.uint8),
        }
        weights = {
            "fp32": rng.standard_normal((k, n)).astype(np.float32),
            "int8": rng.integers(-127, 128, (k, n), dtype=np.int8),
        }
        for kind, w in weights.items():
            model = _gemm_model(kind, w)
            self._sessions[(kind, "pool")] = _session(model, self.threads)
            self._sessions[(kind, "side-by-side")] = _session(model, 1)
        self._pool = ThreadPoolExecutor(self.threads) if self.threads > 1 else None
        for key in self._sessions:  # first runs allocate and pack; keep them out of the samples
            self._run(*key)

    @property
    def ops_per_gemm(self) -> int:
        return 2 * self.tokens * self.hidden * self.intermediate

    def _run(self, kind: str, scheme: str) -> int:
        """One round of the scheme; returns the operations it did."""
        session, feed = self._sessions[(kind, scheme)], {"A": self._inputs[kind]}
        if scheme == "pool" or self._pool is None:
            session.run(None, feed)
            return self.ops_per_gemm
        list(self._pool.map(lambda _i: session.run(None, feed), range(self.threads)))
        return self.ops_per_gemm * self.threads

    def sample(self, seconds: float = 0.25) -> None:
        """Run every (kind, scheme) for about ``seconds`` each and add to the totals."""
        for key in self._sessions:
            ops, start = 0, time.perf_counter()
            while True:
                ops += self._run(*key)
                elapsed = time.perf_counter() - start
                if elapsed >= seconds:
                    break
            total = self._totals.setdefault(key, [0.0, 0.0])
            total[0] += ops
            total[1] += elapsed

    def peak(self, kind: str) -> float:
        """Best sustained operations per second of ``kind`` ("fp32" or "int8") over the samples."""
        rates = [ops / s for (k, _scheme), (ops, s) in self._totals.items() if k == kind and s]
        if not rates:
            raise ValueError("no samples yet: call sample() first")
        return max(rates)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def _gemm_model(kind: str, weight: Any) -> Any:
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    k, n = weight.shape
    if kind == "fp32":
        node = helper.make_node("MatMul", ["A", "W"], ["Y"])
        types = (TensorProto.FLOAT, TensorProto.FLOAT)
        inits = [numpy_helper.from_array(weight, "W")]
    else:
        # uint8 activations with a zero point, int8 weights: what dynamic quantisation emits.
        node = helper.make_node("MatMulInteger", ["A", "W", "A_zero"], ["Y"])
        types = (TensorProto.UINT8, TensorProto.INT32)
        inits = [
            numpy_helper.from_array(weight, "W"),
            numpy_helper.from_array(np.array(128, dtype=np.uint8), "A_zero"),
        ]
    graph = helper.make_graph(
        [node],
        f"gemm-{kind}",
        [helper.make_tensor_value_info("A", types[0], [None, k])],
        [helper.make_tensor_value_info("Y", types[1], [None, n])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9  # what onnxruntime 1.32 reads; onnx 1.23 would stamp a newer one
    return model


def _session(model: Any, threads: int) -> Any:
    import onnxruntime as ort

    from moderation.scoring.onnx_int8 import session_options

    return ort.InferenceSession(
        model.SerializeToString(), session_options(threads), providers=["CPUExecutionProvider"]
    )
