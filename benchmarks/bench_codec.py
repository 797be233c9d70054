"""Encode/decode throughput of the Rust engine, the pure-Python engine and the official converter.

Run: ``python benchmarks/bench_codec.py [--sizes 1,10,100] [--official DIR]``.

Three generated (seeded) corpora:

(a) prose with few numbers (about one word in fifty is a number);
(b) number-dense CSV and JSON Lines (decimals, signs, IDs, dates, thousands separators);
(c) a headerless CSV (every row starts with a digit: quadratic in the official converter).

Each corpus is measured at every size (MB = 10^6 bytes of UTF-8). For every engine and size the
table gives encode and decode throughput in MB of original text per second, best of --repeat runs,
and the peak resident memory a call adds, as a multiple of the input. Ratios are taken from
timings of this run only. Single-threaded throughput is timed in process CPU seconds, so that a
busy machine (other processes on the same cores) does not blur the ratios; --timer wall switches
to wall-clock time. The batch measurement (1 vs 2 threads) is always wall-clock. The engine keeps
its output memory between calls on a thread (up to 64 MB, see docs/rust.md); the scaling ratio
compares first calls made after `tst._tst_rs.release_buffers()` and glibc's `malloc_trim`, so both
sizes start on fresh memory (page faults included, as for a one-off call).

The pure-Python engine and the official converter are slow: they run only up to --python-max-mb and
--official-max-mb (the official converter on corpus (c) only up to --official-quadratic-max-mb,
since it is quadratic there); the output says which sizes were skipped. The official converter is
loaded from DIR/tst_converter.py (``tst_transform_text``, its defaults: groups of 3, compact
suffixes); without --official (or TST_OFFICIAL_DIR) it is skipped. It emits the paper's surface
form, so a "rust paper" row measures our own encoder of that same form next to it.

Targets (issue 3): Rust encode >= 50x the official converter on (a) and (b) and >= 10x pure
Python; decode at least as fast as encode; 100 MB takes at most 12x the time of 10 MB; batch
encode on 2 threads >= 1.6x one thread.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tst  # noqa: E402

_WORDS = (
    "the of and to in a is that for it as was with be by on not he i this are or his from at which but have "
    "an they you were her she there been one all we their has would when if so no will can more about said up "
    "out who them some could into its then two time than other people only new these may first any like now "
    "my over such our man me even most made after also did many before must through back years where much your "
    "way well down should because each just those how too little state good very make world still own see men"
)
WORDS = _WORDS.split()

BASE_BYTES = 2_000_000  # unique text per corpus; larger sizes repeat it


def _number(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return str(rng.randint(1, 99))
    if kind == 1:
        return str(rng.randint(1900, 2030))
    if kind == 2:
        return f"${rng.randint(1, 999)}.{rng.randint(0, 99):02d}"
    if kind == 3:
        return f"{rng.randint(0, 99)}.{rng.randint(0, 9)}%"
    return f"{rng.randint(1000, 10**7):,}"


def prose(rng: random.Random, size: int) -> str:
    """(a) Sentences of common words; about one word in fifty is a number."""
    out: list[str] = []
    n = 0
    while n < size:
        words = [_number(rng) if rng.random() < 0.02 else rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
        s = " ".join(words).capitalize() + rng.choice([". ", ". ", "? ", ".\n"])
        out.append(s)
        n += len(s)
    return "".join(out)


def _decimal(rng: random.Random, signed: bool = True) -> str:
    ip = str(rng.randint(0, 10 ** rng.randint(1, 6)))
    fp = "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(1, 6)))
    return ("-" if signed and rng.random() < 0.2 else "") + ip + "." + fp


def csv_json(rng: random.Random, size: int) -> str:
    """(b) Number-dense CSV rows and JSON Lines records, interleaved."""
    out: list[str] = []
    n = 0
    i = 0
    while n < size:
        if i % 2:
            row = f"r{i}," + ",".join(_decimal(rng) for _ in range(8)) + "\n"
        else:
            record = {
                "id": i,
                "price": float(_decimal(rng, signed=False)),
                "qty": rng.randint(-50, 5000),
                "total": f"{rng.randint(1000, 10**9):,}.{rng.randint(0, 99):02d}",
                "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "ratio": rng.random() / 1000,
                "tags": [rng.randint(0, 99) for _ in range(3)],
            }
            row = json.dumps(record) + "\n"
        out.append(row)
        n += len(row)
        i += 1
    return "".join(out)


def headerless_csv(rng: random.Random, size: int) -> str:
    """(c) Rows of unsigned decimals: every line starts with a digit."""
    out: list[str] = []
    n = 0
    while n < size:
        row = ",".join(_decimal(rng, signed=False) for _ in range(8)) + "\n"
        out.append(row)
        n += len(row)
    return "".join(out)


CORPORA: dict[str, Callable[[random.Random, int], str]] = {
    "a prose": prose,
    "b csv+json": csv_json,
    "c headerless csv": headerless_csv,
}


def corpus(name: str, size: int) -> str:
    """`size` bytes of corpus `name` (a unique 2 MB base, repeated; cut at a line end)."""
    base = CORPORA[name](random.Random(1234), min(size, BASE_BYTES))
    if not base.endswith("\n"):
        base += "\n"
    text = base * (size // len(base) + 1)
    cut = text.rfind("\n", 0, size) + 1
    return text[: cut or size]


# -- measuring ---------------------------------------------------------------------------


def _rss_kb(field_name: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


@dataclass
class Timing:
    seconds: float  # best of the runs, by the chosen timer
    first: float  # the first run, by the chosen timer (cold memory for the Rust engine)
    wall: float  # best wall-clock time
    peak_mb: float | None  # resident memory the call added at its peak
    result: Any = field(repr=False, default=None)


def _trim_heap() -> None:
    """Give freed heap memory back to the OS (glibc), so a first call meets fresh memory at any size."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def measure(fn: Callable[[], Any], repeat: int, timer: str) -> Timing:
    """Best of `repeat` runs of `fn`; peak memory of the first run (Linux)."""
    best = best_wall = first = float("inf")
    peak: float | None = None
    result: Any = None
    for k in range(repeat):
        result = None
        gc.collect()
        if k == 0:
            tst._tst_rs.release_buffers()  # the first run starts with no memory kept from earlier calls
            _trim_heap()
        before = _rss_kb("VmRSS")
        track = k == 0 and _reset_peak() and before is not None
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        c1, w1 = time.process_time(), time.perf_counter()
        if track:
            hwm = _rss_kb("VmHWM")
            if hwm is not None and before is not None:
                peak = max(0, hwm - before) / 1000
        took = (c1 - c0) if timer == "cpu" else (w1 - w0)
        first = took if k == 0 else first
        best = min(best, took)
        best_wall = min(best_wall, w1 - w0)
    return Timing(best, first, best_wall, peak, result)


