"""A `datasets.Dataset.map` function that converts the selected columns of each batch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from tst.codec import Codec
from tst.data.converter import TextConverter
from tst.data.errors import MissingFieldError, RecordError
from tst.data.json_records import codec_reason
from tst.data.records import SelectionError, Slot, field_slots, fill, messages_slots, read, record_slots
from tst.data.selection import Selection
from tst.errors import TSTError


class DatasetConverter:
    """Callable for ``Dataset.map(..., batched=True)``: TST-encode (or decode) text columns.

    It pickles (with its codec), so ``num_proc > 1`` works; `datasets` also uses
    that pickle to fingerprint the map for its cache.

    Args:
        codec: the codec; None builds ``Codec(**codec_settings)``.
        fields: text columns (string, list of strings, or null values).
        messages: a chat column (list of ``{"role", "content"}`` messages; a
            content may be a list of parts with ``"text"``).
        decode: decode instead of encode.
        strict: decoding only; False decodes leniently.
        allow_missing: a selected column absent from the dataset is ignored
            instead of raising `MissingFieldError`.
        num_threads: threads for the Rust engine per batch (None: all cores;
            with ``num_proc`` workers, 1 is usually best).
        **codec_settings: `Codec` arguments when `codec` is None.

    Example:
        >>> conv = DatasetConverter(fields=["text"], variant="vocab")
        >>> conv({"text": ["1,000 m", None], "id": [1, 2]})
        {'text': ['⟦,3⟧⟦1k⟧⟦000⟧ m', None]}
    """

    def __init__(
        self,
        codec: Codec | None = None,
        *,
        fields: Iterable[str] = (),
        messages: str | None = None,
        decode: bool = False,
        strict: bool = True,
        allow_missing: bool = False,
        num_threads: int | None = None,
        **codec_settings: Any,
    ) -> None:
        if codec is not None and codec_settings:
            raise TypeError("pass either a codec or codec settings, not both")
        if isinstance(fields, str):
            raise TypeError(f"fields takes a list of column names, not a string: fields=[{fields!r}]")
        self.codec = codec if codec is not None else Codec(**codec_settings)
        self.selection = Selection(fields=tuple(fields), messages=messages)
        self.decode = decode
        self.allow_missing = allow_missing
        self.converter = TextConverter(
            self.codec, "decode" if decode else "encode", strict=strict, num_threads=num_threads
        )

    def __call__(self, batch: Mapping[str, Any], indices: Sequence[int] | None = None) -> dict[str, list[Any]]:
        """Converted copies of the selected columns of `batch` (other columns are left to `datasets`).

        `indices`: the dataset rows of the batch (``map(..., with_indices=True)``), named in errors;
        without them an error names the row within the batch (``batch row 3``).
        """
        sel = self.selection
        out: dict[str, list[Any]] = {}
        slots: list[Slot] = []
        paths: list[str] = []  # path of each slot, for error messages
        rows: list[int] = []  # row of each slot, for error messages
        for key in sel.keys:
            if key not in batch:
                if self.allow_missing:
                    continue
                raise MissingFieldError("", f"the dataset has no column {key!r} (columns: {', '.join(batch)})")
            _check_batched(batch[key], key, key == sel.messages)
            column = list(batch[key])
            for r in range(len(column)):
                before = len(slots)
                try:
                    if key == sel.messages:
                        messages_slots(column, r, key, slots, paths)
                    else:
                        field_slots(column, r, key, slots, paths)
                except SelectionError as exc:
                    raise RecordError(_row(r, indices), f"{exc.path}: {exc.reason}", _row_index(r, indices)) from None
                rows.extend([r] * (len(slots) - before))
            out[key] = column
        self._convert(slots, [(_row(r, indices), _row_index(r, indices)) for r in rows], paths)
        return out

    def record(self, example: Mapping[str, Any], index: int | None = None) -> dict[str, Any]:
        """The same for one example (``Dataset.map`` without ``batched``; `index` with ``with_indices=True``)."""
        slots: list[Slot] = []
        paths: list[str] = []
        where = "" if index is None else f"row {index}"
        try:
            new, missing = record_slots(dict(example), self.selection, slots, paths)
        except SelectionError as exc:
            raise RecordError(where, f"{exc.path}: {exc.reason}", index) from None
        if missing and not self.allow_missing:
            raise MissingFieldError(where, f"the example has no field {missing[0]!r}", index)
        self._convert(slots, [(where, index)] * len(slots), paths)
        return {key: new[key] for key in self.selection.keys if key in new}

    def _convert(self, slots: list[Slot], rows: list[tuple[str, int | None]], paths: list[str]) -> None:
        """Convert every slot; `rows` holds, per slot, its row as errors name it and as an index."""
        conv = self.converter
        values = read(slots)
        out = conv.convert_batch(values, count=False, errors="return")
        # The whole batch is data seen before a failure is judged: a settings hint that the strings
        # decoded so far (this batch or an earlier one) refute is dropped (DECISIONS 46).
        conv.note_witness(values, out)
        k = next((k for k, v in enumerate(out) if isinstance(v, TSTError)), None)
        if k is not None:
            error = out[k]
            assert isinstance(error, TSTError)
            reason = codec_reason(conv.reported(error))
            raise RecordError(rows[k][0], f"field {paths[k]}: {reason}", rows[k][1]) from error
        done = cast(list[str], out)
        conv.add_counts(values, done)
        fill(slots, done)


def _row(r: int, indices: Sequence[int] | None) -> str:
    """Row `r` of a batch as an error names it: its dataset row when `indices` are known."""
    return f"batch row {r}" if indices is None else f"row {indices[r]}"


def _row_index(r: int, indices: Sequence[int] | None) -> int:
    """Row `r` of a batch as `DataError.index`: its dataset row when `indices` are known."""
    return r if indices is None else int(indices[r])


def _check_batched(column: Any, key: str, messages: bool) -> None:
    """Raise TypeError when `column` is one example's value, not a batch's column (``map`` without ``batched``).

    A batch column is a list with one value per row; without ``batched=True`` `datasets` passes the
    example's own value, which would be read as a column of its characters (or messages).
    """
    one_value = not isinstance(column, (list, tuple)) or (messages and any(isinstance(v, Mapping) for v in column))
    if one_value:
        raise TypeError(
            f"column {key!r} holds one example's value, not a batch's column: DatasetConverter is a batched map "
            "function, use Dataset.map(converter, batched=True), or Dataset.map(converter.record) without batched"
        )
