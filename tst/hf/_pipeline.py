"""Keep the base's tokenization of the text around numbers (route 1, encode side).

`tokenizers` cuts every text at its added tokens before the pre-tokenizer runs, and at its
non-normalized added tokens before the normalizer runs; each piece is then treated as the start
of a new text. TST units are added tokens, so without care the text after a number would be
tokenized as a text start: a ``Metaspace(prepend_scheme="always")`` pre-tokenizer, a
``Prepend("▁")`` normalizer (Llama-2 layouts, ``legacy=True``), a ``Replace("\\A▁", "▁▁")``
rule (transformers 5's SentencePiece conversion) or ``ByteLevel(add_prefix_space=True)`` would
put a word prefix after every number (issue 12: ``met 12 people`` -> ``met 12  people``).

The wrapped copy of the pipeline is adapted so that only real text starts are starts:

1. Units become added tokens with ``normalized=True``: they are matched after the normalizer,
   which therefore sees the same pieces as in the base (cut only at the base's own
   non-normalized added tokens). This needs every unit to normalize to itself; the units that
   do not (grouping tags holding a no-break space under NFKC) stay ``normalized=False``.
2. A prefix that a pre-tokenizer step adds at the start of every piece is switched off there
   and written by normalizer steps instead (`_start_steps`): a native ``Prepend`` (aligned with
   the first character, as the base aligns its prefix), a ``Replace`` that removes it where the
   base would not have added it (the piece starts with a space, the prefix, a unit or a base
   token), and zero-width ``Replace`` insertions after base tokens matched after normalization
   and, for ``WhitespaceSplit`` + ``Metaspace`` (T5, XLM-R), before every word. A piece that
   starts with a number starts with its first unit (no prefix before a unit); in word mode the
   whitespace before a number still becomes a lone prefix, the only trace of that space.
3. A ``Prepend`` normalizer step moves into those steps when the steps after it leave its prefix
   alone and act on single characters.

The new steps come last because a zero-width insertion at the start of a string followed by
another Unicode normalizer panics in tokenizers 0.23 (normalizer.rs, index out of bounds). A
zero-width insertion takes the alignment of the character before it, so with ``WhitespaceSplit``
a word would also span the whitespace before it; `Adaptation.trim_offsets` tells the offset map
to give word tokens the base's spans (`trim_leading_whitespace`).

What cannot be kept (a prefixing pre-tokenizer after other splitting steps, a ``Prepend`` that
does not commute with what follows, a normalizer that alters the base's own added tokens) keeps
the base pipeline unchanged with non-normalized units, and warns with `TSTPipelineWarning`.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from tokenizers import Tokenizer

from tst.spelling import CLOSE, OPEN, frac_name_pattern, int_name_pattern

#: A unit as it appears on a TST surface (user brackets are escaped, so only units match).
UNIT_PATTERN = f"{OPEN}[^{OPEN}{CLOSE}]+{CLOSE}"
#: A unit as route 3's native rules write it (digit units lose their opening bracket: ``12k⟧``);
#: text digits are never followed by a bare ``⟧`` there (user brackets are escaped).
#: The name after the digits is any the spelling has: ``k``..``q``, ``e21``/``e2`` (other group sizes,
#: long integers) or a depth ``p``+ (docs/SPEC.md, section 3).
NATIVE_UNIT_PATTERN = f"{UNIT_PATTERN}|[0-9]+(?:{int_name_pattern()}|{frac_name_pattern()})?{CLOSE}"
#: Normalizer steps that act on each character alone (a prefix can move across them).
_CHAR_LOCAL = frozenset({"NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents", "BertNormalizer", "Precompiled"})
#: Record format version stored in tokenizer_config.json as ``tst_pipeline``.
RECORD_VERSION = 1


class TSTPipelineWarning(UserWarning):
    """The wrapped tokenizer cannot keep the base's tokenization of the text around numbers exactly."""


