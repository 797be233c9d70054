//! Number spans, digit groups and encoding offsets describe the text exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (st, text) = tst_fuzz::case(data);
    tst_fuzz::check_spans(&st, &text);
});
