//! Arrow string arrays through the engine without one object per string.
//!
//! An Arrow `string` / `large_string` array is a validity bitmap, an offsets
//! buffer (`i32` / `i64`, one more entry than items) and one data buffer of
//! UTF-8 bytes. [`convert`] reads those buffers, runs the engine on every valid
//! item and writes the new buffers (offsets from 0, no array offset), so the
//! caller rebuilds the array with `pyarrow.Array.from_buffers`. A failing item
//! becomes null and its error is kept; nulls stay null. The pure-Python engine
//! does the same through `to_pylist` (`tst/_python_engine.py`), the readable
//! reference the tests compare these buffers against.

use crate::batch;
use crate::engine::Error;

/// Input bytes per piece of work handed to a thread.
const CHUNK_BYTES: usize = 256 * 1024;

/// The offsets buffer of a string array.
#[derive(Clone, Copy, Debug)]
pub enum Offsets<'a> {
    /// `string`: 32-bit offsets.
    Small(&'a [i32]),
    /// `large_string`: 64-bit offsets.
    Large(&'a [i64]),
}

impl Offsets<'_> {
    fn len(&self) -> usize {
        match self {
            Offsets::Small(o) => o.len(),
            Offsets::Large(o) => o.len(),
        }
    }

    fn at(&self, k: usize) -> i64 {
        match self {
            Offsets::Small(o) => i64::from(o[k]),
            Offsets::Large(o) => o[k],
        }
    }
}

/// A borrowed Arrow string array: item `k` is `data[offsets[offset + k]..offsets[offset + k + 1]]`,
/// valid when bit `offset + k` of `validity` is set (no bitmap: all valid).
#[derive(Clone, Copy, Debug)]
pub struct Strings<'a> {
    /// Number of items.
    pub len: usize,
    /// The array's offset into its buffers (a slice of a bigger array).
    pub offset: usize,
    /// Validity bitmap (LSB first), or None.
    pub validity: Option<&'a [u8]>,
    /// Offsets buffer.
    pub offsets: Offsets<'a>,
    /// Data buffer.
    pub data: &'a [u8],
}

impl<'a> Strings<'a> {
    /// Check that every offset the items use lies in order inside `data` and that
    /// valid items are UTF-8; an error message names the first problem.
    pub fn check(&self) -> Result<(), String> {
        let end = self.offset.checked_add(self.len).ok_or("array too long")?;
        if self.offsets.len() <= end {
            return Err(format!("the offsets buffer has {} entries, {} needed", self.offsets.len(), end + 1));
        }
        if let Some(v) = self.validity {
            if v.len() * 8 < end {
                return Err("the validity bitmap is shorter than the array".into());
            }
        }
        for k in 0..self.len {
            let (a, b) = (self.offsets.at(self.offset + k), self.offsets.at(self.offset + k + 1));
            if a < 0 || b < a || b as u64 > self.data.len() as u64 {
                return Err(format!("offsets of item {k} ({a}..{b}) lie outside the data buffer"));
            }
        }
        for k in 0..self.len {
            if let Some(item) = self.get(k) {
                if std::str::from_utf8(item).is_err() {
                    return Err(format!("item {k} is not valid UTF-8"));
                }
            }
        }
        Ok(())
    }

    /// Item `k`, or None when null (offsets checked by [`Strings::check`]).
    pub fn get(&self, k: usize) -> Option<&'a [u8]> {
        let bit = self.offset + k;
        if let Some(v) = self.validity {
            if v[bit / 8] >> (bit % 8) & 1 == 0 {
                return None;
            }
        }
        let (a, b) = (self.offsets.at(bit) as usize, self.offsets.at(bit + 1) as usize);
        Some(&self.data[a..b])
    }

    fn bytes(&self, items: std::ops::Range<usize>) -> usize {
        if items.is_empty() {
            return 0;
        }
        (self.offsets.at(self.offset + items.end) - self.offsets.at(self.offset + items.start)) as usize
    }
}

/// New buffers for a string array of the same type.
#[derive(Debug, Default)]
pub struct Converted {
    /// Nulls in the result (inputs' nulls and failed items).
    pub null_count: usize,
    /// Validity bitmap of the result; None when it has no null.
    pub validity: Option<Vec<u8>>,
    /// Offsets buffer (little-endian `i32` or `i64`), `len + 1` entries from 0.
    pub offsets: Vec<u8>,
    /// Data buffer.
    pub data: Vec<u8>,
    /// `(item, error)` for every failed item, in item order.
    pub failures: Vec<(usize, Error)>,
}

struct Piece {
    data: Vec<u8>,
    ends: Vec<usize>,
    nulls: Vec<usize>,
    failures: Vec<(usize, Error)>,
}

