"""Convert selected columns of Arrow tables and record batches (Parquet, Spark).

String columns are converted as whole arrays by the engine's Arrow functions
(`Codec.encode_arrow`: on the Rust engine, buffers in and buffers out, no
Python object per string; nulls kept); chat columns
(``list<struct<..., content, ...>>``, content a string or a list of parts
with ``text``) are rebuilt from their converted children, keeping offsets,
validity and every other struct field as they are. Dictionary-encoded strings
convert their dictionary only (and are counted per row that uses an entry).

Strings the codec rejects come back as errors with their position in the
converted array; each is traced up through the list offsets to its row, so a
rejected row is named (or dropped with `skip_bad`) without converting
anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tst._extras import extra_needed

with extra_needed("data", "tst.data.arrow (Parquet, Arrow)"):
    import pyarrow as pa
    import pyarrow.compute as pc

from tst.codec import rust_engine
from tst.data.converter import TextConverter
from tst.data.errors import MissingFieldError, RecordError
from tst.data.json_records import codec_reason, must_report, report_note
from tst.data.selection import Selection
from tst.errors import TSTDecodeError, TSTError

#: Strings converted per engine call (the pure-Python engine holds that many Python strings at once).
SLICE = 8192


@dataclass(frozen=True)
class _Path:
    """Where an array lies in the table: its column's rank in the selection, the first row of
    its chunk, and the steps from it up to the rows: ``("list", parent index of each child)``
    or ``("dict", the indices into it)``."""

    rank: int
    row0: int
    steps: tuple[tuple[str, Any], ...] = ()

    def down(self, kind: str, mapping: Any) -> _Path:
        return _Path(self.rank, self.row0, ((kind, mapping), *self.steps))


@dataclass
class _Leaf:
    """One converted string array: input, output and the errors of its failed items."""

    path: _Path
    inputs: Any
    outputs: Any
    failures: list[TSTError] = field(default_factory=list)

    def rows(self, items: list[int]) -> list[int]:
        """The table rows holding `items` of this array."""
        at = items
        for kind, mapping in self.path.steps:
            if kind == "list":
                at = [mapping[k].as_py() for k in at]
            else:  # a dictionary entry is used by every position whose index points at it
                hits = pc.is_in(mapping, value_set=pa.array(sorted(set(at)), type=mapping.type))
                at = pc.indices_nonzero(pc.fill_null(hits, False)).to_pylist()
        return [self.path.row0 + k for k in at]

    def per_use(self) -> _Leaf:
        """This leaf as the rows see it: a dictionary's entries repeated where its indices use
        them, so counts are per row (as for a plain column), not per entry and row group."""
        if not self.path.steps or self.path.steps[0][0] != "dict":
            return self
        indices = self.path.steps[0][1]
        path = _Path(self.path.rank, self.path.row0, self.path.steps[1:])
        return _Leaf(path, self.inputs.take(indices), self.outputs.take(indices))

    def keep(self, dropped: set[int]) -> Any:
        """Boolean array: the items whose row is not in `dropped` (None: keep all)."""
        if not dropped or any(kind == "dict" for kind, _ in self.path.steps):
            return None  # a dictionary entry serves many rows: see `per_use`
        at = pa.array(range(len(self.inputs)), type=pa.int64())
        for _, parents in self.path.steps:
            at = parents.take(at)
        rows = pc.add(at.cast(pa.int64()), self.path.row0)
        return pc.invert(pc.is_in(rows, value_set=pa.array(sorted(dropped), type=pa.int64())))


def _is_string(t: Any) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def _is_list(t: Any) -> bool:
    return bool(pa.types.is_list(t) or pa.types.is_large_list(t))


def check_schema(schema: Any, selection: Selection, allow_missing: bool, name: str) -> list[str]:
    """The selected columns `schema` lacks.

    Raises:
        MissingFieldError: a selected column is absent, unless `allow_missing`.
        RecordError: a selected column of a type that holds no strings (or no chat messages).
    """
    missing = [key for key in selection.keys if schema.get_field_index(key) < 0]
    if missing and not allow_missing:
        raise MissingFieldError(name, f"there is no column {missing[0]!r} (columns: {', '.join(schema.names)})")
    for key in selection.keys:
        if key not in missing:
            _check_type(key, schema.field(key).type, key == selection.messages, name)
    return missing


def _check_type(key: str, t: Any, messages: bool, name: str) -> None:
    if messages:
        ok = _is_list(t) and pa.types.is_struct(t.value_type) and t.value_type.get_field_index("content") >= 0
        if ok:
            content = t.value_type.field("content").type
            ok = _is_string(content) or pa.types.is_null(content) or _is_list(content)
        if not ok:
            raise RecordError(name, f"column {key!r} must be a list of message structs with a 'content' field, not {t}")
        part = content.value_type if _is_list(content) else None
        if part is not None and pa.types.is_struct(part) and part.get_field_index("text") >= 0:
            text = part.field("text").type
            if not (_is_string(text) or pa.types.is_null(text)):
                raise RecordError(name, f"column {key!r}: the 'text' of a content part must be a string, not {text}")
        return
    if pa.types.is_dictionary(t):
        t = t.value_type
    if not (_is_string(t) or pa.types.is_null(t) or (_is_list(t) and (_is_string(t.value_type)))):
        raise RecordError(name, f"column {key!r} must hold strings or lists of strings, not {t}")


class ArrowConverter:
    """Applies a `Selection` to Arrow tables and record batches.

    Args:
        converter: direction and codec.
        selection: columns to convert.
        allow_missing: tolerate selected columns the data lacks.
        skip_bad: drop rows the codec rejects (instead of raising `RecordError`).
        name: the source, for error messages.
        count: add what was converted to the converter's counts (Spark's executors need none).
        skip_hint: what a reported codec error adds, how to drop such rows instead (the CLI's
            flag by default; Spark's `convert_dataframe` names its argument).
    """

    def __init__(
        self,
        converter: TextConverter,
        selection: Selection,
        *,
        allow_missing: bool = False,
        skip_bad: bool = False,
        name: str = "",
        count: bool = True,
        skip_hint: str = " (--skip-bad drops such rows)",
    ) -> None:
        self.converter = converter
        self.count = count
        self.selection = selection
        self.allow_missing = allow_missing
        self.skip_bad = skip_bad
        self.name = name
        self.skip_hint = skip_hint
        self.skipped_rows: list[int] = []
        self._leaves: list[_Leaf] = []
        self._bad: dict[int, TSTError] = {}
        self._rows = 0

    def check_schema(self, schema: Any) -> list[str]:
        """The selected columns `schema` lacks; raises unless `allow_missing`, or on a wrong column type."""
        return check_schema(schema, self.selection, self.allow_missing, self.name)

    def table(self, table: Any, first_row: int = 0) -> Any:
        """`table` with its selected columns converted (rows the codec rejects dropped with `skip_bad`).

        Raises:
            RecordError: a value the codec rejects (its row, counted from
                `first_row`, and the codec's reason), unless `skip_bad`.
        """
        columns = [list(column.chunks) for column in table.columns]
        new = self._convert(table.schema, columns, table.num_rows, first_row)
        out = pa.Table.from_arrays(
            [pa.chunked_array(chunks, type=f.type) for chunks, f in zip(new, table.schema)], schema=table.schema
        )
        return self._drop(out, first_row)

    def batch(self, batch: Any, first_row: int = 0) -> Any:
        """The same for a `pyarrow.RecordBatch` (no copy of the columns it leaves alone)."""
        new = self._convert(batch.schema, [[c] for c in batch.columns], batch.num_rows, first_row)
        return self._drop(pa.RecordBatch.from_arrays([c[0] for c in new], schema=batch.schema), first_row)

    def _convert(self, schema: Any, columns: list[list[Any]], rows: int, first_row: int) -> list[list[Any]]:
        """The chunks of every column, the selected ones converted; rejected rows found (see `_drop`)."""
        missing = set(self.check_schema(schema))
        keys = self.selection.keys
        self._leaves = []
        out = list(columns)
        for k, name in enumerate(schema.names):
            if name in keys and name not in missing:
                chunks, row0 = [], 0
                for chunk in columns[k]:
                    chunks.append(self._array(chunk, name == self.selection.messages, _Path(keys.index(name), row0)))
                    row0 += len(chunk)
                out[k] = chunks
        leaves, self._leaves = self._leaves, []
        self._bad = bad = _first_failures(leaves)
        if bad:
            row = min(bad)
            first = self._hinted(leaves, bad[row])
            for leaf in leaves:  # the whole batch is data seen, before the failure is judged
                self.converter.note_arrow_witness(leaf.inputs, leaf.outputs)
            first = self.converter.reported(first)
            if must_report(first, self.skip_bad):
                where = f"{self.name}: row {first_row + row}"
                note = report_note(first, self.skip_bad, self.skip_hint)
                column = keys[_leaf_of(leaves, bad[row]).path.rank]
                raise RecordError(where, f"field {column}: {codec_reason(first)}{note}", first_row + row)
        self._rows = rows
        for leaf in leaves if self.count else ():
            used = leaf.per_use()
            self.converter.add_arrow_counts(used.inputs, used.outputs, used.keep(set(bad)))
        return out

    def _hinted(self, leaves: list[_Leaf], error: TSTError) -> TSTError:
        """`error` naming the settings that decode its text, if any (decoding only; the Arrow
        functions return errors without that hint: it costs up to 13 decodes, error path only)."""
        if not isinstance(error, TSTDecodeError) or self.converter.direction != "decode":
            return error
        text = _leaf_of(leaves, error).inputs[error.index or 0].as_py()
        return self.converter.codec.with_hint(error, text) if isinstance(text, str) else error

    def _drop(self, data: Any, first_row: int) -> Any:
        """`data` (a table or record batch) without the rows the codec rejected (`skip_bad`)."""
        bad = self._bad
        if not bad:
            return data
        self.skipped_rows.extend(first_row + r for r in sorted(bad))
        return data.filter(pa.array([r not in bad for r in range(self._rows)]))

    # -- arrays -----------------------------------------------------------

    def _array(self, arr: Any, messages: bool, path: _Path) -> Any:
        t = arr.type
        if pa.types.is_null(t):
            return arr
        if pa.types.is_dictionary(t):
            entries = self._array(arr.dictionary, messages, path.down("dict", arr.indices))
            if entries.null_count > arr.dictionary.null_count:
                # An entry the codec rejected is null in the output: a row that uses it raises or is
                # dropped (skip_bad), so the entry keeps its old value (Parquet writes no null entry).
                failed = pc.and_(entries.is_null(), arr.dictionary.is_valid())
                entries = pc.if_else(failed, arr.dictionary.cast(entries.type), entries)
            return pa.DictionaryArray.from_arrays(arr.indices, entries)
        if _is_string(t):
            return self._strings(arr, path)
        if _is_list(t):
            return self._list(
                arr,
                path,
                lambda child, p: self._messages(child, p) if messages else self._array(child, False, p),
            )
        raise TypeError(f"cannot convert an Arrow array of type {t}")

    def _strings(self, arr: Any, path: _Path) -> Any:
        # The pure-Python engine holds one slice of Python strings at a time; the Rust engine none.
        step = len(arr) if rust_engine(self.converter.codec) is not None else SLICE
        parts: list[Any] = []
        failures: list[TSTError] = []
        for k in range(0, max(len(arr), 1), max(step, 1)):
            new, errors = self.converter.convert_arrow(arr.slice(k, step) if step < len(arr) else arr, count=False)
            parts.append(new)
            failures.extend(e.at(k + (e.index or 0)) if k else e for e in errors)
        out = parts[0] if len(parts) == 1 else pa.concat_arrays(parts)
        self._leaves.append(_Leaf(path, arr, out, failures))
        return out

    def _list(self, arr: Any, path: _Path, convert_child: Any) -> Any:
        offsets = arr.offsets
        start, stop = offsets[0].as_py(), offsets[-1].as_py()
        child = convert_child(arr.values.slice(start, stop - start), path.down("list", pc.list_parent_indices(arr)))
        if start:
            offsets = pc.subtract(offsets, pa.scalar(start, offsets.type))
        mask = arr.is_null() if arr.null_count else None
        return type(arr).from_arrays(offsets, child, type=arr.type, mask=mask)

    def _struct(self, arr: Any, name: str, path: _Path, convert_child: Any) -> Any:
        k = arr.type.get_field_index(name)
        if k < 0:
            return arr
        children = [arr.field(j) for j in range(arr.type.num_fields)]
        children[k] = convert_child(children[k], path)
        mask = arr.is_null() if arr.null_count else None
        return pa.StructArray.from_arrays(children, fields=list(arr.type), mask=mask)

    def _messages(self, arr: Any, path: _Path) -> Any:
        return self._struct(arr, "content", path, self._content)

    def _content(self, arr: Any, path: _Path) -> Any:
        t = arr.type
        if _is_string(t) or pa.types.is_null(t):
            return self._array(arr, False, path)
        if _is_list(t) and pa.types.is_struct(t.value_type):
            return self._list(arr, path, lambda parts, p: self._struct(parts, "text", p, self._text))
        return self._array(arr, False, path)

    def _text(self, arr: Any, path: _Path) -> Any:
        return self._array(arr, False, path) if _is_string(arr.type) else arr


def _leaf_of(leaves: list[_Leaf], error: TSTError) -> _Leaf:
    """The leaf whose failures hold `error` (the very object)."""
    return next(leaf for leaf in leaves if any(f is error for f in leaf.failures))


def _first_failures(leaves: list[_Leaf]) -> dict[int, TSTError]:
    """For each row with a rejected string, the error of its first one in record order.

    Record order is the selection's (fields in order, then messages) and,
    within a column, the strings' order, as `tst.data.records.record_slots`
    lists them.
    """
    best: dict[int, tuple[tuple[int, int], TSTError]] = {}
    for leaf in leaves:
        for err in leaf.failures:
            item = err.index or 0
            for row in leaf.rows([item]):
                key = (leaf.path.rank, item)
                if row not in best or key < best[row][0]:
                    best[row] = (key, err)
    return {row: err for row, (_, err) in best.items()}
