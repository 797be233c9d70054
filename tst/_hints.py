"""Settings hints for decode errors: text encoded with another variant or group size.

A codec rejects the units of another configuration in many ways: ``⟦2k⟧`` is a
vocab-variant unit, unknown to the marker variant; ``⟦2023⟧`` is too long for
group size 3; a vocab-variant units group (``⟦5⟧``) lacks the marker the marker
variant wants; a grouping tag meets a group it cannot belong to. So when a
strict decode fails, whatever the reason, the neighbouring configurations are
tried on the same text; the first that decodes it is named in the error, so the
reader knows which setting to change. This costs at most 13 more decodes of the
failing text, on the error path only (lenient decoding never raises).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from tst.errors import TSTDecodeError
from tst.settings import Settings

#: Strict decoding of a text under settings given as `tst.Codec` keyword arguments.
StrictDecode = Callable[[dict[str, Any], str], object]


def _candidates(st: Settings) -> list[dict[str, Any]]:
    """Neighbouring configurations, most likely first.

    The other variant, Indian grouping (when off: a decoder with it on reads
    Western groupings too, so the reverse never helps), then other group sizes,
    then the other variant with each of those.
    """
    other = "vocab" if st.variant == "marker" else "marker"
    sizes = sorted((g for g in range(1, 7) if g != st.group_size), key=lambda g: (abs(g - 3), g))
    out: list[dict[str, Any]] = [{"variant": other}]
    if not st.indian:
        out += [{"indian": True}, {"variant": other, "indian": True}]
    mark = "," if st.decimal == "." else "."
    # separators=None: the defaults of that decimal mark (the current ones may hold it)
    out += [{"decimal": mark, "separators": None}, {"variant": other, "decimal": mark, "separators": None}]
    out += [{"group_size": g} for g in sizes]
    out += [{"variant": other, "group_size": g} for g in sizes]
    return out


def settings_hint(
    settings: Settings, text: str, decode: StrictDecode, witness: str | None = None
) -> dict[str, Any] | None:
    """The settings change under which `text` decodes strictly, if any.

    Args:
        settings: the settings of the codec that failed.
        text: the text whose strict decoding failed.
        decode: strict decoding under other settings (``decode(kwargs, text)``,
            raising `TSTDecodeError`); the codec passes its own engine's.
        witness: a text with units of the same data that decoded under `settings` (in a batch,
            one before the failure); a change must decode it too, or it would send the reader
            to settings that fail on the good texts (docs/DECISIONS.md 46 and 52).

    Returns:
        e.g. ``{"variant": "vocab"}``, ``{"indian": True}`` or ``{"group_size": 4}``; None when no
        neighbouring configuration decodes `text` (and `witness`).
    """
    base = settings.kwargs()
    for change in _candidates(settings):
        try:
            decode({**base, **change}, text)
            if witness is not None:
                decode({**base, **change}, witness)
        except (TSTDecodeError, ValueError):  # ValueError: the change conflicts with the settings (separators)
            continue
        return change
    return None


#: How a hint starts in an error's reason (`with_hint` writes it, `names_other_settings` reads it).
_HINT = " (the text decodes "


#: One ``name=value`` of the hint's "decode with ..." (values as `repr` writes them).
_SETTING = re.compile(r"(\w+)=('(?:[^'\\]|\\.)*'|\w+)")


def hinted_settings(error: BaseException | None) -> dict[str, Any] | None:
    """The settings change that `with_hint` named in `error`'s reason (None if it names none)."""
    if not names_other_settings(error):
        return None
    assert isinstance(error, TSTDecodeError)
    tail = error.reason.rsplit(": decode with ", 1)[-1]
    return {m[1]: ast.literal_eval(m[2]) for m in _SETTING.finditer(tail)}


def without_hint(error: TSTDecodeError) -> TSTDecodeError:
    """`error` with the settings hint of `with_hint` taken out of its reason."""
    return TSTDecodeError(error.position, error.reason.split(_HINT)[0], error.index)


def names_other_settings(error: BaseException | None) -> bool:
    """Whether `error` is a decode error whose text decodes under other settings (`with_hint`).

    Such an error says the data was written with other settings, not that one record is bad:
    every record of the data fails alike, so the data layer reports it even where it would drop
    bad records (``skip_bad``), rather than drop them all.
    """
    return isinstance(error, TSTDecodeError) and _HINT in error.reason


def with_hint(
    settings: Settings, text: str, error: TSTDecodeError, decode: StrictDecode, witness: str | None = None
) -> TSTDecodeError:
    """`error`, its reason extended with the settings that decode `text` (and `witness`, see
    `settings_hint`) when there are any (`error` itself when it names them already)."""
    if names_other_settings(error):
        return error
    change = settings_hint(settings, text, decode, witness)
    if change is None:
        return error
    variant, size = change.get("variant"), change.get("group_size")
    parts = [f"the {variant} variant"] if variant is not None else []
    parts += [f"group size {size}"] if size is not None else []
    what = "as " + " with ".join(parts) if parts else ""
    if change.get("indian"):
        what = f"{what} with Indian grouping".lstrip()
    if "decimal" in change:
        what = f"{what} with the decimal mark {change['decimal']!r}".lstrip()
    kwargs = ", ".join(f"{k}={v!r}" for k, v in change.items() if v is not None)
    return TSTDecodeError(error.position, f"{error.reason}{_HINT}{what}: decode with {kwargs})")