@dataclass
class Adaptation:
    """How the wrapped copy differs from the base pipeline (JSON of the components).

    Attributes:
        normalizer: the normalizer to install, or None to keep the base's.
        pre_tokenizer: the pre-tokenizer to install, or None to keep the base's.
        raw_units: units added with ``normalized=False`` (those the normalizer would alter, such as
            grouping tags holding a no-break space under NFKC); all others are ``normalized=True``.
        trim_offsets: whether token offsets must drop leading whitespace (``WhitespaceSplit`` families).
        record: what `restore` needs to rebuild the base pipeline (stored in the config).
        changes: human-readable list of the changes (docs and test messages).
    """

    normalizer: dict[str, Any] | None = None
    pre_tokenizer: dict[str, Any] | None = None
    raw_units: frozenset[str] = frozenset()
    trim_offsets: bool = False
    record: dict[str, Any] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)


def _steps(component: dict[str, Any] | None, key: str) -> list[dict[str, Any]]:
    """The steps of a component, with nested Sequences flattened."""
    if component is None:
        return []
    if component.get("type") == "Sequence":
        out: list[dict[str, Any]] = []
        for step in component.get(key, []):
            out.extend(_steps(step, key))
        return out
    return [component]


def _state(component: Any) -> dict[str, Any] | None:
    if component is None:
        return None
    state: dict[str, Any] = json.loads(component.__getstate__())
    return state


def _escape(text: str) -> str:
    """`text` as an Oniguruma literal."""
    return "".join("\\" + c if c in "\\^$.|?*+()[]{}/-" else c for c in text)


def _start_steps(
    mode: str, prefix: str, skip: str, tokens: list[tuple[str, bool]], unit: str = UNIT_PATTERN
) -> list[dict[str, Any]]:
    """Normalizer steps that put `prefix` where the base's pre-tokenizer (or `Prepend`) would.

    A native ``Prepend`` writes the prefix at the start of each piece, aligned with the piece's
    first character as in the base; a ``Replace`` then takes it off where the base would not have
    put it (the piece starts with a `skip` character, a unit or a base token). Inside the piece,
    zero-width ``Replace`` insertions add the prefix after base tokens matched after
    normalization and, in ``"word"`` mode, at every word start.

    Args:
        mode: ``"piece"`` (prefix at the start of each piece) or ``"word"`` (before each word too).
        prefix: what to insert.
        skip: characters that make the base skip the prefix when a piece starts with them.
        tokens: (normalized content, rstrip) of the base's added tokens matched after normalization.
        unit: the regex of a unit in the text the steps see (route 2: `NATIVE_UNIT_PATTERN`).
    """
    toks = "|".join(_escape(t) for t, _ in sorted(tokens, key=lambda t: -len(t[0])))
    skipped = [f"[{_escape(skip)}]"] if skip else []
    if mode == "word":
        skipped.append("\\s")
    not_here = "|".join([*skipped, unit, *([toks] if toks else [])])
    steps: list[dict[str, Any]] = [
        {"type": "Prepend", "prepend": prefix},
        {"type": "Replace", "pattern": {"Regex": f"\\A{_escape(prefix)}(?={not_here}|\\z)"}, "content": ""},
    ]
    inside = []
    for content, rstrip in tokens:
        after = f"{_escape(content)}\\s*\\K" if rstrip else f"(?<={_escape(content)})"
        inside.append(f"{after}(?!{not_here}|\\z)")
    if mode == "word":
        no_word = "|".join([*skipped, *([toks] if toks else [])])
        inside.append(f"(?<=\\s)(?!{no_word})(?=\\S)")
    if inside:
        steps.append({"type": "Replace", "pattern": {"Regex": "|".join(inside)}, "content": prefix})
    return steps


