"""Triadic Suffix Tokenization: number-aware text encoding for language models.

Numbers are cut into three-digit groups tagged with their magnitude (units,
k, m, b, t, q; fractions p, pp, ...), losslessly. See README.md and docs/SPEC.md.

Example:
    >>> import tst
    >>> c = tst.Codec(variant="vocab")
    >>> c.encode("12,345,678.1234")
    '⟦,3⟧⟦12m⟧⟦345k⟧⟦678⟧.⟦123p⟧⟦4pp⟧'
"""

from __future__ import annotations

from tst import paper
from tst._backend import BACKEND as _BACKEND
from tst.codec import Codec
from tst.errors import TSTDecodeError, TSTError, TSTItemTypeError, TSTRangeError
from tst.numbers import Group, Number, OutOfRange
from tst.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Codec",
    "Group",
    "Number",
    "OutOfRange",
    "Settings",
    "TSTDecodeError",
    "TSTError",
    "TSTItemTypeError",
    "TSTRangeError",
    "__version__",
    "backend",
    "paper",
]


def backend() -> str:
    """``"rust"`` when the compiled engine is in use, else ``"python"``."""
    return _BACKEND
