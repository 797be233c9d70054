"""`TextConverter`: one direction of a codec applied to batches of strings, with counts.

Shared by the CLI, the file formats, `datasets` and Spark.

Lone surrogates: text decoded with ``errors="surrogateescape"`` holds
U+DC80..U+DCFF for undecodable bytes. Both engines accept them as ordinary
non-word characters (the tests check that such bytes round-trip). Should an
engine refuse them (UnicodeEncodeError), the converter cuts the text at the
surrogates, converts the pieces and puts the surrogates back unchanged: a
surrogate is never part of a number, a unit or an escape, so the result
equals converting the whole text (tested on the pure-Python engine).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tst.codec import Codec
from tst.data.counting import NumberCounter
from tst.errors import TSTDecodeError, TSTRangeError

_SURROGATES = re.compile("([\ud800-\udfff]+)")

DIRECTIONS = ("encode", "decode")
#: Places of skipped records kept for the summary.
SHOWN = 10


@dataclass
class Counts:
    """What a conversion did, summed over everything it saw."""

    records: int = 0
    strings: int = 0
    changed: int = 0
    numbers: int = 0
    out_of_range_integer: int = 0  # numerals left as text: more integer digits than int_digits
    out_of_range_fraction: int = 0  # ... more fractional digits than frac_digits
    missing: int = 0
    skipped: int = 0
    skipped_where: list[str] = field(default_factory=list)  # the first `SHOWN` places only

    def skip(self, where: str) -> None:
        """Count one skipped record at `where`."""
        self.skipped += 1
        if len(self.skipped_where) < SHOWN:
            self.skipped_where.append(where)

    def add(self, other: Counts) -> None:
        """Add `other`'s counts to these."""
        self.records += other.records
        self.strings += other.strings
        self.changed += other.changed
        self.numbers += other.numbers
        self.out_of_range_integer += other.out_of_range_integer
        self.out_of_range_fraction += other.out_of_range_fraction
        self.missing += other.missing
        self.skipped += other.skipped
        self.skipped_where.extend(other.skipped_where[: max(0, SHOWN - len(self.skipped_where))])

    def copy(self) -> Counts:
        """An independent copy."""
        return replace(self, skipped_where=list(self.skipped_where))

    def take_strings(self, now: Counts, before: Counts) -> None:
        """Set strings, changed and the number counts to what a converter counted between `before` and `now`."""
        self.strings = now.strings - before.strings
        self.changed = now.changed - before.changed
        self.take_numbers(now, before)

    def take_numbers(self, now: Counts, before: Counts) -> None:
        """Set numbers and the out-of-range counts to what a converter counted between `before` and `now`."""
        self.numbers = now.numbers - before.numbers
        self.out_of_range_integer = now.out_of_range_integer - before.out_of_range_integer
        self.out_of_range_fraction = now.out_of_range_fraction - before.out_of_range_fraction

    def out_of_range_summary(self) -> str:
        """``"3 numbers left as text, out of range (2 with too many integer digits, ...)"``, or ``""``."""
        ints, fracs = self.out_of_range_integer, self.out_of_range_fraction
        if not ints and not fracs:
            return ""
        why = [f"{ints:,} with too many integer digits"] if ints else []
        why += [f"{fracs:,} with too many fractional digits"] if fracs else []
        reasons = ", ".join(why)
        return f"{ints + fracs:,} numbers left as text, out of range ({reasons}; see --int-digits, --frac-digits)"

    def summary(self, direction: str) -> str:
        """One human line, e.g. ``"3 records, 5 strings (4 changed), 12 numbers encoded"``."""
        verb = "encoded" if direction == "encode" else "decoded"
        parts = [f"{self.records:,} records", f"{self.strings:,} strings ({self.changed:,} changed)"]
        parts.append(f"{self.numbers:,} numbers {verb}")
        if self.out_of_range_summary():
            parts.append(self.out_of_range_summary())
        if self.missing:
            parts.append(f"{self.missing:,} records lacked a selected field (the fields they have were converted)")
        if self.skipped:
            where = ", ".join(self.skipped_where) + (", ..." if self.skipped > len(self.skipped_where) else "")
            parts.append(f"{self.skipped:,} bad records skipped ({where})")
        return "; ".join(parts)


