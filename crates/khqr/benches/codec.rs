//! Criterion benches for the codec's hot paths: encode, decode, verify of a dynamic merchant KHQR.
#![allow(clippy::unwrap_used)] // reason: bench setup

use criterion::{Criterion, black_box, criterion_group, criterion_main};
#[path = "sample.rs"]
mod sample;

use sample::{NOW, merchant};

fn codec(c: &mut Criterion) {
    let input = merchant();
    let payload = khqr::khqr::encode(&input, NOW).unwrap().payload;
    c.bench_function("encode merchant KHQR", |b| {
        b.iter(|| khqr::khqr::encode(black_box(&input), NOW))
    });
    c.bench_function("decode merchant KHQR", |b| {
        b.iter(|| khqr::decode_any(black_box(&payload)))
    });
    c.bench_function("verify merchant KHQR", |b| {
        b.iter(|| khqr::khqr::verify(black_box(&payload), NOW))
    });
}

criterion_group!(benches, codec);
criterion_main!(benches);
