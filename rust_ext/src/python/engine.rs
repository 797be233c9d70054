//! The `Engine` class of `tst._tst_rs`: argument conversion, GIL release, exceptions.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use super::strings::{
    encode_any, encode_offsets_any, hold, text, utf8_of, Encoded, Held, Utf8, View, SPARE, SPARE_MAX, SPARE_POINTS,
};
use crate::batch;
use crate::encode::{Piece, Tally};
use crate::engine::{Engine, Error, NumberInfo};
use crate::offsets::OffsetTable;

use super::arrow::{buffers, with_strings, Buffers};
use super::offsets::PyOffsetTable;
use crate::counting::Counter;
use crate::jsonl;
use crate::settings::{Overflow, Settings};

pyo3::import_exception!(tst.errors, TSTError);
pyo3::import_exception!(tst.errors, TSTDecodeError);
pyo3::import_exception!(tst.errors, TSTRangeError);

/// The Python exception for an engine error, worded with Python's own `repr`.
fn py_err(py: Python<'_>, e: Error) -> PyErr {
    py_err_at(py, e, None)
}

/// `py_err` for item `index` of a batch: the index in the exception's `index` and in its message
/// (what `TSTError.at` does on the Python side).
fn py_err_at(py: Python<'_>, e: Error, index: Option<usize>) -> PyErr {
    match e {
        Error::Decode { position, reason } => {
            let repr = |b: &[u8]| {
                text(py, b).and_then(|s| s.repr()).map(|r| r.to_string()).unwrap_or_else(|_| crate::engine::repr(b))
            };
            TSTDecodeError::new_err((position, reason.message(&repr), index))
        }
        Error::Range { position, reason } => TSTRangeError::new_err((position, reason, index)),
        Error::Unsupported(msg) => match index {
            None => TSTError::new_err(msg),
            Some(k) => {
                let err = TSTError::new_err(format!("item {k}: {msg}"));
                if let Err(e) = err.value(py).setattr("index", k) {
                    return e;
                }
                err
            }
        },
    }
}

/// What a batch call does with a failing item: raise its error, or return it in the item's place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnError {
    Raise,
    Return,
}

fn on_error(errors: &str) -> PyResult<OnError> {
    match errors {
        "raise" => Ok(OnError::Raise),
        "return" => Ok(OnError::Return),
        _ => Err(PyValueError::new_err(format!("errors must be 'raise' or 'return', not {errors:?}"))),
    }
}

/// Per-item results as Python objects: raise the first error (lowest index), or put each error
/// object in its item's place.
fn collect<'py, T>(
    py: Python<'py>,
    results: Vec<Result<T, Error>>,
    on: OnError,
    mut convert: impl FnMut(T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut out = Vec::with_capacity(results.len());
    for (k, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) => out.push(convert(v)?),
            Err(e) => {
                let err = py_err_at(py, e, Some(k));
                match on {
                    OnError::Raise => return Err(err),
                    OnError::Return => out.push(err.into_value(py).into_bound(py).into_any()),
                }
            }
        }
    }
    Ok(out)
}

type PyNumber = (usize, usize, Vec<(String, i64, usize, usize)>, Option<String>, bool);

fn py_number(n: NumberInfo) -> PyNumber {
    let groups = n.groups.into_iter().map(|g| (g.digits, g.power, g.start, g.end)).collect();
    (n.start, n.end, groups, n.separator.map(String::from), n.indian)
}

