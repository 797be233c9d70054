"""The vectorised offset map-back against a plain per-edge reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as hs

import tst
from tst.hf._offsets import OffsetMapper

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
