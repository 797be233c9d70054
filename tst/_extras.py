"""Optional extras: an ImportError that names the extra to install when a third-party module is missing.

The map mirrors ``[project.optional-dependencies]`` in pyproject.toml (a test
keeps them in step); each extra lists the top-level modules it provides.
"""

from __future__ import annotations

import importlib
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


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import `module`, or raise `missing_extra`'s error naming `extra` when it is not installed.

    Raises:
        ModuleNotFoundError: `module` (or a module of `extra` it imports) is missing.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        err = missing_extra(exc, extra, what)
        if err is None:
            raise
        raise err from None

