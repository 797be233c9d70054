//! Exact-style encoding: each number becomes units, all other text is kept (escaped).
//!
//! Port of `tst/_encode.py`. One pass: the grammar hands each number over as it
//! is found and the writer copies the text before it, so nothing is collected.
//! The units of a number are assembled in a scratch buffer with fixed-size
//! copies and appended to the output at once: number-dense text is mostly units.

use std::sync::OnceLock;

use memchr::memchr_iter;

use crate::chars::{count_chars, CharCursor};
use crate::grammar::{for_each_group, scan_numbers, scan_with_out_of_range, Group, Numeral, RangeError, DIGITS_MAX};
use crate::settings::{Overflow, Settings, Variant};
use crate::spelling::{
    push_frac_name, push_int_name, CLOSE_BYTES, FRACTION, OPEN_BYTES, TAG_INDIAN, TAG_WESTERN, UNITS_MARKER,
};
use crate::units::Unit;

/// `(enc_start, enc_end, orig_start, orig_end)` of one unit or escape, in code points.
pub type Piece = (usize, usize, usize, usize);

/// Longest magnitude name written through the fast path.
const NAME_MAX: usize = 24;
/// Integer magnitudes (in groups) with a precomputed name.
const NAMED_POWERS: usize = 64;
/// Most units one group adds on the fast path: two units, a decimal mark.
const GROUP_MAX: usize = 2 * (3 + DIGITS_MAX + NAME_MAX + 3) + 1;
/// Scratch buffer size; flushed to the output before it could overflow.
const SCRATCH: usize = 1024;

/// Names of the integer magnitudes `k * g` for one group size `g`, padded for fixed-size copies.
struct NameTable {
    names: [[u8; NAME_MAX]; NAMED_POWERS],
    lens: [u8; NAMED_POWERS],
}

/// The name table of group size `g` (built once per process).
fn name_table(g: usize) -> &'static NameTable {
    static TABLES: [OnceLock<NameTable>; 7] = [const { OnceLock::new() }; 7];
    TABLES[g].get_or_init(|| {
        let mut t = NameTable { names: [[0; NAME_MAX]; NAMED_POWERS], lens: [0; NAMED_POWERS] };
        for k in 0..NAMED_POWERS {
            let mut v = Vec::new();
            push_int_name(&mut v, k * g, g);
            t.names[k][..v.len()].copy_from_slice(&v);
            t.lens[k] = v.len() as u8;
        }
        t
    })
}

/// `NAME_MAX` copies of `p`: the depth markers of the fast path.
static PS: [u8; NAME_MAX] = [FRACTION; NAME_MAX];

/// Accumulates the encoded text and, when `OFFSETS`, the pieces that map it back.
struct Writer<'a, U: Unit, const OFFSETS: bool> {
    src: &'a [u8],
    out: Vec<U>,
    pieces: Vec<Piece>,
    /// Encoded length so far, in code points (kept only with `OFFSETS`).
    enc_len: usize,
    cursor: CharCursor<'a>,
    names: &'static NameTable,
    scratch: Box<[U; SCRATCH]>,
}

impl<'a, U: Unit, const OFFSETS: bool> Writer<'a, U, OFFSETS> {
    fn new(src: &'a [u8], out: Vec<U>, g: usize) -> Self {
        Writer {
            src,
            out,
            pieces: Vec::new(),
            enc_len: 0,
            cursor: CharCursor::new(src),
            names: name_table(g),
            scratch: Box::new([U::default(); SCRATCH]),
        }
    }

