//! Fuzzes the encoder with structured inputs: whatever the merchant typed, encoding answers with a
//! payload or a field error, never a panic; and every payload it writes reads back with a valid
//! CRC, the same bill number, and the md5 of its own bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|i: (khqr::KhqrInput, u64)| {
    let (input, now_ms) = i;
    let Ok(encoded) = khqr::khqr::encode(&input, now_ms) else {
        return;
    };
    let decoded = khqr::decode_any(&encoded.payload).expect("what we encode decodes");
    assert!(decoded.crc_valid, "what we encode has a valid CRC");
    assert_eq!(
        khqr::tlv::write(&decoded.tlv).ok().as_deref(),
        Some(encoded.payload.as_str())
    );
    assert_eq!(decoded.fields.bill_number, input.bill_number.filter(|b| !b.is_empty()));
    use md5::Digest;
    let md5 = md5::Md5::digest(encoded.payload.as_bytes());
    assert_eq!(encoded.md5.as_str(), format!("{md5:x}"));
});
