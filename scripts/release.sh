#!/usr/bin/env bash
# One file to deploy: builds the web app (compressed), then the release binary that carries it.
# The result, target/release/tonle under CARGO_TARGET_DIR, serves the whole app on its own:
# copy it to a machine and run `tonle serve`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
wait_for_tools
say "web app (trunk, release, every bundle, brotli and gzip beside each file)"
bash scripts/build-web.sh
say "release binary with the web app inside"
cargo build --release --locked -p tonle-server --bin tonle
bin="$CARGO_TARGET_DIR/release/tonle"
"$bin" --version
ls -l "$bin"
echo "$bin"
