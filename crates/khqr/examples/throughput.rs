//! Encodes the same dynamic merchant KHQR for about two seconds and prints encodes per second,
//! for `scripts/bench-codec.sh` to set beside the official SDK on node.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../benches/sample.rs"]
mod sample;

fn main() {
    let now = sample::NOW;
    let input = sample::merchant();
    let start = Instant::now();
    let mut n: u64 = 0;
    let mut bytes = 0usize;
    while start.elapsed() < Duration::from_secs(2) {
        for _ in 0..1000 {
            match khqr::khqr::encode(black_box(&input), now) {
                Ok(e) => bytes += e.payload.len(),
                Err(e) => {
                    eprintln!("encode failed: {e}");
                    std::process::exit(1);
                }
            }
        }
        n += 1000;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"impl\":\"tonle khqr (Rust)\",\"encodes\":{n},\"seconds\":{secs:.3},\"per_second\":{:.0},\"bytes\":{bytes}}}",
        n as f64 / secs
    );
}
