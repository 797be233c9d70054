//! The `Engine` class of `tst._tst_rs`: argument conversion, GIL release, exceptions.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use super::strings::{
    encode_any, encode_offsets_any, hold, text, utf8_of, Encoded, Held, Utf8, View, SPARE, SPARE_MAX, SPARE_POINTS,
};
use crate::batch;
use crate::encode::Piece;
use crate::engine::{Engine, Error, NumberInfo};
use crate::offsets::OffsetTable;

use super::offsets::PyOffsetTable;
use crate::settings::Settings;

pyo3::import_exception!(tst.errors, TSTError);
pyo3::import_exception!(tst.errors, TSTDecodeError);
pyo3::import_exception!(tst.errors, TSTRangeError);

/// The Python exception for an engine error, worded with Python's own `repr`.
fn py_err(py: Python<'_>, e: Error) -> PyErr {
    match e {
        Error::Decode { position, reason } => {
            let repr = |b: &[u8]| {
                text(py, b).and_then(|s| s.repr()).map(|r| r.to_string()).unwrap_or_else(|_| crate::engine::repr(b))
            };
            TSTDecodeError::new_err((position, reason.message(&repr)))
        }
        Error::Range { position, reason } => TSTRangeError::new_err((position, reason)),
        Error::Unsupported(msg) => TSTError::new_err(msg),
    }
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

    /// `out_of_range` of every text, spread over `num_threads` like `encode_batch`.
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
            .map(|r| Ok(r.map_err(|e| py_err(py, e))?.into_iter().map(py_out_of_range).collect()))
            .collect()
    }

    #[pyo3(signature = (texts, num_threads = None))]
    fn encode_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        num_threads: Option<usize>,
    ) -> PyResult<Vec<Bound<'py, PyString>>> {
        let n = threads(num_threads)?;
        let held = texts.iter().map(utf8_of).collect::<PyResult<Vec<_>>>()?;
        let data: Vec<&[u8]> = held.iter().map(Utf8::bytes).collect();
        let engine = &self.inner;
        let results = py.detach(|| batch::map(&data, |d| d.len(), n, |d| encode_any(engine, d)));
        results.into_iter().map(|r| r.map_err(|e| py_err(py, e))?.into_py(py)).collect()
    }

    #[pyo3(signature = (texts, strict = true, num_threads = None))]
    fn decode_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        strict: bool,
        num_threads: Option<usize>,
    ) -> PyResult<Vec<Bound<'py, PyString>>> {
        let n = threads(num_threads)?;
        let held = texts.iter().map(|t| hold(t, Vec::new())).collect::<PyResult<Vec<_>>>()?;
        let views: Vec<View<'_>> = held.iter().map(Held::view).collect();
        let engine = &self.inner;
        let results = py.detach(|| batch::map(&views, View::len, n, |v| v.decode(engine, strict, Vec::new())));
        results.into_iter().map(|r| r.map_err(|e| py_err(py, e))?.into_py(py)).collect()
    }

    #[pyo3(signature = (texts, num_threads = None))]
    fn encode_batch_with_offsets<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        num_threads: Option<usize>,
    ) -> PyResult<Vec<(Bound<'py, PyString>, Vec<Piece>)>> {
        self.encode_pieces(py, &texts, num_threads)
    }

    /// `encode_batch_with_offsets` with the pieces kept in Rust, ready to map token offsets.
    #[pyo3(signature = (texts, num_threads = None))]
    fn encode_batch_offset_table<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
        num_threads: Option<usize>,
    ) -> PyResult<(Vec<Bound<'py, PyString>>, PyOffsetTable)> {
        let (encoded, pieces): (Vec<_>, Vec<_>) = self.encode_pieces(py, &texts, num_threads)?.into_iter().unzip();
        Ok((encoded, PyOffsetTable { inner: OffsetTable::new(pieces) }))
    }
}

impl PyEngine {
    /// Each text encoded with its pieces, spread over `num_threads` like `encode_batch`.
    fn encode_pieces<'py>(
        &self,
        py: Python<'py>,
        texts: &[Bound<'py, PyString>],
        num_threads: Option<usize>,
    ) -> PyResult<Vec<(Bound<'py, PyString>, Vec<Piece>)>> {
        let n = threads(num_threads)?;
        let held = texts.iter().map(utf8_of).collect::<PyResult<Vec<_>>>()?;
        let data: Vec<&[u8]> = held.iter().map(Utf8::bytes).collect();
        let engine = &self.inner;
        let results = py.detach(|| batch::map(&data, |d| d.len(), n, |d| encode_offsets_any(engine, d)));
        results
            .into_iter()
            .map(|r| {
                let (out, pieces) = r.map_err(|e| py_err(py, e))?;
                Ok((out.into_py(py)?, pieces))
            })
            .collect()
    }
}
