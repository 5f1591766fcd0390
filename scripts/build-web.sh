#!/usr/bin/env bash
# Builds the web app's bundles into dist/: the build task reads the route table
# (crates/protocol/src/web.rs) and runs trunk for each bundle. Expects the tools of
# scripts/setup.sh on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tonle/target}"
exec cargo run --quiet --locked -p xtask -- web
