"""Spark integration: an Arrow UDF for one string column, and whole-DataFrame conversion via Arrow.

Both hand Arrow string arrays to the engine (`Codec.encode_arrow`): on the Rust
engine no Python object is made per row.

Executors must be able to import `tst` (see docs/cli.md, "Spark"): ship the
wheel with ``--py-files`` / ``--archives``, or install it on every node.

This module imports `pyspark` and `pandas`; it deliberately has no
``from __future__ import annotations``, because Spark reads the UDF's type
hints at run time to pick the pandas UDF kind.
"""

from collections.abc import Iterable, Iterator
from typing import Any, Optional

from tst._extras import extra_needed

with extra_needed("spark", "tst.data.spark"):
    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import Column, DataFrame
    from pyspark.sql import functions as sf
    from pyspark.sql.functions import pandas_udf  # type: ignore[attr-defined]
    from pyspark.sql.types import ArrayType, DataType, StringType, StructType

from tst.codec import Codec
from tst.data.converter import TextConverter
from tst.data.errors import MissingFieldError, RecordError
from tst.data.selection import Selection

#: Engine threads per Spark task: Spark already runs one task per core.
TASK_THREADS = 1


def _converter(codec: Optional[Codec], decode: bool, strict: bool, settings: dict[str, Any]) -> TextConverter:
    if codec is not None and settings:
        raise TypeError("pass either a codec or codec settings, not both")
    codec = codec if codec is not None else Codec(**settings)
    # No counts: they would stay in the executors.
    return TextConverter(
        codec, "decode" if decode else "encode", strict=strict, num_threads=TASK_THREADS, count_numbers=False
    )


def tst_udf(codec: Optional[Codec] = None, *, decode: bool = False, strict: bool = True, **codec_settings: Any) -> Any:
    """A Spark UDF that encodes, or decodes, a string column; nulls stay null.

    An Arrow UDF (``pyspark.sql.functions.arrow_udf``, Spark 4.1+): the column
    reaches the engine as an Arrow array, without a Python string per row; on
    older Spark, a pandas UDF.

    Args:
        codec: the codec; None builds ``Codec(**codec_settings)``.
        decode: decode instead of encode.
        strict: decoding only; False decodes leniently.

    Raises (in the executors):
        TSTDecodeError, TSTRangeError: a value the codec rejects (`index`: its row in the Arrow batch).

    Example:
        >>> encode = tst_udf(variant="vocab")                       # doctest: +SKIP
        >>> df.withColumn("text", encode("text"))                   # doctest: +SKIP
    """
    converter = _converter(codec, decode, strict, codec_settings)
    arrow_udf = getattr(sf, "arrow_udf", None)
    if arrow_udf is not None:

        def convert_arrow(texts: pa.Array) -> pa.Array:
            out, failures = converter.convert_arrow(texts, count=False)
            if failures:
                raise failures[0]
            return out

        return arrow_udf(convert_arrow, returnType=StringType())

    def convert(texts: pd.Series) -> pd.Series:
        values = texts.tolist()
        at = [k for k, v in enumerate(values) if isinstance(v, str)]
        new = converter.convert_batch([values[k] for k in at], count=False)
        out: list[Optional[str]] = [None] * len(values)
        for k, v in zip(at, new):
            out[k] = v
        return pd.Series(out, index=texts.index, dtype=object)

    return pandas_udf(convert, returnType=StringType())


def convert_dataframe(
    df: DataFrame,
    codec: Optional[Codec] = None,
    *,
    fields: Iterable[str] = (),
    messages: Optional[str] = None,
    decode: bool = False,
    strict: bool = True,
    allow_missing: bool = False,
    skip_bad: bool = False,
    **codec_settings: Any,
) -> DataFrame:
    """`df` with its selected columns converted, every other column and the schema unchanged.

    Runs `ArrowConverter` on each Arrow batch (``DataFrame.mapInArrow``), so
    chat columns (``array<struct<role, content, ...>>``) convert in place.

    Args:
        fields: string (or array-of-string) columns.
        messages: an ``array<struct<...content...>>`` column of chat messages.
        allow_missing: ignore selected columns the DataFrame lacks.
        skip_bad: drop rows the codec rejects instead of failing the job.

    Raises:
        MissingFieldError, RecordError: on the driver, before any job runs,
            for absent or ill-typed columns.
    """
    selection = Selection(fields=tuple(fields), messages=messages)
    converter = _converter(codec, decode, strict, codec_settings)
    _check_schema(df.schema, selection, allow_missing)

    def convert(batches: Iterator[Any]) -> Iterator[Any]:
        from tst.data.arrow import ArrowConverter

        arrow = ArrowConverter(
            converter,
            selection,
            allow_missing=allow_missing,
            skip_bad=skip_bad,
            name="in an Arrow batch of the DataFrame",
            skip_hint=" (skip_bad=True drops such rows)",
            count=False,
        )
        for batch in batches:
            yield arrow.batch(batch)

    return df.mapInArrow(convert, df.schema)


def _check_schema(schema: StructType, selection: Selection, allow_missing: bool) -> None:
    names = schema.fieldNames()
    for key in selection.keys:
        if key not in names:
            if allow_missing:
                continue
            raise MissingFieldError("spark", f"the DataFrame has no column {key!r} (columns: {', '.join(names)})")
        t = schema[key].dataType
        ok = _is_messages(t) if key == selection.messages else _is_text(t)
        if not ok:
            want = "array<struct<..., content, ...>>" if key == selection.messages else "string or array<string>"
            raise RecordError("spark", f"column {key!r} must be {want}, not {t.simpleString()}")


def _is_text(t: DataType) -> bool:
    return isinstance(t, StringType) or (isinstance(t, ArrayType) and isinstance(t.elementType, StringType))


def _is_messages(t: DataType) -> bool:
    if not (isinstance(t, ArrayType) and isinstance(t.elementType, StructType)):
        return False
    fields = {f.name: f.dataType for f in t.elementType.fields}
    content = fields.get("content")
    if isinstance(content, StringType):
        return True
    return isinstance(content, ArrayType) and (isinstance(content.elementType, (StringType, StructType)))


def column(name: str) -> Column:
    """Shorthand for ``pyspark.sql.functions.col`` (for ``tst_udf(...)(column("text"))``)."""
    from pyspark.sql.functions import col

    return col(name)