    /// Copy `src[a..b]` verbatim, escaping literal brackets.
    #[inline]
    fn text(&mut self, a: usize, b: usize) {
        let chunk = &self.src[a..b];
        if chunk.len() < 16 && !chunk.contains(&0xE2) {
            self.raw(chunk);
            return;
        }
        let mut k = 0;
        for p in memchr_iter(0xE2, chunk) {
            let esc = match chunk.get(p..p + 3) {
                Some(x) if x == OPEN_BYTES => U::ESCAPED_OPEN,
                Some(x) if x == CLOSE_BYTES => U::ESCAPED_CLOSE,
                _ => continue,
            };
            self.raw(&chunk[k..p]);
            if OFFSETS {
                let orig = self.cursor.at(a + p);
                self.pieces.push((self.enc_len, self.enc_len + 3, orig, orig + 1));
                self.enc_len += 3;
            }
            self.out.extend_from_slice(esc);
            k = p + 3;
        }
        self.raw(&chunk[k..]);
    }

    #[inline]
    fn raw(&mut self, bytes: &[u8]) {
        if OFFSETS {
            self.enc_len += count_chars(bytes);
        }
        U::push_text(&mut self.out, bytes);
    }

    /// Record a unit of `len` code units (ASCII content) standing for `src[a..b]`.
    #[inline]
    fn piece(&mut self, len: usize, a: usize, b: usize) {
        if OFFSETS {
            let chars = len - 2 * U::OPEN.len() + 2; // each bracket is one code point
            let orig_a = self.cursor.at(a);
            let orig_b = if b == a { orig_a } else { self.cursor.at(b) };
            self.pieces.push((self.enc_len, self.enc_len + chars, orig_a, orig_b));
            self.enc_len += chars;
        }
    }

    /// The grouping tag of a number written with separators (zero-width in the original).
    fn tag(&mut self, sep: u32, indian: bool, at: usize) {
        let ch = char::from_u32(sep).unwrap_or(char::REPLACEMENT_CHARACTER);
        self.out.extend_from_slice(U::OPEN);
        U::push_text(&mut self.out, ch.encode_utf8(&mut [0u8; 4]).as_bytes());
        self.out.push(U::ascii(if indian { TAG_INDIAN } else { TAG_WESTERN }));
        self.out.extend_from_slice(U::CLOSE);
        if OFFSETS {
            let orig = self.cursor.at(at);
            self.pieces.push((self.enc_len, self.enc_len + 4, orig, orig));
            self.enc_len += 4;
        }
    }

    fn number(&mut self, num: &Numeral<'_>, st: &Settings) {
        let g = st.group_size;
        let vocab = st.variant == Variant::Vocab;
        if let Some(sep) = num.sep {
            self.tag(sep, num.indian, num.start);
        }
        let src = self.src;
        let mut k = 0; // bytes of the scratch buffer in use
        for_each_group(src, num, g, |grp| {
            if k + GROUP_MAX > SCRATCH {
                self.out.extend_from_slice(&self.scratch[..k]);
                k = 0;
            }
            if grp.depth == 1 {
                self.scratch[k] = U::ascii(src[grp.start - 1]); // the decimal mark
                k += 1;
                if OFFSETS {
                    self.enc_len += 1;
                }
            }
            match self.name(grp, g) {
                Some((name, len)) => k = self.group(k, grp, name, len, vocab),
                None => {
                    self.out.extend_from_slice(&self.scratch[..k]);
                    k = 0;
                    self.group_slow(grp, vocab, g);
                }
            }
        });
        self.out.extend_from_slice(&self.scratch[..k]);
    }

    /// The magnitude name of `grp`, padded to `NAME_MAX` bytes, and its length; None when too long.
    #[inline]
    fn name(&self, grp: &Group, g: usize) -> Option<(&'static [u8; NAME_MAX], usize)> {
        if grp.depth > 0 {
            return (grp.depth <= NAME_MAX).then_some((&PS, grp.depth));
        }
        let k = grp.power as usize / g;
        let names = self.names;
        (k < NAMED_POWERS).then(|| (&names.names[k], names.lens[k] as usize))
    }

