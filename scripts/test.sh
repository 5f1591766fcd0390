#!/usr/bin/env bash
# Every check tonle has: fmt, clippy (native and wasm), unit, integration and headless-browser tests.
set -euo pipefail
export TONLE_SETUP_BROWSER=1 TONLE_SETUP_PROOF=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

# PostgreSQL: the API suite and the store contract run on it too. Start it when it is down;
# install it (trust on 127.0.0.1, a `test` database) on a machine that has none.
pg_url="${TONLE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
unset TONLE_TEST_DATABASE_URL # the workspace run is on SQLite; the suite runs again on pg_url
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null; then
    ensure_apt postgresql
    hba="$(ls /etc/postgresql/*/main/pg_hba.conf | head -1)"
    as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  fi
  say "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main restart || true
  for _ in $(seq 30); do pg_up && break; sleep 1; done
  as_root su postgres -c "createdb test" 2>/dev/null || true
fi
pg_up || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

# nginx: the reverse-proxy test runs tonle behind it with docs/deploy/nginx.conf.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || ensure_apt nginx-light
export TONLE_REQUIRE_NGINX=1

say "cargo fmt --check"
cargo fmt --all --check
say "clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings
say "clippy (wasm app)"
cargo clippy -p tonle-app --target wasm32-unknown-unknown --locked -- -D warnings
say "shared crates build for wasm"
cargo build -p khqr -p protocol --target wasm32-unknown-unknown --locked
wait_for_tools
say "web app (trunk, release, every bundle)"
bash scripts/build-web.sh
say "server binary for the end-to-end tests"
cargo build -p tonle-server --bin tonle --locked
# The differential test runs the NBC's official SDK on node when node is here.
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -f crates/khqr/tests/sdk/node_modules/bakong-khqr/package.json ]; then
    say "installing the official KHQR SDK for the differential test"
    npm ci --silent --no-audit --no-fund --prefix crates/khqr/tests/sdk
  fi
  export TONLE_REQUIRE_PARITY=1
fi
if [ ! -f tests/e2e/axe/node_modules/axe-core/axe.min.js ]; then
  say "installing axe-core for the accessibility checks"
  npm ci --silent --no-audit --no-fund --prefix tests/e2e/axe
fi
say "tests: unit, integration, property, SDK parity, attacks, headless browser"
export TONLE_ATTACK_REPORT="$CARGO_TARGET_DIR/attack-report.txt"
rm -f "$TONLE_ATTACK_REPORT"
cargo test --workspace --locked
say "API suite and store contract on PostgreSQL ($pg_url)"
# Each test makes a schema of its own; those of earlier runs go first.
psql "$pg_url" -qAt -c "select format('drop schema %I cascade;', nspname) from pg_namespace where nspname like 'test\\_%'" \
  | PGOPTIONS='-c client_min_messages=warning' psql "$pg_url" -q >/dev/null || true
TONLE_TEST_DATABASE_URL="$pg_url" cargo test -p tonle-server --locked --test api --test store_contract
say "fuzzing: every target 15 s from the kept corpus (scripts/fuzz.sh; longer: scripts/fuzz.sh 600)"
bash scripts/fuzz.sh "${TONLE_FUZZ_SECONDS:-15}"
say "schemathesis against /api/openapi.json (scripts/schema-test.sh)"
bash scripts/schema-test.sh "${TONLE_SCHEMA_EXAMPLES:-25}"
say "attack suite (crates/server/tests/attacks.rs)"
cat "$TONLE_ATTACK_REPORT"
