//! Decode any text (model output, garbage): strict succeeds or names a position
//! inside the text; lenient never fails and agrees with a successful strict decode.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (st, text) = tst_fuzz::case(data);
    tst_fuzz::check_decode(&st, &text);
});
