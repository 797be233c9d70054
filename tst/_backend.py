"""Choose the engine once: Rust when built, pure Python otherwise.

``TST_BACKEND=python`` forces the pure-Python engine; ``TST_BACKEND=rust``
forces the extension and raises ImportError naming the cause when it is
missing; unset or ``auto`` picks Rust when it imports.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

_CHOICES = ("auto", "python", "rust")
#: How to get the Rust engine where it is missing (the pure-Python wheel, or a checkout not built yet).
RUST_HOWTO = (
    "install a binary wheel of tst-tokenizer for this platform, or build it from source: "
    "`pip install --no-binary tst-tokenizer tst-tokenizer` (needs a Rust toolchain), or `pip install -e .` in a clone"
)


def _load_rust() -> tuple[ModuleType | None, str]:
    try:
        module = importlib.import_module("tst._tst_rs")
    except ImportError as exc:
        return None, str(exc)
    return module, ""


def _select() -> tuple[str, ModuleType | None]:
    wanted = os.environ.get("TST_BACKEND", "auto").strip().lower() or "auto"
    if wanted not in _CHOICES:
        raise ImportError(f"TST_BACKEND must be one of {', '.join(_CHOICES)}, not {wanted!r}")
    if wanted == "python":
        return "python", None
    module, why = _load_rust()
    if module is None:
        if wanted == "rust":
            raise ImportError(
                f"TST_BACKEND=rust but the Rust extension tst._tst_rs is not importable ({why}); {RUST_HOWTO}"
            )
        return "python", None
    return "rust", module


BACKEND, RUST = _select()


def rust_module() -> ModuleType:
    """The compiled extension, or ImportError naming why it is unavailable."""
    module, why = _load_rust()
    if module is None:
        raise ImportError(f"the Rust extension tst._tst_rs is not importable ({why}); {RUST_HOWTO}")
    return module


def rust_module_error() -> str:
    """Why the compiled extension does not import ("" when it does)."""
    return _load_rust()[1]
