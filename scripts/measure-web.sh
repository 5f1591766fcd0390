#!/usr/bin/env bash
# Measures the web app's budgets: brotli transfer size (≤ 200 KB) and first render of the charge
# screen (≤ 300 ms) in headless Chromium against a real server on loopback.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TONLE_SETUP_BROWSER=1 source scripts/setup.sh
wait_for_tools
bash scripts/build-web.sh >&2
cargo build -p tonle-server --bin tonle >&2
export TONLE_BIN="$CARGO_TARGET_DIR/debug/tonle"
cargo bench -p tonle-app --bench web_budget