def adapt(
    backend: Tokenizer,
    units: list[str],
    stacklevel: int = 4,
    unit_pattern: str = UNIT_PATTERN,
    rules: Any = None,
) -> Adaptation:
    """Work out the wrapped copy of `backend`'s pipeline (see the module docstring).

    `stacklevel` points `TSTPipelineWarning` at the caller of the public function;
    `unit_pattern` is how a unit reads where the start steps run; `rules` (routes 2 and 3: the
    TST normalizer, a live `tokenizers` normalizer) runs before the start steps, which then see
    a base token holding digits as the rules write it (``42abc`` as ``42⟧abc``).
    """
    normalizer = _state(backend.normalizer)
    pre_tokenizer = _state(backend.pre_tokenizer)
    unit_set = set(units)
    # A pipeline that holds the units already (route 2's load_pipeline) is adapted as its base.
    added = [t for t in backend.get_added_tokens_decoder().values() if t.content not in unit_set]
    adaptation = Adaptation(record={"version": RECORD_VERSION})
    problem = None

    # Pre-tokenizer steps that prefix each piece.
    pre_steps = _steps(pre_tokenizer, "pretokenizers")
    mode, prefix, skip = "", "", ""
    new_pre_steps: list[dict[str, Any]] = []
    for i, step in enumerate(pre_steps):
        kind = step.get("type")
        new = dict(step)
        if kind == "Metaspace" and step.get("prepend_scheme", "always") == "always":
            before = {str(s.get("type")) for s in pre_steps[:i]}
            if before - {"WhitespaceSplit"}:
                problem = f"Metaspace(prepend_scheme='always') after {sorted(before)}"
            mode = "word" if "WhitespaceSplit" in before else "piece"
            prefix, skip = step.get("replacement", "\u2581"), " " + step.get("replacement", "\u2581")
            new["prepend_scheme"] = "never"
            new.pop("add_prefix_space", None)
        elif kind == "ByteLevel" and step.get("add_prefix_space"):
            if i > 0:
                problem = f"ByteLevel(add_prefix_space=True) after {[s.get('type') for s in pre_steps[:i]]}"
            mode, prefix, skip = "piece", " ", " "
            new["add_prefix_space"] = False
        new_pre_steps.append(new)
    if prefix and mode and sum(1 for a, b in zip(pre_steps, new_pre_steps) if a != b) > 1:
        problem = "more than one pre-tokenizer step adds a prefix"

    # Normalizer: Prepend steps move into the start rule.
    norm_steps = _steps(normalizer, "normalizers")
    kept: list[dict[str, Any]] = []
    removed: list[list[Any]] = []
    for i, step in enumerate(norm_steps):
        if step.get("type") == "Prepend":
            later = norm_steps[i + 1 :]
            movable = all(
                s.get("type") in _CHAR_LOCAL
                or (s.get("type") == "Replace" and "String" in s.get("pattern", {}) and s["pattern"]["String"])
                for s in later
            )
            if not movable or prefix:
                problem = f"Prepend({step.get('prepend')!r}) followed by {[s.get('type') for s in later]}"
                break
            prefix, skip, mode = step.get("prepend", ""), "", "piece"
            removed.append([i, step])
            continue
        kept.append(step)

    if problem is not None:
        warnings.warn(
            f"TST cannot keep how this tokenizer treats the text right after a number ({problem}): "
            "the text after each number is tokenized as the start of a new text. See docs/hf.md.",
            TSTPipelineWarning,
            stacklevel=stacklevel,
        )
        return _unchanged(units, f"kept as is ({problem})")

    normalized_tokens = [t for t in added if t.normalized]
    old_norm = backend.normalizer
    token_forms = [
        (old_norm.normalize_str(t.content) if old_norm is not None else t.content, bool(t.rstrip))
        for t in normalized_tokens
    ]
    seen = token_forms if rules is None else [(rules.normalize_str(f), r) for f, r in token_forms]
    if prefix:
        steps = _start_steps(mode, prefix, skip, [f for f in seen if f[0]], unit_pattern)
        new_norm = {"type": "Sequence", "normalizers": [*kept, *steps]}
        kind = "none" if normalizer is None else ("sequence" if normalizer.get("type") == "Sequence" else "single")
        adaptation.normalizer = new_norm
        adaptation.record["normalizer"] = {"kind": kind, "appended": len(steps), "removed": removed}
        adaptation.changes.append(f"normalizer: + Replace inserting {prefix!r} at real starts ({mode})")
        if removed:
            adaptation.changes.append("normalizer: Prepend moved into that rule")
    if pre_steps != new_pre_steps:
        adaptation.pre_tokenizer = (
            new_pre_steps[0]
            if pre_tokenizer is not None and pre_tokenizer.get("type") != "Sequence"
            else {"type": "Sequence", "pretokenizers": new_pre_steps}
        )
        adaptation.record["pre_tokenizer"] = pre_tokenizer
        adaptation.changes.append("pre-tokenizer: its prefix switched off (now inserted by the normalizer)")
    adaptation.trim_offsets = mode == "word"
    new_backend_norm = _component(adaptation.normalizer, "normalizer") if adaptation.normalizer else old_norm
    # The whole normalizer a token meets (routes 2 and 3: the TST rules between the base's steps and
    # the start steps) must leave it as the base's normalizer and the rules write it.
    whole = new_backend_norm
    if rules is not None and adaptation.normalizer is not None:
        steps = adaptation.normalizer["normalizers"]
        cut = len(steps) - int(adaptation.record["normalizer"]["appended"])
        whole = _component(
            {"type": "Sequence", "normalizers": [*steps[:cut], _state(rules), *steps[cut:]]}, "normalizer"
        )
    if any(
        (whole.normalize_str(t.content) if whole is not None else t.content) != form
        for t, (form, _) in zip(normalized_tokens, seen if prefix else token_forms)
    ):
        warnings.warn(
            "TST cannot keep how this tokenizer treats the text right after a number (the new normalizer step "
            "would alter the tokenizer's own added tokens): the text after each number is tokenized as the start "
            "of a new text. See docs/hf.md.",
            TSTPipelineWarning,
            stacklevel=stacklevel,
        )
        return _unchanged(units, "kept as is (the new normalizer step alters added tokens)")
    adaptation.raw_units = _altered_units(new_backend_norm, units)
    adaptation.record["raw_units"] = sorted(adaptation.raw_units)
    adaptation.record["trim_offsets"] = adaptation.trim_offsets
    return adaptation


