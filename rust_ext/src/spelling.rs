//! How TST units are spelled (mirrors `tst/spelling.py`).

use std::fmt;

/// ⟦ MATHEMATICAL LEFT WHITE SQUARE BRACKET: opens a unit.
pub const OPEN: char = '\u{27e6}';
/// ⟧ MATHEMATICAL RIGHT WHITE SQUARE BRACKET: closes a unit.
pub const CLOSE: char = '\u{27e7}';
/// UTF-8 bytes of [`OPEN`].
pub const OPEN_BYTES: &[u8] = "\u{27e6}".as_bytes();
/// UTF-8 bytes of [`CLOSE`].
pub const CLOSE_BYTES: &[u8] = "\u{27e7}".as_bytes();
/// A literal ⟦ in user text.
pub const ESCAPED_OPEN: &str = "\u{27e6}\u{27e6}\u{27e7}";
/// A literal ⟧ in user text.
pub const ESCAPED_CLOSE: &str = "\u{27e6}\u{27e7}\u{27e7}";
/// Content of the marker-variant marker for the units group.
pub const UNITS_MARKER: &[u8] = b"u";
/// Paper names of the integer magnitudes 10^3, 10^6, ... (group size 3): `k m b t q` are 10^3 .. 10^15.
pub const LETTERS: &[u8] = b"kmbtq";
/// First character of every other integer magnitude name: `e` + power.
pub const EXPONENT: u8 = b'e';
/// The character a fractional depth marker repeats.
pub const FRACTION: u8 = b'p';
/// Largest power with a letter name (group size 3).
pub const LETTERED_MAX: usize = 3 * LETTERS.len();

/// Every spelling constant by name, as `tst.spelling.table()` spells them (the tests compare the two).
pub fn table() -> [(&'static str, String); 8] {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    [
        ("open", OPEN.to_string()),
        ("close", CLOSE.to_string()),
        ("units_marker", text(UNITS_MARKER)),
        ("letters", text(LETTERS)),
        ("exponent", (EXPONENT as char).to_string()),
        ("fraction", (FRACTION as char).to_string()),
        ("tag_western", (TAG_WESTERN as char).to_string()),
        ("tag_indian", (TAG_INDIAN as char).to_string()),
    ]
}
/// Last character of a Western grouping tag.
pub const TAG_WESTERN: u8 = b'3';
/// Last character of an Indian grouping tag.
pub const TAG_INDIAN: u8 = b'2';

/// True when `s[p..]` starts with ⟦.
#[inline]
pub fn open_at(s: &[u8], p: usize) -> bool {
    s.len() >= p + 3 && &s[p..p + 3] == OPEN_BYTES
}

/// True when `s[p..]` starts with ⟧.
#[inline]
pub fn close_at(s: &[u8], p: usize) -> bool {
    s.len() >= p + 3 && &s[p..p + 3] == CLOSE_BYTES
}

/// Append the magnitude name of an integer group whose least significant digit is 10^power.
///
/// Units are empty; with groups of three, 10^3..10^15 are `k m b t q`; every
/// other magnitude is `e` + power.
pub fn push_int_name(out: &mut Vec<u8>, power: usize, group_size: usize) {
    if power == 0 {
        return;
    }
    if group_size == 3 && power <= LETTERED_MAX {
        out.push(LETTERS[power / 3 - 1]);
        return;
    }
    out.push(EXPONENT);
    push_decimal(out, power);
}

/// Append the depth marker of the n-th fractional group: `p`, `pp`, ....
pub fn push_frac_name(out: &mut Vec<u8>, depth: usize) {
    out.resize(out.len() + depth, FRACTION);
}

/// Append `n` in decimal.
pub fn push_decimal(out: &mut Vec<u8>, n: usize) {
    let mut buf = [0u8; 20];
    let mut k = buf.len();
    let mut v = n;
    loop {
        k -= 1;
        buf[k] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[k..]);
}

/// An integer magnitude read back from text: exact whatever its size.
///
/// Canonical: `Small` whenever the value fits in a `u64`, so `==` is value equality.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Power {
    /// A power that fits in a `u64`.
    Small(u64),
    /// Decimal digits (no leading zero) of a larger power.
    Big(Box<[u8]>),
}

impl Power {
    /// Parse canonical decimal digits (non-empty, no leading zero unless "0").
    fn from_digits(d: &[u8]) -> Power {
        let mut v: u64 = 0;
        for &b in d {
            match v.checked_mul(10).and_then(|x| x.checked_add((b - b'0') as u64)) {
                Some(x) => v = x,
                None => return Power::Big(d.into()),
            }
        }
        Power::Small(v)
    }

