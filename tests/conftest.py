"""Shared fixtures: the engine under test and hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import tst

# Fixtures used under @given only build codecs (immutable), so sharing them is safe.
_SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=_SHARED)
settings.register_profile("ci", max_examples=2000, deadline=None, suppress_health_check=_SHARED, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def _rust_available() -> bool:
    try:
        from tst import _tst_rs  # noqa: F401
    except ImportError:
        return False
    return True


RUST = _rust_available()
FORCED = os.environ.get("TST_BACKEND", "").strip().lower()
BACKENDS = ["python"] if FORCED == "python" else (["rust"] if FORCED == "rust" else ["python", "rust"])


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each engine in turn; the Rust one is skipped, visibly, when it is not built."""
    name: str = request.param
    if name == "rust" and not RUST:
        pytest.skip("Rust extension tst._tst_rs is not built (pip install -e .)")
    return name


@pytest.fixture
def make_codec(backend: str) -> Callable[..., tst.Codec]:
    """Build codecs on the engine under test."""

    def make(**kwargs: Any) -> tst.Codec:
        return tst.Codec(backend=backend, **kwargs)

    return make