    /// Write the unit(s) of one group into the scratch buffer at `k`; returns the new end.
    #[inline]
    fn group(&mut self, mut k: usize, grp: &Group, name: &[u8; NAME_MAX], name_len: usize, vocab: bool) -> usize {
        let buf = &mut self.scratch[k..k + GROUP_MAX];
        let (o, c) = (U::OPEN.len(), U::CLOSE.len());
        buf[..o].copy_from_slice(U::OPEN);
        widen(&mut buf[o..o + DIGITS_MAX], grp.digits_padded());
        let mut p = o + grp.digits().len();
        if vocab {
            widen(&mut buf[p..p + NAME_MAX], name);
            p += name_len;
            buf[p..p + c].copy_from_slice(U::CLOSE);
            p += c;
            k += p;
            self.piece(p, grp.start, grp.end);
        } else {
            buf[p..p + c].copy_from_slice(U::CLOSE);
            p += c;
            let first = p;
            buf[p..p + o].copy_from_slice(U::OPEN);
            p += o;
            if name_len == 0 {
                buf[p] = U::ascii(UNITS_MARKER[0]);
                p += 1;
            } else {
                widen(&mut buf[p..p + NAME_MAX], name);
                p += name_len;
            }
            buf[p..p + c].copy_from_slice(U::CLOSE);
            p += c;
            k += p;
            self.piece(first, grp.start, grp.end);
            self.piece(p - first, grp.end, grp.end);
        }
        k
    }

    /// `group` for names too long for the fast path (deep fractions, huge powers).
    fn group_slow(&mut self, grp: &Group, vocab: bool, g: usize) {
        let mut name = Vec::new();
        if grp.depth > 0 {
            push_frac_name(&mut name, grp.depth);
        } else {
            push_int_name(&mut name, grp.power as usize, g);
        }
        let out = &mut self.out;
        let before = out.len();
        out.extend_from_slice(U::OPEN);
        out.extend(grp.digits().iter().map(|&b| U::ascii(b)));
        if !vocab {
            out.extend_from_slice(U::CLOSE);
            let first = out.len() - before;
            self.piece(first, grp.start, grp.end);
            self.out.extend_from_slice(U::OPEN);
        }
        let name_start = self.out.len() - U::OPEN.len();
        self.out.extend(name.iter().map(|&b| U::ascii(b)));
        self.out.extend_from_slice(U::CLOSE);
        if vocab {
            self.piece(self.out.len() - before, grp.start, grp.end);
        } else {
            self.piece(self.out.len() - name_start, grp.end, grp.end);
        }
    }
}

/// Copy ASCII bytes into units, element by element (a fixed-size widening copy).
#[inline]
fn widen<U: Unit, const N: usize>(dst: &mut [U], src: &[u8; N]) {
    for (d, &b) in dst[..N].iter_mut().zip(src) {
        *d = U::ascii(b);
    }
}

fn run<U: Unit, const OFFSETS: bool>(s: &[u8], st: &Settings) -> Result<(Vec<U>, Vec<Piece>), RangeError> {
    run_into::<U, OFFSETS>(s, st, Vec::new())
}

/// `run` writing into `out` (cleared first), so a caller can reuse one buffer's memory.
fn run_into<U: Unit, const OFFSETS: bool>(
    s: &[u8],
    st: &Settings,
    mut out: Vec<U>,
) -> Result<(Vec<U>, Vec<Piece>), RangeError> {
    out.clear();
    out.reserve(s.len() + s.len() / 2 + 64);
    let mut w: Writer<'_, U, OFFSETS> = Writer::new(s, out, st.group_size);
    let mut pos = 0;
    scan_numbers(s, st, |num| {
        w.text(pos, num.start);
        w.number(num, st);
        pos = num.end;
    })?;
    w.text(pos, s.len());
    Ok((w.out, w.pieces))
}

/// Encode `s` (UTF-8, lone surrogates allowed) in the exact style.
pub fn encode(s: &[u8], st: &Settings) -> Result<Vec<u8>, RangeError> {
    run::<u8, false>(s, st).map(|(out, _)| out)
}

