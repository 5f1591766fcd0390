#!/usr/bin/env bash
# Builds the web app and runs tonle on embedded SQLite with the sandbox network on.
# TONLE_ADDR (default 127.0.0.1:8080) and TONLE_DATA_DIR (default ./data) move it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

say "building the server"
cargo build -p tonle-server --bin tonle >&2
wait_for_tools
say "building the web app (release)"
bash scripts/build-web.sh >&2

export TONLE_ADDR="${TONLE_ADDR:-127.0.0.1:8080}"
export TONLE_DATA_DIR="${TONLE_DATA_DIR:-$ROOT/data}"
say "sandbox mode: pay a QR with \"Pay as a test wallet\" under it, or from another terminal with: $CARGO_TARGET_DIR/debug/tonle simulate pay --payload '<QR>' --server http://$TONLE_ADDR --data-dir $TONLE_DATA_DIR"
exec "$CARGO_TARGET_DIR/debug/tonle" serve --sandbox --static-dir "$ROOT/dist"
