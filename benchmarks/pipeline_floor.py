"""The least a TST pipeline of stock `tokenizers` components costs, whatever its rules.

Three costs come with the design and no rule set avoids them (tokenizers 0.23):

* **the units' split**: every TST unit is an added token, so it cuts the text into pieces that
  the pre-tokenizer and the model then take one by one (against a SentencePiece base with
  ``Metaspace(split=False)`` the bare base takes a whole line as one piece);
* **one match per unit**: every unit in the normalizer's output ends with a ``⟧`` that a
  `normalizers.Replace` match wrote (vocab variant: the lexer ends a number's last integer group,
  the boundaries pass every other integer group, the fraction pass every fractional group, the tag
  pass each tag, an escape pass each escaped bracket), and each match costs `tokenizers` a
  search restart and an edit of the string and its alignments;
* **one copy per pass**: a `normalizers.Replace` step rebuilds the string and its alignments
  (16 bytes per byte) even where its pattern matches nothing (``NormalizedString::replace``).

Tokenizers that measure them, each against the bare base on the same texts:

* `units_floor`: a copy of a TST tokenizer fed `ready_texts` (the TST normalizer's output
  computed beforehand) with its units as plain added tokens of the same ids, and either no
  normalizer (the units' split alone) or, with ``one_match_per_unit``, one `Replace` that
  rewrites every ``⟧`` (spelled U+0003, below) as itself (the split plus one match per unit: no
  route-3 or route-2 rule set in the vocab variant can run faster than it). Its ids are the TST
  tokenizer's. The ready-made text spells the two brackets as ASCII control characters, so that
  `encode_batch` maps offsets as it does for the (ASCII) raw text; with the brackets themselves
  it builds a byte-to-character map the real pipeline skips, about a third of the split's extra
  instructions on the CSV lines of `bench_export.py` (callgrind, 2026-12-01). On a base with a
  normalizer of its own (BERT's, mistral_v3's start steps) the ready-made text already carries
  that normalizer's output, so the floor skips its work too and is a looser bound there (it can
  read above 1x); on the SentencePiece v7 layout and the byte-level bases the base has no
  normalizer to skip.
* `passes_floor`: the bare base with `passes` `Replace` steps after its normalizer, each matching
  nothing, fed the raw text. TST only inserts, so each of its passes copies at least the raw
  text: no rules with that many passes can make the pipeline faster than it.
"""

from __future__ import annotations

import json
import re

from tokenizers import Regex, Tokenizer, normalizers

from tst.spelling import CLOSE, OPEN

#: A pattern no text matches (two noncharacters in a row).
NEVER = "\\x{10FFFF}\\x{10FFFE}"

#: The brackets in `ready_texts`: two ASCII control characters no benchmark text holds.
_ASCII_BRACKETS = {OPEN: "\x02", CLOSE: "\x03"}
_TO_ASCII = str.maketrans(_ASCII_BRACKETS)


def tst_pass_count(tst_tokenizer: Tokenizer, base: Tokenizer) -> int:
    """How many normalizer steps `tst_tokenizer` runs beyond those of `base`."""
    return _step_count(tst_tokenizer) - _step_count(base)


def _step_count(tok: Tokenizer) -> int:
    norm = json.loads(tok.to_str()).get("normalizer")
    if norm is None:
        return 0
    return len(norm["normalizers"]) if norm.get("type") == "Sequence" else 1


def _refused(tst_tokenizer: Tokenizer) -> re.Pattern[str]:
    """What `ready_texts` refuses in a text: a TST bracket, an ASCII stand-in, a raw added token."""
    raw = [e["content"] for e in json.loads(tst_tokenizer.to_str())["added_tokens"] if not e["normalized"]]
    return re.compile("|".join(re.escape(c) for c in [OPEN, CLOSE, *_ASCII_BRACKETS.values(), *raw]))


def floor_takes(tst_tokenizer: Tokenizer, texts: list[str], name: str) -> list[str]:
    """`texts` less those `ready_texts` refuses (real lines such as a METADATA file's ``<s>``).

    The benchmarks time every pipeline of a row on the texts this returns, so that each ratio
    compares the same work; how many were left out is printed under `name`.
    """
    refused = _refused(tst_tokenizer)
    kept = [t for t in texts if not refused.search(t)]
    if len(kept) < len(texts):
        print(f"{name}: {len(texts) - len(kept)} of {len(texts)} texts left out (a special token or TST bracket)")
    return kept


def ready_texts(tst_tokenizer: Tokenizer, texts: list[str]) -> list[str]:
    """`texts` as `units_floor` takes them: `tst_tokenizer`'s normalizer output, brackets in ASCII.

    Raises:
        ValueError: a text holds a TST bracket (its escape stays text, which the ASCII spelling
            would change), one of the ASCII stand-ins (U+0002, U+0003), or an added token that is
            matched before the normalizer (a special token such as ``<s>``: the real pipeline
            keeps it out of the normalizer, the ready-made text could not).
    """
    norm = tst_tokenizer.normalizer
    assert norm is not None
    reserved = _refused(tst_tokenizer)
    out = []
    for text in texts:
        found = reserved.search(text)
        if found:
            what = "a TST bracket, U+0002, U+0003 or a raw added token"
            raise ValueError(f"the floors take no text holding {found.group()!r} ({what})")
        normalized: str = norm.normalize_str(text)
        out.append(normalized.translate(_TO_ASCII))
    return out


def units_floor(tst_tokenizer: Tokenizer, units: list[str], one_match_per_unit: bool = False) -> Tokenizer:
    """The units' split of `tst_tokenizer`, with or without one `Replace` match per unit (module doc).

    Args:
        tst_tokenizer: a TST pipeline (route 2 or route 3, vocab variant) whose added tokens include
            `units`.
        units: the TST units' contents (`Codec.vocabulary()`).
        one_match_per_unit: add a normalizer that rewrites each unit's closing bracket as itself.

    Returns:
        A `Tokenizer` to be fed ``ready_texts(tst_tokenizer, texts)`` instead of `texts`; it gives
        the same ids as `tst_tokenizer` on them.
    """
    norm = tst_tokenizer.normalizer
    assert norm is not None
    spec = json.loads(tst_tokenizer.to_str())
    ours = set(units)
    added, seen = [], set()
    for entry in spec["added_tokens"]:
        if entry["content"] in ours:
            # Normalized with the match pass: the units are then matched after it, which sees them.
            content = norm.normalize_str(entry["content"]).translate(_TO_ASCII)
            if content in seen:
                # A base normalizer can write two units alike (BERT's writes U+00A0 and U+2009 as a
                # space); the export keeps both, the first matching. `tokenizers` would merge two
                # equal contents and renumber every later token, so the second gets a content no
                # ready-made text holds (each U+0002 there opens a unit's tag).
                content = f"\x02\x02{entry['id']}"
            seen.add(content)
            entry = {**entry, "content": content, "normalized": one_match_per_unit}
        added.append(entry)
    spec["added_tokens"] = added
    close = _ASCII_BRACKETS[CLOSE]
    spec["normalizer"] = (
        {"type": "Replace", "pattern": {"String": close}, "content": close} if one_match_per_unit else None
    )
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
