//! Fuzzes verification at any clock: no payload and no time may panic; what verifies also decodes
//! with a valid CRC.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u64)| {
    let (payload, now_ms) = input;
    if khqr::khqr::verify(payload, now_ms).is_ok() {
        let d = khqr::decode_any(payload).expect("what verifies decodes");
        assert!(d.crc_valid, "what verifies has a valid CRC");
    }
});
