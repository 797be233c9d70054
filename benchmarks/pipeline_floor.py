"""The least a TST pipeline of stock `tokenizers` components costs, whatever its rules.

Two costs come with the design and no rule set avoids them (tokenizers 0.23):

* **the units' split**: every TST unit is an added token, so it cuts the text into pieces that
  the pre-tokenizer and the model then take one by one (against a SentencePiece base with
  ``Metaspace(split=False)`` the bare base takes a whole line as one piece);
* **one copy per pass**: a `normalizers.Replace` step rebuilds the string and its alignments
  (16 bytes per byte) even where its pattern matches nothing (``NormalizedString::replace``).

Two tokenizers measure them apart, each against the bare base on the same texts:

* `units_floor`: a copy of a TST tokenizer fed the TST normalizer's output computed beforehand,
  with no normalizer and its units as plain added tokens (``normalized=False``, content = the
  unit as the normalizer writes it, same ids). It does the units' split and nothing else: no
  rules can make the TST pipeline faster than it. (It overstates the split's cost where the raw
  text is ASCII: `encode_batch` maps byte offsets to characters over its input, and the
  ready-made text holds the non-ASCII marks, so `tokenizers` builds a byte-to-character map
  there that the real pipeline skips; on the CSV lines of `bench_export.py` against the
  SentencePiece base that map is about a third of the floor's extra instructions (callgrind,
  2026-12-01). For a base whose normalizer does real work, BERT's, it understates the whole,
  which a floor may.)
* `passes_floor`: the bare base with `passes` `Replace` steps after its normalizer, each matching
  nothing, fed the raw text. TST only inserts, so each of its passes copies at least the raw
  text: no rules with that many passes can make the pipeline faster than it.
"""

from __future__ import annotations

import json

from tokenizers import Regex, Tokenizer, normalizers

#: A pattern no text matches (two noncharacters in a row).
NEVER = "\\x{10FFFF}\\x{10FFFE}"


def tst_pass_count(tst_tokenizer: Tokenizer, base: Tokenizer) -> int:
    """How many normalizer steps `tst_tokenizer` runs beyond those of `base`."""
    return _step_count(tst_tokenizer) - _step_count(base)


def _step_count(tok: Tokenizer) -> int:
    norm = json.loads(tok.to_str()).get("normalizer")
    if norm is None:
        return 0
    return len(norm["normalizers"]) if norm.get("type") == "Sequence" else 1


def units_floor(tst_tokenizer: Tokenizer, units: list[str]) -> Tokenizer:
    """The units' split of `tst_tokenizer` alone (see the module doc).

    Args:
        tst_tokenizer: a TST pipeline (route 2 or route 3) whose added tokens include `units`.
        units: the TST units' contents (`Codec.vocabulary()`).

    Returns:
        A `Tokenizer` to be fed ``tst_tokenizer.normalizer.normalize_str(text)`` instead of `text`;
        it gives the same ids as `tst_tokenizer` on `text`.
    """
    norm = tst_tokenizer.normalizer
    assert norm is not None
    spec = json.loads(tst_tokenizer.to_str())
    ours = set(units)
    added = []
    for entry in spec["added_tokens"]:
        if entry["content"] in ours:
            entry = {**entry, "content": norm.normalize_str(entry["content"]), "normalized": False}
        added.append(entry)
    spec["added_tokens"] = added
    spec["normalizer"] = None
    floor = Tokenizer.from_str(json.dumps(spec))
    floor.no_padding()
    floor.no_truncation()
    return floor


def passes_floor(base: Tokenizer, passes: int) -> Tokenizer:
    """A copy of `base` that runs `passes` never-matching `Replace` steps after its own normalizer."""
    floor = Tokenizer.from_str(base.to_str())
    steps = [] if floor.normalizer is None else [floor.normalizer]
    floor.normalizer = normalizers.Sequence(steps + [normalizers.Replace(Regex(NEVER), "") for _ in range(passes)])
    floor.no_padding()
    floor.no_truncation()
    return floor
