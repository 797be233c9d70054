"""Route 2: the custom-component plug-in for tokenizers.Tokenizer pipelines, and its save/load helper."""

from __future__ import annotations

import pytest
from tokenizers import Tokenizer

import tst
import tst.hf as tst_hf
from tests.hf_support import LOSSLESS, base, base_round_trips, wrapped

TEXTS = [
    "Pay $1,234.5 now.",
    "In 2019 42 people ran 3.14159 km; 1,000,000 watched.",
    "v1.2.3 on 2024-01-15, 6.02e23 and 0x1F",
    "Literal \u27e61k\u27e7 and \u27e6u\u27e7 stay text.",
    "\u27e612\u27e7",
    "12 cats",
]
FAMILIES = ("bpe", "spm", "bert")


def plugged(family: str, variant: str) -> Tokenizer:
    tok = Tokenizer.from_str(base(family).backend_tokenizer.to_str())
    tok.no_padding()
    tok.no_truncation()
    return tst_hf.install(tok, tst.Codec(variant=variant))


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_plugin_gives_the_ids_of_route_1(family: str, variant: str) -> None:
    tok = plugged(family, variant)
    ref = wrapped(family, variant)
    for text in TEXTS:
        ids = tok.encode(text, add_special_tokens=False).ids
        assert ids == ref(text, add_special_tokens=False)["input_ids"], text
        if family in LOSSLESS and base_round_trips(family, text):
            assert tok.decode(ids) == text


@pytest.mark.parametrize("family", FAMILIES)
def test_pipeline_saves_and_loads(family: str, tmp_path: object) -> None:
    tok = plugged(family, "vocab")
    path = tmp_path / "tst_pipeline.json"  # type: ignore[operator]
    tst_hf.save_pipeline(tok, path)
    again = tst_hf.load_pipeline(path)
    for text in TEXTS:
        assert again.encode(text).ids == tok.encode(text).ids
    # Still usable after saving (saving swaps the components out and back in).
    assert (
        tok.encode("12 cats", add_special_tokens=False).ids
        == wrapped(family, "vocab")("12 cats", add_special_tokens=False)["input_ids"]
    )
    # The file is not a stock tokenizer.json: a stock loader refuses it instead of losing the TST step.
    with pytest.raises(Exception, match=r"missing field|unknown|expected"):
        Tokenizer.from_file(str(path))


def test_plugin_refusals_and_limits(tmp_path: object) -> None:
    tok = plugged("bpe", "vocab")
    with pytest.raises(tst.TSTError):
        tst_hf.install(tok, tst.Codec())
    with pytest.raises(Exception, match="Custom Normalizer cannot be serialized"):
        tok.to_str()  # the documented serialization limit: use save_pipeline
    plain = Tokenizer.from_str(base("bpe").backend_tokenizer.to_str())
    with pytest.raises(tst.TSTError):
        tst_hf.save_pipeline(plain, tmp_path / "x.json")  # type: ignore[operator]
    (tmp_path / "plain.json").write_text(plain.to_str())  # type: ignore[operator]
    with pytest.raises(tst.TSTError):
        tst_hf.load_pipeline(tmp_path / "plain.json")  # type: ignore[operator]


def test_plugin_offsets_stay_inside_the_text() -> None:
    tok = plugged("bpe", "marker")
    text = "Pay $1,234.5 now"
    enc = tok.encode(text, add_special_tokens=False)
    for a, b in enc.offsets:
        assert 0 <= a <= b <= len(text)
    units = [
        (t, text[a:b]) for t, (a, b) in zip(enc.tokens, enc.offsets) if t.startswith("\u27e6") and t[1:-1].isdigit()
    ]
    assert [u for u, _ in units] == ["\u27e61\u27e7", "\u27e6234\u27e7", "\u27e65\u27e7"]
    assert all(span.strip(",.$") for _, span in units)
