#!/usr/bin/env bash
# Kopra's one test command. Runs every test: the Rust workspace (storage and
# API tests on SQLite and PostgreSQL, and crates/kopra/tests/multi_server.rs: two
# `kopra serve` processes on one PostgreSQL database) and the end-to-end browser test.
#
# Meant for a fresh Debian 12 machine, as root: it installs what is missing
# (PostgreSQL 15, Debian's Chromium) with apt and starts PostgreSQL itself.
#
# Set KOPRA_TEST_DATABASE_URL to an admin URL of a PostgreSQL server of your
# own to skip the local PostgreSQL setup; the tests create their own databases.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT="$(pwd)"

log() { printf '\n==> %s\n' "$*"; }

# cargo from rustup, in case PATH lacks it.
if ! command -v cargo >/dev/null 2>&1 && [ -x "${HOME:-/root}/.cargo/bin/cargo" ]; then
  export PATH="${HOME:-/root}/.cargo/bin:$PATH"
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -q
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# Temp files for the summary counts.
LOG_DIR="$(mktemp -d)"
trap 'rm -rf "$LOG_DIR"' EXIT

# ---------------------------------------------------------------- PostgreSQL
if [ -n "${KOPRA_TEST_DATABASE_URL:-}" ]; then
  log "PostgreSQL: using KOPRA_TEST_DATABASE_URL from the environment"
else
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /usr/lib/postgresql/15 ]; then
    apt_install postgresql
  fi
  if [ ! -d /etc/postgresql/15/main ]; then
    log "creating PostgreSQL cluster 15/main"
    $SUDO pg_createcluster 15 main
  fi
  log "starting PostgreSQL 15/main"
  if $SUDO pg_ctlcluster 15 main status >/dev/null 2>&1; then
    echo "PostgreSQL 15/main is already running"
  else
    $SUDO pg_ctlcluster 15 main start || {
      # A concurrent start is fine; anything else is not.
      $SUDO pg_ctlcluster 15 main status >/dev/null 2>&1 || { echo "could not start PostgreSQL 15/main" >&2; exit 1; }
    }
  fi
  for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p 5432; then break; fi
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432
  (cd / && $SUDO su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"")
  export KOPRA_TEST_DATABASE_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
  # Databases left by earlier runs (each test makes its own) are dropped first.
  (cd / && $SUDO su postgres -c "psql -qAtc \"SELECT datname FROM pg_database WHERE datname LIKE 'kopra_test_%' OR datname LIKE 'kopra_tpl_%' OR datname LIKE 'kopra_multi_%'\"") |
    while read -r db; do (cd / && $SUDO su postgres -c "psql -qc 'DROP DATABASE IF EXISTS \"$db\"'"); done
fi

LOCKED=()
if [ -f Cargo.lock ]; then
  LOCKED=(--locked)
fi

# ---------------------------------------------------------------- formatting
if cargo fmt --version >/dev/null 2>&1; then
  log "cargo fmt --all --check"
  cargo fmt --all --check
fi

# ---------------------------------------------------------------- Rust tests
log "cargo test --workspace ${LOCKED[*]}"
cargo test --workspace "${LOCKED[@]}" 2>&1 | tee "$LOG_DIR/cargo.log"

# ---------------------------------------------------------------- browser test
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
/usr/bin/chromium --version 2>/dev/null || true

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm (Node.js >= 20) are needed for the browser test" >&2
  exit 1
fi

log "cargo build --bin kopra ${LOCKED[*]}"
cargo build --bin kopra "${LOCKED[@]}"

log "browser test (tests/browser)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(
  cd "$REPO_ROOT/tests/browser"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
  node --test register.test.mjs awards.test.mjs
) 2>&1 | tee "$LOG_DIR/browser.log"

# ---------------------------------------------------------------- benchmark smoke runs
# bench/run at city scale with the debug binaries, on SQLite and on the PostgreSQL above:
# keeps the benchmark script working on both engines (smoke runs, not measurements;
# BENCHMARKS.md holds release figures).
log "bench/run --scale city --debug (smoke)"
"$REPO_ROOT/bench/run" --scale city --debug 2>&1 | tee "$LOG_DIR/bench.log" | tail -n 15
grep -q '^| server peak resident memory' "$LOG_DIR/bench.log"
log "bench/run --engine postgres --scale city --debug (smoke)"
"$REPO_ROOT/bench/run" --database-url "$KOPRA_TEST_DATABASE_URL" --scale city --debug 2>&1 |
  tee "$LOG_DIR/bench-postgres.log" | tail -n 15
grep -q '^| server peak resident memory' "$LOG_DIR/bench-postgres.log"

# ---------------------------------------------------------------- summary
# cargo: "test result: ok. N passed; M failed; K ignored; ..."
# node:  "# pass N" / "# fail N" / "# skipped N" (TAP) or "ℹ pass N" (spec)
summary="$(
  awk '
    /^test result: / {
      for (i = 1; i <= NF; i++) {
        if ($(i+1) ~ /^passed/)  p += $i
        if ($(i+1) ~ /^failed/)  f += $i
        if ($(i+1) ~ /^ignored/) s += $i
      }
    }
    /^(# |ℹ )pass [0-9]+$/    { p += $NF }
    /^(# |ℹ )fail [0-9]+$/    { f += $NF }
    /^(# |ℹ )skipped [0-9]+$/ { s += $NF }
    END { printf "%d %d %d\n", p, f, s }
  ' "$LOG_DIR/cargo.log" "$LOG_DIR/browser.log"
)"
read -r passed failed skipped <<<"$summary"

echo
if [ "$passed" -gt 0 ]; then
  echo "total: $passed passed, $failed failed, $skipped skipped"
fi
echo "all tests passed"
