"""The offset map-back (NumPy `OffsetMapper`, Rust `OffsetTable`) against a plain per-edge reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import tst
from tst._backend import RUST
from tst._offset_table import OffsetMapper
from tst.hf._surface import encode_for_offsets, protect_pattern

ALPHABET = hs.sampled_from(list("0123456789") * 4 + list(" ,._'ab\u27e6\u27e7\n"))


def reference(pieces: list[tuple[int, int, int, int]], s: int, e: int) -> tuple[int, int]:
    """Map one token edge pair by scanning the pieces (the spec of OffsetMapper)."""
    shift_s = shift_e = 0
    new_s = new_e = None
    for es, ee, os_, oe in pieces:
        if es <= s < ee:
            new_s = os_
        if ee <= s:
            shift_s = oe - ee
        if es < e <= ee:
            new_e = oe
        if ee <= e:
            shift_e = oe - ee
    return (s + shift_s if new_s is None else new_s, e + shift_e if new_e is None else new_e)


@settings(max_examples=150)
@given(texts=hs.lists(hs.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=4), data=hs.data())
def test_mapper_matches_the_reference(texts: list[str], data: hs.DataObject) -> None:
    codec = tst.Codec(variant="marker")
    pairs = codec.encode_batch_with_offsets(texts)
    mapper = OffsetMapper([p for _, p in pairs], [len(e) for e, _ in pairs], [len(t) for t in texts])
    rows, sources = [], []
    for k, (enc, _) in enumerate(pairs):
        n = len(enc)
        edges = data.draw(hs.lists(hs.tuples(hs.integers(0, n), hs.integers(0, n)), max_size=12))
        rows.append([(min(a, b), max(a, b)) for a, b in edges])
        sources.append(k)
    got = mapper.map_rows(rows, sources)
    for k, row in enumerate(rows):
        assert got[k] == [reference(pairs[k][1], a, b) for a, b in row]
    if RUST is not None:
        table = RUST.OffsetTable([p for _, p in pairs])
        assert table.map_rows(rows, sources) == got
        per_token = [[k] * len(row) for k, row in enumerate(rows)]
        assert table.map_rows(rows, per_token) == got
        fresh = [[(a + 0, b + 0) for a, b in row] for row in rows]  # tuples held by their rows alone
        table.map_rows_in_place(fresh, sources)
        assert fresh == got


def test_per_token_sources_and_empty_rows() -> None:
    codec = tst.Codec(variant="vocab")
    texts = ["a 1234", "xyz", "9"]
    pairs = codec.encode_batch_with_offsets(texts)
    mapper = OffsetMapper([p for _, p in pairs], [len(e) for e, _ in pairs], [len(t) for t in texts])
    enc0 = pairs[0][0]  # 'a ⟦1k⟧⟦234⟧'
    row = [(0, 1), (2, 6), (6, 11), (0, 1)]
    got = mapper.map_rows([row, [], [(0, 3)]], [[0, 0, 0, 1], 1, 2])
    assert enc0[2:6] == "\u27e61k\u27e7"
    assert got == [[(0, 1), (2, 3), (3, 6), (0, 1)], [], [(0, 1)]]
    assert np.asarray(got[0]).max() <= len(texts[0])


needs_rust = pytest.mark.skipif(RUST is None, reason="the Rust engine is not selected (TST_BACKEND=python)")


@needs_rust
@settings(max_examples=100)
@given(texts=hs.lists(hs.text(alphabet=ALPHABET, max_size=30), max_size=4), data=hs.data())
def test_engine_table_equals_the_python_pieces(texts: list[str], data: hs.DataObject) -> None:
    codec = tst.Codec(variant="vocab")
    pairs = codec.encode_batch_with_offsets(texts)
    encoded, table = codec._engine.encode_batch_offset_table(texts)  # type: ignore[attr-defined]
    assert encoded == [e for e, _ in pairs] and len(table) == len(texts)
    mapper = OffsetMapper([p for _, p in pairs], [len(e) for e, _ in pairs], [len(t) for t in texts])
    rows = [
        sorted(data.draw(hs.lists(hs.tuples(hs.integers(0, len(e)), hs.integers(0, len(e))), max_size=8)))
        for e, _ in pairs
    ]
    rows = [[(min(a, b), max(a, b)) for a, b in row] for row in rows]
    assert table.map_rows(rows, list(range(len(rows)))) == mapper.map_rows(rows, list(range(len(rows))))


def test_protected_tokens_take_the_general_path() -> None:
    codec = tst.Codec(variant="vocab")
    protect = protect_pattern(["<SPECIAL_12>"])
    texts = ["a <SPECIAL_12> 1234", "5678"]
    encoded, offsets = encode_for_offsets(codec, texts, protect)
    assert encoded == ["a <SPECIAL_12> \u27e61k\u27e7\u27e6234\u27e7", "\u27e65k\u27e7\u27e6678\u27e7"]
    rows = [[(0, 1), (2, 14), (15, 19), (19, 24)], [(0, 4), (4, 9)]]
    assert offsets.map_rows(rows, [0, 1]) == [[(0, 1), (2, 14), (15, 16), (16, 19)], [(0, 1), (1, 4)]]


@needs_rust
def test_table_errors_name_the_row() -> None:
    table = RUST.OffsetTable([[(0, 4, 0, 1)]])  # type: ignore[union-attr]
    with pytest.raises(IndexError, match="row 0 names source 3"):
        table.map_rows([[(0, 1)]], [3])
    with pytest.raises(ValueError, match="row 0 has 1 tokens but 2 sources"):
        table.map_rows([[(0, 1)]], [[0, 0]])
    with pytest.raises(ValueError, match="fewer sources"):
        table.map_rows([[(0, 1)], []], [0])
    row: list[tuple[int, int]] = []
    assert table.map_rows([row], [[]])[0] is row


@needs_rust
def test_in_place_never_changes_a_tuple_someone_else_holds() -> None:
    codec = tst.Codec(variant="vocab")
    encoded, table = codec._engine.encode_batch_offset_table(["a 1234"])  # type: ignore[attr-defined]
    assert encoded == ["a \u27e61k\u27e7\u27e6234\u27e7"]
    held = (6, 11)
    row = [(0, 1), tuple([2, 6]), held, held]
    own = id(row[1])  # a tuple only the row holds
    table.map_rows_in_place([row], [0])
    assert row == [(0, 1), (2, 3), (3, 6), (3, 6)]
    assert held == (6, 11)  # shared: replaced in the row, not rewritten
    assert id(row[1]) == own  # rewritten where it is (a new one would be made before the old is freed)
    with pytest.raises(TypeError):
        table.map_rows_in_place([[(0, "x")]], [0])
