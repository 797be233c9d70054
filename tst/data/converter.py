"""`TextConverter`: one direction of a codec applied to batches of strings, with counts.

Shared by the CLI, the file formats, `datasets` and Spark.

Lone surrogates: text decoded with ``errors="surrogateescape"`` holds
U+DC80..U+DCFF for undecodable bytes. Both engines accept them as ordinary
non-word characters (the tests check that such bytes round-trip).

A batch the codec rejects in part (strict decoding, ``overflow="error"``)
raises the error of its first failing text with that text's index in
``index``; with ``errors="return"`` each failing text's error takes its place
in the result instead, so callers never convert a text twice.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar, cast, overload

from tst._hints import hinted_settings, names_other_settings, without_hint
from tst.codec import Codec, rust_engine
from tst.data.counting import NumberCounter
from tst.errors import TSTDecodeError, TSTError, check_errors

DIRECTIONS = ("encode", "decode")
E = TypeVar("E", bound=Exception)
#: Places of skipped records kept for the summary.
SHOWN = 10


def counted(n: int, noun: str) -> str:
    """``"1 record"``, ``"2 records"``, ``"1,234 records"``: `n` and `noun`, plural unless `n` is 1."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


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
    wider: int = 0  # CSV rows with more cells than the header (those past it are copied, never selected)
    skipped: int = 0
    skipped_where: list[str] = field(default_factory=list)  # the first `SHOWN` places only
    #: Selected columns a CSV header or Parquet schema lacks (passed with `allow_missing`).
    absent_columns: list[str] = field(default_factory=list)

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
        self.wider += other.wider
        self.skipped += other.skipped
        self.skipped_where.extend(other.skipped_where[: max(0, SHOWN - len(self.skipped_where))])
        self.absent_columns.extend(c for c in other.absent_columns if c not in self.absent_columns)

    def copy(self) -> Counts:
        """An independent copy."""
        return replace(self, skipped_where=list(self.skipped_where), absent_columns=list(self.absent_columns))

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
        return (
            f"{counted(ints + fracs, 'number')} left as text, out of range ({reasons}; see --int-digits, --frac-digits)"
        )

    def summary(self, direction: str) -> str:
        """One human line, e.g. ``"3 records, 5 strings (4 changed), 12 numbers encoded"``."""
        verb = "encoded" if direction == "encode" else "decoded"
        parts = [counted(self.records, "record"), f"{counted(self.strings, 'string')} ({self.changed:,} changed)"]
        parts.append(f"{counted(self.numbers, 'number')} {verb}")
        if self.out_of_range_summary():
            parts.append(self.out_of_range_summary())
        if self.missing:
            parts.append(
                f"{counted(self.missing, 'record')} lacked a selected field (the fields they have were converted)"
            )
        if self.absent_columns:
            # Named: a misspelled column passes a whole file through unconverted under --allow-missing.
            parts.append(f"no column {', '.join(map(repr, self.absent_columns))} in the header or schema")
        if self.wider:
            parts.append(
                f"{counted(self.wider, 'row')} had more cells than the header (the cells past it were kept as they are)"
            )
        if self.skipped:
            where = ", ".join(self.skipped_where) + (", ..." if self.skipped > len(self.skipped_where) else "")
            parts.append(f"{counted(self.skipped, 'bad record')} skipped ({where})")
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
        #: Decoding: the first string with units that decoded (`hint_fits_data` tries the hint on it).
        self.witness: str | None = None
        st = codec.settings
        exact = st.style == "exact"
        self._counter = NumberCounter(st) if exact else None
        self._counts_range = exact and direction == "encode" and st.overflow == "text"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.codec, self.direction, self.strict, self.num_threads, self.count_numbers_enabled))

    def convert(self, text: str) -> str:
        """Convert one string (see `convert_batch`)."""
        return self.convert_batch([text])[0]

    @overload
    def convert_batch(
        self, texts: Sequence[str], count: bool = True, errors: Literal["raise"] = "raise"
    ) -> list[str]: ...
    @overload
    def convert_batch(
        self, texts: Sequence[str], count: bool = True, *, errors: Literal["return"]
    ) -> list[str | TSTError]: ...
    def convert_batch(
        self, texts: Sequence[str], count: bool = True, errors: str = "raise"
    ) -> list[str] | list[str | TSTError]:
        """Convert `texts`; with `count`, add what was converted to `counts` (see `add_counts`).

        Args:
            texts: the strings.
            count: add the converted texts to `counts`.
            errors: ``"raise"``: a text the codec rejects raises its error
                (`index` names the text) and nothing is counted;
                ``"return"``: its error object (a `TSTError`) takes its place in
                the result, and only the converted texts are counted.

        Raises:
            TSTDecodeError, TSTRangeError: as the codec does, with ``errors="raise"``.
        """
        check_errors(errors)
        out = self._engine(list(texts), errors)
        if count:
            if errors == "return" and any(isinstance(v, TSTError) for v in out):
                kept = [k for k, v in enumerate(out) if not isinstance(v, TSTError)]
                self.add_counts([texts[k] for k in kept], [cast(str, out[k]) for k in kept])
            else:
                self.add_counts(texts, cast(list[str], out))
        return out

    def add_counts(self, inputs: Sequence[str], outputs: Sequence[str]) -> None:
        """Count `inputs` converted into `outputs` in `counts`: strings, changed, numbers and out-of-range numerals."""
        c = self.counts
        c.strings += len(inputs)
        c.changed += sum(map(operator.ne, inputs, outputs))
        self.note_witness(inputs, outputs)
        if self.count_numbers_enabled:
            c.numbers += self.count_numbers(inputs, outputs)
            if self._counts_range:
                ints, fracs = self.count_out_of_range(inputs)
                c.out_of_range_integer += ints
                c.out_of_range_fraction += fracs

    def note_witness(self, inputs: Sequence[str], outputs: Sequence[str | TSTError]) -> None:
        """Decoding: keep the first of `inputs` that decoded to something else (it has units)."""
        if self.witness is None and self.direction == "decode":
            self.witness = next((a for a, b in zip(inputs, outputs) if isinstance(b, str) and a != b), None)

    def note_arrow_witness(self, inputs: Any, outputs: Any) -> None:
        """`note_witness` for pyarrow arrays (`outputs` null where an item failed)."""
        if self.witness is None and self.direction == "decode":
            import pyarrow.compute as pc

            changed = inputs.filter(pc.not_equal(inputs, outputs))  # null comparisons are dropped
            self.witness = changed[0].as_py() if len(changed) else None

    def reported(self, error: E) -> E | TSTDecodeError:
        """`error` as a reader reports it: without a settings hint the data seen contradicts
        (`hint_fits_data`), which would send the user to settings that fail on the good records."""
        if isinstance(error, TSTDecodeError) and names_other_settings(error) and not self.hint_fits_data(error):
            return without_hint(error)
        return error

    def hint_fits_data(self, error: BaseException | None) -> bool:
        """Whether the other settings that `error` names (`tst._hints.with_hint`) fit the data seen so far.

        They do when nothing with units has decoded yet, or when the first string that did (the
        witness) decodes under them too. A string they do not fit is a bad record among good ones
        (a generation that lost a marker), not data written with other settings (DECISIONS 42).
        """
        change = hinted_settings(error)
        if change is None or self.witness is None:
            return True
        if "decimal" in change:
            change.setdefault("separators", None)  # the defaults of that decimal mark, as the hint tried
        try:
            Codec(**{**self.codec.settings.kwargs(), **change}, backend=self.codec.backend).decode(self.witness)
        except ValueError:  # TSTDecodeError, or settings that conflict
            return False
        return True

    def count_numbers(self, inputs: Sequence[str], outputs: Sequence[str]) -> int:
        """Numbers converted between `inputs` and their `outputs`."""
        if self._counter is None:
            return sum(len(self.codec.numbers(t)) for t in inputs)  # paper style: parse again
        counter, rust = self._counter, rust_engine(self.codec)

        def numbers(encoded: Sequence[str]) -> int:
            if rust is not None:
                return int(rust.count_numbers_batch(list(encoded)))
            return counter.count_all(list(encoded))

        if self.direction == "encode":
            return numbers(outputs)
        if self.strict:
            return numbers(inputs)
        # Lenient decoding keeps what it cannot read verbatim: those numbers are still units in the output.
        return max(0, numbers(inputs) - numbers(outputs))

    def count_out_of_range(self, inputs: Sequence[str]) -> tuple[int, int]:
        """Numerals of `inputs` that encoding leaves as text because they are out of range.

        Returns ``(integer, fraction)``: how many have too many integer digits,
        and how many (in range there) too many fractional digits. Zeros unless
        encoding with ``overflow="text"``. One more grammar pass over the
        inputs, writing nothing (the Rust engine spreads it over `num_threads`).
        """
        if not self._counts_range:
            return 0, 0
        # A numeral out of range has more digits than one of the two limits: a shorter text holds none
        # (CSV cells, most of them; the pass costs more per text than encoding such a short one).
        st = self.codec.settings
        shortest = min(st.int_digits, st.frac_digits) + 1
        inputs = [t for t in inputs if len(t) >= shortest]
        if not inputs:
            return 0, 0
        parts = [r.part for found in self.codec.out_of_range_batch(inputs, self.num_threads) for r in found]
        ints = parts.count("integer")
        return ints, len(parts) - ints

    def convert_arrow(self, array: Any, count: bool = True) -> tuple[Any, list[TSTError]]:
        """`convert_batch` with ``errors="return"`` on a pyarrow array of strings (see `Codec.encode_arrow`).

        Returns the converted array (same type; nulls and failed items null)
        and the failed items' errors (`index` = position in `array`); with
        `count`, the converted items are counted.
        """
        c = self.codec
        if self.direction == "encode":
            out, failures = c.encode_arrow(array, self.num_threads, errors="return")
        else:
            out, failures = c.decode_arrow(array, self.strict, self.num_threads, errors="return")
        if count:
            self.add_arrow_counts(array, out)
        return out, failures

    def add_arrow_counts(self, inputs: Any, outputs: Any, keep: Any = None) -> None:
        """`add_counts` for pyarrow arrays: items null in `outputs` (nulls, failed items) are not counted.

        Args:
            inputs: the array given to `convert_arrow`.
            outputs: what it returned.
            keep: a boolean pyarrow array selecting the items to count, or None for all.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        done = None if outputs.null_count == 0 else outputs.is_valid()
        if keep is not None:
            done = keep if done is None else pc.and_(done, keep)
        if done is not None:
            inputs, outputs = inputs.filter(done), outputs.filter(done)
        c = self.counts
        c.strings += len(inputs) - inputs.null_count
        c.changed += pc.sum(pc.not_equal(inputs, outputs)).as_py() or 0
        self.note_arrow_witness(inputs, outputs)
        if not self.count_numbers_enabled:
            return
        if self._counter is None:  # paper style: parse again
            c.numbers += sum(len(self.codec.numbers(t)) for t in inputs.to_pylist() if t is not None)
            return
        encoded = outputs if self.direction == "encode" else inputs
        if pa.types.is_string_view(encoded.type):
            encoded = encoded.cast(pa.large_string())
        if pa.types.is_string_view(inputs.type):
            inputs = inputs.cast(pa.large_string())
        rust = rust_engine(self.codec)
        counter = self._counter

        def numbers(encoded: Any) -> int:
            if rust is not None:
                return int(rust.count_numbers_arrow(encoded))
            return counter.count_all([t for t in encoded.to_pylist() if t is not None])

        c.numbers += numbers(encoded)
        if self.direction == "decode" and not self.strict:  # what lenient decoding kept verbatim (count_numbers)
            kept = outputs.cast(pa.large_string()) if pa.types.is_string_view(outputs.type) else outputs
            c.numbers -= min(numbers(kept), numbers(encoded))
        if rust is not None:
            ints, fracs = rust.count_out_of_range_arrow(inputs) if self._counts_range else (0, 0)
        else:
            ints, fracs = self.count_out_of_range([t for t in inputs.to_pylist() if t is not None])
        c.out_of_range_integer += ints
        c.out_of_range_fraction += fracs

    def _engine(self, texts: list[str], errors: str) -> list[str | TSTError]:
        if not texts:
            return []
        c = self.codec
        # Both codec methods check `errors` and return per-item results with "return".
        if self.direction == "encode":
            return c.encode_batch(texts, num_threads=self.num_threads, errors=errors)  # type: ignore[call-overload, no-any-return]
        return c.decode_batch(texts, strict=self.strict, num_threads=self.num_threads, errors=errors)  # type: ignore[call-overload, no-any-return]


def _rebuild(codec: Codec, direction: str, strict: bool, num_threads: int | None, count: bool) -> TextConverter:
    return TextConverter(codec, direction, strict=strict, num_threads=num_threads, count_numbers=count)
