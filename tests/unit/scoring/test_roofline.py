"""The roofline pieces: CPU flags as the kernel reports them, the FLOP count, the GEMM meter."""

from __future__ import annotations

import pytest

from moderation.scoring.roofline import EncoderShape, PeakMeter, cpu_flags, encoder_flops

AVX2_ONLY = """processor\t: 0
flags\t\t: fpu sse sse2 avx fma avx2 bmi2
processor\t: 1
flags\t\t: fpu sse sse2 avx fma avx2 bmi2
"""
SAPPHIRE = "flags : avx2 avx512f avx512bw avx512_vnni amx_bf16 amx_tile amx_int8\n"
ALDER = "flags : avx2 avx_vnni\n"


@pytest.mark.parametrize(
    ("cpuinfo", "expected"),
    [
        (AVX2_ONLY, {"avx2": True, "avx512": False, "vnni": False, "amx": False}),
        (SAPPHIRE, {"avx2": True, "avx512": True, "vnni": True, "amx": True}),
        (ALDER, {"avx2": True, "avx512": False, "vnni": True, "amx": False}),
        ("", {"avx2": False, "avx512": False, "vnni": False, "amx": False}),
    ],
)
def test_cpu_flags(cpuinfo: str, expected: dict[str, bool]) -> None:
    assert cpu_flags(cpuinfo) == expected


def test_cpu_flags_of_this_machine_are_booleans() -> None:
    flags = cpu_flags()
    assert set(flags) == {"avx2", "avx512", "vnni", "amx"}
    assert all(isinstance(v, bool) for v in flags.values())


def test_encoder_flops_bert_base() -> None:
    bert = EncoderShape(layers=12, hidden=768, intermediate=3072)
    n = 128
    # Per layer: QKV+O 4*n*d^2, attention 2*n^2*d, FFN 2*n*d*d_ff multiply-adds; 2 FLOPs each.
    macs = 4 * n * 768**2 + 2 * n**2 * 768 + 2 * n * 768 * 3072
    assert encoder_flops(n, bert) == 2 * 12 * macs
    # ~0.17 GFLOP per token at short lengths (the usual 2 * 85M encoder parameters).
    assert encoder_flops(1, bert) / 1e9 == pytest.approx(0.17, abs=0.01)
    # Attention is the only super-linear term.
    assert encoder_flops(2 * n, bert) > 2 * encoder_flops(n, bert)


def test_peak_meter_measures_both_kinds() -> None:
    meter = PeakMeter(threads=2, tokens=16, hidden=32, intermediate=64)
    with pytest.raises(ValueError, match="no samples"):
        meter.peak("int8")
    meter.sample(0.01)
    try:
        assert meter.peak("fp32") > 0 and meter.peak("int8") > 0
    finally:
        meter.close()