def load_official(directory: str | None) -> Callable[[str], str] | None:
    if not directory:
        return None
    path = Path(directory) / "tst_converter.py"
    if not path.is_file():
        print(f"official converter: {path} not found, skipped")
        return None
    spec = importlib.util.spec_from_file_location("tst_converter_official", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fn: Callable[[str], str] = module.tst_transform_text
    return fn


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Row:
    corpus: str
    size_mb: float
    engine: str
    encode_mbs: float | None = None
    decode_mbs: float | None = None
    encode_s: float | None = None
    decode_s: float | None = None
    encode_peak_x: float | None = None
    decode_peak_x: float | None = None
    note: str = ""


def fmt(x: float | None, spec: str = "8.1f") -> str:
    return format(x, spec) if x is not None else " " * (int(spec.split(".")[0]) - 1) + "-"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1,10,100", help="corpus sizes in MB (default 1,10,100)")
    p.add_argument("--corpora", default="a,b,c", help="which corpora: a,b,c")
    p.add_argument("--variants", default="marker,vocab", help="Rust codec variants to time")
    p.add_argument("--official", default=os.environ.get("TST_OFFICIAL_DIR"), help="directory of tst_converter.py")
    p.add_argument("--python-max-mb", type=float, default=1.0)
    p.add_argument("--official-max-mb", type=float, default=10.0)
    p.add_argument("--official-quadratic-max-mb", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=3, help="best of N runs (N=1 above 10 MB)")
    p.add_argument("--timer", choices=["cpu", "wall"], default="cpu")
    p.add_argument("--batch-docs", type=int, default=1000, help="documents in the thread-scaling batch")
    p.add_argument("--json", help="also write the rows to this JSON file")
    args = p.parse_args(argv)

    if tst.backend() != "rust":
        print("the Rust extension is not built (pip install -e .): nothing to measure")
        return 1
    sizes = [float(s) for s in args.sizes.split(",")]
    wanted = {c.strip() for c in args.corpora.split(",")}
    names = [n for n in CORPORA if n[0] in wanted]
    variants = [v.strip() for v in args.variants.split(",")]
    official = load_official(args.official)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"tst {tst.__version__} backend={tst.backend()}; timer={args.timer}; MB = 10^6 bytes of input"
    )
    rows: list[Row] = []
    skipped: list[str] = []
    scaling: dict[tuple[str, str, str], dict[float, float]] = {}
    for name in names:
        for size in sizes:
            text = corpus(name, int(size * 1e6))
            mb = len(text.encode("utf-8")) / 1e6
            repeat = args.repeat if size <= 10 else 1
            for variant in variants:
                codec = tst.Codec(variant, backend="rust")
                enc = measure(lambda c=codec, t=text: c.encode(t), repeat, args.timer)
                dec = measure(lambda c=codec, e=enc.result: c.decode(e), repeat, args.timer)
                assert dec.result == text, "Rust round trip failed"
                row = Row(name, mb, f"rust {variant}", mb / enc.seconds, mb / dec.seconds, enc.seconds, dec.seconds)
                row.encode_peak_x = enc.peak_mb / mb if enc.peak_mb is not None else None
                row.decode_peak_x = dec.peak_mb / mb if dec.peak_mb is not None else None
                rows.append(row)
                scaling.setdefault((name, variant, "encode"), {})[size] = enc.first
                scaling.setdefault((name, variant, "decode"), {})[size] = dec.first
                del enc, dec
            paper = tst.Codec("vocab", style="paper", backend="rust")
            pe = measure(lambda c=paper, t=text: c.encode(t), repeat, args.timer)
            rows.append(Row(name, mb, "rust paper", mb / pe.seconds, None, pe.seconds, note="official's surface"))
            del pe
            if size <= args.python_max_mb:
                codec = tst.Codec(variants[0], backend="python")
                enc = measure(lambda c=codec, t=text: c.encode(t), repeat, args.timer)
                dec = measure(lambda c=codec, e=enc.result: c.decode(e), repeat, args.timer)
                rows.append(
                    Row(name, mb, f"python {variants[0]}", mb / enc.seconds, mb / dec.seconds, enc.seconds, dec.seconds)
                )
            else:
                skipped.append(f"python on {name} at {size:g} MB (> --python-max-mb {args.python_max_mb:g})")
            limit = args.official_quadratic_max_mb if name.startswith("c") else args.official_max_mb
            if official is None:
                pass
            elif size <= limit:
                off = measure(lambda f=official, t=text: f(t), repeat if size <= 1 else 1, args.timer)
                rows.append(Row(name, mb, "official", mb / off.seconds, None, off.seconds, note="paper surface, lossy"))
            else:
                why = "quadratic there" if name.startswith("c") else "slow"
                skipped.append(f"official on {name} at {size:g} MB (> {limit:g} MB: {why})")
            del text
            gc.collect()

    print()
    print(
        f"{'corpus':18} {'MB':>6} {'engine':14} {'enc MB/s':>9} {'dec MB/s':>9} {'dec/enc':>7} "
        f"{'x official':>10} {'x python':>9} {'enc mem':>8} {'dec mem':>8}"
    )
    for r in rows:
        same = [x for x in rows if x.corpus == r.corpus and x.size_mb == r.size_mb]
        off = next((x for x in same if x.engine == "official"), None)
        py = next((x for x in same if x.engine.startswith("python")), None)
        vs_off = r.encode_mbs / off.encode_mbs if off and r.encode_mbs and off.encode_mbs else None
        vs_py = (
            r.encode_mbs / py.encode_mbs
            if py and r.engine.startswith("rust") and r.encode_mbs and py.encode_mbs
            else None
        )
        ratio = r.decode_mbs / r.encode_mbs if r.decode_mbs and r.encode_mbs else None
        mem = (
            f"{fmt(r.encode_peak_x, '7.2f')}x {fmt(r.decode_peak_x, '7.2f')}x"
            if r.encode_peak_x is not None or r.decode_peak_x is not None
            else f"{'-':>8} {'-':>8}"
        )
        print(
            f"{r.corpus:18} {r.size_mb:6.1f} {r.engine:14} {fmt(r.encode_mbs, '9.1f')} {fmt(r.decode_mbs, '9.1f')} "
            f"{fmt(ratio, '7.2f')} {fmt(vs_off, '10.1f')} {fmt(vs_py, '9.1f')} {mem}"
            + (f"  ({r.note})" if r.note else "")
        )
    print("(enc/dec mem: peak resident memory added by the call, as a multiple of the input size)")

    big = [s for s in sizes if s >= 100]
    mid = [s for s in sizes if s == 10]
    if big and mid:
        print()
        print("scaling, time(100 MB) / time(10 MB), first calls with no kept memory   (target <= 12)")
        for (name, variant, op), times in scaling.items():
            if 100.0 in times and 10.0 in times:
                print(f"  {name:18} rust {variant:7} {op:7} {times[100.0] / times[10.0]:6.2f}")

    print()
    batch_size = min(10.0, max(sizes))
    print(f"batch encode, {args.batch_docs} documents from {batch_size:g} MB (wall clock, best of 3)")
    for name in [n for n in names if not n.startswith("c")]:
        text = corpus(name, int(batch_size * 1e6))
        step = len(text) // args.batch_docs + 1
        docs = [text[k : k + step] for k in range(0, len(text), step)]
        codec = tst.Codec(variants[0], backend="rust")
        t1 = measure(lambda c=codec, d=docs: c.encode_batch(d, num_threads=1), 3, "wall").seconds
        t2 = measure(lambda c=codec, d=docs: c.encode_batch(d, num_threads=2), 3, "wall").seconds
        mb = len(text.encode("utf-8")) / 1e6
        print(
            f"  {name:18} 1 thread {mb / t1:8.1f} MB/s   2 threads {mb / t2:8.1f} MB/s   "
            f"speedup {t1 / t2:5.2f}x (target >= 1.6)"
        )

    if skipped:
        print()
        print("not measured:")
        for s in skipped:
            print("  " + s)
    if official is None:
        print("official converter: not given (--official DIR or TST_OFFICIAL_DIR), skipped")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000:.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
