//! Encode any text under any configuration: never panics, decodes back exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (st, text) = tst_fuzz::case(data);
    tst_fuzz::check_encode(&st, &text);
});
