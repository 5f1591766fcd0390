#!/usr/bin/env bash
# Encode throughput of tonle's codec beside the NBC's official SDK on node, for the same merchant
# QR, in one run. The two alternate for ROUNDS rounds (default 3) of about two seconds each, and
# the best round of each is compared, which damps the noise of a shared machine for both alike.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tonle/target}"
ROUNDS="${ROUNDS:-3}"
cd "$ROOT"
[ -d crates/khqr/tests/sdk/node_modules/bakong-khqr ] || npm ci --silent --no-audit --no-fund --prefix crates/khqr/tests/sdk
cargo build -q --profile bench-native -p khqr --example throughput
results=()
for _ in $(seq "$ROUNDS"); do
  results+=("$(node crates/khqr/tests/sdk/throughput.js)")
  results+=("$("$CARGO_TARGET_DIR/bench-native/examples/throughput")")
done
python3 - "${results[@]}" <<'PY'
import json, sys
runs = [json.loads(a) for a in sys.argv[1:]]
for r in runs:
    print(f"{r['impl']:<40} {r['per_second']:>12,} encodes/s")
node = max(r["per_second"] for r in runs if r["impl"].startswith("bakong"))
rust = max(r["per_second"] for r in runs if r["impl"].startswith("tonle"))
print(f"best of {len(runs)//2}: tonle {rust:,}/s, bakong-khqr {node:,}/s")
print(f"ratio: {rust / node:.1f}x the official SDK")
PY