/// Run `f` on every valid item of `strings` (`f` appends the result to its buffer, and leaves it
/// as it was on an error; what it returns is ignored), over `threads` threads for big arrays.
///
/// `large` picks 64-bit output offsets; with 32-bit ones a result over 2 GiB is an error.
pub fn convert<F, T>(strings: &Strings<'_>, large: bool, threads: usize, f: F) -> Result<Converted, String>
where
    F: Fn(&[u8], &mut Vec<u8>) -> Result<T, Error> + Sync,
{
    strings.check()?;
    let ranges = chunks(strings);
    let pieces = batch::map(
        &ranges,
        |r| strings.bytes(r.clone()).max(1),
        threads,
        |r| {
            let mut p =
                Piece { data: Vec::new(), ends: Vec::with_capacity(r.len()), nulls: Vec::new(), failures: Vec::new() };
            for k in r.clone() {
                match strings.get(k).map(|item| f(item, &mut p.data)) {
                    None => p.nulls.push(k),
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        p.nulls.push(k);
                        p.failures.push((k, e));
                    }
                }
                p.ends.push(p.data.len());
            }
            p
        },
    );
    let total: usize = pieces.iter().map(|p| p.data.len()).sum();
    if !large && total > i32::MAX as usize {
        return Err(format!(
            "the converted strings take {total} bytes, more than a `string` array holds; use large_string"
        ));
    }
    let width = if large { 8 } else { 4 };
    let mut out = Converted {
        offsets: Vec::with_capacity((strings.len + 1) * width),
        data: Vec::with_capacity(total),
        ..Converted::default()
    };
    let mut push = |v: usize| {
        if large {
            out.offsets.extend_from_slice(&(v as i64).to_le_bytes());
        } else {
            out.offsets.extend_from_slice(&(v as i32).to_le_bytes());
        }
    };
    push(0);
    let mut nulls = Vec::new();
    for p in pieces {
        let base = out.data.len();
        for e in &p.ends {
            push(base + e);
        }
        out.data.extend_from_slice(&p.data);
        nulls.extend(p.nulls);
        out.failures.extend(p.failures);
    }
    out.null_count = nulls.len();
    if !nulls.is_empty() {
        let mut bits = vec![0xFFu8; strings.len.div_ceil(8)];
        for k in nulls {
            bits[k / 8] &= !(1 << (k % 8));
        }
        if strings.len % 8 != 0 {
            let last = bits.len() - 1;
            bits[last] &= (1u8 << (strings.len % 8)) - 1;
        }
        out.validity = Some(bits);
    }
    Ok(out)
}

/// Item ranges of about `CHUNK_BYTES` input bytes each.
fn chunks(strings: &Strings<'_>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for k in 0..strings.len {
        size += strings.bytes(k..k + 1) + 16;
        if size >= CHUNK_BYTES {
            out.push(start..k + 1);
            start = k + 1;
            size = 0;
        }
    }
    if start < strings.len || out.is_empty() {
        out.push(start..strings.len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Settings};

    fn le(v: &[u8]) -> Vec<i32> {
        v.chunks(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
    }

    #[test]
    fn converts_slices_with_nulls_and_failures() {
        let mut st = Settings::default_exact("vocab");
        st.int_digits = 4;
        st.overflow = crate::settings::Overflow::Error;
        let engine = Engine::new(st);
        // Items: "x" | "1,000" | null | "12" | "12345" | "" ; the array is the slice from item 1.
        let data = b"x1,000junk1212345";
        let offsets = [0, 1, 6, 10, 12, 17, 17];
        let validity = [0b0011_1011u8];
        let s = Strings { len: 5, offset: 1, validity: Some(&validity), offsets: Offsets::Small(&offsets), data };
        let out = convert(&s, false, 1, |d, out| engine.encode_append(d, out)).unwrap();
        let text = String::from_utf8(out.data.clone()).unwrap();
        assert_eq!(text, "⟦,3⟧⟦1k⟧⟦000⟧⟦12⟧");
        assert_eq!(le(&out.offsets), [0, 25, 25, 33, 33, 33]);
        assert_eq!(out.validity, Some(vec![0b0001_0101]));
        assert_eq!(out.null_count, 2);
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].0, 3);
        let all = Strings { len: 2, offset: 0, validity: None, offsets: Offsets::Small(&offsets), data };
        assert!(convert(&all, true, 4, |d, out| engine.encode_append(d, out)).unwrap().validity.is_none());
    }

    #[test]
    fn rejects_bad_buffers() {
        let engine = Engine::new(Settings::default_exact("vocab"));
        let offsets = [0i64, 4, 2];
        let s = Strings { len: 2, offset: 0, validity: None, offsets: Offsets::Large(&offsets), data: b"abcd" };
        assert!(convert(&s, true, 1, |d, out| engine.encode_append(d, out)).unwrap_err().contains("item 1"));
        let offsets = [0i64, 2];
        let s = Strings { len: 1, offset: 0, validity: None, offsets: Offsets::Large(&offsets), data: b"\xff\xfe" };
        assert!(convert(&s, true, 1, |d, out| engine.encode_append(d, out)).unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn parallel_pieces_keep_order() {
        let engine = Engine::new(Settings::default_exact("marker"));
        let items: Vec<String> = (0..40_000).map(|k| format!("row {k}: {}", k * 37)).collect();
        let mut data = Vec::new();
        let mut offsets = vec![0i64];
        for t in &items {
            data.extend_from_slice(t.as_bytes());
            offsets.push(data.len() as i64);
        }
        let s = Strings { len: items.len(), offset: 0, validity: None, offsets: Offsets::Large(&offsets), data: &data };
        let one = convert(&s, true, 1, |d, out| engine.encode_append(d, out)).unwrap();
        let four = convert(&s, true, 4, |d, out| engine.encode_append(d, out)).unwrap();
        assert_eq!(one.data, four.data);
        assert_eq!(one.offsets, four.offsets);
        let expected: String = items.iter().map(|t| engine.encode_str(t).unwrap()).collect();
        assert_eq!(one.data, expected.into_bytes());
    }
}
