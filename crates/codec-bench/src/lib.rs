//! The three codec operations the throughput bench times, on the sample every codec bench uses,
//! in batches: natively (`src/bin/codec_native.rs`) and compiled to wasm for node (`run.js`, the
//! way the web app runs the codec). Each returns a value derived from every result so no work can
//! be optimised away.

#[path = "../../khqr/benches/sample.rs"]
mod sample;

use wasm_bindgen::prelude::*;

/// The sample's payload, as `encode` writes it.
#[wasm_bindgen]
pub fn sample_payload() -> String {
    khqr::khqr::encode(&sample::merchant(), sample::NOW)
        .map(|e| e.payload)
        .unwrap_or_default()
}

/// Encodes the sample `n` times; the bytes written.
#[wasm_bindgen]
pub fn encode_n(n: u32) -> u32 {
    let input = sample::merchant();
    (0..n)
        .map(|_| {
            khqr::khqr::encode(std::hint::black_box(&input), sample::NOW)
                .map_or(0, |e| e.payload.len() as u32)
        })
        .sum()
}

/// Decodes `payload` `n` times; the TLV entries read.
#[wasm_bindgen]
pub fn decode_n(payload: &str, n: u32) -> u32 {
    (0..n)
        .map(|_| khqr::decode_any(std::hint::black_box(payload)).map_or(0, |d| d.tlv.len() as u32))
        .sum()
}

/// Verifies `payload` `n` times at the sample's clock; how many were valid.
#[wasm_bindgen]
pub fn verify_n(payload: &str, n: u32) -> u32 {
    (0..n)
        .map(|_| u32::from(khqr::khqr::verify(std::hint::black_box(payload), sample::NOW).is_ok()))
        .sum()
}
