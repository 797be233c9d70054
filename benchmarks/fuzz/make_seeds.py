"""Write the seed corpus shared by the cargo fuzz targets and the atheris harness.

Seeds are the grammar rows of docs/SPEC.md, their encodings under several
configurations, decoder garbage a model might emit, and small adversarial
shapes. Files are named by content hash, as libFuzzer names its own, so
rerunning this script is idempotent. Usage::

    python -m benchmarks.fuzz.make_seeds            # writes rust_ext/fuzz/corpus/seed/
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from pathlib import Path

import tst
from benchmarks.fuzz.inputs import case, header, to_bytes

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "rust_ext" / "fuzz" / "corpus" / "seed"
_ROW = re.compile(r"^\| `(.+?)` \| .+? \|$")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _is_zero_digit(c: str) -> bool:
    return unicodedata.category(c) == "Nd" and unicodedata.digit(c) == 0


PROSE = [
    "Revenue rose 12.5% to $1,234,567.89 in Q4 2023.",
    "0.0045 and 12,345,678.1234 and 1,23,45,678.9",
    "v1.2.3 H2O x86_64 0x1F 3f5e9b1 5km 1990s 6.02E23 1e-7 2.5e+3",
    "a literal ⟦u⟧ and ⟦1k⟧ and ⟧⟦ stay text",
    "1.234.567,89 € und 3,14",
    "row 7: Pay $1'299.99 on 2024-01-15 at 23:59:59.999\r\nnext\rline\x00\x07\t",
    "123456789012345678901 and 0.1234567890123456789",
    "lone \ud800 surrogates \udfff 12\udbff,5",
]
GARBAGE = [
    "⟦1k⟧ oops",
    "⟦k⟧",
    "⟦u⟧⟦12⟧",
    "⟦12⟧",
    "⟦12⟧⟦x⟧",
    "⟦,3⟧",
    "⟦,3⟧⟦12⟧",
    "⟦5pp⟧",
    "⟦1⟧.⟦5pp⟧⟦4p⟧",
    "⟦1k⟧⟦2⟧",
    "⟦1m⟧⟦234⟧",
    "⟦12",
    "⟦12k",
    "12⟧",
    "⟦⟧",
    "⟦⟦⟧⟦⟧⟧⟦",
    "⟦1e18446744073709551618⟧⟦123e18446744073709551615⟧",
    "⟦999k⟧⟦999⟧⟦5p⟧⟦1k⟧",
    "⟦1⟧⟦u⟧.⟦5⟧⟦p⟧⟦6⟧⟦pp⟧⟦7⟧",
    "⟦1⟧⟦u⟧⟦2⟧⟦u⟧",
]
ADVERSARIAL = [
    "1,234,234,234,234,5",
    "12,34,34,34,34,34",
    "⟦⟦⟦⟦⟦⟦⟦⟦",
    "1.1.1.1.1.1.1.1",
    "11,22,33,44,55",
    "1,1,1,1,1,1,1,1",
    "9" * 200,
    "0." + "0" * 40 + "1",
    " ".join(chr(z) + chr(z + 1) for z in range(0x30, 0x110000) if _is_zero_digit(chr(z)))[:600],
]
CONFIGS = [
    header("marker"),
    header("vocab"),
    header("vocab", 2),
    header("marker", 4, decimal=","),
    header("vocab", 1, overflow="extend", int_digits=2, frac_digits=2),
    header("marker", 6, separators=3, indian=True),
    header("vocab", overflow="error", int_digits=4),
    header("vocab", style="paper"),
]


def spec_rows() -> list[str]:
    """The texts of the grammar tables in docs/SPEC.md."""
    rows = []
    for line in (ROOT / "docs" / "SPEC.md").read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            rows.append(_ESCAPE.sub(lambda g: chr(int(g.group(1), 16)), m.group(1)))
    return rows


def seeds() -> list[bytes]:
    """Every seed, header included."""
    out = [header("vocab") + to_bytes(t) for t in spec_rows()]
    for h in CONFIGS:
        for t in PROSE + ADVERSARIAL:
            out.append(h + to_bytes(t))
            kwargs, _ = case(h)
            if kwargs["style"] == "exact":
                with contextlib.suppress(tst.TSTError):  # overflow="error" on purpose
                    out.append(h + to_bytes(tst.Codec(**kwargs, backend="python").encode(t)))
    out += [h + to_bytes(t) for h in CONFIGS[:4] for t in GARBAGE]
    return out


def main() -> None:
    SEED_DIR.mkdir(parents=True, exist_ok=True)
    written = 0
    for data in seeds():
        path = SEED_DIR / hashlib.sha1(data).hexdigest()
        if not path.exists():
            path.write_bytes(data)
            written += 1
    total = sum(p.stat().st_size for p in SEED_DIR.iterdir())
    print(f"{written} new seeds; {len(list(SEED_DIR.iterdir()))} files, {total} bytes in {SEED_DIR}")


if __name__ == "__main__":
    main()
