"""Tokens per number and per document, before and after TST, for one HF tokenizer.

Without a tokenizer, `NumberCounter` gives what the codec alone knows: digits
and TST units per number (every unit is one token id in a wrapped tokenizer).

"Before" is the base tokenizer on the original text. "After" is the same
tokenizer with the codec's units added as tokens (``normalized=False``: each
unit is one id, which is what `tst.hf.wrap` builds) on the encoded text. A
token belongs to a number when its offsets overlap the number's span: the
original span before, the span of the number's units (decimal mark included)
after. No special tokens are added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from tst.codec import Codec
from tst.data.converter import counted

Span = tuple[int, int]


@dataclass
class Distribution:
    """Summary of counts (tokens per number, or per document), kept as a histogram.

    Memory is one entry per distinct count, not one per item: a corpus of ten million numbers
    holds a few dozen entries. Median and quantiles are exact (computed from the histogram).
    """

    counts: Counter[int] = field(default_factory=Counter)

    def add(self, value: int) -> None:
        self.counts[value] += 1

    def extend(self, values: Iterable[int]) -> None:
        self.counts.update(values)

    def __len__(self) -> int:
        return self.counts.total()

    @property
    def total(self) -> int:
        return sum(v * n for v, n in self.counts.items())

    def mean(self) -> float:
        n = len(self)
        return self.total / n if n else 0.0

    def _rank(self, k: int) -> int:
        """The `k`-th smallest value (from 0)."""
        seen = 0
        for value in sorted(self.counts):
            seen += self.counts[value]
            if k < seen:
                return value
        raise IndexError(k)

    def median(self) -> float:
        """The median (the mean of the two middle values for an even count, as `statistics.median`)."""
        n = len(self)
        if not n:
            return 0.0
        return (self._rank((n - 1) // 2) + self._rank(n // 2)) / 2

    def quantile(self, q: float) -> float:
        """The `q` quantile (nearest rank)."""
        n = len(self)
        if not n:
            return 0.0
        return float(self._rank(min(n - 1, max(0, round(q * (n - 1))))))

    def maximum(self) -> int:
        return max(self.counts, default=0)

    def histogram(self) -> dict[int, int]:
        """count -> how many items had it."""
        return dict(sorted(self.counts.items()))


@dataclass
class TokenStats:
    """Token counts before (base) and after (TST) over a set of documents."""

    documents: int = 0
    characters: int = 0
    numbers: int = 0
    #: Numerals outside the codec's range (`Codec.out_of_range`): left as text, so in no count above.
    out_of_range: int = 0
    number_before: Distribution = field(default_factory=Distribution)
    number_after: Distribution = field(default_factory=Distribution)
    doc_before: Distribution = field(default_factory=Distribution)
    doc_after: Distribution = field(default_factory=Distribution)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""

        def summary(d: Distribution) -> dict[str, float]:
            return {
                "total": d.total,
                "mean": round(d.mean(), 4),
                "median": d.median(),
                "p95": d.quantile(0.95),
                "max": d.maximum(),
            }

        return {
            "documents": self.documents,
            "characters": self.characters,
            "numbers": self.numbers,
            "numbers_out_of_range": self.out_of_range,
            "tokens_per_number": {"before": summary(self.number_before), "after": summary(self.number_after)},
            "tokens_per_document": {"before": summary(self.doc_before), "after": summary(self.doc_after)},
            "histogram_tokens_per_number": {
                "before": self.number_before.histogram(),
                "after": self.number_after.histogram(),
            },
        }


def tokens_in(span: Span, offsets: Sequence[Sequence[int]]) -> int:
    """Tokens whose offsets overlap `span`, zero-width ones inside or at its edges included."""
    start, end = span
    n = 0
    for a, b in offsets:
        if (a < end and b > start) or (a == b and start <= a <= end):
            n += 1
    return n


def tokens_per_span(spans: Sequence[Span], offsets: Sequence[Sequence[int]]) -> list[int]:
    """`tokens_in` for every span of an ordered, disjoint list, in one pass over the tokens."""
    ends = [b for _, b in offsets]
    starts = [a for a, _ in offsets]
    if any(x > y for x, y in pairwise(starts)) or any(x > y for x, y in pairwise(ends)):
        return [tokens_in(span, offsets) for span in spans]  # unusual offsets: count naively
    out = []
    p = 0
    n = len(offsets)
    for start, end in spans:
        while p < n and ends[p] < start:
            p += 1
        q = p
        count = 0
        while q < n and starts[q] <= end:
            a, b = starts[q], ends[q]
            if (a < end and b > start) or (a == b and start <= a <= end):
                count += 1
            q += 1
        out.append(count)
    return out


class TokenCounter:
    """Counts tokens of documents with a base tokenizer, without and with TST.

    Args:
        base: the base `tokenizers.Tokenizer` (e.g. ``fast.backend_tokenizer``); not modified.
        codec: the codec (exact style).
        batch_size: documents tokenized per call.
    """

    def __init__(self, base: Any, codec: Codec, batch_size: int = 256) -> None:
        from tokenizers import AddedToken, Tokenizer

        if codec.settings.style != "exact":
            raise ValueError("token statistics need style='exact' (the paper style has no offsets)")
        # Copies without padding or truncation: counts must see every token.
        self.base = Tokenizer.from_str(base.to_str())
        self.base.no_padding()
        self.base.no_truncation()
        self.codec = codec
        self.after = Tokenizer.from_str(self.base.to_str())
        self.after.add_tokens([AddedToken(u, normalized=False, special=False) for u in codec.vocabulary()])
        self.batch_size = batch_size
        self.stats = TokenStats()

    def add(self, documents: Iterable[list[str]]) -> TokenStats:
        """Count `documents` (each a list of strings) into `stats`."""
        batch: list[list[str]] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                self._batch(batch)
                batch = []
        if batch:
            self._batch(batch)
        return self.stats

    def _batch(self, docs: list[list[str]]) -> None:
        texts = [t for doc in docs for t in doc]
        encoded = [self.codec.encode_with_offsets(t) for t in texts]
        before = self.base.encode_batch(texts, add_special_tokens=False) if texts else []
        after = self.after.encode_batch([e for e, _ in encoded], add_special_tokens=False) if texts else []
        st = self.stats
        k = 0
        for doc in docs:
            doc_before = doc_after = 0
            for text in doc:
                doc_before += len(before[k].ids)
                doc_after += len(after[k].ids)
                st.characters += len(text)
                numbers = [(num.start, num.end) for num in self.codec.numbers(text)]
                st.numbers += len(numbers)
                st.out_of_range += len(self.codec.out_of_range(text))
                st.number_before.extend(tokens_per_span(numbers, before[k].offsets))
                spans = encoded_spans(numbers, encoded[k][1])
                st.number_after.extend(tokens_per_span(spans, after[k].offsets))
                k += 1
            st.documents += 1
            st.doc_before.add(doc_before)
            st.doc_after.add(doc_after)


@dataclass
class NumberStats:
    """Numbers of a set of documents and the TST units they become (no tokenizer involved)."""

    documents: int = 0
    characters: int = 0
    numbers: int = 0
    #: Numerals outside the codec's range (`Codec.out_of_range`): left as text, so in no count above.
    out_of_range: int = 0
    digits: Distribution = field(default_factory=Distribution)
    units: Distribution = field(default_factory=Distribution)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""

        def summary(d: Distribution) -> dict[str, float]:
            return {"total": d.total, "mean": round(d.mean(), 4), "median": d.median(), "p95": d.quantile(0.95)}

        return {
            "documents": self.documents,
            "characters": self.characters,
            "numbers": self.numbers,
            "numbers_out_of_range": self.out_of_range,
            "digits_per_number": {**summary(self.digits), "max": self.digits.maximum()},
            "units_per_number": {**summary(self.units), "max": self.units.maximum()},
            "histogram_units_per_number": self.units.histogram(),
        }


class NumberCounter:
    """Counts numbers, their digits and their TST units (grouping tag, groups, markers) per number.

    Args:
        codec: the codec (exact style).
    """

    def __init__(self, codec: Codec) -> None:
        if codec.settings.style != "exact":
            raise ValueError("number statistics need style='exact' (the paper style has no offsets)")
        self.codec = codec
        self.stats = NumberStats()

    def add(self, documents: Iterable[list[str]]) -> NumberStats:
        """Count `documents` (each a list of strings) into `stats`."""
        st = self.stats
        for doc in documents:
            for text in doc:
                st.characters += len(text)
                numbers = self.codec.numbers(text)
                st.numbers += len(numbers)
                st.out_of_range += len(self.codec.out_of_range(text))
                pieces = self.codec.encode_with_offsets(text)[1]  # escapes never lie inside a number
                p = 0
                for num in numbers:
                    st.digits.add(sum(len(g.digits) for g in num.groups))
                    while p < len(pieces) and pieces[p][2] < num.start:
                        p += 1
                    q = p
                    while q < len(pieces) and pieces[q][2] >= num.start and pieces[q][3] <= num.end:
                        q += 1
                    st.units.add(q - p)
                    p = q
            st.documents += 1
        return st


def encoded_spans(numbers: Sequence[Span], pieces: Sequence[tuple[int, int, int, int]]) -> list[Span]:
    """Where each number (an original span) lies in the encoded text, from `encode_with_offsets` pieces.

    A number's pieces are the units whose original span lies inside its own
    (zero-width tags and markers at its edges included); escapes never do.
    """
    out: list[Span] = []
    p = 0
    n = len(pieces)
    for start, end in numbers:
        while p < n and pieces[p][2] < start:
            p += 1
        first = last = None
        while p < n and pieces[p][3] <= end and pieces[p][2] >= start:
            first = pieces[p][0] if first is None else first
            last = pieces[p][1]
            p += 1
        if first is None or last is None:
            raise ValueError(f"no units found for the number at {start}..{end}")
        out.append((first, last))
    return out


def _totals(stats: TokenStats | NumberStats) -> str:
    """The first line of a table: documents, characters, numbers (and those out of range)."""
    line = ", ".join(
        [counted(stats.documents, "document"), counted(stats.characters, "character"), counted(stats.numbers, "number")]
    )
    if stats.out_of_range:
        line += f" ({stats.out_of_range:,} more left as text: out of range, see --int-digits/--frac-digits)"
    return line


class _Median:
    """A median's format: whole counts as such, the mean of two middle counts with its ``.5``."""

    @staticmethod
    def format(value: float) -> str:
        return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


