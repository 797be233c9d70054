"""What the Python fuzz harness asserts on one input: both engines agree, and the contract holds.

Used by the atheris harness (`benchmarks.fuzz.atheris_codec`) and by the
corpus replay in tests/test_fuzz_corpus.py, so CI runs the very same checks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import tst
from benchmarks.fuzz.inputs import case
from tst.errors import TSTDecodeError, TSTError

Outcome = tuple[Any, ...]


@lru_cache(maxsize=64)
def codecs(config: tuple[tuple[str, Any], ...]) -> tuple[tst.Codec, tst.Codec | None]:
    """The Python-engine codec and, when the extension is built, the Rust one."""
    kwargs = dict(config)
    py = tst.Codec(**kwargs, backend="python")
    try:
        rs = tst.Codec(**kwargs, backend="rust")
    except ImportError:
        rs = None
    return py, rs


def outcome(fn: Callable[..., Any], *args: Any) -> Outcome:
    """The result, or the error as (type, message, position, reason); anything else propagates."""
    try:
        return ("ok", fn(*args))
    except TSTError as exc:
        return (type(exc), str(exc), getattr(exc, "position", None), getattr(exc, "reason", None))


def agree(py: tst.Codec, rs: tst.Codec | None, method: str, *args: Any) -> Outcome:
    """Run `method` on both engines; they must give the same result or the same error."""
    expected = outcome(getattr(py, method), *args)
    if rs is not None:
        got = outcome(getattr(rs, method), *args)
        assert got == expected, f"{method}{args!r} under {py!r}: python {expected!r} != rust {got!r}"
    return expected


def check(data: bytes) -> None:
    """Every property on one fuzz input (header bytes + text)."""
    kwargs, text = case(data)
    py, rs = codecs(tuple(kwargs.items()))
    encoded = agree(py, rs, "encode", text)
    agree(py, rs, "numbers", text)
    exact = kwargs["style"] == "exact"
    if exact:
        agree(py, rs, "encode_with_offsets", text)
    for source in (text, encoded[1]) if encoded[0] == "ok" else (text,):
        strict = agree(py, rs, "decode", source, True)
        lenient = agree(py, rs, "decode", source, False)
        if not exact:
            continue
        assert lenient[0] == "ok", f"lenient decode raised {lenient!r}"
        if strict[0] == "ok":
            assert strict == lenient, "lenient differs from a successful strict decode"
        else:
            assert strict[0] is TSTDecodeError and 0 <= strict[2] <= len(source), strict
    if exact and encoded[0] == "ok":
        assert py.decode(encoded[1]) == text, "decode(encode(x)) != x"