    /// `self % m`.
    pub fn rem(&self, m: u64) -> u64 {
        match self {
            Power::Small(v) => v % m,
            Power::Big(d) => d.iter().fold(0, |r, &b| (r * 10 + (b - b'0') as u64) % m),
        }
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        matches!(self, Power::Small(0))
    }

    /// `self - m`, or None when that would be negative.
    pub fn minus(&self, m: u64) -> Option<Power> {
        match self {
            Power::Small(v) => v.checked_sub(m).map(Power::Small),
            Power::Big(d) => {
                // Schoolbook subtraction of a small number; the result stays >= 2^64 - 6 > 0.
                let mut digits = d.to_vec();
                let mut borrow = m;
                for x in digits.iter_mut().rev() {
                    if borrow == 0 {
                        break;
                    }
                    let cur = (*x - b'0') as u64;
                    let sub = borrow % 10;
                    borrow /= 10;
                    if cur >= sub {
                        *x = b'0' + (cur - sub) as u8;
                    } else {
                        *x = b'0' + (cur + 10 - sub) as u8;
                        borrow += 1;
                    }
                }
                let first = digits.iter().position(|&b| b != b'0').unwrap_or(digits.len() - 1);
                Some(Power::from_digits(&digits[first..]))
            }
        }
    }
}

impl fmt::Display for Power {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Power::Small(v) => write!(f, "{v}"),
            Power::Big(d) => f.write_str(std::str::from_utf8(d).map_err(|_| fmt::Error)?),
        }
    }
}

/// What a magnitude name stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// An integer group with this power.
    Int(Power),
    /// A fractional group at this depth (1 = first after the decimal mark).
    Frac(usize),
}

/// Inverse of the name spellings, or None: only canonical spellings parse.
///
/// `e3` is not `k` (group size 3), `e06` is nothing.
pub fn parse_name(name: &[u8], group_size: usize) -> Option<Name> {
    let Some(&first) = name.first() else {
        return Some(Name::Int(Power::Small(0)));
    };
    if first == FRACTION {
        return name.iter().all(|&b| b == FRACTION).then_some(Name::Frac(name.len()));
    }
    if name.len() == 1 {
        if let Some(k) = LETTERS.iter().position(|&b| b == first) {
            return (group_size == 3).then(|| Name::Int(Power::Small(3 * (k as u64 + 1))));
        }
    }
    let rest = &name[1..];
    if first == EXPONENT && !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) && rest[0] != b'0' {
        let power = Power::from_digits(rest);
        // int_name(power) == name: not a multiple-of-3 letter, and a multiple of the group size.
        let lettered = group_size == 3 && matches!(power, Power::Small(v) if v <= LETTERED_MAX as u64);
        if power.rem(group_size as u64) == 0 && !lettered {
            return Some(Name::Int(power));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(power: usize, g: usize) -> String {
        let mut v = Vec::new();
        push_int_name(&mut v, power, g);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn int_names() {
        assert_eq!(name(0, 3), "");
        assert_eq!(name(6, 3), "m");
        assert_eq!(name(15, 3), "q");
        assert_eq!(name(18, 3), "e18");
        assert_eq!(name(8, 4), "e8");
    }

    #[test]
    fn parse_names() {
        assert_eq!(parse_name(b"", 3), Some(Name::Int(Power::Small(0))));
        assert_eq!(parse_name(b"k", 3), Some(Name::Int(Power::Small(3))));
        assert_eq!(parse_name(b"k", 4), None);
        assert_eq!(parse_name(b"e3", 3), None);
        assert_eq!(parse_name(b"e18", 3), Some(Name::Int(Power::Small(18))));
        assert_eq!(parse_name(b"e06", 3), None);
        assert_eq!(parse_name(b"e8", 4), Some(Name::Int(Power::Small(8))));
        assert_eq!(parse_name(b"e9", 4), None);
        assert_eq!(parse_name(b"e", 3), None);
        assert_eq!(parse_name(b"ppp", 3), Some(Name::Frac(3)));
        assert_eq!(parse_name(b"pq", 3), None);
        assert_eq!(parse_name(b"x", 3), None);
    }

    #[test]
    fn big_powers_are_exact() {
        let big = b"e300000000000000000000000000000";
        let Some(Name::Int(p)) = parse_name(big, 3) else { panic!("parses") };
        assert_eq!(p.to_string(), "300000000000000000000000000000");
        assert_eq!(p.minus(3).unwrap().to_string(), "299999999999999999999999999997");
        assert_eq!(parse_name(b"e300000000000000000000000000001", 3), None);
        let edge = Power::from_digits(b"18446744073709551618");
        assert!(matches!(edge, Power::Big(_)));
        assert_eq!(edge.minus(3), Some(Power::Small(18446744073709551615)));
        assert_eq!(Power::Small(3).minus(6), None);
    }
}
