#!/usr/bin/env bash
# Codec throughput: encode, decode and verify of one dynamic merchant KHQR by tonle's codec
# natively, by the same codec compiled to wasm and run on node (as the web app runs it), and by
# the NBC's official SDK (npm bakong-khqr 1.0.20) on the same node, in one run. The three
# alternate for ROUNDS rounds (default 3) of about two seconds each; the best round of each is
# compared, which damps a shared machine's noise for all alike. Prints the table, then one JSON
# line per operation with the ratios.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
wait_for_tools
ROUNDS="${ROUNDS:-3}"
cd "$ROOT"
[ -d crates/khqr/tests/sdk/node_modules/bakong-khqr ] || npm ci --silent --no-audit --no-fund --prefix crates/khqr/tests/sdk
cargo build -q --profile bench-native -p codec-bench --bin codec_native --locked
cargo build -q --profile bench-wasm -p codec-bench --lib --target wasm32-unknown-unknown --locked
pkg="$CARGO_TARGET_DIR/codec-bench-wasm"
wasm-bindgen --target nodejs --out-dir "$pkg" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/bench-wasm/codec_bench.wasm"
results=()
for op in encode decode verify; do
  for _ in $(seq "$ROUNDS"); do
    results+=("$(node crates/khqr/tests/sdk/throughput.js "$op")")
    results+=("$("$CARGO_TARGET_DIR/bench-native/codec_native" "$op")")
    results+=("$(node crates/codec-bench/run.js "$pkg" "$op")")
  done
done
python3 - "${results[@]}" <<'PY'
import json, sys
runs = [json.loads(a) for a in sys.argv[1:]]
best = {}
for r in runs:
    kind = "sdk" if r["impl"].startswith("bakong") else ("wasm" if "wasm" in r["impl"] else "native")
    key = (r["op"], kind)
    best[key] = max(best.get(key, 0), r["per_second"])
print(f"{'operation':<10}{'tonle native/s':>16}{'tonle wasm/s':>14}{'SDK node/s':>12}{'native÷SDK':>12}{'wasm÷SDK':>10}")
for op in ("encode", "decode", "verify"):
    n, w, s = best[(op, "native")], best[(op, "wasm")], best[(op, "sdk")]
    print(f"{op:<10}{n:>16,}{w:>14,}{s:>12,}{n/s:>11.1f}x{w/s:>9.1f}x")
for op in ("encode", "decode", "verify"):
    n, w, s = best[(op, "native")], best[(op, "wasm")], best[(op, "sdk")]
    print(json.dumps({"bench": "codec", "op": op, "native_per_s": n, "wasm_per_s": w, "sdk_per_s": s,
                      "native_vs_sdk": round(n / s, 1), "wasm_vs_sdk": round(w / s, 1)}))
PY
