#!/usr/bin/env bash
# Builds the web app's bundles (see crates/protocol/src/web.rs) with trunk into dist/: index.html
# (the counter) and office, setup, onboarding, print and kiosk .html, each with its own wasm, sharing one
# stylesheet and public/. Expects the tools of scripts/setup.sh on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tonle/target}"
STAGE="$CARGO_TARGET_DIR/web"
BUNDLES="office setup onboarding print kiosk"
# Each other bundle's page is index.html with its own binary and without the copied files,
# written beside it (trunk resolves the stylesheet from the page's folder; git ignores them).
# trunk replaces its dist directory and always names the page index.html: those bundles are
# built aside first, then moved in.
for bundle in $BUNDLES; do
  page=".bundle-$bundle.html"
  sed -e "s/data-bin=\"tonle-counter\"/data-bin=\"tonle-$bundle\"/" -e '/rel="copy-/d' index.html > "$page"
  grep -q "data-bin=\"tonle-$bundle\"" "$page"
  trunk build --release --offline=true --dist "$STAGE/$bundle" "$page"
done
trunk build --release --offline=true index.html
for bundle in $BUNDLES; do
  cp "$STAGE/$bundle/index.html" "dist/$bundle.html"
  cp "$STAGE/$bundle/"*.js "$STAGE/$bundle/"*.wasm "$STAGE/$bundle/"*.css dist/
done
