//! Codec configuration, validated like `tst/settings.py`.

use crate::chars::is_script_word;
use crate::spelling::{CLOSE, OPEN};

/// How a group's magnitude is spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// A digit-group unit, then a magnitude marker unit.
    Marker,
    /// One fused unit per group and magnitude.
    Vocab,
}

/// Output style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Lossless units.
    Exact,
    /// The paper's padded surface (lossy, encode only).
    Paper,
}

/// What happens to numbers outside the configured range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// They stay plain text.
    Text,
    /// They get extended magnitudes.
    Extend,
    /// Encoding fails with a range error.
    Error,
}

/// Largest `int_digits` / `frac_digits` accepted.
pub const MAX_DIGITS: usize = 1_000_000;

/// Every knob of the codec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Marker or vocab variant.
    pub variant: Variant,
    /// Digits per group, 1..=6.
    pub group_size: usize,
    /// Exact or paper style.
    pub style: Style,
    /// The decimal mark, `b'.'` or `b','`.
    pub decimal: u8,
    /// Thousands separators recognised inside a valid grouping.
    pub separators: Vec<char>,
    /// Also recognise Indian grouping.
    pub indian: bool,
    /// Integer digits in range.
    pub int_digits: usize,
    /// Fractional digits in range.
    pub frac_digits: usize,
    /// Policy for numbers out of range.
    pub overflow: Overflow,
}

impl Settings {
    /// Validated settings; `separators` is the resolved set (no default applied here).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        variant: &str,
        group_size: usize,
        style: &str,
        decimal: &str,
        separators: &str,
        indian: bool,
        int_digits: usize,
        frac_digits: usize,
        overflow: &str,
    ) -> Result<Settings, String> {
        let variant = match variant {
            "marker" => Variant::Marker,
            "vocab" => Variant::Vocab,
            _ => return Err(format!("variant must be one of 'marker', 'vocab', not {variant:?}")),
        };
        let style = match style {
            "exact" => Style::Exact,
            "paper" => Style::Paper,
            _ => return Err(format!("style must be one of 'exact', 'paper', not {style:?}")),
        };
        let overflow = match overflow {
            "text" => Overflow::Text,
            "extend" => Overflow::Extend,
            "error" => Overflow::Error,
            _ => return Err(format!("overflow must be one of 'text', 'extend', 'error', not {overflow:?}")),
        };
        if !(1..=6).contains(&group_size) {
            return Err(format!("group_size must be between 1 and 6, not {group_size}"));
        }
        if !(1..=MAX_DIGITS).contains(&int_digits) {
            return Err(format!("int_digits must be between 1 and {MAX_DIGITS}, not {int_digits}"));
        }
        if frac_digits > MAX_DIGITS {
            return Err(format!("frac_digits must be between 0 and {MAX_DIGITS}, not {frac_digits}"));
        }
        let decimal = match decimal {
            "." => b'.',
            "," => b',',
            _ => return Err(format!("decimal must be '.' or ',', not {decimal:?}")),
        };
        let mut seps: Vec<char> = Vec::new();
        for c in separators.chars() {
            if c as u32 == decimal as u32 {
                return Err(format!("separators must not contain the decimal mark {c:?}"));
            }
            if (is_script_word(c as u32) && c != '_') || c == OPEN || c == CLOSE || "+-\n\r\t".contains(c) {
                return Err(format!("{c:?} cannot be a thousands separator"));
            }
            if seps.contains(&c) {
                return Err(format!("separators contains a character twice: {separators:?}"));
            }
            seps.push(c);
        }
        Ok(Settings {
            variant,
            group_size,
            style,
            decimal,
            separators: seps,
            indian,
            int_digits,
            frac_digits,
            overflow,
        })
    }

    /// The defaults of `tst.Settings()` (decimal ".", its default separators).
    pub fn default_exact(variant: &str) -> Settings {
        Settings::new(variant, 3, "exact", ".", ",'\u{a0}\u{2009}\u{202f}\u{2019}_", false, 18, 15, "text")
            .expect("default settings are valid")
    }

    /// True when code point `cp` is one of the thousands separators.
    #[inline]
    pub fn is_separator(&self, cp: u32) -> bool {
        self.separators.iter().any(|&c| c as u32 == cp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_like_python() {
        assert!(Settings::new("vocab", 3, "exact", ",", ".'", true, 18, 15, "text").is_ok());
        assert!(Settings::new("x", 3, "exact", ".", ",", true, 18, 15, "text").is_err());
        assert!(Settings::new("vocab", 0, "exact", ".", ",", true, 18, 15, "text").is_err());
        assert!(Settings::new("vocab", 3, "exact", ".", ".", true, 18, 15, "text").is_err());
        assert!(Settings::new("vocab", 3, "exact", ".", "a", true, 18, 15, "text").is_err());
        assert!(Settings::new("vocab", 3, "exact", ".", ",,", true, 18, 15, "text").is_err());
        assert!(Settings::new("vocab", 3, "exact", ".", "_", true, 18, 15, "text").is_ok());
        let st = Settings::default_exact("marker");
        assert!(st.is_separator(',' as u32) && st.is_separator(0xa0) && !st.is_separator(' ' as u32));
    }
}