class TextConverter:
    """Encode or decode batches of strings with one codec, counting numbers.

    Args:
        codec: the codec (its configuration decides the encoding).
        direction: ``"encode"`` or ``"decode"``.
        strict: decoding only; False decodes leniently and never raises.
        num_threads: threads for the Rust engine's batch calls (None: all cores).
        count_numbers: count the numbers converted (a regex pass over the
            encoded side, a good part of the codec's own time on
            number-dense text); `counts.numbers` stays 0 without it. When
            encoding with ``overflow="text"`` it also counts the numerals left
            as text because they are out of range (`counts.out_of_range_integer`,
            `counts.out_of_range_fraction`; see `Codec.out_of_range`).

    Example:
        >>> from tst import Codec
        >>> conv = TextConverter(Codec(variant="vocab"))
        >>> conv.convert_batch(["Pay 1,234.5", "no numbers"])
        ['Pay ⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧', 'no numbers']
        >>> conv.counts.numbers
        1
        >>> conv.convert_batch(["id 12345678901234567890"])
        ['id 12345678901234567890']
        >>> conv.counts.out_of_range_summary()
        '1 numbers left as text, out of range (1 with too many integer digits; see --int-digits, --frac-digits)'
    """

    def __init__(
        self,
        codec: Codec,
        direction: str = "encode",
        *,
        strict: bool = True,
        num_threads: int | None = None,
        count_numbers: bool = True,
    ) -> None:
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'encode' or 'decode', not {direction!r}")
        if direction == "decode" and codec.settings.style == "paper":
            raise ValueError("style='paper' is lossy and cannot be decoded; use style='exact'")
        self.codec = codec
        self.direction = direction
        self.strict = strict
        self.num_threads = num_threads
        self.count_numbers_enabled = count_numbers
        self.counts = Counts()
        st = codec.settings
        exact = st.style == "exact"
        self._counter = NumberCounter(st) if exact else None
        self._counts_range = exact and direction == "encode" and st.overflow == "text"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.codec, self.direction, self.strict, self.num_threads, self.count_numbers_enabled))

    def convert(self, text: str) -> str:
        """Convert one string (see `convert_batch`)."""
        return self.convert_batch([text])[0]

    def convert_batch(self, texts: Sequence[str], count: bool = True) -> list[str]:
        """Convert `texts`; with `count`, add to `counts` (strings, changed, numbers).

        Raises:
            TSTDecodeError, TSTRangeError: as the codec does; `locate` finds which text.
        """
        out = self._convert(texts)
        if count:
            c = self.counts
            c.strings += len(texts)
            c.changed += sum(1 for a, b in zip(texts, out) if a != b)
            if self.count_numbers_enabled:
                c.numbers += self.count_numbers(texts, out)
                if self._counts_range:
                    ints, fracs = self.count_out_of_range(texts)
                    c.out_of_range_integer += ints
                    c.out_of_range_fraction += fracs
        return out

    def count_numbers(self, inputs: Sequence[str], outputs: Sequence[str]) -> int:
        """Numbers converted between `inputs` and their `outputs`."""
        encoded = outputs if self.direction == "encode" else inputs
        if self._counter is not None:
            return self._counter.count_all(list(encoded))
        return sum(len(self.codec.numbers(t)) for t in inputs)  # paper style: parse again

    def count_out_of_range(self, inputs: Sequence[str]) -> tuple[int, int]:
        """Numerals of `inputs` that encoding leaves as text because they are out of range.

        Returns ``(integer, fraction)``: how many have too many integer digits,
        and how many (in range there) too many fractional digits. Zeros unless
        encoding with ``overflow="text"``. One more grammar pass over the
        inputs, writing nothing (the Rust engine spreads it over `num_threads`).
        """
        if not self._counts_range:
            return 0, 0
        parts = [r.part for found in self.codec.out_of_range_batch(inputs, self.num_threads) for r in found]
        ints = parts.count("integer")
        return ints, len(parts) - ints

    def locate(self, texts: Sequence[str]) -> tuple[int, Exception] | None:
        """After a batch failed: the index of the first failing text and its error, or None."""
        for k, t in enumerate(texts):
            offset = 0
            for piece in _SURROGATES.split(t):
                try:
                    if not _SURROGATES.match(piece):
                        self._convert([piece])
                except (TSTDecodeError, TSTRangeError) as exc:
                    return k, type(exc)(exc.position + offset, exc.reason)
                except (ValueError, TypeError) as exc:
                    return k, exc
                offset += len(piece)
        return None

    def _convert(self, texts: Sequence[str]) -> list[str]:
        try:
            return self._engine(list(texts))
        except UnicodeEncodeError:
            return self.convert_around_surrogates(texts)

    def _engine(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        c = self.codec
        if self.direction == "encode":
            return c.encode_batch(texts, num_threads=self.num_threads)
        return c.decode_batch(texts, strict=self.strict, num_threads=self.num_threads)

    def convert_around_surrogates(self, texts: Sequence[str]) -> list[str]:
        """Convert the surrogate-free pieces of `texts` and keep the surrogates between them."""
        # Split every text at surrogate runs: odd pieces are the runs (kept), even ones are converted.
        split = [_SURROGATES.split(t) for t in texts]
        plain = [p for pieces in split for p in pieces[0::2]]
        done = iter(self._engine(plain))
        out = []
        for pieces in split:
            for k in range(0, len(pieces), 2):
                pieces[k] = next(done)
            out.append("".join(pieces))
        return out


def _rebuild(codec: Codec, direction: str, strict: bool, num_threads: int | None, count: bool) -> TextConverter:
    return TextConverter(codec, direction, strict=strict, num_threads=num_threads, count_numbers=count)