type PyOutOfRange = (usize, usize, &'static str, usize);

fn py_out_of_range((start, end, integer, digits): (usize, usize, bool, usize)) -> PyOutOfRange {
    (start, end, if integer { "integer" } else { "fraction" }, digits)
}

fn threads(num_threads: Option<usize>) -> PyResult<usize> {
    batch::thread_count(num_threads).map_err(PyValueError::new_err)
}

/// One codec configuration (settings validated by `tst.Settings` beforehand).
#[pyclass(frozen, name = "Engine", module = "tst._tst_rs")]
pub(crate) struct PyEngine {
    inner: Engine,
}

#[pymethods]
impl PyEngine {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        variant: &str,
        group_size: usize,
        style: &str,
        decimal: &str,
        separators: &str,
        indian: bool,
        int_digits: usize,
        frac_digits: usize,
        overflow: &str,
    ) -> PyResult<Self> {
        let st =
            Settings::new(variant, group_size, style, decimal, separators, indian, int_digits, frac_digits, overflow)
                .map_err(PyValueError::new_err)?;
        Ok(PyEngine { inner: Engine::new(st) })
    }

    fn encode<'py>(&self, py: Python<'py>, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
        let src = utf8_of(text)?;
        let data = src.bytes();
        let engine = &self.inner;
        let spare = SPARE.with(|c| c.take());
        let out = py
            .detach(|| {
                if crate::chars::has_surrogates(data) {
                    engine.encode(data).map(Encoded::Utf8)
                } else {
                    engine.encode_utf16_into(data, spare).map(Encoded::Utf16)
                }
            })
            .map_err(|e| py_err(py, e))?;
        out.into_py_keeping(py)
    }

    #[pyo3(signature = (text, strict = true))]
    fn decode<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        strict: bool,
    ) -> PyResult<Bound<'py, PyString>> {
        let held = hold(text, SPARE_POINTS.with(|c| c.take()))?;
        let view = held.view();
        let engine = &self.inner;
        let spare = SPARE.with(|c| c.take());
        let out = py.detach(|| view.decode(engine, strict, spare)).map_err(|e| py_err(py, e))?;
        if let Held::Ucs4(points) = held {
            if points.capacity() <= SPARE_MAX {
                SPARE_POINTS.with(|c| *c.borrow_mut() = points);
            }
        }
        out.into_py_keeping(py)
    }

    fn encode_with_offsets<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<(Bound<'py, PyString>, Vec<Piece>)> {
        let src = utf8_of(text)?;
        let data = src.bytes();
        let engine = &self.inner;
        let (out, pieces) = py.detach(|| encode_offsets_any(engine, data)).map_err(|e| py_err(py, e))?;
        Ok((out.into_py(py)?, pieces))
    }

    fn numbers(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<PyNumber>> {
        let src = utf8_of(text)?;
        let data = src.bytes();
        let engine = &self.inner;
        let found = py.detach(|| engine.numbers(data)).map_err(|e| py_err(py, e))?;
        Ok(found.into_iter().map(py_number).collect())
    }

    fn out_of_range(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<PyOutOfRange>> {
        let src = utf8_of(text)?;
        let data = src.bytes();
        let engine = &self.inner;
        let found = py.detach(|| engine.out_of_range(data)).map_err(|e| py_err(py, e))?;
        Ok(found.into_iter().map(py_out_of_range).collect())
    }

    /// `out_of_range` of every text, spread over `num_threads` like `encode_batch`; a failing text
    /// (`overflow="error"`) raises its error with `index` set.
    #[pyo3(signature = (texts, num_threads = None))]
    fn out_of_range_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        num_threads: Option<usize>,
    ) -> PyResult<Vec<Vec<PyOutOfRange>>> {
        let n = threads(num_threads)?;
        let held = texts.iter().map(utf8_of).collect::<PyResult<Vec<_>>>()?;
        let data: Vec<&[u8]> = held.iter().map(Utf8::bytes).collect();
        let engine = &self.inner;
        let results = py.detach(|| batch::map(&data, |d| d.len(), n, |d| engine.out_of_range(d)));
        results
            .into_iter()
            .enumerate()
            .map(|(k, r)| Ok(r.map_err(|e| py_err_at(py, e, Some(k)))?.into_iter().map(py_out_of_range).collect()))
            .collect()
    }

    #[pyo3(signature = (texts, num_threads = None, errors = "raise"))]
    fn encode_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        num_threads: Option<usize>,
        errors: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let on = on_error(errors)?;
        let n = threads(num_threads)?;
        let held = texts.iter().map(utf8_of).collect::<PyResult<Vec<_>>>()?;
        let data: Vec<&[u8]> = held.iter().map(Utf8::bytes).collect();
        let engine = &self.inner;
        let results = py.detach(|| batch::map(&data, |d| d.len(), n, |d| encode_any(engine, d)));
        collect(py, results, on, |v| Ok(v.into_py(py)?.into_any()))
    }

    #[pyo3(signature = (texts, strict = true, num_threads = None, errors = "raise"))]
    fn decode_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        strict: bool,
        num_threads: Option<usize>,
        errors: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let on = on_error(errors)?;
        let n = threads(num_threads)?;
        let held = texts.iter().map(|t| hold(t, Vec::new())).collect::<PyResult<Vec<_>>>()?;
        let views: Vec<View<'_>> = held.iter().map(Held::view).collect();
        let engine = &self.inner;
        let results = py.detach(|| batch::map(&views, View::len, n, |v| v.decode(engine, strict, Vec::new())));
        collect(py, results, on, |v| Ok(v.into_py(py)?.into_any()))
    }

    #[pyo3(signature = (texts, num_threads = None, errors = "raise"))]
    fn encode_batch_with_offsets<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        num_threads: Option<usize>,
        errors: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let on = on_error(errors)?;
        let results = self.encode_pieces(py, &texts, num_threads)?;
        collect(py, results, on, |(out, pieces)| Ok((out.into_py(py)?, pieces).into_pyobject(py)?.into_any()))
    }

    /// `encode_batch` on an Arrow `string`/`large_string` array: `(null_count, validity, offsets, data,
    /// errors)`, the buffers of the result (failed items null; `errors="return"` lists their errors).
    #[pyo3(signature = (array, num_threads = None, errors = "raise"))]
    fn encode_arrow<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        num_threads: Option<usize>,
        errors: &str,
    ) -> PyResult<ArrowResult<'py>> {
        let on = on_error(errors)?;
        let n = threads(num_threads)?;
        let engine = &self.inner;
        arrow(py, array, n, on, |d, out| engine.encode_append(d, out))
    }

    /// `decode_batch` on an Arrow string array (see `encode_arrow`).
    #[pyo3(signature = (array, strict = true, num_threads = None, errors = "raise"))]
    fn decode_arrow<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        strict: bool,
        num_threads: Option<usize>,
        errors: &str,
    ) -> PyResult<ArrowResult<'py>> {
        let on = on_error(errors)?;
        let n = threads(num_threads)?;
        let engine = &self.inner;
        arrow(py, array, n, on, |d, out| engine.decode_append(d, strict, out))
    }

    /// Numbers in `texts` of encoded text (exact style), summed: `count_numbers_arrow` for a list
    /// (`tst.data`'s counts of a batch, without a regex call per string).
    fn count_numbers_batch(&self, py: Python<'_>, texts: Vec<Bound<'_, PyString>>) -> PyResult<usize> {
        let counter = Counter::new(self.inner.settings());
        let held = texts.iter().map(utf8_of).collect::<PyResult<Vec<_>>>()?;
        let data: Vec<&[u8]> = held.iter().map(Utf8::bytes).collect();
        Ok(py.detach(|| data.iter().map(|d| counter.count(d)).sum()))
    }

    /// Numbers in the valid items of an Arrow string array of encoded text (exact style), counted
    /// from the units as `tst.data.counting.NumberCounter` counts them.
    fn count_numbers_arrow(&self, py: Python<'_>, array: &Bound<'_, PyAny>) -> PyResult<usize> {
        let counter = Counter::new(self.inner.settings());
        with_strings(array, |s, _| {
            s.check().map_err(PyValueError::new_err)?;
            Ok(py.detach(|| (0..s.len).filter_map(|k| s.get(k)).map(|d| counter.count(d)).sum()))
        })
    }

    /// `(integer, fraction)`: numerals of the valid items of an Arrow string array that encoding
    /// leaves as text for their range (zeros unless `overflow="text"`; `tst.data`'s
    /// `count_out_of_range`, without a Python string per item).
    fn count_out_of_range_arrow(&self, py: Python<'_>, array: &Bound<'_, PyAny>) -> PyResult<(usize, usize)> {
        let engine = &self.inner;
        if engine.settings().overflow != Overflow::Text {
            return Ok((0, 0));
        }
        with_strings(array, |s, _| {
            s.check().map_err(PyValueError::new_err)?;
            let found = py.detach(|| {
                let mut found = (0, 0);
                for (k, d) in (0..s.len).filter_map(|k| s.get(k).map(|d| (k, d))) {
                    for (_, _, integer, _) in engine.out_of_range(d).map_err(|e| (k, e))? {
                        if integer {
                            found.0 += 1;
                        } else {
                            found.1 += 1;
                        }
                    }
                }
                Ok(found)
            });
            found.map_err(|(k, e)| py_err_at(py, e, Some(k)))
        })
    }

    /// The selected strings of a block of JSON Lines converted in place (`tst.data.jsonl`'s fast path).
    ///
    /// Returns None when `data` is not UTF-8, else `(out, left, counts)`: the converted block,
    /// `(line, start, end)` in `out` of the lines left (unchanged) to the Python code, and
    /// `(records, missing, strings, changed, numbers)` of the lines converted here, and
    /// `(integer, fraction)`: their numerals left as text for their range (encoding with
    /// `overflow="text"`; `tst.data`'s `count_out_of_range`).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (data, fields, messages, decode, strict, allow_missing, ensure_ascii, at_start, count, num_threads = None))]
    fn convert_jsonl_block<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        fields: Vec<String>,
        messages: Option<String>,
        decode: bool,
        strict: bool,
        allow_missing: bool,
        ensure_ascii: bool,
        at_start: bool,
        count: bool,
        num_threads: Option<usize>,
    ) -> PyResult<Option<JsonlResult<'py>>> {
        let n = threads(num_threads)?;
        let sel = jsonl::Selection {
            fields: fields.into_iter().map(String::into_bytes).collect(),
            messages: messages.map(String::into_bytes),
        };
        let opts = jsonl::Options { allow_missing, ensure_ascii, at_start };
        let engine = &self.inner;
        let counter = Counter::new(engine.settings());
        let block = py.detach(|| {
            jsonl::convert_block(data, &sel, &opts, n, |v, out| {
                if !decode {
                    return engine.encode_append(v, out).map(|t| if count { t } else { Tally::default() });
                }
                let at = out.len();
                engine.decode_append(v, strict, out)?;
                let mut numbers = if count { counter.count(v) } else { 0 };
                if count && !strict {
                    // Lenient decoding keeps what it cannot read verbatim: those numbers are still units.
                    numbers = numbers.saturating_sub(counter.count(&out[at..]));
                }
                Ok(Tally { numbers, ..Tally::default() })
            })
        });
        Ok(block.map(|b| {
            let t = b.tally;
            let counts = (b.records, b.missing, b.strings, b.changed, t.numbers);
            (PyBytes::new(py, &b.out), b.left, counts, (t.out_of_range_integer, t.out_of_range_fraction))
        }))
    }

    /// `encode_batch_with_offsets` with the pieces kept in Rust, ready to map token offsets.
    ///
    /// A failing text raises its error with `index` set (no per-item results: the table needs every text).
    #[pyo3(signature = (texts, num_threads = None))]
    fn encode_batch_offset_table<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        num_threads: Option<usize>,
    ) -> PyResult<(Vec<Bound<'py, PyString>>, PyOffsetTable)> {
        let mut encoded = Vec::with_capacity(texts.len());
        let mut pieces = Vec::with_capacity(texts.len());
        for (k, r) in self.encode_pieces(py, &texts, num_threads)?.into_iter().enumerate() {
            let (out, p) = r.map_err(|e| py_err_at(py, e, Some(k)))?;
            encoded.push(out.into_py(py)?);
            pieces.push(p);
        }
        Ok((encoded, PyOffsetTable { inner: OffsetTable::new(pieces) }))
    }
}

