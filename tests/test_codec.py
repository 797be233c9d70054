"""The public Codec API: configuration, errors, batches, pickling, decoding rules."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal

import pytest

import tst

ACCEPTANCE = "Revenue rose 12.5% to $1,234,567.89 in Q4 2023."


@pytest.mark.parametrize("variant", ["marker", "vocab"])
def test_acceptance_sentence(make_codec: Callable[..., tst.Codec], variant: str) -> None:
    codec = make_codec(variant=variant)
    assert codec.decode(codec.encode(ACCEPTANCE)) == ACCEPTANCE
    assert [n.value for n in codec.numbers(ACCEPTANCE)] == [Decimal("12.5"), Decimal("1234567.89"), Decimal("2023")]


def test_vocab_and_marker_units(make_codec: Callable[..., tst.Codec]) -> None:
    assert make_codec(variant="vocab").encode("1234.5") == "⟦1k⟧⟦234⟧.⟦5p⟧"
    assert make_codec(variant="marker").encode("1234.5") == "⟦1⟧⟦k⟧⟦234⟧⟦u⟧.⟦5⟧⟦p⟧"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"variant": "fused"}, ValueError, "variant"),
        ({"style": "loose"}, ValueError, "style"),
        ({"group_size": 0}, ValueError, "group_size"),
        ({"group_size": 7}, ValueError, "group_size"),
        ({"group_size": 3.0}, TypeError, "group_size"),
        ({"group_size": True}, TypeError, "group_size"),
        ({"decimal": ";"}, ValueError, "decimal"),
        ({"separators": ",."}, ValueError, "decimal mark"),
        ({"separators": "a"}, ValueError, "separator"),
        ({"separators": ",,"}, ValueError, "twice"),
        ({"separators": 5}, TypeError, "separators"),
        ({"overflow": "wrap"}, ValueError, "overflow"),
        ({"int_digits": 0}, ValueError, "int_digits"),
        ({"frac_digits": -1}, ValueError, "frac_digits"),
        ({"indian": "yes"}, TypeError, "indian"),
        ({"backend": "java"}, ValueError, "backend"),
    ],
)
def test_configuration_errors(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        tst.Codec(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["encode", "decode", "numbers", "encode_with_offsets"])
@pytest.mark.parametrize("value", [None, 12, b"12", ["12"]])
def test_non_str_input(make_codec: Callable[..., tst.Codec], method: str, value: object) -> None:
    with pytest.raises(TypeError, match=f"{method} expects str"):
        getattr(make_codec(), method)(value)


def test_batch_input_checks(make_codec: Callable[..., tst.Codec]) -> None:
    codec = make_codec()
    with pytest.raises(TypeError, match="single str"):
        codec.encode_batch("12")
    with pytest.raises(TypeError, match=r"^item 1: "):
        codec.encode_batch(["1", 2])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="num_threads"):
        codec.encode_batch(["1"], num_threads=0)


@pytest.mark.parametrize("variant", ["marker", "vocab"])
def test_batches_equal_single_calls(make_codec: Callable[..., tst.Codec], variant: str) -> None:
    codec = make_codec(variant=variant)
    texts = [f"row {k}: {k * 1234.5:,.2f} and {k}e-{k}" for k in range(300)] + ["", "⟦", "no numbers"]
    encoded = codec.encode_batch(texts)
    assert encoded == [codec.encode(t) for t in texts]
    assert codec.decode_batch(encoded) == texts
    assert codec.encode_batch(iter(texts), num_threads=1) == encoded
    assert codec.encode_batch([]) == []


def test_pickle_and_config(make_codec: Callable[..., tst.Codec]) -> None:
    codec = make_codec(variant="vocab", group_size=4, decimal=",", overflow="extend")
    clone = pickle.loads(pickle.dumps(codec))
    assert clone == codec and clone.backend == codec.backend
    assert clone.encode("1.234,5") == codec.encode("1.234,5")
    assert tst.Codec(**codec.config()) == codec
    assert "group_size=4" in repr(codec)


@pytest.mark.parametrize(
    ("variant", "text", "position", "reason"),
    [
        ("vocab", "⟦1k⟧", 4, "number cut short"),
        ("vocab", "⟦1k⟧x⟦000⟧", 4, "number cut short"),
        ("vocab", "⟦234⟧⟦1k⟧⟦000⟧", 5, "group out of order"),
        ("vocab", "⟦1m⟧⟦234⟧", 4, "group out of order"),
        ("vocab", "⟦1m⟧⟦23k⟧⟦456⟧", 4, "group out of order"),
        ("vocab", "⟦1234⟧", 0, "longer than the group size"),
        ("vocab", "⟦5p⟧", 0, "decimal mark"),
        ("vocab", "⟦5⟧⟦5p⟧", 3, "without a decimal mark"),
        ("vocab", "⟦5⟧.⟦5pp⟧", 4, "depth-2"),
        ("vocab", "⟦5⟧.⟦5p⟧⟦1pp⟧", 8, "depth-2"),
        ("vocab", "⟦5x⟧", 0, "unknown unit"),
        ("vocab", "⟦e3⟧", 0, "unknown unit"),
        ("vocab", "⟦1e3⟧", 0, "unknown unit"),
        ("vocab", "a ⟦1k", 2, "without its closing"),
        ("vocab", "a ⟦1k ⟦5⟧", 2, "without its closing"),
        ("vocab", "a ⟧ b", 2, "unescaped"),
        ("vocab", "⟦⟧", 0, "empty unit"),
        ("vocab", "⟦,3⟧ 5", 0, "grouping tag not followed"),
        ("vocab", "⟦,3⟧⟦123⟧", 0, "at least 4"),
        ("vocab", "⟦,2⟧⟦1k⟧⟦234⟧", 0, "unknown unit '⟦,2⟧'"),  # Indian tags exist only with indian=True
        ("marker", "⟦k⟧", 0, "no digit group"),
        ("marker", "⟦12⟧ x", 4, "not followed by its marker"),
        ("marker", "⟦12⟧⟦zz⟧", 4, "unknown marker"),
        ("marker", "⟦1⟧⟦k⟧⟦23⟧⟦u⟧", 6, "group out of order"),
    ],
)
def test_strict_decode_errors(
    make_codec: Callable[..., tst.Codec], variant: str, text: str, position: int, reason: str
) -> None:
    codec = make_codec(variant=variant)
    with pytest.raises(tst.TSTDecodeError) as info:
        codec.decode(text)
    assert info.value.position == position
    assert reason in info.value.reason
    assert isinstance(info.value, ValueError)
    assert isinstance(codec.decode(text, strict=False), str)


def test_indian_tag_needs_indian(make_codec: Callable[..., tst.Codec]) -> None:
    codec = make_codec(variant="vocab", indian=True)
    with pytest.raises(tst.TSTDecodeError, match="at least 6"):
        codec.decode("⟦,2⟧⟦1k⟧⟦234⟧")
    assert codec.decode("⟦,2⟧⟦1m⟧⟦234k⟧⟦567⟧") == "12,34,567"


def test_lenient_decode_best_effort(make_codec: Callable[..., tst.Codec]) -> None:
    vocab = make_codec(variant="vocab")
    assert vocab.decode("⟦1k⟧ oops ⟦ x", strict=False) == "⟦1k⟧ oops ⟦ x"  # cut short: kept verbatim
    assert vocab.decode("⟦1k⟧ oops ⟦", strict=False) == "⟦1k⟧ oops "  # a lone ⟦ ending the text: nothing
    assert vocab.decode("⟦234⟧⟦1k⟧⟦000⟧", strict=False) == "234⟦1k⟧⟦000⟧"
    assert vocab.decode("⟦5x⟧ ⟧", strict=False) == "⟦5x⟧ ⟧"
    marker = make_codec(variant="marker")
    assert marker.decode("⟦k⟧5⟦1⟧⟦u⟧", strict=False) == "⟦k⟧51"


def test_decode_error_pickles() -> None:
    err = tst.TSTDecodeError(3, "why")
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.position, clone.reason, str(clone)) == (3, "why", str(err))


def test_tags_restore_separators(make_codec: Callable[..., tst.Codec]) -> None:
    codec = make_codec(variant="vocab", group_size=4, separators=", '", indian=True)
    text = "1,234,567 12,34,567 1 000 000 12'345.5"
    encoded = codec.encode(text)
    assert "," not in encoded.replace("⟦,3⟧", "").replace("⟦,2⟧", "")
    assert codec.decode(encoded) == text


def test_import_is_light() -> None:
    heavy = "('tokenizers', 'transformers', 'numpy', 'torch')"
    code = f"import sys, tst; print([m for m in {heavy} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_backend_name() -> None:
    assert tst.backend() in ("rust", "python")
