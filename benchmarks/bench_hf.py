"""Throughput of the three HF routes against the bare base tokenizer, on prose and number-dense text.

Run: ``python benchmarks/bench_hf.py [--mb 2] [--families bpe,tekken,spm,bert]``. Every ratio compares
two timings taken in this run on the same texts and batch: the wrapped route (route 1) and the
exported tokenizer.json (route 3) go through ``tokenizer(texts, return_offsets_mapping=True)``
exactly like the bare base; the plug-in (route 2) and the export are also timed at the
`tokenizers.Tokenizer.encode_batch` level against the bare backend. Targets: route 1 >= 0.8x,
route 3 >= 0.35x, wrapped vocab-variant memory overhead < 50 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tokenizers import Tokenizer
from transformers import AutoTokenizer, PreTrainedTokenizerFast

import tst
import tst.hf
from benchmarks.bench_export import _take, csv_files, family_tokenizer, prose_files
from benchmarks.pipeline_floor import floor_takes, passes_floor, ready_texts, tst_pass_count, units_floor
from benchmarks.words import COMMON
from tests.hf_support import base

WORDS = [
    *COMMON,
    *[
        "what",
        "up",
        "out",
        "who",
        "them",
        "some",
        "could",
        "time",
        "market",
        "report",
        "revenue",
        "growth",
        "quarter",
        "customers",
        "shipped",
        "price",
        "average",
        "rose",
        "fell",
        "season",
        "city",
        "people",
        "river",
    ],
]


def prose(size: int, rng: random.Random) -> list[str]:
    """Sentences of ordinary words with an occasional number (about one in forty words)."""
    out, total = [], 0
    while total < size:
        words = []
        for _ in range(rng.randint(8, 30)):
            r = rng.random()
            if r < 0.015:
                words.append(str(rng.randint(1, 2100)))
            elif r < 0.025:
                words.append(f"{rng.randint(0, 999)}.{rng.randint(0, 99):02d}")
            else:
                words.append(rng.choice(WORDS))
        line = " ".join(words).capitalize() + "."
        out.append(line)
        total += len(line.encode())
    return out


def documents(lines: list[str], chars: int = 2000) -> list[str]:
    """`lines` joined with newlines into texts of about `chars` characters each (the last may be shorter).

    The same text as `lines` in fewer, longer texts: what a corpus of documents (articles,
    chat turns, records of a few kB) hands `encode_batch`. A `Replace` pass costs a fixed amount
    per text as well as per character, so a pipeline with many passes loses most on short texts.
    """
    out: list[str] = []
    cur: list[str] = []
    size = 0
    for line in lines:
        cur.append(line)
        size += len(line) + 1
        if size >= chars:
            out.append("\n".join(cur))
            cur, size = [], 0
    if cur:
        out.append("\n".join(cur))
    return out


def number_dense(size: int, rng: random.Random) -> list[str]:
    """CSV-like rows and figures: most characters belong to numbers."""
    out, total = [], 0
    while total < size:
        cells = [
            str(rng.randint(0, 10 ** rng.randint(1, 12))),
            f"{rng.randint(0, 99999)}.{rng.randint(0, 9999)}",
            f"{rng.randint(1, 999)},{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}",
            f"{rng.random():.6f}",
            f"{rng.randint(1900, 2100)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        ]
        line = "; ".join(cells)
        out.append(line)
        total += len(line.encode())
    return out


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def cpu_time(fn: Callable[[], object]) -> float:
    """CPU seconds (all threads of this process) one call of `fn` takes."""
    gc.collect()
    t = time.process_time()
    fn()
    return time.process_time() - t


def settled_rss_mb() -> float:
    """RSS once garbage is collected and free heap memory is handed back (glibc `malloc_trim`)."""
    gc.collect()
    with contextlib.suppress(OSError):  # not glibc: RSS then also counts freed heap
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_family(family: str, corpora: dict[str, list[str]], repeat: int, batch: int) -> list[str]:
    rows = []
    b = family_tokenizer(family)
    wrapped = {v: tst.hf.wrap(b, variant=v) for v in ("vocab", "marker")}
    with tempfile.TemporaryDirectory() as tmp:
        exported = {}
        for v in ("vocab", "marker"):
            tst.hf.export(b, f"{tmp}/{v}", variant=v)
            exported[v] = AutoTokenizer.from_pretrained(f"{tmp}/{v}")
    plug = Tokenizer.from_str(b.backend_tokenizer.to_str())
    plug.no_padding()
    plug.no_truncation()
    tst.hf.install(plug, tst.Codec(variant="vocab"))
    raw_base = Tokenizer.from_str(b.backend_tokenizer.to_str())
    raw_base.no_padding()
    raw_base.no_truncation()
    raw_export = exported["vocab"].backend_tokenizer
    raw_export.no_padding()
    raw_export.no_truncation()
    for name, texts in corpora.items():
        mb = sum(len(t.encode()) for t in texts) / 2**20
        batches = [texts[k : k + batch] for k in range(0, len(texts), batch)]
        small = batches[: max(1, len(batches) // 10)]  # the plug-in is GIL-bound: a tenth of the corpus
        small_mb = sum(len(t.encode()) for c in small for t in c) / 2**20

        def call(tok: object, chunks: list[list[str]] = batches) -> Callable[[], None]:
            return lambda: [tok(c, return_offsets_mapping=True) for c in chunks]  # type: ignore[operator]

        def raw(tok: Tokenizer, chunks: list[list[str]] = batches) -> Callable[[], None]:
            return lambda: [tok.encode_batch(c) for c in chunks]

        # (label, function, MB it covers, baseline label); timed round-robin so drift hits all alike.
        cases = [
            ("bare base", call(b), mb, "bare base"),
            ("route 1 wrap (vocab)", call(wrapped["vocab"]), mb, "bare base"),
            ("route 1 wrap (marker)", call(wrapped["marker"]), mb, "bare base"),
            ("route 3 export (vocab)", call(exported["vocab"]), mb, "bare base"),
            ("route 3 export (marker)", call(exported["marker"]), mb, "bare base"),
            ("bare base, encode_batch only", raw(raw_base), mb, "bare base, encode_batch only"),
            ("route 3 export, encode_batch only (vocab)", raw(raw_export), mb, "bare base, encode_batch only"),
            (
                "bare base, encode_batch only, 1/10",
                raw(raw_base, small),
                small_mb,
                "bare base, encode_batch only, 1/10",
            ),
            (
                "route 2 plug-in, encode_batch only (vocab), 1/10",
                raw(plug, small),
                small_mb,
                "bare base, encode_batch only, 1/10",
            ),
        ]
        times = {label: float("inf") for label, *_ in cases}
        for _ in range(repeat):
            for label, fn, _, _ in cases:
                times[label] = min(times[label], best(fn, 1))
        for label, _, size, ref in cases:
            rows.append(
                f"| {family} | {name} | {label} | {size / times[label]:.2f} | {times[ref] / times[label]:.2f} |"
            )
    added = len(wrapped["vocab"]) - len(b)
    copy_mb, wrap_mb = (memory_probe_in_child(family, what) for what in ("copy", "wrap"))
    rows.append(
        f"| {family} | memory | wrapped vocab variant: +{wrap_mb - copy_mb:.1f} MB RSS over a plain copy of the base "
        f"({added} tokens; the wrap +{wrap_mb:.1f} MB, a copy +{copy_mb:.1f} MB) | | |"
    )
    return rows


def memory_probe_in_child(family: str, what: str) -> float:
    """`memory_probe` in a fresh Python process."""
    argv = [sys.executable, __file__, "--memory-probe", f"{family}:{what}"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def memory_probe(family: str, what: str) -> float:
    """RSS growth (MB) from making a plain copy of the base (`what="copy"`) or its vocab wrap ("wrap").

    A wrap is a new tokenizer holding the base's pipeline plus the TST units, so the
    overhead TST adds is a wrap's growth minus a copy's, each measured in a fresh process
    after the same warm-up (a marker wrap: imports, caches and first-use costs).
    """
    b = family_tokenizer(family)
    warm = tst.hf.wrap(b, variant="marker")
    before = settled_rss_mb()
    made = plain_copy(b) if what == "copy" else tst.hf.wrap(b, variant="vocab")
    grown = settled_rss_mb() - before
    del warm, made
    return grown


def plain_copy(b: PreTrainedTokenizerFast) -> PreTrainedTokenizerFast:
    """A fast tokenizer on a copy of the base's pipeline (what a wrap holds, less the TST units)."""
    return PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(b.backend_tokenizer.to_str()))