def split_normalizer(adaptation: Adaptation, base_normalizer: Any) -> tuple[Any, Any]:
    """Route 2's normalizer around its TST step: (the steps before it, the steps after it), live or None.

    Before: the base normalizer, less a ``Prepend`` moved into the start steps. After: the start
    steps of `adaptation` (they must see the units, as route 1's see the TST surface).
    """
    if adaptation.normalizer is None:
        return base_normalizer, None
    steps = _steps(adaptation.normalizer, "normalizers")
    cut = len(steps) - int(adaptation.record["normalizer"]["appended"])
    before = _component({"type": "Sequence", "normalizers": steps[:cut]}, "normalizer") if cut else None
    return before, _component({"type": "Sequence", "normalizers": steps[cut:]}, "normalizer")


def _unchanged(units: list[str], why: str) -> Adaptation:
    """The fallback: the base pipeline as is; units matched before normalization."""
    return Adaptation(
        raw_units=frozenset(units),
        record={"version": RECORD_VERSION, "raw_units": "all"},
        changes=[why],
    )


def _altered_units(norm: Any, units: list[str]) -> frozenset[str]:
    """The units that `norm` does not leave unchanged, alone or inside text."""
    if norm is None:
        return frozenset()
    altered = {u for u in units if norm.normalize_str(u) != u}
    kept = [u for u in units if u not in altered]
    joined = norm.normalize_str("a " + " x ".join(kept) + " b")
    if re.findall(UNIT_PATTERN, joined) != kept:
        return frozenset(units)
    return frozenset(altered)


