"""`Codec`: the public face of Triadic Suffix Tokenization."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from tst import _backend
from tst._encode import Piece
from tst._python_engine import PythonEngine
from tst.numbers import Group, Number, OutOfRange
from tst.settings import Settings
from tst.vocabulary import vocabulary


class _Engine(Protocol):
    def encode(self, text: str) -> str: ...
    def encode_with_offsets(self, text: str) -> tuple[str, list[Piece]]: ...
    def decode(self, text: str, strict: bool = True) -> str: ...
    def numbers(self, text: str) -> Any: ...
    def out_of_range(self, text: str) -> Any: ...
    def out_of_range_batch(self, texts: list[str], num_threads: int | None = None) -> Any: ...
    def encode_batch(self, texts: list[str], num_threads: int | None = None) -> list[str]: ...
    def decode_batch(self, texts: list[str], strict: bool = True, num_threads: int | None = None) -> list[str]: ...
    def encode_batch_with_offsets(
        self, texts: list[str], num_threads: int | None = None
    ) -> list[tuple[str, list[Piece]]]: ...


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
        """
        return self._engine.decode(_text(text, "decode"), bool(strict))

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

    # -- batches -------------------------------------------------------------

    def encode_batch(self, texts: Iterable[str], num_threads: int | None = None) -> list[str]:
        """Encode many texts; the Rust engine spreads them over `num_threads` (default: all cores)."""
        return self._engine.encode_batch(_texts(texts, "encode_batch"), _threads(num_threads))

    def decode_batch(self, texts: Iterable[str], strict: bool = True, num_threads: int | None = None) -> list[str]:
        """Decode many texts (see `decode`)."""
        return self._engine.decode_batch(_texts(texts, "decode_batch"), bool(strict), _threads(num_threads))

    def encode_batch_with_offsets(
        self, texts: Iterable[str], num_threads: int | None = None
    ) -> list[tuple[str, list[Piece]]]:
        """`encode_with_offsets` over many texts, spread over `num_threads` like `encode_batch`."""
        return self._engine.encode_batch_with_offsets(_texts(texts, "encode_batch_with_offsets"), _threads(num_threads))

    def out_of_range_batch(self, texts: Iterable[str], num_threads: int | None = None) -> list[list[OutOfRange]]:
        """`out_of_range` of many texts, spread over `num_threads` like `encode_batch`."""
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
    for k, v in enumerate(out):
        if not isinstance(v, str):
            raise TypeError(f"{what} expects str items, not {type(v).__name__} at index {k}")
    return out


def _threads(num_threads: int | None) -> int | None:
    if num_threads is None:
        return None
    if not isinstance(num_threads, int) or isinstance(num_threads, bool) or num_threads < 1:
        raise ValueError(f"num_threads must be a positive int or None, not {num_threads!r}")
    return num_threads
