//! Fuzzes the decoder and verifier: no input may panic, loop or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(d) = khqr::decode_any(s) {
            // What parses must serialize back to the same text.
            assert_eq!(khqr::tlv::write(&d.tlv).ok().as_deref(), Some(s));
        }
        let _ = khqr::khqr::verify(s, 1_780_000_000_000);
    }
});