def route2_pair() -> tuple[Tokenizer, Tokenizer]:
    """The bare tekken base (mistral-common's file) and route 2 installed on a copy (vocab variant), unpadded."""
    b = base("tekken")
    bare = Tokenizer.from_str(b.backend_tokenizer.to_str())
    plug = tst.hf.install(Tokenizer.from_str(b.backend_tokenizer.to_str()), tst.Codec(variant="vocab"))
    for t in (bare, plug):
        t.no_padding()
        t.no_truncation()
    return bare, plug


def route2_table(repeat: int, batch: int, mb: float) -> list[str]:
    """Issue 18's table: route 2 (real tekken base, vocab variant) against the bare base, in one run.

    One `encode` of number-dense CSV text at 10k to 1M characters (with the 4n/n time ratio where
    the sizes allow), then `encode_batch` over `mb` MB of number-dense text and of prose.
    """
    bare, plug = route2_pair()
    csv = "\n".join(number_dense(1_100_000, random.Random(1)))
    rows = ["| characters | route 2 | bare base | ratio | route 2 time vs n/4 |", "|---:|---:|---:|---:|---:|"]
    seen: dict[int, float] = {}
    for n in (10_000, 40_000, 160_000, 250_000, 1_000_000):
        text = csv[:n]
        t2 = tb = float("inf")
        for _ in range(repeat):
            t2 = min(t2, best(lambda text=text: plug.encode(text), 1))  # type: ignore[misc]
            tb = min(tb, best(lambda text=text: bare.encode(text), 1))  # type: ignore[misc]
        seen[n] = t2
        growth = f"{t2 / seen[n // 4]:.2f}" if n // 4 in seen else ""
        rows.append(f"| {n:,} | {t2:.3f} s | {tb:.3f} s | {tb / t2:.2f}x | {growth} |")
    size = int(mb * 2**20)
    # Generated text (what the figures were taken on) and real text read offline (the
    # files of benchmarks/bench_export.py: CPython's idlelib NEWS and installed METADATA; the data
    # sets shipped with scikit-learn and matplotlib). Generated prose draws from about 120 words,
    # so the base's word cache always hits: the cheapest base, where TST's share shows most.
    # Real lines holding a special token's spelling (`<s>` in a package's METADATA) are left out:
    # the floors below cannot take them, and each row's ratios are taken on the same texts.
    corpora = {
        "number-dense": number_dense(size, random.Random(0)),
        "prose": prose(size, random.Random(0)),
        "real prose": floor_takes(plug, _take(prose_files(), size)[0], "real prose"),
        "real CSV": floor_takes(plug, _take(csv_files(), size)[0], "real CSV"),
    }
    # The same prose as documents of about 2 kB (each text above is one line or sentence): a
    # pass's fixed cost per text weighs less there (docs/hf.md, "Route 2").
    corpora["prose, 2 kB texts"] = documents(corpora["prose"])
    corpora["real prose, 2 kB texts"] = documents(corpora["real prose"])
    # The floors (benchmarks/pipeline_floor.py): route 2's units alone on ready-made TST text, the
    # same with one Replace match per unit, and the bare base with as many never-matching Replace
    # passes as route 2 runs; each bounds the ratio.
    passes = tst_pass_count(plug, bare)
    units = tst.Codec(variant="vocab").vocabulary()
    floor0 = units_floor(plug, units)
    floor_m = units_floor(plug, units, one_match_per_unit=True)
    floor_n = passes_floor(bare, passes)
    rows += [
        "",
        f"| corpus | route 2 / bare, encode_batch | the same in CPU time | median of rounds [range] "
        f"| MB/s route 2 | MB/s bare | floor: units only | floor: units + a match each "
        f"| floor: {passes} no-op passes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, texts in corpora.items():
        chunks = [texts[k : k + batch] for k in range(0, len(texts), batch)]
        ready = [ready_texts(plug, c) for c in chunks]
        want = [[e.ids for e in plug.encode_batch(c)] for c in chunks]
        for floor in (floor0, floor_m):
            if [[e.ids for e in floor.encode_batch(r)] for r in ready] != want:
                raise AssertionError(f"{name}: a units floor does not give route 2's ids")
        size_mb = sum(len(x.encode()) for x in texts) / 2**20
        t2 = tb = t0 = tm = tn = cb = c2 = float("inf")
        rounds = []  # each round's own bare / route 2 ratio: drift between rounds cancels in it
        for _ in range(repeat):
            rb = best(lambda chunks=chunks: [bare.encode_batch(c) for c in chunks], 1)  # type: ignore[misc]
            r2 = best(lambda chunks=chunks: [plug.encode_batch(c) for c in chunks], 1)  # type: ignore[misc]
            tb, t2 = min(tb, rb), min(t2, r2)
            rounds.append(rb / r2)
            # CPU time (all threads): steadier than wall time on a shared machine.
            cb = min(cb, cpu_time(lambda chunks=chunks: [bare.encode_batch(c) for c in chunks]))  # type: ignore[misc]
            c2 = min(c2, cpu_time(lambda chunks=chunks: [plug.encode_batch(c) for c in chunks]))  # type: ignore[misc]
            t0 = min(t0, best(lambda ready=ready: [floor0.encode_batch(c) for c in ready], 1))  # type: ignore[misc]
            tm = min(tm, best(lambda ready=ready: [floor_m.encode_batch(c) for c in ready], 1))  # type: ignore[misc]
            tn = min(tn, best(lambda chunks=chunks: [floor_n.encode_batch(c) for c in chunks], 1))  # type: ignore[misc]
        rows.append(
            f"| {name} | {tb / t2:.2f}x | {cb / c2:.2f}x "
            f"| {statistics.median(rounds):.2f}x [{min(rounds):.2f}-{max(rounds):.2f}] "
            f"| {size_mb / t2:.2f} | {size_mb / tb:.2f} "
            f"| {tb / t0:.2f}x | {tb / tm:.2f}x | {tb / tn:.2f}x |"
        )
    # How many passes a prose ratio allows, whatever they do: the bare base plus k no-op passes.
    chunks = [corpora["prose"][k : k + batch] for k in range(0, len(corpora["prose"]), batch)]
    counts = sorted({4, 8, 12, passes})
    floors = {k: passes_floor(bare, k) for k in counts}
    times = dict.fromkeys(["bare", *counts], float("inf"))
    for _ in range(repeat):
        for k, tok in [("bare", bare), *floors.items()]:
            times[k] = min(times[k], best(lambda tok=tok: [tok.encode_batch(c) for c in chunks], 1))  # type: ignore[misc]
    rows += ["", "| prose: passes that match nothing | bare / (bare + passes), encode_batch |", "|---:|---:|"]
    rows += [f"| {k} | {times['bare'] / times[k]:.2f}x |" for k in counts]
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=2.0, help="size of each corpus in MB")
    ap.add_argument(
        "--families",
        default="bpe,tekken,spm,bert",
        help="tests/hf_support.py's bases or any family of tests/hf_families.py (e.g. mistral_v3)",
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=1000, help="texts per call")
    ap.add_argument("--memory-probe", metavar="FAMILY", help=argparse.SUPPRESS)
    ap.add_argument("--route2", action="store_true", help="only issue 18's route 2 table (tekken, vocab)")
    args = ap.parse_args(argv)
    if args.route2:
        table = "\n".join(route2_table(args.repeat, args.batch, args.mb))
        print(table)
        out = Path(__file__).parent / "out"
        out.mkdir(exist_ok=True)
        (out / "hf_route2.md").write_text(table + "\n")
        return 0
    if args.memory_probe:
        family, what = args.memory_probe.split(":")
        print(memory_probe(family, what))
        return 0
    rng = random.Random(0)
    size = int(args.mb * 2**20)
    corpora = {"prose": prose(size, rng), "number-dense": number_dense(size, rng)}
    print(f"tst backend: {tst.backend()}; {os.cpu_count()} CPUs; corpora {args.mb} MB each; batch {args.batch}")
    rows = ["| family | corpus | route | MB/s | ratio vs bare |", "|---|---|---|---:|---:|"]
    for family in args.families.split(","):
        got = bench_family(family, corpora, args.repeat, args.batch)
        rows += got
        print("\n".join(got), flush=True)
    table = "\n".join(rows)
    print(table)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "hf.md").write_text(table + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
