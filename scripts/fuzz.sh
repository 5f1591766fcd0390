#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets: the QR decoder, encoder and verifier, a payment
# notification's body, the Standard Webhooks headers) for SECONDS each (default 15), starting from
# the corpus kept in fuzz/corpus. New inputs go to a temporary directory; `FUZZ_KEEP=1` merges the
# ones that add coverage back into fuzz/corpus. A crash stops the script with the input that made
# it (fuzz/artifacts/<target>/). Prints one JSON line per target.
set -euo pipefail
SECS="${1:-15}"
export TONLE_SETUP_PROOF=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
wait_for_tools
cd "$ROOT/fuzz"
for target in $(cargo fuzz list); do
  out="$(mktemp -d)"
  log="$out.log"
  mkdir -p "corpus/$target"
  if ! cargo fuzz run "$target" --sanitizer none "$out" "corpus/$target" -- \
      -max_total_time="$SECS" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "{\"bench\":\"fuzz\",\"target\":\"$target\",\"crashes\":1}"
    exit 1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  if [ "${FUZZ_KEEP:-0}" = 1 ]; then
    cargo fuzz run "$target" --sanitizer none "corpus/$target" "$out" -- -merge=1 >/dev/null 2>&1
  fi
  echo "{\"bench\":\"fuzz\",\"target\":\"$target\",\"seconds\":$SECS,\"runs\":${runs:-0},\"corpus\":$(ls "corpus/$target" | wc -l),\"crashes\":0}"
  rm -rf "$out" "$log"
done