/// What [`encode_append`] counted in one text (the data layer's counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Numbers encoded.
    pub numbers: usize,
    /// Numerals left as text (`overflow = "text"`) for their integer digits (an exponent counts here).
    pub out_of_range_integer: usize,
    /// Numerals left as text for their fractional digits (integer part in range).
    pub out_of_range_fraction: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.numbers += other.numbers;
        self.out_of_range_integer += other.out_of_range_integer;
        self.out_of_range_fraction += other.out_of_range_fraction;
    }
}

/// `encode` appending to `out`, giving what it encoded and left as text: many short strings reuse
/// one buffer's memory (the data layer's Arrow and JSON Lines paths). The out-of-range counts are
/// those of `tst.data`'s `count_out_of_range` (the same grammar pass reports them), zero unless
/// `overflow = "text"`. On an error `out` is left as it was.
pub fn encode_append(s: &[u8], st: &Settings, out: &mut Vec<u8>) -> Result<Tally, RangeError> {
    let before = out.len();
    let mut w: Writer<'_, u8, false> = Writer::new(s, std::mem::take(out), st.group_size);
    let mut pos = 0;
    let mut tally = Tally::default();
    let text = st.overflow == Overflow::Text;
    let mut numbers = 0;
    let found = scan_with_out_of_range(
        s,
        st,
        |num| {
            w.text(pos, num.start);
            w.number(num, st);
            pos = num.end;
            numbers += 1;
        },
        |r| {
            if text {
                if r.integer {
                    tally.out_of_range_integer += 1;
                } else {
                    tally.out_of_range_fraction += 1;
                }
            }
        },
    );
    if found.is_ok() {
        w.text(pos, s.len());
    } else {
        w.out.truncate(before);
    }
    *out = w.out;
    tally.numbers = numbers;
    found.map(|()| tally)
}

/// Encode `s` (UTF-8 without lone surrogates) straight to UTF-16.
pub fn encode_utf16(s: &[u8], st: &Settings) -> Result<Vec<u16>, RangeError> {
    run::<u16, false>(s, st).map(|(out, _)| out)
}

/// `encode_utf16` into the memory of `buf` (cleared first): no fresh pages for repeated calls.
pub fn encode_utf16_into(s: &[u8], st: &Settings, buf: Vec<u16>) -> Result<Vec<u16>, RangeError> {
    run_into::<u16, false>(s, st, buf).map(|(out, _)| out)
}

/// Encode `s` and list where every unit and escape came from (code point offsets).
///
/// Text between two pieces is either copied verbatim (same length on both
/// sides) or, inside a number, dropped separators (empty in the encoding).
/// Inserted units (grouping tags, marker-variant markers) are zero-width in the original.
pub fn encode_with_offsets(s: &[u8], st: &Settings) -> Result<(Vec<u8>, Vec<Piece>), RangeError> {
    run::<u8, true>(s, st)
}

