"""Convert selected columns of Arrow tables and record batches (Parquet, Spark).

String columns are converted as whole arrays (nulls kept); chat columns
(``list<struct<..., content, ...>>``, content a string or a list of parts
with ``text``) are rebuilt from their converted children, keeping offsets,
validity and every other struct field as they are. Dictionary-encoded strings
convert their dictionary only.
"""

from __future__ import annotations

from typing import Any

from tst._extras import missing_extra

try:
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError as _exc:
    _hint = missing_extra(_exc, "data", "tst.data.arrow (Parquet, Arrow)")
    if _hint is None:
        raise
    raise _hint from _exc

from tst.data.converter import TextConverter
from tst.data.errors import MissingFieldError, RecordError
from tst.data.records import SelectionError, Slot, fill, read, record_slots
from tst.data.selection import Selection
from tst.errors import TSTDecodeError, TSTRangeError

#: Strings converted per batch call (and held as Python objects at once).
SLICE = 8192


def _is_string(t: Any) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def _is_list(t: Any) -> bool:
    return bool(pa.types.is_list(t) or pa.types.is_large_list(t))


class ArrowConverter:
    """Applies a `Selection` to Arrow tables and record batches.

    Args:
        converter: direction and codec.
        selection: columns to convert.
        allow_missing: tolerate selected columns the data lacks.
        skip_bad: drop rows the codec rejects (instead of raising `RecordError`).
        name: the source, for error messages.
    """

    def __init__(
        self,
        converter: TextConverter,
        selection: Selection,
        *,
        allow_missing: bool = False,
        skip_bad: bool = False,
        name: str = "",
    ) -> None:
        self.converter = converter
        self.selection = selection
        self.allow_missing = allow_missing
        self.skip_bad = skip_bad
        self.name = name
        self.skipped_rows: list[int] = []

    def check_schema(self, schema: Any) -> list[str]:
        """The selected columns `schema` lacks; raises unless `allow_missing`, or on a wrong column type."""
        missing = [key for key in self.selection.keys if schema.get_field_index(key) < 0]
        if missing and not self.allow_missing:
            raise MissingFieldError(
                self.name, f"there is no column {missing[0]!r} (columns: {', '.join(schema.names)})"
            )
        for key in self.selection.keys:
            if key not in missing:
                self._check_type(key, schema.field(key).type, key == self.selection.messages)
        return missing

    def _check_type(self, key: str, t: Any, messages: bool) -> None:
        if messages:
            ok = _is_list(t) and pa.types.is_struct(t.value_type) and t.value_type.get_field_index("content") >= 0
            if ok:
                content = t.value_type.field("content").type
                ok = _is_string(content) or pa.types.is_null(content) or _is_list(content)
            if not ok:
                raise RecordError(
                    self.name, f"column {key!r} must be a list of message structs with a 'content' field, not {t}"
                )
            return
        if pa.types.is_dictionary(t):
            t = t.value_type
        if not (_is_string(t) or pa.types.is_null(t) or (_is_list(t) and (_is_string(t.value_type)))):
            raise RecordError(self.name, f"column {key!r} must hold strings or lists of strings, not {t}")

    def table(self, table: Any, first_row: int = 0) -> Any:
        """`table` with its selected columns converted (rows the codec rejects dropped with `skip_bad`)."""
        missing = set(self.check_schema(table.schema))
        before = self.converter.counts.copy()
        try:
            columns = list(table.columns)
            for k, name in enumerate(table.column_names):
                if name in self.selection.keys and name not in missing:
                    chunks = [self._array(c, name == self.selection.messages) for c in table.column(k).chunks]
                    columns[k] = pa.chunked_array(chunks, type=table.schema.field(k).type)
            return pa.Table.from_arrays(columns, schema=table.schema)
        except (TSTDecodeError, TSTRangeError):
            self.converter.counts = before  # forget the columns converted before the failure
            return self._row_by_row(table, first_row)

    def batch(self, batch: Any, first_row: int = 0) -> Any:
        """The same for a `pyarrow.RecordBatch`."""
        table = self.table(pa.Table.from_batches([batch], schema=batch.schema), first_row)
        return (
            table.combine_chunks().to_batches()[0]
            if table.num_rows
            else pa.RecordBatch.from_pylist([], schema=batch.schema)
        )

    # -- arrays -----------------------------------------------------------

    def _array(self, arr: Any, messages: bool) -> Any:
        t = arr.type
        if pa.types.is_null(t):
            return arr
        if pa.types.is_dictionary(t):
            return pa.DictionaryArray.from_arrays(arr.indices, self._array(arr.dictionary, messages))
        if _is_string(t):
            return self._strings(arr)
        if _is_list(t):
            return self._list(arr, lambda child: self._messages(child) if messages else self._array(child, False))
        raise TypeError(f"cannot convert an Arrow array of type {t}")

    def _strings(self, arr: Any) -> Any:
        if len(arr) <= SLICE:
            return self._string_slice(arr)
        # Python strings cost far more memory than Arrow's: hold one slice of them at a time.
        parts = [self._string_slice(arr.slice(k, SLICE)) for k in range(0, len(arr), SLICE)]
        return pa.concat_arrays(parts)

    def _string_slice(self, arr: Any) -> Any:
        values = arr.to_pylist()
        at = [k for k, v in enumerate(values) if v is not None]
        new = self.converter.convert_batch([values[k] for k in at])
        for k, v in zip(at, new):
            values[k] = v
        return pa.array(values, type=arr.type)

    def _list(self, arr: Any, convert_child: Any) -> Any:
        offsets = arr.offsets
        start, stop = offsets[0].as_py(), offsets[-1].as_py()
        child = convert_child(arr.values.slice(start, stop - start))
        if start:
            offsets = pc.subtract(offsets, pa.scalar(start, offsets.type))
        mask = arr.is_null() if arr.null_count else None
        return type(arr).from_arrays(offsets, child, type=arr.type, mask=mask)

    def _struct(self, arr: Any, name: str, convert_child: Any) -> Any:
        k = arr.type.get_field_index(name)
        if k < 0:
            return arr
        children = [arr.field(j) for j in range(arr.type.num_fields)]
        children[k] = convert_child(children[k])
        mask = arr.is_null() if arr.null_count else None
        return pa.StructArray.from_arrays(children, fields=list(arr.type), mask=mask)

    def _messages(self, arr: Any) -> Any:
        return self._struct(arr, "content", self._content)

    def _content(self, arr: Any) -> Any:
        t = arr.type
        if _is_string(t) or pa.types.is_null(t):
            return self._array(arr, False)
        if _is_list(t) and pa.types.is_struct(t.value_type):
            return self._list(arr, lambda parts: self._struct(parts, "text", self._text))
        return self._array(arr, False)

    def _text(self, arr: Any) -> Any:
        return self._array(arr, False) if _is_string(arr.type) else arr

    # -- the codec rejected something: find the rows ----------------------

    def _row_by_row(self, table: Any, first_row: int) -> Any:
        kept: list[dict[str, Any]] = []
        for r, record in enumerate(table.to_pylist()):
            slots: list[Slot] = []
            try:
                new, _ = record_slots(record, self.selection, slots)
            except SelectionError as exc:  # the schema check makes this unreachable in practice
                raise RecordError(f"{self.name}: row {first_row + r}", f"{exc.path}: {exc.reason}") from None
            values = read(slots)
            try:
                fill(slots, self.converter.convert_batch(values))
            except (TSTDecodeError, TSTRangeError) as exc:
                if not self.skip_bad:
                    found = self.converter.locate(values)
                    err = found[1] if found else exc
                    raise RecordError(
                        f"{self.name}: row {first_row + r}", f"{err} (--skip-bad drops such rows)"
                    ) from None
                self.skipped_rows.append(first_row + r)
                continue
            kept.append(new)
        return pa.Table.from_pylist(kept, schema=table.schema)
