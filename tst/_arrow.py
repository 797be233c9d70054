"""Arrow string arrays through an engine: the pyarrow side of `Codec.encode_arrow` / `decode_arrow`.

The engines return the buffers of the converted array (see
`tst._python_engine.ArrowBuffers`); this module hands them the array in a
layout they read (`string` or `large_string`) and builds the result with
`pyarrow.Array.from_buffers`, without a Python object per string on the Rust
engine. pyarrow is imported on first use only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tst._extras import require
from tst.errors import TSTError

#: An engine's Arrow function with its other arguments bound: array in, buffers out.
EngineCall = Callable[[Any], tuple[int, Any, bytes, bytes, list[TSTError]]]


def convert(call: EngineCall, array: Any) -> tuple[Any, list[TSTError]]:
    """`array` (a pyarrow string, large_string or string_view Array or ChunkedArray) converted by `call`.

    Returns the new array (same type; failed items null) and the errors of the
    failed items, with `index` counted over the whole array.

    Raises:
        TypeError: `array` is not an Arrow array of strings.
        ModuleNotFoundError: pyarrow is not installed (the message names the ``data`` extra).
    """
    pa = require("pyarrow", "data", "Codec.encode_arrow / decode_arrow")

    if isinstance(array, pa.ChunkedArray):
        chunks: list[Any] = []
        failures: list[TSTError] = []
        base = 0
        for chunk in array.chunks:
            try:
                new, errs = convert(call, chunk)
            except TSTError as exc:  # raised by the engine: index it over the whole array
                raise exc.at(base + (exc.index or 0)) from None
            chunks.append(new)
            failures.extend(e.at(base + (e.index or 0)) for e in errs)
            base += len(chunk)
        return pa.chunked_array(chunks, type=array.type), failures
    if not isinstance(array, pa.Array):
        raise TypeError(f"expected a pyarrow Array or ChunkedArray of strings, not {type(array).__name__}")
    t = array.type
    view = pa.types.is_string_view(t)
    if view:
        array = array.cast(pa.large_string())  # the engines read the offsets layout
    elif not (pa.types.is_string(t) or pa.types.is_large_string(t)):
        raise TypeError(f"expected an Arrow array of strings (string, large_string, string_view), not {t}")
    nulls, validity, offsets, data, failures = call(array)
    bufs = [None if validity is None else pa.py_buffer(validity), pa.py_buffer(offsets), pa.py_buffer(data)]
    out = pa.Array.from_buffers(array.type, len(array), bufs, null_count=nulls)
    return (out.cast(t) if view else out), failures
