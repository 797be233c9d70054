"""Coverage-guided fuzzing of the Python API with atheris: Rust == Python on every input.

Coverage comes from the instrumented pure-Python engine (the spec); every
input also runs through the Rust engine and must give the same result or the
same error (see `benchmarks.fuzz.checks.check`). Inputs use the format of the
cargo fuzz targets, so the committed seed corpus serves both. Usage::

    python -m benchmarks.fuzz.atheris_codec rust_ext/fuzz/corpus/atheris rust_ext/fuzz/corpus/seed \\
        -max_total_time=900 -max_len=4096 -print_final_stats=1

A failing input is written to ./crash-<sha1> and can be replayed with the
same command and the file as the only argument. It refuses to start without
the Rust extension (there would be nothing to compare), unless
``TST_FUZZ_PYTHON_ONLY=1`` is set.
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["tst", "benchmarks.fuzz"]):
    from benchmarks.fuzz.checks import check


def main() -> None:
    from tst import _backend

    if _backend.RUST is None and os.environ.get("TST_FUZZ_PYTHON_ONLY") != "1":
        sys.exit("the Rust extension is not importable: build it (pip install -e .) or set TST_FUZZ_PYTHON_ONLY=1")
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
