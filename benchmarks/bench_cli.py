"""`tst encode` / `tst convert` throughput and memory against the codec in-process, and Spark.

Run: ``python benchmarks/bench_cli.py [--size 1G] [--jsonl-size 256M] [--spark-size 64M]``.

Every ratio compares timings taken in this run on the same machine:

* ``tst encode`` (a subprocess, file to file) against ``Codec.encode_batch`` on the same text held in
  memory, (a) in the 64 KiB pieces the CLI hands the engine and (b) in batches of 10,000 lines.
  Target: CLI >= 0.8x the in-process throughput; peak RSS of the CLI process < 200 MB.
* ``tst decode`` back, checked byte for byte against the input.
* ``tst convert --messages`` on chat JSON Lines (throughput and RSS reported).
* Spark local[2] (``tst.data.spark.convert_dataframe`` over Parquet) next to ``tst convert`` on the
  same Parquet file in one process.

The corpus is generated (seeded): prose and number-dense lines (prices, dates, IDs, decimals,
thousands separators). Files go to --workdir (default: /dev/shm when present, so that the disk's
speed does not hide the CLI's own cost).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tst  # noqa: E402
from benchmarks.words import COMMON  # noqa: E402
from tst.cli.options import byte_size  # noqa: E402
from tst.data.blocks import PIECE_SIZE  # noqa: E402

WORDS = [
    *COMMON,
    *[
        "will",
        "more",
        "about",
        "up",
        "out",
        "revenue",
        "quarter",
        "margin",
        "growth",
        "shares",
        "price",
        "market",
        "cost",
        "units",
        "customers",
        "order",
        "total",
        "average",
        "report",
    ],
]


def prose_line(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."


def number(rng: random.Random) -> str:
    kind = rng.randrange(7)
    if kind == 0:
        return f"{rng.randint(0, 10**9):,}"
    if kind == 1:
        return f"{rng.uniform(0, 10**6):,.2f}"
    if kind == 2:
        return f"{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == 3:
        return f"0.{rng.randint(0, 10**6):06d}"
    if kind == 4:
        return str(rng.randint(0, 10**12))
    if kind == 5:
        return f"{rng.randint(1, 99)}.{rng.randint(0, 99)}%"
    return f"{rng.randint(1, 9)}.{rng.randint(0, 9)}e{rng.randint(-9, 9)}"


def dense_line(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(4, 10)):
        parts.append(rng.choice(WORDS))
        parts.append(number(rng))
    return " ".join(parts)


def lines(seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    while True:
        yield (dense_line(rng) if rng.random() < 0.4 else prose_line(rng)) + "\n"


def write_corpus(path: Path, size: int, seed: int = 1) -> None:
    written = 0
    with open(path, "w", encoding="utf-8") as f:
        buf: list[str] = []
        for line in lines(seed):
            buf.append(line)
            written += len(line)
            if len(buf) >= 10_000 or written >= size:
                f.write("".join(buf))
                buf = []
            if written >= size:
                break


def chat_records(seed: int) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    k = 0
    while True:
        k += 1
        yield {
            "id": k,
            "messages": [
                {"role": "system", "content": "You are a careful analyst."},
                {"role": "user", "content": dense_line(rng) + " " + prose_line(rng)},
                {"role": "assistant", "content": prose_line(rng) + " " + dense_line(rng)},
            ],
            "source": "synthetic",
        }


def write_jsonl(path: Path, size: int, seed: int = 2) -> int:
    written = n = 0
    with open(path, "w", encoding="utf-8") as f:
        for rec in chat_records(seed):
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode())
            n += 1
            if written >= size:
                return n
    return n


# Forks the CLI from a small process and reports its rusage: measured straight from this
# (large) benchmark process, a child's peak RSS would include the memory it was forked from.
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "tst", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump({"rc": os.waitstatus_to_exitcode(status), "seconds": time.perf_counter() - start,
               "maxrss_kb": usage.ru_maxrss}, f)
"""