_EMPTY: dict[str, Any] = {
    "version": "1.0",
    "truncation": None,
    "padding": None,
    "added_tokens": [],
    "normalizer": None,
    "pre_tokenizer": None,
    "post_processor": None,
    "decoder": None,
    "model": {"type": "WordLevel", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"},
}


def _component(state: dict[str, Any] | None, slot: str) -> Any:
    """A live `tokenizers` component from its JSON (through a throw-away tokenizer)."""
    data = dict(_EMPTY)
    data[slot] = state
    return getattr(Tokenizer.from_str(json.dumps(data)), slot)


def install(backend: Tokenizer, adaptation: Adaptation) -> None:
    """Put the adapted components into `backend` (before the units are added)."""
    if adaptation.normalizer is not None:
        backend.normalizer = _component(adaptation.normalizer, "normalizer")
    if adaptation.pre_tokenizer is not None:
        backend.pre_tokenizer = _component(adaptation.pre_tokenizer, "pre_tokenizer")


def restore(data: dict[str, Any], record: dict[str, Any] | None) -> None:
    """Rewrite a saved wrapped tokenizer.json (`data`, in place) back to the base's components."""
    if not record:
        return
    if "pre_tokenizer" in record:
        data["pre_tokenizer"] = record["pre_tokenizer"]
    norm = record.get("normalizer")
    if norm:
        steps = _steps(data["normalizer"], "normalizers")[: -int(norm["appended"])]
        for index, step in norm["removed"]:
            steps.insert(int(index), step)
        if norm["kind"] == "none":
            data["normalizer"] = None
        elif norm["kind"] == "single":
            data["normalizer"] = steps[0]
        else:
            data["normalizer"] = {"type": "Sequence", "normalizers": steps}


def base_normalizer(backend: Tokenizer, record: dict[str, Any] | None) -> Any:
    """The base's live normalizer (or None), rebuilt from `backend`'s adapted one and the
    adaptation `record` (``tst_pipeline``) as `restore` rebuilds a saved file."""
    data: dict[str, Any] = {"normalizer": _state(backend.normalizer)}
    restore(data, record)
    return _component(data["normalizer"], "normalizer") if data["normalizer"] is not None else None


_RUST_WHITESPACE = re.compile(r"[^\S\x1c-\x1f]")


def trim_leading_whitespace(
    rows: list[Any], ids: list[Any], texts: list[str], sources: list[Any], keep: frozenset[int], units: frozenset[int]
) -> None:
    """Give word tokens the spans the base gives them (``WhitespaceSplit`` families), in place.

    Offsets are already in the original `texts`; `sources[r]` is the text of row `r`, or one
    text per token. The prefix inserted at a word start takes the whitespace before the word as
    its span, where the base aligns it with the word's first character: a token starting with
    that whitespace starts after it, and a token that is only that prefix gets the span of the
    next character, unless a unit follows (then it stands for the space before a number and keeps
    that span). Tokens whose id is in `keep` (the base's added tokens) are left alone.
    """
    for r, row in enumerate(rows):
        src = sources[r]
        row_ids = ids[r]
        for t, span in enumerate(row):
            a, b = span
            if a >= b or row_ids[t] in keep or row_ids[t] in units:
                continue
            text = texts[src if isinstance(src, int) else src[t]]
            k = a
            while k < b and _RUST_WHITESPACE.match(text, k):
                k += 1
            if k < b:
                if k > a:
                    row[t] = (k, b)
            elif (
                t + 1 < len(row)
                and row_ids[t + 1] not in units
                and b < len(text)
                and not _RUST_WHITESPACE.match(text, b)
            ):
                row[t] = (b, b + 1)
