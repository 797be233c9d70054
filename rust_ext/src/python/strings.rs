//! Strings across the boundary: `str` to the units the engine reads, results back to `str`.
//!
//! Each direction uses what CPython converts fastest: an ASCII `str` is read in
//! place (CPython stores it as UTF-8), text to decode as code points
//! (`PyUnicode_AsUCS4`), results come back as UTF-16; lone surrogates travel as
//! UTF-8 with `surrogatepass`. Fresh memory costs a page fault per 4 KiB, so a
//! thread keeps the memory of its last result for the next call.

use std::ffi::c_char;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::encode::Piece;
use crate::engine::{Engine, Error};

/// A `str` as UTF-8 bytes; lone surrogates pass as their 3-byte sequences.
pub(crate) fn utf8<'py>(s: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyBytes>> {
    // SAFETY: `s` is a live str; the call returns a new reference or NULL with an exception set.
    unsafe {
        let ptr = ffi::PyUnicode_AsEncodedString(s.as_ptr(), c"utf-8".as_ptr(), c"surrogatepass".as_ptr());
        Ok(Bound::from_owned_ptr_or_err(s.py(), ptr)?.cast_into_unchecked())
    }
}

/// True when the str is ASCII (`str.isascii` reads a flag: constant time).
pub(crate) fn is_ascii(s: &Bound<'_, PyString>) -> PyResult<bool> {
    s.call_method0(pyo3::intern!(s.py(), "isascii"))?.is_truthy()
}

/// Text for the engine as UTF-8: an ASCII str's own memory (CPython keeps ASCII as
/// UTF-8), else a `surrogatepass` copy.
pub(crate) enum Utf8<'a, 'py> {
    Borrowed(&'a [u8]),
    Owned(Bound<'py, PyBytes>),
}

impl Utf8<'_, '_> {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Utf8::Borrowed(b) => b,
            Utf8::Owned(b) => b.as_bytes(),
        }
    }
}

pub(crate) fn utf8_of<'a, 'py>(s: &'a Bound<'py, PyString>) -> PyResult<Utf8<'a, 'py>> {
    // `PyUnicode_AsUTF8AndSize` is in the stable ABI from 3.10 (abi3-py310), on every platform.
    if is_ascii(s)? {
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live str; for an ASCII str CPython returns its own data (no
        // allocation), valid and immutable while `s` (borrowed for 'a) lives.
        let ptr = unsafe { ffi::PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
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
    pub(crate) static SPARE: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Largest output buffer kept in [`SPARE`] (in UTF-16 units: 64 MB). Fresh memory costs a
/// page fault per 4 KiB, which on busy machines is slower than encoding the text itself.
pub(crate) const SPARE_MAX: usize = 32 << 20;

/// UTF-16 made by the engine as a `str` (CPython builds these several times faster than from UTF-8).
pub(crate) fn text16<'py>(py: Python<'py>, units: &[u16]) -> PyResult<Bound<'py, PyString>> {
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
pub(crate) fn text<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyString>> {
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
pub(crate) enum Encoded {
    Utf8(Vec<u8>),
    Utf16(Vec<u16>),
}

impl Encoded {
    pub(crate) fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyString>> {
        match self {
            Encoded::Utf8(v) => text(py, &v),
            Encoded::Utf16(v) => text16(py, &v),
        }
    }

    /// `into_py`, then keep a UTF-16 buffer's memory in [`SPARE`] for the next call.
    pub(crate) fn into_py_keeping(self, py: Python<'_>) -> PyResult<Bound<'_, PyString>> {
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

pub(crate) fn encode_any(engine: &Engine, data: &[u8]) -> Result<Encoded, Error> {
    if crate::chars::has_surrogates(data) {
        engine.encode(data).map(Encoded::Utf8)
    } else {
        engine.encode_utf16(data).map(Encoded::Utf16)
    }
}

pub(crate) fn encode_offsets_any(engine: &Engine, data: &[u8]) -> Result<(Encoded, Vec<Piece>), Error> {
    if crate::chars::has_surrogates(data) {
        engine.encode_with_offsets(data).map(|(v, p)| (Encoded::Utf8(v), p))
    } else {
        engine.encode_with_offsets_utf16(data).map(|(v, p)| (Encoded::Utf16(v), p))
    }
}

/// Text to decode, held in the form that is cheapest to get from Python.
pub(crate) enum Held<'a, 'py> {
    /// ASCII text (borrowed), or text with lone surrogates (a `surrogatepass` copy).
    Utf8(Utf8<'a, 'py>),
    /// Other text as code points (encoded text is mostly brackets and digits: UCS-2 inside CPython).
    Ucs4(Vec<u32>),
}

/// A view of [`Held`] text that may cross into threads without the GIL.
pub(crate) enum View<'a> {
    Utf8(&'a [u8]),
    Ucs4(&'a [u32]),
}

impl View<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            View::Utf8(b) => b.len(),
            View::Ucs4(u) => 2 * u.len(),
        }
    }

    /// Decode (code points into `buf`'s memory, as UTF-16).
    pub(crate) fn decode(&self, engine: &Engine, strict: bool, buf: Vec<u16>) -> Result<Encoded, Error> {
        match self {
            View::Utf8(b) => engine.decode(b, strict).map(Encoded::Utf8),
            View::Ucs4(u) => engine.decode_ucs4_into(u, strict, buf).map(Encoded::Utf16),
        }
    }
}

/// The code points of `s` in `buf` (its memory reused), or None when one is a lone surrogate.
pub(crate) fn ucs4(s: &Bound<'_, PyString>, mut buf: Vec<u32>) -> PyResult<Option<Vec<u32>>> {
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
pub(crate) fn hold<'a, 'py>(s: &'a Bound<'py, PyString>, buf: Vec<u32>) -> PyResult<Held<'a, 'py>> {
    if is_ascii(s)? {
        return Ok(Held::Utf8(utf8_of(s)?));
    }
    match ucs4(s, buf)? {
        Some(points) => Ok(Held::Ucs4(points)),
        None => Ok(Held::Utf8(Utf8::Owned(utf8(s)?))),
    }
}

impl Held<'_, '_> {
    pub(crate) fn view(&self) -> View<'_> {
        match self {
            Held::Utf8(b) => View::Utf8(b.bytes()),
            Held::Ucs4(v) => View::Ucs4(v),
        }
    }
}

thread_local! {
    /// Input memory (code points) kept between single decode calls on this thread.
    pub(crate) static SPARE_POINTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}