/// One text's encoding and its pieces.
type WithPieces = (Encoded, Vec<Piece>);

type JsonlResult<'py> =
    (Bound<'py, PyBytes>, Vec<(usize, usize, usize)>, (usize, usize, usize, usize, usize), (usize, usize));

type ArrowResult<'py> =
    (usize, Option<Bound<'py, PyBytes>>, Bound<'py, PyBytes>, Bound<'py, PyBytes>, Vec<Bound<'py, PyAny>>);

/// `f` over the items of an Arrow string array; the result's buffers and the failed items' errors.
fn arrow<'py, F, T>(
    py: Python<'py>,
    array: &Bound<'py, PyAny>,
    n: usize,
    on: OnError,
    f: F,
) -> PyResult<ArrowResult<'py>>
where
    F: Fn(&[u8], &mut Vec<u8>) -> Result<T, Error> + Sync + Send,
{
    let mut converted = with_strings(array, |s, large| {
        py.detach(|| crate::arrow::convert(s, large, n, &f)).map_err(PyValueError::new_err)
    })?;
    let mut failures = Vec::with_capacity(converted.failures.len());
    for (k, e) in std::mem::take(&mut converted.failures) {
        let err = py_err_at(py, e, Some(k));
        if on == OnError::Raise {
            return Err(err);
        }
        failures.push(err.into_value(py).into_bound(py).into_any());
    }
    let (nulls, validity, offsets, data): Buffers<'py> = buffers(py, &converted);
    Ok((nulls, validity, offsets, data, failures))
}

impl PyEngine {
    /// Each text encoded with its pieces (or its error), spread over `num_threads` like `encode_batch`.
    fn encode_pieces<'py>(
        &self,
        py: Python<'py>,
        texts: &[Bound<'py, PyString>],
        num_threads: Option<usize>,
    ) -> PyResult<Vec<Result<WithPieces, Error>>> {
        let n = threads(num_threads)?;
        let held = texts.iter().map(utf8_of).collect::<PyResult<Vec<_>>>()?;
        let data: Vec<&[u8]> = held.iter().map(Utf8::bytes).collect();
        let engine = &self.inner;
        Ok(py.detach(|| batch::map(&data, |d| d.len(), n, |d| encode_offsets_any(engine, d))))
    }
}
