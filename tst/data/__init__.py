"""Fine-tuning data with TST: text streams, JSONL/JSON/CSV/Parquet files, `datasets` and Spark.

The modules import their heavy dependencies (pyarrow, datasets, pyspark) only
where needed, so ``import tst.data`` stays light. Entry points:

* `tst.data.converter.TextConverter`: a codec direction applied to batches of strings, with counts.
* `tst.data.text.convert_text`, `tst.data.jsonl.convert_jsonl`, `tst.data.json_array.convert_json`,
  `tst.data.csv_format.convert_csv`, `tst.data.parquet.convert_parquet`: whole files, as the CLI does.
* `tst.data.hf_datasets.DatasetConverter`: a batched `datasets.Dataset.map` function.
* `tst.data.spark.tst_udf` and `tst.data.spark.convert_dataframe`: Spark.

See docs/cli.md.
"""

from __future__ import annotations

from tst.data.converter import Counts, TextConverter
from tst.data.errors import DataError, MissingFieldError, RecordError
from tst.data.selection import Selection

__all__ = ["Counts", "DataError", "MissingFieldError", "RecordError", "Selection", "TextConverter"]
