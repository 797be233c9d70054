//! `tst-rs`: the Rust engine of tst (Triadic Suffix Tokenization).
//!
//! The core modules know nothing of Python and are tested with `cargo test`;
//! with the `python` feature the `python` module adds the thin PyO3 layer that maturin
//! builds into the private module `tst._tst_rs`: it converts arguments,
//! releases the GIL around the work, and raises the exceptions of `tst.errors`.
//!
//! ```
//! use _tst_rs::{Engine, Settings};
//! let engine = Engine::new(Settings::default_exact("vocab"));
//! assert_eq!(engine.encode_str("Pay $1,234.5").unwrap(), "Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧");
//! assert_eq!(engine.decode_str("Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧", true).unwrap(), "Pay $1,234.5");
//! ```

pub mod arrow;
pub mod batch;
pub mod chars;
pub mod counting;
pub mod decode;
pub mod encode;
pub mod engine;
pub mod grammar;
pub mod jsonl;
pub mod offsets;
pub mod paper;
pub mod settings;
pub mod spelling;
pub mod unicode_tables;
pub mod units;

pub use engine::{Engine, Error, GroupInfo, NumberInfo};
pub use settings::Settings;

#[cfg(feature = "python")]
mod python;
