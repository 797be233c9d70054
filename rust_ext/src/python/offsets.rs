//! The `OffsetTable` class of `tst._tst_rs`: token offsets on TST surfaces mapped back.

use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

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
        let mut src_iter = sources.try_iter()?;
        for (r, row) in rows.try_iter()?.enumerate() {
            let row = row?;
            let src = src_iter.next().ok_or_else(|| PyValueError::new_err("fewer sources than rows"))??;
            let src = match src.extract::<usize>() {
                Ok(s) => Sources::Row(s),
                Err(_) => Sources::PerToken(src.extract()?),
            };
            let n = self.inner.len();
            let touched = match &src {
                Sources::Row(s) => known(*s, n, r)? && !self.inner.pieces(*s).is_empty(),
                Sources::PerToken(v) => {
                    let mut any = false;
                    for &s in v {
                        any |= known(s, n, r)? && !self.inner.pieces(s).is_empty();
                    }
                    any
                }
            };
            if !touched {
                out.append(row)?;
                continue;
            }
            let edges: Vec<(usize, usize)> = row.extract()?;
            if let Sources::PerToken(v) = &src {
                if v.len() != edges.len() {
                    return Err(PyValueError::new_err(format!(
                        "row {r} has {} tokens but {} sources",
                        edges.len(),
                        v.len()
                    )));
                }
            }
            let mapped = edges.iter().enumerate().map(|(t, &(s, e))| {
                let k = src.get(t);
                (self.inner.start(k, s), self.inner.end(k, e))
            });
            out.append(PyList::new(py, mapped)?)?;
        }
        if src_iter.next().is_some() {
            return Err(PyValueError::new_err("more sources than rows"));
        }
        Ok(out)
    }
}

/// True when `src` is a source of the table; an error naming the row otherwise.
fn known(src: usize, n: usize, row: usize) -> PyResult<bool> {
    if src < n {
        Ok(true)
    } else {
        Err(PyIndexError::new_err(format!("row {row} names source {src}, but the table has {n}")))
    }
}
