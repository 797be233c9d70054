//! The `OffsetTable` class of `tst._tst_rs`: token offsets on TST surfaces mapped back.

use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::encode::Piece;
use crate::offsets::OffsetTable;

/// The pieces of a batch of encoded texts, to map token offsets back to the originals.
#[pyclass(frozen, name = "OffsetTable", module = "tst._tst_rs")]
pub(crate) struct PyOffsetTable {
    pub(crate) inner: OffsetTable,
}

/// Which source each token of a row belongs to: one for the whole row, or one per token.
enum Sources {
    Row(usize),
    PerToken(Vec<usize>),
}

impl Sources {
    fn get(&self, token: usize) -> usize {
        match self {
            Sources::Row(s) => *s,
            Sources::PerToken(v) => v[token],
        }
    }
}

#[pymethods]
impl PyOffsetTable {
    #[new]
    fn new(pieces: Vec<Vec<Piece>>) -> Self {
        PyOffsetTable { inner: OffsetTable::new(pieces) }
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Each row of `(start, end)` token offsets mapped to the original of its source.
    ///
    /// `sources[r]` is the source of every token of row `r`, or a list with one per token.
    /// Rows whose sources have no pieces come back as the same objects.
    fn map_rows<'py>(
        &self,
        py: Python<'py>,
        rows: &Bound<'py, PyAny>,
        sources: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        self.each_row(rows, sources, |row, src| {
            let Some(src) = src else {
                return out.append(row);
            };
            let edges: Vec<(usize, usize)> = row.extract()?;
            src.check_len(edges.len())?;
            let mapped = edges.iter().enumerate().map(|(t, &(s, e))| self.map(src.get(t), s, e));
            out.append(PyList::new(py, mapped)?)
        })?;
        Ok(out)
    }

    /// `map_rows` that rewrites `rows`, a list of lists of `(start, end)` tuples, in place.
    ///
    /// A tuple held by its row alone gets its new numbers in place: no new object, so
    /// nothing new for the garbage collector to track; any other tuple is replaced.
    fn map_rows_in_place<'py>(&self, rows: &Bound<'py, PyList>, sources: &Bound<'py, PyAny>) -> PyResult<()> {
        self.each_row(rows.as_any(), sources, |row, src| {
            let Some(src) = src else {
                return Ok(());
            };
            let row = row.cast::<PyList>()?;
            src.check_len(row.len())?;
            for t in 0..row.len() {
                let k = src.get(t);
                remap_item(row, t, |s, e| self.map(k, s, e))?;
            }
            Ok(())
        })
    }
}

/// A row's sources with its index, for error messages.
struct RowSources {
    row: usize,
    sources: Sources,
}

impl RowSources {
    fn get(&self, token: usize) -> usize {
        self.sources.get(token)
    }

    fn check_len(&self, tokens: usize) -> PyResult<()> {
        match &self.sources {
            Sources::PerToken(v) if v.len() != tokens => {
                Err(PyValueError::new_err(format!("row {} has {tokens} tokens but {} sources", self.row, v.len())))
            }
            _ => Ok(()),
        }
    }
}

impl PyOffsetTable {
    fn map(&self, src: usize, s: usize, e: usize) -> (usize, usize) {
        (self.inner.start(src, s), self.inner.end(src, e))
    }

    /// Call `f(row, sources)` for each row; `sources` is None where none of them has pieces.
    fn each_row<'py>(
        &self,
        rows: &Bound<'py, PyAny>,
        sources: &Bound<'py, PyAny>,
        mut f: impl FnMut(&Bound<'py, PyAny>, Option<&RowSources>) -> PyResult<()>,
    ) -> PyResult<()> {
        let mut src_iter = sources.try_iter()?;
        let n = self.inner.len();
        for (r, row) in rows.try_iter()?.enumerate() {
            let row = row?;
            let src = src_iter.next().ok_or_else(|| PyValueError::new_err("fewer sources than rows"))??;
            let sources = match src.extract::<usize>() {
                Ok(s) => Sources::Row(s),
                Err(_) => Sources::PerToken(src.extract()?),
            };
            let mut touched = false;
            let mut check = |s: usize| {
                if s >= n {
                    return Err(PyIndexError::new_err(format!("row {r} names source {s}, but the table has {n}")));
                }
                touched |= !self.inner.pieces(s).is_empty();
                Ok(())
            };
            match &sources {
                Sources::Row(s) => check(*s)?,
                Sources::PerToken(v) => v.iter().try_for_each(|&s| check(s))?,
            }
            let sources = RowSources { row: r, sources };
            f(&row, touched.then_some(&sources))?;
        }
        if src_iter.next().is_some() {
            return Err(PyValueError::new_err("more sources than rows"));
        }
        Ok(())
    }
}

/// Map the `(start, end)` pair at `row[index]` (`index < len(row)`), in place where it may be.
fn remap_item(row: &Bound<'_, PyList>, index: usize, map: impl Fn(usize, usize) -> (usize, usize)) -> PyResult<()> {
    let py = row.py();
    // SAFETY: `row` is a live list and `index` is within it; the item is borrowed from the
    // list and stays alive while the list holds it, and nothing below runs Python code that
    // could change the list. A tuple is written only while its reference count is 1: the
    // list is then its only holder and nobody can observe the change but through the list.
    unsafe {
        let item = ffi::PyList_GetItem(row.as_ptr(), index as ffi::Py_ssize_t);
        if item.is_null() {
            return Err(PyErr::fetch(py));
        }
        if ffi::PyTuple_CheckExact(item) != 0 && ffi::PyTuple_Size(item) == 2 && ffi::Py_REFCNT(item) == 1 {
            let s = size_at(py, item, 0)?;
            let e = size_at(py, item, 1)?;
            let (new_s, new_e) = map(s, e);
            if new_s != s {
                set_size(py, item, 0, new_s)?;
            }
            if new_e != e {
                set_size(py, item, 1, new_e)?;
            }
            return Ok(());
        }
        let (s, e): (usize, usize) = Borrowed::from_ptr(py, item).extract()?;
        let (new_s, new_e) = map(s, e);
        let fresh = PyTuple::new(py, [new_s, new_e])?;
        if ffi::PyList_SetItem(row.as_ptr(), index as ffi::Py_ssize_t, fresh.into_ptr()) != 0 {
            return Err(PyErr::fetch(py));
        }
    }
    Ok(())
}

/// The non-negative int at `tuple[k]`.
///
/// # Safety
/// `tuple` must be a live tuple with more than `k` items.
unsafe fn size_at(py: Python<'_>, tuple: *mut ffi::PyObject, k: ffi::Py_ssize_t) -> PyResult<usize> {
    let v = ffi::PyLong_AsSize_t(ffi::PyTuple_GetItem(tuple, k));
    if v == usize::MAX && !ffi::PyErr_Occurred().is_null() {
        return Err(PyErr::fetch(py));
    }
    Ok(v)
}

/// Store `value` at `tuple[k]`, releasing the old item.
///
/// # Safety
/// `tuple` must be a live tuple with more than `k` items and a reference count of 1.
unsafe fn set_size(py: Python<'_>, tuple: *mut ffi::PyObject, k: ffi::Py_ssize_t, value: usize) -> PyResult<()> {
    let obj = ffi::PyLong_FromSize_t(value);
    if obj.is_null() || ffi::PyTuple_SetItem(tuple, k, obj) != 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(())
}
