"""Route 2 against the bare base counted in CPU instructions (valgrind's callgrind), one thread.

Run: ``python benchmarks/bench_instructions.py [--kb 200]``. Needs ``valgrind`` on the PATH.

Why instructions: on a shared 2-core VM the wall and CPU clocks of one run move route 2's ratio by
up to 0.2 (docs/hf.md, "Route 2"); an instruction count is the same from run to run, so a change of
a few percent shows. It is not time: memory traffic (each `Replace` pass copies the string and its
alignments) costs more per instruction than the base's work, so wall-clock ratios come out lower.

Every count is taken in a child process under callgrind with ``RAYON_NUM_THREADS=1``: the same
texts through ``encode_batch`` (batches of 1,000) of the bare tekken base (mistral-common's file)
and of route 2 installed on it (vocab variant). Each child is also run on no text, and that count
(interpreter start, imports, loading the tokenizer, compiling its patterns) is subtracted, so the
ratio compares encoding work only. Corpora: the real prose and CSV lines of `bench_export.py`
(CPython's idlelib NEWS and installed METADATA; scikit-learn's and matplotlib's data sets) and the
generated prose and number-dense text of `bench_hf.py`.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_CHILD = """
import pickle, sys
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
texts = pickle.load(open(sys.argv[2], "rb"))
for k in range(0, len(texts), 1000):
    tok.encode_batch(texts[k : k + 1000])
"""


def instructions(tokenizer_json: Path, texts_pickle: Path, child: Path) -> int:
    """Instructions callgrind counts for one child encoding the pickled texts (whole process)."""
    env = dict(os.environ, RAYON_NUM_THREADS="1", RAYON_RS_NUM_CPUS="1", TOKENIZERS_PARALLELISM="false")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(child)]
    out = subprocess.run([*cmd, str(tokenizer_json), str(texts_pickle)], env=env, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if out.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind run failed: {out.stderr[-2000:]}")
    return int(found.group(1))


def corpora(size: int) -> dict[str, list[str]]:
    """About `size` characters of each kind of text, as lists of texts."""
    from benchmarks.bench_export import _take, csv_files, prose_files
    from benchmarks.bench_hf import number_dense, prose

    return {
        "real prose": _take(prose_files(), size)[0],
        "real CSV": _take(csv_files(), size)[0],
        "prose": prose(size, random.Random(0)),
        "number-dense": number_dense(size, random.Random(0)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=200, help="characters of each corpus, in thousands")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing to count", file=sys.stderr)
        return 2
    from benchmarks.bench_hf import route2_pair

    bare, plug = route2_pair()
    rows = [
        "| corpus | characters | bare base (M instr.) | route 2 (M instr.) | route 2 / bare |",
        "|---|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        child = d / "child.py"
        child.write_text(_CHILD)
        paths = {"bare": d / "bare.json", "route 2": d / "route2.json"}
        bare.save(str(paths["bare"]))
        plug.save(str(paths["route 2"]))
        empty = d / "empty.pkl"
        empty.write_bytes(pickle.dumps([]))
        load = {k: instructions(p, empty, child) for k, p in paths.items()}
        for name, texts in corpora(args.kb * 1000).items():
            data = d / "texts.pkl"
            data.write_bytes(pickle.dumps(texts))
            work = {k: instructions(p, data, child) - load[k] for k, p in paths.items()}
            chars = sum(map(len, texts))
            rows.append(
                f"| {name} | {chars:,} | {work['bare'] / 1e6:,.0f} | {work['route 2'] / 1e6:,.0f} "
                f"| {work['bare'] / work['route 2']:.3f}x |"
            )
            print(rows[-1], flush=True)
    out = ROOT / "benchmarks" / "out" / "instructions.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(rows) + "\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
