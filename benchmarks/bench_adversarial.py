"""Time and peak memory on adversarial and huge inputs, both engines, full sizes.

Run: ``python benchmarks/bench_adversarial.py [--engines rust,python] [--scale 1.0] [--write FILE]``.

Every (case, engine, operation) runs in a fresh subprocess: it builds the
input, resets the kernel's peak-RSS mark (``/proc/self/clear_refs``), runs the
operation once and reports its CPU time, wall time and the peak resident
memory the operation added on top of the input (as MB and as a multiple of
the input's UTF-8 size). `--scale` shrinks every input (the pure-Python
engine needs minutes at full size). The tests keep reduced sizes of the same
shapes (tests/test_adversarial.py) and check growth rates
(tests/test_linear.py); this script records the figures at full size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tst  # noqa: E402


def _digit_scripts() -> str:
    rows = []
    for c in range(0x110000):
        ch = chr(c)
        if unicodedata.category(ch) == "Nd" and unicodedata.digit(ch) == 0 and c != 0x30:
            rows.append("".join(chr(c + k) for k in range(10)))
    return " ".join(rows) + "\n"


def _repeat(unit: str, chars: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, chars // len(unit)) + tail


#: name -> (builder of the text at a scale, codec kwargs, what it stresses)
CASES: dict[str, tuple[Callable[[float], str], dict[str, Any], str]] = {
    "digits_line_100MB": (
        lambda s: _repeat("1234567890", int(100e6 * s)),
        {},
        "one 100 MB line of digits (out of range: stays text)",
    ),
    "million_digit_number": (
        lambda s: "9" * int(1e6 * s),
        {"int_digits": 1_000_000},
        "a 10^6-digit number in range (int_digits=10^6)",
    ),
    "million_tiny_numbers": (
        lambda s: "7 " * int(1e6 * s),
        {},
        "10^6 one-digit numbers",
    ),
    "repeated_separators": (
        lambda s: _repeat("1,", int(2e6 * s), tail="1"),
        {},
        "1,1,1,... (2 MB)",
    ),
    "failing_grouping": (
        lambda s: _repeat("234,", int(2e6 * s), head="1,", tail="5"),
        {},
        "1,234,234,...,234,5 (2 MB)",
    ),
    "chain_then_run": (
        lambda s: _repeat("480,", int(2e6 * s), head="2019-07-21,", tail="5"),
        {},
        "2019-07-21,480,480,...,5: a date, then one long comma run (2 MB)",
    ),
    "iso_date_times": (
        lambda s: _repeat("2024-01-15T10:30:00.123Z,1,234,", int(10e6 * s)),
        {},
        "ISO 8601 date-times and groupings in CSV rows (10 MB)",
    ),
    "marker_like": (
        lambda s: _repeat("⟦u⟧⟦1k⟧⟦,3⟧⟦⟦⟧ ⟧", int(10e6 * s)),
        {},
        "marker-like strings, all escaped (10 M chars)",
    ),
    "open_brackets": (
        lambda s: "⟦" * int(10e6 * s),
        {},
        "⟦⟦⟦... (10 M chars)",
    ),
    "digit_scripts": (
        lambda s: _repeat(_digit_scripts(), int(10e6 * s)),
        {},
        "all Unicode digit scripts, repeated (10 M chars)",
    ),
    "controls_crlf": (
        lambda s: _repeat("1\r\n2\r3\x00\x1f4,5\t", int(10e6 * s)),
        {},
        "NUL, controls, CRLF and lone CR around numbers (10 M chars)",
    ),
    "lone_surrogates": (
        lambda s: _repeat("12\ud800 3\udfff,5 ", int(10e6 * s)),
        {},
        "lone surrogates around numbers (10 M chars)",
    ),
}

#: Operations; "decode" decodes the encoding, "lenient" decodes the raw text with strict=False.
OPS = ("encode", "decode", "lenient", "numbers", "encode_with_offsets")


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _child(case: str, engine: str, op: str, scale: float) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    build, kwargs, _ = CASES[case]
    codec = tst.Codec(variant="vocab", backend=engine, **kwargs)
    text = build(scale)
    size = len(text.encode("utf-8", "surrogatepass"))
    arg = codec.encode(text) if op == "decode" else text
    fn: Callable[[], Any] = {
        "encode": lambda: codec.encode(arg),
        "decode": lambda: codec.decode(arg),
        "lenient": lambda: codec.decode(arg, strict=False),
        "numbers": lambda: len(codec.numbers(arg)),
        "encode_with_offsets": lambda: len(codec.encode_with_offsets(arg)[1]),
    }[op]
    before = _rss_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    c0, w0 = time.process_time(), time.perf_counter()
    result = fn()
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    peak = _rss_mb("VmHWM")
    if op == "decode":
        assert result == text, "decode(encode(x)) != x"
    del result
    return {"bytes": size, "cpu_s": cpu, "wall_s": wall, "extra_mb": max(0.0, peak - before)}


def _measure(case: str, engine: str, op: str, scale: float, timeout: float) -> dict[str, Any] | str:
    cmd = [sys.executable, __file__, "--child", case, engine, op, str(scale)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"timeout > {timeout:.0f} s"
    if done.returncode != 0:
        return "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", default="rust,python")
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--scale", type=float, default=1.0, help="input size factor (1.0 = the sizes named)")
    ap.add_argument("--python-scale", type=float, default=None, help="scale for the Python engine (default --scale)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per measurement")
    ap.add_argument("--write", type=Path, default=ROOT / "benchmarks" / "out" / "adversarial.md")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        case, engine, op, scale = args.child
        print(json.dumps(_child(case, engine, op, float(scale))))
        return
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"tst backend available: {tst.backend()}.",
        "",
        "| case | engine | input | operation | CPU s | wall s | MB/s (CPU) | peak extra MB | extra / input |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    for case in args.cases.split(","):
        for engine in args.engines.split(","):
            scale = args.python_scale if engine == "python" and args.python_scale else args.scale
            for op in args.ops.split(","):
                r = _measure(case, engine, op, scale, args.timeout)
                if isinstance(r, str):
                    row = f"| {case} | {engine} | scale {scale} | {op} | {r} | | | | |"
                else:
                    mb = r["bytes"] / 1e6
                    row = (
                        f"| {case} | {engine} | {mb:.1f} MB | {op} | {r['cpu_s']:.3f} | {r['wall_s']:.3f} | "
                        f"{mb / max(r['cpu_s'], 1e-9):.1f} | {r['extra_mb']:.1f} | {r['extra_mb'] / mb:.2f}x |"
                    )
                lines.append(row)
                print(row, flush=True)
    lines += ["", "Cases:", *[f"- `{k}`: {v[2]}" for k, v in CASES.items()]]
    args.write.parent.mkdir(parents=True, exist_ok=True)
    args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.write}")


if __name__ == "__main__":
    main()