_MEDIAN = _Median()


def format_table(stats: TokenStats, title: str = "") -> str:
    """A plain-text table of `stats`."""
    rows = [("", "before", "after (TST)", "after/before")]

    def add(label: str, b: float, a: float, fmt: str | _Median = "{:,.2f}") -> None:
        ratio = f"{a / b:.2f}x" if b else "-"
        rows.append((label, fmt.format(b), fmt.format(a), ratio))

    nb, na, db, da = stats.number_before, stats.number_after, stats.doc_before, stats.doc_after
    add("tokens per number: mean", nb.mean(), na.mean())
    add("tokens per number: median", nb.median(), na.median(), _MEDIAN)
    add("tokens per number: p95", nb.quantile(0.95), na.quantile(0.95), "{:,.0f}")
    add("tokens per number: max", nb.maximum(), na.maximum(), "{:,.0f}")
    add("number tokens: total", nb.total, na.total, "{:,.0f}")
    add("tokens per document: mean", db.mean(), da.mean())
    add("tokens per document: median", db.median(), da.median(), _MEDIAN)
    add("tokens per document: p95", db.quantile(0.95), da.quantile(0.95), "{:,.0f}")
    add("tokens: total", db.total, da.total, "{:,.0f}")
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    lines = []
    if title:
        lines.append(title)
    lines.append(_totals(stats))
    for k, r in enumerate(rows):
        lines.append("  ".join([r[0].ljust(widths[0])] + [r[c].rjust(widths[c]) for c in (1, 2, 3)]))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def format_numbers_table(stats: NumberStats, title: str = "") -> str:
    """A plain-text table of `stats` (no tokenizer: digits and TST units per number)."""
    rows = [("per number", "mean", "median", "p95", "max", "total")]
    for label, d in (("digits", stats.digits), ("TST units (token ids)", stats.units)):
        rows.append(
            (
                label,
                f"{d.mean():,.2f}",
                _MEDIAN.format(d.median()),
                f"{d.quantile(0.95):,.0f}",
                f"{d.maximum():,}",
                f"{d.total:,}",
            )
        )
    widths = [max(len(r[c]) for r in rows) for c in range(6)]
    lines = [title] if title else []
    lines.append(_totals(stats))
    for k, r in enumerate(rows):
        lines.append("  ".join([r[0].ljust(widths[0])] + [r[c].rjust(widths[c]) for c in range(1, 6)]))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
