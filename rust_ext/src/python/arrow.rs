//! Arrow string arrays from Python through the Arrow C data interface (PyCapsule protocol).
//!
//! Any object with `__arrow_c_array__` (a `pyarrow.Array`, and other Arrow
//! libraries' arrays) hands over its buffers without a copy; the results go
//! back as `bytes` that `pyarrow.py_buffer` wraps without a copy either.

use std::ffi::{c_char, c_void, CStr};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyTuple};

use crate::arrow::{Converted, Offsets, Strings};

/// `struct ArrowSchema` of the Arrow C data interface.
#[repr(C)]
struct ArrowSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut ArrowSchema,
    dictionary: *mut ArrowSchema,
    release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    private_data: *mut c_void,
}

/// `struct ArrowArray` of the Arrow C data interface.
#[repr(C)]
struct ArrowArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut ArrowArray,
    dictionary: *mut ArrowArray,
    release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    private_data: *mut c_void,
}

/// A typed slice of `n` items at `ptr`, borrowed when aligned, else copied.
enum Held<T: 'static> {
    Borrowed(&'static [T]),
    Owned(Vec<T>),
}

impl<T: Copy + 'static> Held<T> {
    /// # Safety
    /// `ptr` must point at `n` readable items of `T` that outlive every use of the result.
    unsafe fn new(ptr: *const c_void, n: usize) -> Held<T> {
        if n == 0 || ptr.is_null() {
            return Held::Owned(Vec::new());
        }
        if (ptr as usize) % std::mem::align_of::<T>() == 0 {
            return Held::Borrowed(std::slice::from_raw_parts(ptr as *const T, n));
        }
        let mut v = Vec::with_capacity(n);
        std::ptr::copy_nonoverlapping(ptr as *const u8, v.as_mut_ptr() as *mut u8, n * std::mem::size_of::<T>());
        v.set_len(n);
        Held::Owned(v)
    }

    fn slice(&self) -> &[T] {
        match self {
            Held::Borrowed(s) => s,
            Held::Owned(v) => v,
        }
    }
}

/// Run `f` on the string array behind `array` (`string` or `large_string`); `f` gets the array and
/// whether it is `large_string`. The buffers stay alive (the capsules are held) while `f` runs.
pub(crate) fn with_strings<'py, R>(
    array: &Bound<'py, PyAny>,
    f: impl FnOnce(&Strings<'_>, bool) -> PyResult<R>,
) -> PyResult<R> {
    let capsules = array
        .call_method0(pyo3::intern!(array.py(), "__arrow_c_array__"))
        .map_err(|_| PyTypeError::new_err("expected an Arrow array (an object with __arrow_c_array__)"))?;
    let pair = capsules.cast::<PyTuple>()?;
    let schema_capsule = pair.get_item(0)?.cast_into::<PyCapsule>()?;
    let array_capsule = pair.get_item(1)?.cast_into::<PyCapsule>()?;
    let schema = schema_capsule.pointer_checked(Some(c"arrow_schema"))?.cast::<ArrowSchema>();
    let raw = array_capsule.pointer_checked(Some(c"arrow_array"))?.cast::<ArrowArray>();
    // SAFETY: the capsules hold a live, exported schema and array (released when they are freed,
    // after this function); the format is a NUL-terminated string.
    let (format, a) = unsafe { (CStr::from_ptr(schema.as_ref().format).to_bytes(), raw.as_ref()) };
    let large = match format {
        b"u" => false,
        b"U" => true,
        other => {
            let name = String::from_utf8_lossy(other);
            return Err(PyTypeError::new_err(format!(
                "expected an Arrow string or large_string array, not format {name:?}"
            )));
        }
    };
    if a.n_buffers != 3 || a.length < 0 || a.offset < 0 {
        return Err(PyValueError::new_err("malformed Arrow string array"));
    }
    let (len, offset) = (a.length as usize, a.offset as usize);
    let end = offset + len;
    // SAFETY: a string array has three buffers: validity (may be NULL), offsets (end + 1 entries),
    // data (at least up to the last offset, checked by `Strings::check` through the slice length).
    unsafe {
        let buffers = std::slice::from_raw_parts(a.buffers, 3);
        let validity: Option<Held<u8>> = (!buffers[0].is_null()).then(|| Held::new(buffers[0], end.div_ceil(8)));
        let (small, wide, last);
        if large {
            wide = Held::<i64>::new(buffers[1], end + 1);
            small = Held::<i32>::Owned(Vec::new());
            last = wide.slice().last().copied().unwrap_or(0);
        } else {
            small = Held::<i32>::new(buffers[1], end + 1);
            wide = Held::<i64>::Owned(Vec::new());
            last = small.slice().last().copied().map_or(0, i64::from);
        }
        if last < 0 {
            return Err(PyValueError::new_err("malformed Arrow string array: negative offset"));
        }
        let data = Held::<u8>::new(buffers[2], last as usize);
        let strings = Strings {
            len,
            offset,
            validity: validity.as_ref().map(Held::slice),
            offsets: if large { Offsets::Large(wide.slice()) } else { Offsets::Small(small.slice()) },
            data: data.slice(),
        };
        let result = f(&strings, large);
        drop((schema_capsule, array_capsule));
        result
    }
}

/// `(null_count, validity or None, offsets, data)` as Python objects.
pub(crate) type Buffers<'py> = (usize, Option<Bound<'py, PyBytes>>, Bound<'py, PyBytes>, Bound<'py, PyBytes>);

pub(crate) fn buffers<'py>(py: Python<'py>, c: &Converted) -> Buffers<'py> {
    (
        c.null_count,
        c.validity.as_ref().map(|v| PyBytes::new(py, v)),
        PyBytes::new(py, &c.offsets),
        PyBytes::new(py, &c.data),
    )
}
