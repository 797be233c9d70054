"""`Codec`: the public face of Triadic Suffix Tokenization."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

from tst import _arrow, _backend
from tst._encode import Piece
from tst._hints import with_hint
from tst._python_engine import PythonEngine
from tst.errors import TSTDecodeError, TSTError, TSTItemTypeError, check_errors
from tst.numbers import Group, Number, OutOfRange
from tst.settings import Settings
from tst.spelling import OPEN
from tst.vocabulary import vocabulary

if TYPE_CHECKING:
    from tst._offset_table import OffsetMap


class _Engine(Protocol):
    def encode(self, text: str) -> str: ...
    def encode_with_offsets(self, text: str) -> tuple[str, list[Piece]]: ...
    def decode(self, text: str, strict: bool = True) -> str: ...
    def numbers(self, text: str) -> Any: ...
    def out_of_range(self, text: str) -> Any: ...
    def out_of_range_batch(self, texts: list[str], num_threads: int | None = None) -> Any: ...
    def encode_batch(self, texts: list[str], num_threads: int | None = None, errors: str = "raise") -> list[Any]: ...
    def decode_batch(
        self, texts: list[str], strict: bool = True, num_threads: int | None = None, errors: str = "raise"
    ) -> list[Any]: ...
    def encode_batch_with_offsets(
        self, texts: list[str], num_threads: int | None = None, errors: str = "raise"
    ) -> list[Any]: ...
    def encode_batch_offset_table(self, texts: list[str], num_threads: int | None = None) -> tuple[list[str], Any]: ...
    def encode_arrow(self, array: Any, num_threads: int | None = None, errors: str = "raise") -> Any: ...
    def decode_arrow(
        self, array: Any, strict: bool = True, num_threads: int | None = None, errors: str = "raise"
    ) -> Any: ...


class Codec:
    """Encode numbers in text as digit groups tagged with their magnitude, and back.

    Args:
        variant: ``"marker"`` (a group unit then a magnitude marker unit) or
            ``"vocab"`` (one fused unit per group and magnitude).
        group_size: digits per group, 1..6 (3 is the paper's triad).
        style: ``"exact"`` (lossless, the default) or ``"paper"`` (the paper's
            padded surface, lossy, encode only).
        decimal: the decimal mark, ``"."`` or ``","``.
        separators: thousands separators recognised inside a valid grouping;
            None picks the defaults for `decimal` (see docs/SPEC.md).
        indian: also recognise Indian grouping (``12,34,567``); off by default,
            as comma-separated data holds far more lists of that shape than
            prose holds Indian numbers (docs/DECISIONS.md: "Indian grouping
            is off by default").
        int_digits: integer digits in range (18 -> up to 10^18 - 1).
        frac_digits: fractional digits in range (15 -> down to 10^-15).
        overflow: numbers out of range stay ``"text"``, get ``"extend"``-ed
            magnitudes, or raise (``"error"``).
        backend: ``"rust"`` or ``"python"``; None uses `tst.backend()`.

    Example:
        >>> c = Codec(variant="vocab")
        >>> c.encode("Pay $1,234.5")
        'Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧'
        >>> c.decode(c.encode("Pay $1,234.5"))
        'Pay $1,234.5'
    """

    def __init__(
        self,
        variant: str = "marker",
        group_size: int = 3,
        style: str = "exact",
        *,
        decimal: str = ".",
        separators: str | None = None,
        indian: bool = False,
        int_digits: int = 18,
        frac_digits: int = 15,
        overflow: str = "text",
        backend: str | None = None,
    ) -> None:
        self.settings = Settings(
            variant=variant,
            group_size=group_size,
            style=style,
            decimal=decimal,
            separators=separators,
            indian=indian,
            int_digits=int_digits,
            frac_digits=frac_digits,
            overflow=overflow,
        )
        self.backend = backend or _backend.BACKEND
        self._engine = self._make_engine()

    def _make_engine(self) -> _Engine:
        st = self.settings
        if self.backend == "python":
            return PythonEngine(st)
        if self.backend != "rust":
            raise ValueError(f"backend must be 'rust' or 'python', not {self.backend!r}")
        rs = _backend.rust_module()
        engine: _Engine = rs.Engine(
            st.variant,
            st.group_size,
            st.style,
            st.decimal,
            st.resolved_separators,
            st.indian,
            st.int_digits,
            st.frac_digits,
            st.overflow,
        )
        return engine

    # -- single texts --------------------------------------------------------

    def encode(self, text: str) -> str:
        """Encode `text`; `decode` gives it back exactly (exact style)."""
        return self._engine.encode(_text(text, "encode"))

    def decode(self, text: str, strict: bool = True) -> str:
        """Decode TST text back to the original.

        Args:
            text: output of `encode` (or of a model trained on it).
            strict: raise `TSTDecodeError` (naming the position) on anything
                `encode` could not have produced; with False, decode what can
                be decoded, keep the rest verbatim, and never raise.

        Raises:
            TSTDecodeError: strict decoding of invalid TST. When the offending
                unit belongs to another variant or group size, the reason says
                which (``... (it looks like a unit of the vocab variant: decode
                with variant='vocab')``).
        """
        text = _text(text, "decode")
        try:
            return self._engine.decode(text, bool(strict))
        except TSTDecodeError as exc:
            raise with_hint(self.settings, text, exc, self._decode_as) from None

    def encode_with_offsets(self, text: str) -> tuple[str, list[Piece]]:
        """Encode `text` and list ``(enc_start, enc_end, orig_start, orig_end)`` per unit and escape.

        Text between two listed pieces is copied verbatim, except inside a
        number, where dropped separators leave nothing in the encoding.
        Grouping tags and marker-variant markers are zero-width in the original.
        """
        return self._engine.encode_with_offsets(_text(text, "encode_with_offsets"))

    def numbers(self, text: str) -> list[Number]:
        """Every number in `text`, with its span and digit groups."""
        found = self._engine.numbers(_text(text, "numbers"))
        if self.backend == "python":
            return list(found)
        return [Number(s, e, tuple(Group(*g) for g in gs), sep, ind) for s, e, gs, sep, ind in found]

    def out_of_range(self, text: str) -> list[OutOfRange]:
        """The numerals of `text` outside the range, in order (empty in the paper style).

        A numeral is out of range when it has more than `int_digits` integer
        digits or more than `frac_digits` fractional digits, counted as
        written (docs/SPEC.md, section 6). With ``overflow="text"`` (the
        default) these are exactly the numerals `encode` leaves as text; with
        ``"extend"`` they are encoded with magnitudes beyond `vocabulary()`.

        Raises:
            TSTRangeError: at the first one, with ``overflow="error"`` (as `encode`).

        Example:
            >>> for r in Codec().out_of_range("id 12345678901234567890 costs 3.14159265358979323846"):
            ...     print(r)
            OutOfRange(start=3, end=23, part='integer', digits=20)
            OutOfRange(start=30, end=52, part='fraction', digits=20)
        """
        found = self._engine.out_of_range(_text(text, "out_of_range"))
        if self.backend == "python":
            return list(found)
        return [OutOfRange(*r) for r in found]

    def with_hint(self, error: TSTDecodeError, text: str, witness: str | None = None) -> TSTDecodeError:
        """`error` (raised by strict decoding of `text`) naming the settings that decode `text`, if any.

        `decode` and `decode_batch` add the hint themselves; callers that
        collect errors (``errors="return"``) use this on the one they report.
        It tries up to 11 neighbouring configurations: the error path only.
        `witness`: a text of the same data that decoded under these settings; settings that
        do not decode it too are not named (they would fail on the good texts).
        """
        hinted = with_hint(self.settings, text, error, self._decode_as, witness)
        return hinted if error.index is None else hinted.at(error.index)

    def _decode_as(self, kwargs: dict[str, Any], text: str) -> str:
        """Strict decoding of `text` by this codec's engine under other settings (for the settings hint)."""
        return Codec(**kwargs, backend=self.backend)._engine.decode(text, True)

    # -- batches -------------------------------------------------------------

    @overload
    def encode_batch(
        self, texts: Iterable[str], num_threads: int | None = None, *, errors: Literal["raise"] = "raise"
    ) -> list[str]: ...
    @overload
    def encode_batch(
        self, texts: Iterable[str], num_threads: int | None = None, *, errors: Literal["return"]
    ) -> list[str | TSTError]: ...
    def encode_batch(
        self, texts: Iterable[str], num_threads: int | None = None, *, errors: str = "raise"
    ) -> list[str] | list[str | TSTError]:
        """Encode many texts; the Rust engine spreads them over `num_threads` (default: all cores).

        Args:
            texts: the texts (any iterable of str).
            num_threads: threads of the Rust engine (None: ``TST_NUM_THREADS``, else all cores).
            errors: ``"raise"`` raises the error of the first failing text (lowest
                index), with `index` set to that text's index and named in the
                message; ``"return"`` never raises for a text and puts its error
                object (index set) in its place in the result.

        Raises:
            TSTRangeError: a number out of range with ``overflow="error"`` (``errors="raise"``).
            TSTItemTypeError: an item is not a str (a TypeError, with `index`; with
                ``errors="return"`` too: a wrong type is a programming error, not bad data).

        Example:
            >>> c = Codec(int_digits=3, overflow="error")
            >>> ok, bad = c.encode_batch(["12", "12345"], errors="return")
            >>> ok, bad.index, str(bad)
            ('⟦12⟧⟦u⟧', 1, 'item 1: number at position 0 is out of range: 5 integer digits, more than int_digits=3')
        """
        return self._engine.encode_batch(_texts(texts, "encode_batch"), _threads(num_threads), check_errors(errors))

    @overload
    def decode_batch(
        self,
        texts: Iterable[str],
        strict: bool = True,
        num_threads: int | None = None,
        *,
        errors: Literal["raise"] = "raise",
    ) -> list[str]: ...
    @overload
    def decode_batch(
        self, texts: Iterable[str], strict: bool = True, num_threads: int | None = None, *, errors: Literal["return"]
    ) -> list[str | TSTError]: ...
    def decode_batch(
        self, texts: Iterable[str], strict: bool = True, num_threads: int | None = None, *, errors: str = "raise"
    ) -> list[str] | list[str | TSTError]:
        """Decode many texts (see `decode`); `errors` as in `encode_batch` (`TSTDecodeError` with `index`).

        An error (raised, or returned with ``errors="return"``) names the
        settings that decode its text when a neighbouring configuration does,
        as `decode` does.
        """
        items, on = _texts(texts, "decode_batch"), check_errors(errors)
        try:
            out = self._engine.decode_batch(items, bool(strict), _threads(num_threads), on)
        except TSTDecodeError as exc:
            if exc.index is None:
                raise
            # The items before the failing one decoded: a hint must fit the first that held units.
            witness = next((t for t in items[: exc.index] if OPEN in t), None)
            hinted = with_hint(self.settings, items[exc.index], exc, self._decode_as, witness)
            raise hinted.at(exc.index) from None
        if on == "return":  # per-item errors read as the single calls' do, less hints the batch refutes
            witness = next((t for t, v in zip(items, out) if isinstance(v, str) and v != t), None)
            return [
                self.with_hint(v, items[k], witness) if isinstance(v, TSTDecodeError) else v for k, v in enumerate(out)
            ]
        return out

    @overload
    def encode_batch_with_offsets(
        self, texts: Iterable[str], num_threads: int | None = None, *, errors: Literal["raise"] = "raise"
    ) -> list[tuple[str, list[Piece]]]: ...
    @overload
    def encode_batch_with_offsets(
        self, texts: Iterable[str], num_threads: int | None = None, *, errors: Literal["return"]
    ) -> list[tuple[str, list[Piece]] | TSTError]: ...
    def encode_batch_with_offsets(
        self, texts: Iterable[str], num_threads: int | None = None, *, errors: str = "raise"
    ) -> list[tuple[str, list[Piece]]] | list[tuple[str, list[Piece]] | TSTError]:
        """`encode_with_offsets` over many texts, spread over `num_threads`; `errors` as in `encode_batch`."""
        return self._engine.encode_batch_with_offsets(
            _texts(texts, "encode_batch_with_offsets"), _threads(num_threads), check_errors(errors)
        )

    def encode_batch_offset_table(
        self, texts: Iterable[str], num_threads: int | None = None
    ) -> tuple[list[str], OffsetMap]:
        """Encode many texts with one offset table for the batch (what `tst.hf` maps ``offset_mapping`` with).

        ``table.map_rows(rows, sources)`` maps rows of ``(start, end)`` token
        offsets on the encoded texts (code points) back to offsets in the
        original texts; ``sources[r]`` is the text index of row `r` (one for the
        row, or one per token). The Rust engine keeps the table in Rust; the
        Python engine builds it with NumPy (the ``hf`` extra).

        Raises:
            TSTRangeError: a number out of range with ``overflow="error"``.
        """
        return self._engine.encode_batch_offset_table(_texts(texts, "encode_batch_offset_table"), _threads(num_threads))

    def offset_table(
        self, pieces: Sequence[Sequence[Piece]], encoded: Sequence[str], originals: Sequence[str]
    ) -> OffsetMap:
        """The offset table of pieces from `encode_batch_with_offsets` (see `encode_batch_offset_table`)."""
        if self.backend == "rust":
            assert _backend.RUST is not None
            table: OffsetMap = _backend.RUST.OffsetTable([list(p) for p in pieces])
            return table
        from tst._offset_table import OffsetMapper  # NumPy: the hf extra, imported on first use

        return OffsetMapper(pieces, [len(e) for e in encoded], [len(o) for o in originals])

    # -- Arrow arrays --------------------------------------------------------

    @overload
    def encode_arrow(
        self, array: Any, num_threads: int | None = None, *, errors: Literal["raise"] = "raise"
    ) -> Any: ...
    @overload
    def encode_arrow(
        self, array: Any, num_threads: int | None = None, *, errors: Literal["return"]
    ) -> tuple[Any, list[TSTError]]: ...
    def encode_arrow(self, array: Any, num_threads: int | None = None, *, errors: str = "raise") -> Any:
        """`encode_batch` on an Arrow array of strings, giving an Arrow array of the same type.

        The Rust engine reads the array's buffers and writes the result's
        without a Python object per string (the Python engine goes through
        ``to_pylist``; both give the same buffers). Nulls stay null.

        Args:
            array: a pyarrow ``Array`` or ``ChunkedArray`` of ``string``,
                ``large_string`` or ``string_view``.
            num_threads: threads of the Rust engine, as in `encode_batch`.
            errors: ``"raise"`` raises the error of the first failing string
                (`index` is its position in `array`); ``"return"`` gives
                ``(array, errors)``: failing strings are null in the array and
                their errors (index set) are listed in order.

        Raises:
            TypeError: `array` is not an Arrow array of strings.
            TSTRangeError: with ``overflow="error"`` and ``errors="raise"``.

        Example:
            >>> import pyarrow as pa
            >>> Codec(variant="vocab").encode_arrow(pa.array(["Pay 1,234.5", None])).to_pylist()
            ['Pay ⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧', None]
        """
        threads, on = _threads(num_threads), check_errors(errors)
        out, failures = _arrow.convert(lambda a: self._engine.encode_arrow(a, threads, on), array)
        return out if on == "raise" else (out, failures)

    @overload
    def decode_arrow(
        self,
        array: Any,
        strict: bool = True,
        num_threads: int | None = None,
        *,
        errors: Literal["raise"] = "raise",
    ) -> Any: ...
    @overload
    def decode_arrow(
        self, array: Any, strict: bool = True, num_threads: int | None = None, *, errors: Literal["return"]
    ) -> tuple[Any, list[TSTError]]: ...
    def decode_arrow(
        self, array: Any, strict: bool = True, num_threads: int | None = None, *, errors: str = "raise"
    ) -> Any:
        """`decode_batch` on an Arrow array of strings (see `encode_arrow`; `TSTDecodeError` with `index`)."""
        threads, on, strict = _threads(num_threads), check_errors(errors), bool(strict)
        out, failures = _arrow.convert(lambda a: self._engine.decode_arrow(a, strict, threads, on), array)
        return out if on == "raise" else (out, failures)

    def out_of_range_batch(self, texts: Iterable[str], num_threads: int | None = None) -> list[list[OutOfRange]]:
        """`out_of_range` of many texts, spread over `num_threads` like `encode_batch`.

        Raises:
            TSTRangeError: with ``overflow="error"``, that of the first text holding an
                out-of-range numeral (lowest index), `index` set as in `encode_batch`.
        """
        found = self._engine.out_of_range_batch(_texts(texts, "out_of_range_batch"), _threads(num_threads))
        if self.backend == "python":
            return [list(f) for f in found]
        return [[OutOfRange(*r) for r in f] for f in found]

    # -- vocabulary ----------------------------------------------------------

    def vocabulary(self) -> list[str]:
        """The exact tokens this configuration adds, in a stable order."""
        return vocabulary(self.settings)

    # -- plumbing ------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """Keyword arguments that rebuild this codec (JSON-serialisable)."""
        return self.settings.kwargs()

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"Codec({args})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Codec) and other.settings == self.settings

    def __hash__(self) -> int:
        return hash(self.settings)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.config(), self.backend))


def rust_engine(codec: Codec) -> Any | None:
    """The compiled engine behind `codec` (a `tst._tst_rs.Engine`) when its backend is Rust, else None.

    For the data layer's Rust fast paths (JSON Lines blocks, number counts of
    Arrow arrays), whose readable reference is the data layer's own Python code.
    """
    return codec._engine if codec.backend == "rust" else None


def _rebuild(config: dict[str, Any], backend: str) -> Codec:
    return Codec(**config, backend=backend)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} expects str, not {type(value).__name__}")
    return value


def _texts(values: Iterable[str], what: str) -> list[str]:
    if isinstance(values, str):
        raise TypeError(f"{what} expects an iterable of str, not a single str")
    out = list(values)
    if set(map(type, out)) <= {str}:  # the common case, without a Python loop per item
        return out
    for k, v in enumerate(out):
        if not isinstance(v, str):
            raise TSTItemTypeError(what, type(v).__name__, k)
    return out


def _threads(num_threads: int | None) -> int | None:
    if num_threads is None:
        return None
    if not isinstance(num_threads, int) or isinstance(num_threads, bool) or num_threads < 1:
        raise ValueError(f"num_threads must be a positive int or None, not {num_threads!r}")
    return num_threads