def run_cli(args: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `python -m tst ...` process (same engine as this process)."""
    env = dict(
        os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), TST_BACKEND=tst.backend()
    )
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        proc = subprocess.run([sys.executable, "-c", LAUNCHER, report.name, *args], env=env, stderr=subprocess.PIPE)
        result = json.loads(report.read() or "{}")
    if proc.returncode != 0 or result.get("rc") != 0:
        raise SystemExit(f"tst {' '.join(args)} failed: {proc.stderr.decode()}")
    return float(result["seconds"]), result["maxrss_kb"] / 1024


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def mbps(nbytes: int, seconds: float) -> float:
    return nbytes / seconds / 1e6


def in_process(path: Path, sample: int, variant: str, repeat: int) -> tuple[float, float, int]:
    """In-process encode_batch throughput (MB/s) on the first `sample` bytes: 64 KiB pieces, 10k-line batches."""
    with open(path, "rb") as f:
        data = f.read(sample)
    data = data[: data.rfind(b"\n") + 1]
    text = data.decode("utf-8")
    codec = tst.Codec(variant=variant)
    pieces, start = [], 0
    while start < len(text):
        nl = text.find("\n", start + PIECE_SIZE)
        end = len(text) if nl == -1 else nl + 1
        pieces.append(text[start:end])
        start = end
    all_lines = text.splitlines(keepends=True)
    batches = [all_lines[k : k + 10_000] for k in range(0, len(all_lines), 10_000)]
    t_pieces = best(lambda: codec.encode_batch(pieces), repeat)
    t_lines = best(lambda: [codec.encode_batch(b) for b in batches], repeat)
    return mbps(len(data), t_pieces), mbps(len(data), t_lines), len(data)


def spark_vs_single(work: Path, size: int, variant: str) -> list[tuple[str, str, str, str]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows, nbytes = [], 0
    for rec in chat_records(3):
        rows.append(rec)
        nbytes += sum(len(str(m["content"]).encode()) for m in rec["messages"])  # type: ignore[union-attr]
        if nbytes >= size:
            break
    src = work / "chat.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src, row_group_size=50_000)
    single_out = work / "chat.single.parquet"
    t_single, rss_single = run_cli(
        ["convert", str(src), "--messages", "--variant", variant, "-q", "-o", str(single_out)]
    )

    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    from pyspark.sql import SparkSession

    from tst.data.spark import convert_dataframe

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("bench-cli")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        warm = spark.read.parquet(str(src)).limit(100)
        convert_dataframe(warm, messages="messages", variant=variant).write.mode("overwrite").format("noop").save()
        spark_out = work / "chat.spark.parquet"
        t = time.perf_counter()
        df = spark.read.parquet(str(src))
        convert_dataframe(df, messages="messages", variant=variant).write.mode("overwrite").parquet(str(spark_out))
        t_spark = time.perf_counter() - t
        same = sorted(spark.read.parquet(str(spark_out)).collect()) == sorted(
            spark.read.parquet(str(single_out)).collect()
        )
    finally:
        spark.stop()
    return [
        (
            "tst convert Parquet (1 process)",
            f"{mbps(nbytes, t_single):.1f}",
            f"{len(rows) / t_single:,.0f} rec/s",
            f"{rss_single:.0f}",
        ),
        (
            "Spark local[2] convert_dataframe",
            f"{mbps(nbytes, t_spark):.1f}",
            f"{len(rows) / t_spark:,.0f} rec/s; {t_single / t_spark:.2f}x single; same rows: {same}",
            "-",
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=byte_size, default=byte_size("256M"), help="text corpus size (the target is 1G)")
    ap.add_argument("--jsonl-size", type=byte_size, default=byte_size("128M"))
    ap.add_argument("--spark-size", type=byte_size, default=byte_size("32M"), help="text bytes in the Parquet file")
    ap.add_argument("--sample", type=byte_size, default=byte_size("128M"), help="bytes held in memory for the baseline")
    ap.add_argument("--variant", default="vocab", choices=("vocab", "marker"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", help="where to write the files (default: a temp dir in /dev/shm when present)")
    ap.add_argument("--skip-spark", action="store_true")
    args = ap.parse_args()

    base = args.workdir or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
    work = Path(tempfile.mkdtemp(prefix="tst-bench-cli-", dir=base))
    try:
        corpus = work / "corpus.txt"
        write_corpus(corpus, args.size)
        size = corpus.stat().st_size
        pieces_mbps, lines_mbps, sample = in_process(corpus, args.sample, args.variant, args.repeat)
        enc, dec = work / "corpus.tst", work / "corpus.back"
        encode = ["encode", "--variant", args.variant, str(corpus), "-o", str(enc)]
        t_enc, rss_enc = min((run_cli(encode) for _ in range(args.repeat)), key=lambda r: r[0])
        t_dec, rss_dec = run_cli(["decode", "--variant", args.variant, str(enc), "-o", str(dec)])
        round_trip = subprocess.run(["cmp", "-s", str(corpus), str(dec)]).returncode == 0
        enc_mbps = mbps(size, t_enc)
        jobs = os.cpu_count() or 1
        t_jobs, rss_jobs = run_cli([*encode, "--jobs", str(jobs)]) if jobs > 1 else (t_enc, rss_enc)

        jsonl = work / "chat.jsonl"
        write_jsonl(jsonl, args.jsonl_size)
        jsize = jsonl.stat().st_size
        convert = ["convert", str(jsonl), "--messages", "--variant", args.variant, "-q", "-o", str(work / "c.jsonl")]
        t_conv, rss_conv = run_cli(convert)
        t_conv_jobs, rss_conv_jobs = run_cli([*convert, "--jobs", str(jobs)]) if jobs > 1 else (t_conv, rss_conv)

        rows = [
            (
                "in-process encode_batch, 64 KiB pieces",
                f"{pieces_mbps:.1f}",
                f"baseline ({sample / 1e6:.0f} MB in memory)",
                "-",
            ),
            ("in-process encode_batch, 10k-line batches", f"{lines_mbps:.1f}", "baseline", "-"),
            (
                f"tst encode ({size / 1e6:,.0f} MB file)",
                f"{enc_mbps:.1f}",
                f"{enc_mbps / pieces_mbps:.2f}x pieces, {enc_mbps / lines_mbps:.2f}x lines (target >= 0.8)",
                f"{rss_enc:.0f} (target < 200)",
            ),
            (
                f"tst encode --jobs {jobs} (processes)",
                f"{mbps(size, t_jobs):.1f}",
                f"{mbps(size, t_jobs) / pieces_mbps:.2f}x pieces, {mbps(size, t_jobs) / lines_mbps:.2f}x lines",
                f"{rss_jobs:.0f} (parent only)",
            ),
            (
                "tst decode (back)",
                f"{mbps(enc.stat().st_size, t_dec):.1f}",
                f"round trip identical: {round_trip}",
                f"{rss_dec:.0f}",
            ),
            (
                f"tst convert --messages ({jsize / 1e6:,.0f} MB JSONL)",
                f"{mbps(jsize, t_conv):.1f}",
                "file MB/s",
                f"{rss_conv:.0f}",
            ),
            (
                f"tst convert --messages --jobs {jobs}",
                f"{mbps(jsize, t_conv_jobs):.1f}",
                f"{t_conv / t_conv_jobs:.2f}x one process",
                f"{rss_conv_jobs:.0f} (parent only)",
            ),
        ]
        if not args.skip_spark:
            rows += spark_vs_single(work, args.spark_size, args.variant)
        cpu = platform.processor() or platform.machine()
        print(
            f"\nmachine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
            f"backend {tst.backend()}, variant {args.variant}, workdir {work.parent}\n"
        )
        print("| run | MB/s | ratio / notes | peak RSS MB |")
        print("|:---|---:|:---|---:|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
