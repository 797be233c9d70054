//! The PyO3 layer that maturin builds into `tst._tst_rs` (feature `python`).

mod arrow;
mod engine;
mod offsets;
mod strings;

use pyo3::prelude::*;

use crate::batch;
use strings::{SPARE, SPARE_POINTS};

/// Free the output and input memory that single calls on this thread keep for the next call.
#[pyfunction]
fn release_buffers() {
    SPARE.with(|c| drop(c.take()));
    SPARE_POINTS.with(|c| drop(c.take()));
}

/// The compiled engine of `tst`; use it through `tst.Codec`.
#[pymodule(gil_used = false)]
fn _tst_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<offsets::PyOffsetTable>()?;
    m.add_function(wrap_pyfunction!(release_buffers, m)?)?;
    m.add("UNICODE_VERSION", crate::unicode_tables::UNICODE_VERSION)?;
    m.add("PARALLEL_MIN_BYTES", batch::PARALLEL_MIN_BYTES)?;
    m.add("SPELLING", crate::spelling::table().into_iter().collect::<std::collections::HashMap<_, _>>())?;
    Ok(())
}
