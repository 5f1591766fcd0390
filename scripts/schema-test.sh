#!/usr/bin/env bash
# Schemathesis (PyPI) against tonle's own OpenAPI document: starts `tonle serve` (the debug build,
# default limits) on a free port with a fresh data dir, signs up an owner, and lets schemathesis
# generate valid and invalid requests for every operation (coverage, fuzzing and stateful
# phases) with the owner's session. Fails on any server error (5xx), any response that
# does not match the document (status code, content type, body schema). MAX_EXAMPLES per
# operation (default 25). Prints one JSON line.
set -euo pipefail
N="${1:-25}"
export TONLE_SETUP_PROOF=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
wait_for_tools
cd "$ROOT"
cargo build -q -p tonle-server --bin tonle --locked
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$CARGO_TARGET_DIR/debug/tonle" serve --sandbox --addr "127.0.0.1:$port" --data-dir "$work/data" \
  >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -sf -c "$work/jar" -H 'content-type: application/json' \
  -d '{"email":"schema@shop.kh","password":"a long enough password","business_name":"Schema Mart","merchant_city":"Phnom Penh","bakong_account_id":"schema@aclb"}' \
  "$base/api/v1/merchants" >/dev/null
cookie="$(awk '$6 == "tonle_session" {print $6 "=" $7}' "$work/jar")"
started=$(date +%s)
status=0
# Signing out would end the run's session: that one operation is left out.
"$TOOLS/venv/bin/schemathesis" run "$base/api/openapi.json" \
  -H "Cookie: $cookie" -H "Origin: $base" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --exclude-operation-id logout -n "$N" --workers 2 \
  --report junit --report-junit-path "$work/junit.xml" >"$work/st.log" 2>&1 || status=$?
count() { grep -oE "$1" "$work/st.log" | head -1 | grep -oE '[0-9]+' | head -1 || true; }
generated="$(count '[0-9]+ generated')"
failures="$(count '[0-9]+ unique failures')"
operations="$(count 'Tested: [0-9]+')"
server_errors="$(grep -c 'internal error' "$work/server.log" || true)"
if [ "$status" != 0 ]; then
  sed -n '/FAILURES/,$p' "$work/st.log" | head -120 >&2
fi
echo "{\"bench\":\"schemathesis\",\"operations\":${operations:-0},\"test_cases\":${generated:-0},\"failures\":${failures:-0},\"server_errors_logged\":${server_errors:-0},\"seconds\":$(( $(date +%s) - started )),\"ok\":$([ "$status" = 0 ] && echo true || echo false)}"
exit "$status"
