//! Times one codec operation natively for about two seconds and prints operations per second as
//! JSON: `codec_native encode|decode|verify`.

use std::time::{Duration, Instant};

fn main() {
    let op = std::env::args().nth(1).unwrap_or_else(|| "encode".into());
    let payload = codec_bench::sample_payload();
    let batch = |op: &str| match op {
        "encode" => codec_bench::encode_n(1000),
        "decode" => codec_bench::decode_n(&payload, 1000),
        "verify" => codec_bench::verify_n(&payload, 1000),
        other => {
            eprintln!("unknown operation {other:?}: encode, decode or verify");
            std::process::exit(2);
        }
    };
    if batch(&op) == 0 {
        eprintln!("{op} failed on the sample");
        std::process::exit(1);
    }
    let start = Instant::now();
    let mut n: u64 = 0;
    while start.elapsed() < Duration::from_secs(2) {
        std::hint::black_box(batch(&op));
        n += 1000;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"impl\":\"tonle native\",\"op\":\"{op}\",\"n\":{n},\"seconds\":{secs:.3},\"per_second\":{:.0}}}",
        n as f64 / secs
    );
}
