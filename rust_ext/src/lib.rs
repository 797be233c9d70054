//! `tst-rs`: the Rust engine of tst (Triadic Suffix Tokenization).
//!
//! The core modules know nothing of Python and are tested with `cargo test`;
//! with the `python` feature this file adds the thin PyO3 layer that maturin
//! builds into the private module `tst._tst_rs`: it converts arguments,
//! releases the GIL around the work, and raises the exceptions of `tst.errors`.
//!
//! ```
//! use _tst_rs::{Engine, Settings};
//! let engine = Engine::new(Settings::default_exact("vocab"));
//! assert_eq!(engine.encode_str("Pay $1,234.5").unwrap(), "Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧");
//! assert_eq!(engine.decode_str("Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧", true).unwrap(), "Pay $1,234.5");
//! ```

pub mod batch;
pub mod chars;
pub mod decode;
pub mod encode;
pub mod engine;
pub mod grammar;
pub mod paper;
pub mod settings;
pub mod spelling;
pub mod unicode_tables;
pub mod units;

pub use engine::{Engine, Error, GroupInfo, NumberInfo};
pub use settings::Settings;

#[cfg(feature = "python")]
mod python {
    use std::ffi::c_char;

    use pyo3::exceptions::PyValueError;
    use pyo3::ffi;
    use pyo3::prelude::*;
    use pyo3::types::{PyBytes, PyString};

    use crate::batch;
    use crate::encode::Piece;
    use crate::engine::{Engine, Error, NumberInfo};
    use crate::settings::Settings;

    pyo3::import_exception!(tst.errors, TSTError);
    pyo3::import_exception!(tst.errors, TSTDecodeError);
    pyo3::import_exception!(tst.errors, TSTRangeError);