/// `encode_with_offsets` straight to UTF-16 (no lone surrogates in `s`).
pub fn encode_with_offsets_utf16(s: &[u8], st: &Settings) -> Result<(Vec<u16>, Vec<Piece>), RangeError> {
    run::<u16, true>(s, st)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(text: &str, st: &Settings) -> String {
        String::from_utf8(encode(text.as_bytes(), st).unwrap()).unwrap()
    }

    #[test]
    fn encode_append_tallies_numbers_and_numerals_left_as_text() {
        let mut st = Settings::default_exact("vocab");
        st.int_digits = 4;
        st.frac_digits = 2;
        let text = "a 123456 b 1.2345 c 12 d 1e-99999 ";
        let mut out = b"kept".to_vec();
        let tally = encode_append(text.as_bytes(), &st, &mut out).unwrap();
        assert_eq!(&out[4..], enc(text, &st).as_bytes());
        let want = Tally { numbers: 2, out_of_range_integer: 2, out_of_range_fraction: 1 };
        assert_eq!(tally, want);
        st.overflow = Overflow::Extend; // encoded, not left as text: nothing to count
        let tally = encode_append(text.as_bytes(), &st, &mut Vec::new()).unwrap();
        assert_eq!((tally.out_of_range_integer, tally.out_of_range_fraction), (0, 0));
        st.overflow = Overflow::Error;
        let mut out = b"kept".to_vec();
        assert!(encode_append(text.as_bytes(), &st, &mut out).is_err());
        assert_eq!(out, b"kept");
    }

    #[test]
    fn vocab_and_marker_surfaces() {
        let v = Settings::default_exact("vocab");
        assert_eq!(enc("Pay $1,234.5", &v), "Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧");
        assert_eq!(enc("12,345,678.1234", &v), "⟦,3⟧⟦12m⟧⟦345k⟧⟦678⟧.⟦123p⟧⟦4pp⟧");
        let m = Settings::default_exact("marker");
        assert_eq!(enc("12,345,678.1234", &m), "⟦,3⟧⟦12⟧⟦m⟧⟦345⟧⟦k⟧⟦678⟧⟦u⟧.⟦123⟧⟦p⟧⟦4⟧⟦pp⟧");
        assert_eq!(enc("a ⟦b⟧ 7", &m), "a ⟦⟦⟧b⟦⟧⟧ ⟦7⟧⟦u⟧");
        assert_eq!(enc("1234567890123456789", &v), "1234567890123456789");
        let mut x = Settings::default_exact("vocab");
        x.overflow = crate::settings::Overflow::Extend;
        assert_eq!(enc("1234567890123456789", &x), "⟦1e18⟧⟦234q⟧⟦567t⟧⟦890b⟧⟦123m⟧⟦456k⟧⟦789⟧");
    }

    #[test]
    fn long_numbers_and_deep_fractions_take_the_slow_path() {
        let mut x = Settings::default_exact("marker");
        x.overflow = crate::settings::Overflow::Extend;
        x.group_size = 1;
        let digits = "1".repeat(300);
        let text = format!("{digits}.{digits}");
        let out = enc(&text, &x);
        assert!(out.starts_with("⟦1⟧⟦e299⟧⟦1⟧⟦e298⟧"));
        assert!(out.ends_with(&format!("⟦1⟧⟦{}⟧", "p".repeat(300))));
        let decoded = crate::decode::decode(out.as_bytes(), &x, true).unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), text);
    }

    #[test]
    fn utf16_output_is_the_same_text() {
        for variant in ["marker", "vocab"] {
            let st = Settings::default_exact(variant);
            let text = "é ⟦x⟧ 1,234.5 😀 2e-7 12,34,567 ".repeat(3);
            let utf8 = enc(&text, &st);
            let utf16 = encode_utf16(text.as_bytes(), &st).unwrap();
            assert_eq!(String::from_utf16(&utf16).unwrap(), utf8);
            let (a, pa) = encode_with_offsets(text.as_bytes(), &st).unwrap();
            let (b, pb) = encode_with_offsets_utf16(text.as_bytes(), &st).unwrap();
            assert_eq!(String::from_utf16(&b).unwrap(), String::from_utf8(a).unwrap());
            assert_eq!(pa, pb);
        }
    }

    #[test]
    fn offsets_point_into_the_original() {
        let v = Settings::default_exact("vocab");
        let (out, pieces) = encode_with_offsets("é ⟦ 1,234".as_bytes(), &v).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "é ⟦⟦⟧ ⟦,3⟧⟦1k⟧⟦234⟧");
        assert_eq!(pieces, [(2, 5, 2, 3), (6, 10, 4, 4), (10, 14, 4, 5), (14, 19, 6, 9)]);
    }
}
