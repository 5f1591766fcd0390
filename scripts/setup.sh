#!/usr/bin/env bash
# Installs what tonle's build and tests need, only when missing, so repeat runs are fast.
# Sourced by run.sh and test.sh. `TONLE_SETUP_BROWSER=1` also installs Chromium + chromedriver.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tonle/target}"
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$CARGO_TARGET_DIR"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

ensure_apt() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install Rust (rustup) first" >&2; exit 1
fi
command -v cc >/dev/null || ensure_apt build-essential
command -v pkg-config >/dev/null || ensure_apt pkg-config

if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q 'trunk 0\.21'; then
  say "installing trunk 0.21 (about 6 minutes, once)"
  cargo install trunk --version '~0.21' --locked
fi

WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$ROOT/Cargo.lock")"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then
  say "installing wasm-bindgen-cli $WBG_VERSION (about 3 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi
if ! grep -q "wasm_bindgen = \"$WBG_VERSION\"" "$ROOT/Trunk.toml"; then
  echo "Trunk.toml [tools] wasm_bindgen must be \"$WBG_VERSION\" (the version in Cargo.lock)" >&2; exit 1
fi

# binaryen 116 from crates.io; Debian's 108 produces wasm that dies at start-up in Chromium.
if ! wasm-opt --version 2>/dev/null | grep -q 'version 116'; then
  say "installing wasm-opt (binaryen 116, about 7 minutes, once)"
  cargo install wasm-opt --locked
fi

if [ "${TONLE_SETUP_BROWSER:-0}" = 1 ]; then
  # npm installs axe-core (accessibility checks) and the official KHQR SDK (parity tests).
  command -v npm >/dev/null || ensure_apt nodejs npm
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    ensure_apt chromium chromium-driver fonts-noto-core fonts-noto-cjk
  fi
fi