    /// A `str` as UTF-8 bytes; lone surrogates pass as their 3-byte sequences.
    fn utf8<'py>(s: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyBytes>> {
        // SAFETY: `s` is a live str; the call returns a new reference or NULL with an exception set.
        unsafe {
            let ptr = ffi::PyUnicode_AsEncodedString(s.as_ptr(), c"utf-8".as_ptr(), c"surrogatepass".as_ptr());
            Ok(Bound::from_owned_ptr_or_err(s.py(), ptr)?.cast_into_unchecked())
        }
    }

    #[cfg(unix)]
    extern "C" {
        // In the stable ABI from 3.10; exported by every CPython 3 (declared here for abi3-py39).
        fn PyUnicode_AsUTF8AndSize(unicode: *mut ffi::PyObject, size: *mut ffi::Py_ssize_t) -> *const c_char;
    }

    /// True when the str is ASCII (`str.isascii` reads a flag: constant time).
    fn is_ascii(s: &Bound<'_, PyString>) -> PyResult<bool> {
        s.call_method0(pyo3::intern!(s.py(), "isascii"))?.is_truthy()
    }

    /// Text for the engine as UTF-8: an ASCII str's own memory (CPython keeps ASCII as
    /// UTF-8), else a `surrogatepass` copy.
    enum Utf8<'a, 'py> {
        Borrowed(&'a [u8]),
        Owned(Bound<'py, PyBytes>),
    }

    impl Utf8<'_, '_> {
        fn bytes(&self) -> &[u8] {
            match self {
                Utf8::Borrowed(b) => b,
                Utf8::Owned(b) => b.as_bytes(),
            }
        }
    }

    fn utf8_of<'a, 'py>(s: &'a Bound<'py, PyString>) -> PyResult<Utf8<'a, 'py>> {
        #[cfg(unix)]
        if is_ascii(s)? {
            let mut size: ffi::Py_ssize_t = 0;
            // SAFETY: `s` is a live str; for an ASCII str CPython returns its own data (no
            // allocation), valid and immutable while `s` (borrowed for 'a) lives.
            let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
            if !ptr.is_null() {
                // SAFETY: `ptr` points at `size` initialised bytes owned by `s`.
                return Ok(Utf8::Borrowed(unsafe { std::slice::from_raw_parts(ptr as *const u8, size as usize) }));
            }
            let _ = PyErr::take(s.py());
        }
        Ok(Utf8::Owned(utf8(s)?))
    }

    thread_local! {
        /// Output memory kept between single calls on this thread (already faulted in).
        static SPARE: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// Largest output buffer kept in [`SPARE`] (in UTF-16 units: 64 MB). Fresh memory costs a
    /// page fault per 4 KiB, which on busy machines is slower than encoding the text itself.
    const SPARE_MAX: usize = 32 << 20;

    /// UTF-16 made by the engine as a `str` (CPython builds these several times faster than from UTF-8).
    fn text16<'py>(py: Python<'py>, units: &[u16]) -> PyResult<Bound<'py, PyString>> {
        let mut order: std::ffi::c_int = if cfg!(target_endian = "little") { -1 } else { 1 };
        // SAFETY: pointer and byte length describe `units`; an explicit byte order keeps a leading
        // U+FEFF as text; the result is a new str or NULL with an exception set.
        unsafe {
            let ptr = ffi::PyUnicode_DecodeUTF16(
                units.as_ptr() as *const c_char,
                (units.len() * 2) as ffi::Py_ssize_t,
                std::ptr::null(),
                &mut order,
            );
            Ok(Bound::from_owned_ptr_or_err(py, ptr)?.cast_into_unchecked())
        }
    }

    /// Bytes made by the engine back to a `str` (the inverse of [`utf8`]).
    ///
    /// ASCII goes through CPython's ASCII fast path, other text as UTF-16, text
    /// with lone surrogates as UTF-8 with `surrogatepass`.
    fn text<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyString>> {
        if !bytes.is_ascii() {
            if let Some(units) = py.detach(|| crate::chars::to_utf16(bytes)) {
                return text16(py, &units);
            }
        }
        // SAFETY: pointer and length describe `bytes`; the result is a new str or NULL with an exception.
        unsafe {
            let ptr = ffi::PyUnicode_DecodeUTF8(
                bytes.as_ptr() as *const c_char,
                bytes.len() as ffi::Py_ssize_t,
                c"surrogatepass".as_ptr(),
            );
            Ok(Bound::from_owned_ptr_or_err(py, ptr)?.cast_into_unchecked())
        }
    }

    /// An encoding as UTF-16 when the input allows, else as UTF-8 (lone surrogates).
    enum Encoded {
        Utf8(Vec<u8>),
        Utf16(Vec<u16>),
    }

    impl Encoded {
        fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyString>> {
            match self {
                Encoded::Utf8(v) => text(py, &v),
                Encoded::Utf16(v) => text16(py, &v),
            }
        }

        /// `into_py`, then keep a UTF-16 buffer's memory in [`SPARE`] for the next call.
        fn into_py_keeping(self, py: Python<'_>) -> PyResult<Bound<'_, PyString>> {
            match self {
                Encoded::Utf8(v) => text(py, &v),
                Encoded::Utf16(v) => {
                    let result = text16(py, &v);
                    if v.capacity() <= SPARE_MAX {
                        SPARE.with(|c| *c.borrow_mut() = v);
                    }
                    result
                }
            }
        }
    }

    fn encode_any(engine: &Engine, data: &[u8]) -> Result<Encoded, Error> {
        if crate::chars::has_surrogates(data) {
            engine.encode(data).map(Encoded::Utf8)
        } else {
            engine.encode_utf16(data).map(Encoded::Utf16)
        }
    }

    fn encode_offsets_any(engine: &Engine, data: &[u8]) -> Result<(Encoded, Vec<Piece>), Error> {
        if crate::chars::has_surrogates(data) {
            engine.encode_with_offsets(data).map(|(v, p)| (Encoded::Utf8(v), p))
        } else {
            engine.encode_with_offsets_utf16(data).map(|(v, p)| (Encoded::Utf16(v), p))
        }
    }

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

    fn threads(num_threads: Option<usize>) -> PyResult<usize> {
        batch::thread_count(num_threads).map_err(PyValueError::new_err)
    }

    /// Text to decode, held in the form that is cheapest to get from Python.
    enum Held<'a, 'py> {
        /// ASCII text (borrowed), or text with lone surrogates (a `surrogatepass` copy).
        Utf8(Utf8<'a, 'py>),
        /// Other text as code points (encoded text is mostly brackets and digits: UCS-2 inside CPython).
        Ucs4(Vec<u32>),
    }

    /// A view of [`Held`] text that may cross into threads without the GIL.
    enum View<'a> {
        Utf8(&'a [u8]),
        Ucs4(&'a [u32]),
    }

    impl View<'_> {
        fn len(&self) -> usize {
            match self {
                View::Utf8(b) => b.len(),
                View::Ucs4(u) => 2 * u.len(),
            }
        }

        /// Decode (code points into `buf`'s memory, as UTF-16).
        fn decode(&self, engine: &Engine, strict: bool, buf: Vec<u16>) -> Result<Encoded, Error> {
            match self {
                View::Utf8(b) => engine.decode(b, strict).map(Encoded::Utf8),
                View::Ucs4(u) => engine.decode_ucs4_into(u, strict, buf).map(Encoded::Utf16),
            }
        }
    }

    /// The code points of `s` in `buf` (its memory reused), or None when one is a lone surrogate.
    fn ucs4(s: &Bound<'_, PyString>, mut buf: Vec<u32>) -> PyResult<Option<Vec<u32>>> {
        let n = s.len()?;
        buf.clear();
        buf.reserve(n);
        // SAFETY: `buf` has room for `n` code points; CPython writes exactly `len(s)` of them
        // (no trailing NUL: copy_null = 0) or returns NULL with an exception set.
        unsafe {
            let ptr = ffi::PyUnicode_AsUCS4(s.as_ptr(), buf.as_mut_ptr(), n as ffi::Py_ssize_t, 0);
            if ptr.is_null() {
                return Err(PyErr::fetch(s.py()));
            }
            buf.set_len(n);
        }
        Ok((!buf.iter().any(|&c| (0xD800..0xE000).contains(&c))).then_some(buf))
    }

    /// Hold `s` for decoding: its own bytes when ASCII, else its code points (in `buf`'s memory).
    fn hold<'a, 'py>(s: &'a Bound<'py, PyString>, buf: Vec<u32>) -> PyResult<Held<'a, 'py>> {
        if is_ascii(s)? {
            return Ok(Held::Utf8(utf8_of(s)?));
        }
        match ucs4(s, buf)? {
            Some(points) => Ok(Held::Ucs4(points)),
            None => Ok(Held::Utf8(Utf8::Owned(utf8(s)?))),
        }
    }

    impl Held<'_, '_> {
        fn view(&self) -> View<'_> {
            match self {
                Held::Utf8(b) => View::Utf8(b.bytes()),
                Held::Ucs4(v) => View::Ucs4(v),
            }
        }
    }

    thread_local! {
        /// Input memory (code points) kept between single decode calls on this thread.
        static SPARE_POINTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// One codec configuration (settings validated by `tst.Settings` beforehand).
    #[pyclass(frozen, name = "Engine", module = "tst._tst_rs")]
    struct PyEngine {
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
            let st = Settings::new(
                variant,
                group_size,
                style,
                decimal,
                separators,
                indian,
                int_digits,
                frac_digits,
                overflow,
            )
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

    /// Free the output and input memory that single calls on this thread keep for the next call.
    #[pyfunction]
    fn release_buffers() {
        SPARE.with(|c| drop(c.take()));
        SPARE_POINTS.with(|c| drop(c.take()));
    }

    /// The compiled engine of `tst`; use it through `tst.Codec`.
    #[pymodule(gil_used = false)]
    fn _tst_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add_class::<PyEngine>()?;
        m.add_function(wrap_pyfunction!(release_buffers, m)?)?;
        m.add("UNICODE_VERSION", crate::unicode_tables::UNICODE_VERSION)?;
        m.add("PARALLEL_MIN_BYTES", batch::PARALLEL_MIN_BYTES)?;
        Ok(())
    }
}
