"""Optional extras: an ImportError that names the extra to install when a third-party module is missing.

The map mirrors ``[project.optional-dependencies]`` in pyproject.toml (a test
keeps them in step); each extra lists the top-level modules it provides.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

#: extra -> the top-level modules it installs.
EXTRAS: dict[str, tuple[str, ...]] = {
    "hf": ("tokenizers", "transformers", "numpy"),
    "model": ("tokenizers", "transformers", "torch"),
    "data": ("pyarrow", "datasets"),
    "spark": ("pyspark", "pyarrow", "pandas"),
    "plot": ("matplotlib",),
}


def install_hint(extra: str) -> str:
    """The command that installs `extra`, e.g. ``pip install "tst-tokenizer[hf]"``."""
    return f'pip install "tst-tokenizer[{extra}]"'


def missing_extra(exc: ImportError, extra: str, what: str) -> ModuleNotFoundError | None:
    """For a missing module that `extra` provides: a ModuleNotFoundError saying to install it, else None.

    Args:
        exc: the ImportError raised while importing `what`.
        extra: the extra that `what` needs.
        what: the importing module, e.g. ``"tst.hf"``.
    """
    top = (exc.name or "").split(".")[0]
    if not isinstance(exc, ModuleNotFoundError) or top not in EXTRAS[extra]:
        return None
    return ModuleNotFoundError(
        f"{what} needs the {extra!r} extra ({top} is not installed): {install_hint(extra)}", name=exc.name
    )


@contextmanager
def extra_needed(extra: str, what: str) -> Iterator[None]:
    """Imports inside this block that fail for a module of `extra` raise `missing_extra`'s error.

    Example:
        >>> with extra_needed("data", "tst.data.arrow"):
        ...     import json  # a module of the extra would go here
    """
    try:
        yield
    except ImportError as exc:
        hint = missing_extra(exc, extra, what)
        if hint is None:
            raise
        raise hint from exc


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import `module`, or raise `missing_extra`'s error naming `extra` when it is not installed.

    Raises:
        ModuleNotFoundError: `module` (or a module of `extra` it imports) is missing.
    """
    with extra_needed(extra, what):
        return importlib.import_module(module)
    raise AssertionError("unreachable")  # for type checkers: the block returns or raises
