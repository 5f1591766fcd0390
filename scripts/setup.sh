#!/usr/bin/env bash
# Installs what tonle's build and tests need, only when missing, so repeat runs are fast. Sourced by
# run.sh and test.sh, which call wait_for_tools before building the web app.
# `TONLE_SETUP_BROWSER=1` also installs Chromium + chromedriver.
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
    # One apt at a time: Chromium installs in the background while the callers may ask for
    # nginx or PostgreSQL; dpkg's lock refuses a second apt-get instead of waiting.
    (
      flock 9
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq \
        -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
    ) 9>"${TMPDIR:-/tmp}/tonle-apt.lock"
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

# The tools the web build needs. On a fresh machine the two that only crates.io has (trunk and
# wasm-bindgen-cli) are compiled side by side, with a light release profile (they run for a second
# per build; full optimisation and LTO only cost install time), while npm fetches wasm-opt.
TOOLS="${TONLE_TOOLS_DIR:-$HOME/.cache/tonle/tools}"
export PATH="$TOOLS/binaryen/node_modules/.bin:$PATH"
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$ROOT/Cargo.lock")"
if ! grep -q "wasm_bindgen = \"$WBG_VERSION\"" "$ROOT/Trunk.toml"; then
  echo "Trunk.toml [tools] wasm_bindgen must be \"$WBG_VERSION\" (the version in Cargo.lock)" >&2; exit 1
fi
BINARYEN_VERSION="$(sed -n 's/^wasm_opt = "version_\([0-9]*\)"$/\1/p' "$ROOT/Trunk.toml")"

quick_install() { # crate, version, extra cargo flags...
  local crate=$1 version=$2; shift 2
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_TARGET_DIR="$TOOLS/build-$crate" \
    cargo install --quiet "$crate" --version "$version" "$@"
}
# npm also brings axe-core (accessibility checks) and the official KHQR SDK (parity tests).
command -v npm >/dev/null || ensure_apt nodejs npm
pids=()
if [ "${TONLE_SETUP_BROWSER:-0}" = 1 ] && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
  ensure_apt chromium chromium-driver fonts-noto-core fonts-noto-cjk & pids+=($!)
fi
if ! trunk --version 2>/dev/null | grep -q 'trunk 0\.21'; then
  say "installing trunk 0.21 (compiles once, a few minutes)"
  quick_install trunk '~0.21' --locked & pids+=($!)
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then
  # `--locked` fails for this crate: a version in its lock file is not in the registry.
  say "installing wasm-bindgen-cli $WBG_VERSION (compiles once, a few minutes)"
  quick_install wasm-bindgen-cli "$WBG_VERSION" & pids+=($!)
fi
# binaryen's own build from npm (runs on node). Debian's binaryen 108 produces wasm that dies at
# start-up in Chromium; 116 (crates.io) and 132 (npm) both run.
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$TOOLS/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/binaryen" "binaryen@$BINARYEN_VERSION.0.0"
fi
# The proof tools (test.sh, prove.sh): cargo-fuzz (the fuzz targets run on stable with
# `--sanitizer none`) and schemathesis (PyPI) in a virtualenv of its own.
if [ "${TONLE_SETUP_PROOF:-0}" = 1 ]; then
  if ! cargo fuzz --version 2>/dev/null | grep -q 'cargo-fuzz 0\.13'; then
    say "installing cargo-fuzz 0.13 (compiles once, a couple of minutes)"
    quick_install cargo-fuzz '~0.13' --locked & pids+=($!)
  fi
  if ! "$TOOLS/venv/bin/schemathesis" --version 2>/dev/null | grep -q 'version 4\.'; then
    say "installing schemathesis 4 (PyPI) into $TOOLS/venv"
    python3 -m venv "$TOOLS/venv" 2>/dev/null || { ensure_apt python3-venv; python3 -m venv "$TOOLS/venv"; }
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
  fi
fi
# The callers compile the workspace meanwhile and call this before the first web build.
TOOL_PIDS=("${pids[@]}")
wait_for_tools() {
  local pid
  for pid in "${TOOL_PIDS[@]}"; do wait "$pid"; done
  if [ ${#TOOL_PIDS[@]} -gt 0 ]; then rm -rf "$TOOLS"/build-*; fi
  TOOL_PIDS=()
}

