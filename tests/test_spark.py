"""The Spark integration on a real local[2] session (one session for the module)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tst
from tst.data.errors import MissingFieldError, RecordError

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parent.parent
CODEC = tst.Codec(variant="vocab")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    # Python workers start from the driver's environment: they must find this checkout.
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(ROOT) + (os.pathsep + old if old else "")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("tst-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


TEXTS = ["Pay $1,234.5 now", None, "no numbers", "0.0045 and 12,34,567", "⟦literal⟧ 7"]


def test_pandas_udf_encodes_and_decodes_a_column(spark: Any) -> None:
    from tst.data.spark import tst_udf

    df = spark.createDataFrame([(k, t) for k, t in enumerate(TEXTS)], "id long, text string").repartition(2)
    encoded = df.withColumn("text", tst_udf(variant="vocab")("text"))
    rows = sorted(encoded.collect())
    assert [r.text for r in rows] == [CODEC.encode(t) if t is not None else None for t in TEXTS]
    back = encoded.withColumn("text", tst_udf(CODEC, decode=True)("text"))
    assert sorted(back.collect()) == sorted(df.collect())


def test_convert_dataframe_fields_and_messages(spark: Any) -> None:
    from tst.data.spark import convert_dataframe

    schema = (
        "id long, question string, answers array<string>, score double, "
        "messages array<struct<role:string,content:string>>, "
        "parts array<struct<role:string,content:array<struct<type:string,text:string>>>>"
    )
    rows = [
        (
            1,
            "What is 1,000 + 2?",
            ["1,002", None],
            0.5,
            [("user", "2+2"), ("assistant", None)],
            [("user", [("text", "3.5 x")])],
        ),
        (2, None, None, None, None, None),
        (3, "no digits", [], 1.0, [], [("user", [])]),
    ]
    df = spark.createDataFrame(rows, schema)
    out = convert_dataframe(df, fields=["question", "answers"], messages="messages", variant="vocab")
    assert out.schema == df.schema
    got = {r.id: r.asDict(recursive=True) for r in out.collect()}
    assert got[1]["question"] == CODEC.encode("What is 1,000 + 2?")
    assert got[1]["answers"] == [CODEC.encode("1,002"), None]
    assert got[1]["messages"] == [
        {"role": "user", "content": CODEC.encode("2+2")},
        {"role": "assistant", "content": None},
    ]
    assert got[1]["parts"] == {r.id: r.asDict(recursive=True) for r in df.collect()}[1]["parts"]  # not selected
    assert got[2] == {r.id: r.asDict(recursive=True) for r in df.collect()}[2]
    parts = convert_dataframe(df, messages="parts", variant="vocab")
    assert {r.id: r.asDict(recursive=True) for r in parts.collect()}[1]["parts"] == [
        {"role": "user", "content": [{"type": "text", "text": CODEC.encode("3.5 x")}]}
    ]
    back = convert_dataframe(out, fields=["question", "answers"], messages="messages", variant="vocab", decode=True)
    assert sorted(back.collect()) == sorted(df.collect())


def test_schema_problems_are_raised_on_the_driver(spark: Any) -> None:
    from tst.data.spark import convert_dataframe

    df = spark.createDataFrame([(1, "x")], "id long, text string")
    with pytest.raises(MissingFieldError, match="no column 'body'"):
        convert_dataframe(df, fields=["body"])
    assert convert_dataframe(df, fields=["body"], allow_missing=True).collect() == df.collect()
    with pytest.raises(RecordError, match="column 'id' must be string or array<string>, not bigint"):
        convert_dataframe(df, fields=["id"])
    with pytest.raises(RecordError, match=re.escape("column 'text' must be array<struct<..., content, ...>>")):
        convert_dataframe(df, messages="text")


def test_rejected_rows_fail_the_job_or_are_dropped(spark: Any) -> None:
    from tst.data.spark import convert_dataframe

    df = spark.createDataFrame([(1, "⟦1⟧"), (2, "⟦12k⟧ cut"), (3, "⟦3⟧")], "id long, text string").coalesce(1)
    with pytest.raises(
        Exception,
        match=r"row 1: field text: invalid TST at character \d+: number cut short.*\(skip_bad=True drops such",
    ):
        convert_dataframe(df, fields=["text"], variant="vocab", decode=True).collect()
    kept = convert_dataframe(df, fields=["text"], variant="vocab", decode=True, skip_bad=True)
    assert sorted((r.id, r.text) for r in kept.collect()) == [(1, "1"), (3, "3")]
