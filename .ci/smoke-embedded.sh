#!/usr/bin/env bash
# Smoke test of the two-command setup: `npm start` with no DATABASE_URL boots an embedded
# PostgreSQL with demo data and prints the demo accounts last; the demo admin signs in; a
# restart through `npm start` keeps the data and is timed; a server left behind by a killed
# process does not block the next boot.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="$(mktemp -d)" && chmod 755 "$scratch"   # PostgreSQL runs as user postgres and must reach it
export PORT="${SMOKE_PORT:-3917}" DATA_DIR="$scratch/data" LOG_LEVEL=warn
unset DATABASE_URL
# A restart that builds takes 40 s and more; one that does not, a few seconds. The limit catches
# the former without failing on a busy machine's slow second.
restart_limit="${SMOKE_RESTART_LIMIT_SECONDS:-15}"
log="$(mktemp)"
base="http://127.0.0.1:$PORT"

# Through the README's command; its script execs node, so the server is npm's child and gets the signals.
start() {
  : >"$log"
  npm start --silent >"$log" 2>&1 &
  server=$!
  local began=$EPOCHREALTIME
  until curl -sf "$base/health/ready" >/dev/null; do
    if ! kill -0 "$server" 2>/dev/null; then echo "The server exited during boot:"; cat "$log"; exit 1; fi
    if (( ${EPOCHREALTIME%.*} - ${began%.*} > 120 )); then echo "Not ready within 120 s:"; cat "$log"; exit 1; fi
    sleep 0.1
  done
  ready_after=$(awk -v a="$began" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  echo "ready after $ready_after s"
}

stop() {
  local signal=$1
  # npm start's child is the server (exec); signal both, as a terminal's Ctrl-C does.
  pkill "-$signal" -P "$server" 2>/dev/null || true
  kill "-$signal" "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}

login() {
  local email password
  email=$(awk '$1 == "admin" { print $2; exit }' "$DATA_DIR/demo-accounts.txt")
  password=$(awk '$1 == "admin" { print $3; exit }' "$DATA_DIR/demo-accounts.txt")
  [ -n "$password" ] || { echo "No demo admin in $DATA_DIR/demo-accounts.txt:"; cat "$log"; exit 1; }
  curl -sf "$base/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | grep -q accessToken
  echo "demo admin $email signed in"
}

trap 'stop KILL; pkill -f "$DATA_DIR/postgres" 2>/dev/null || true' EXIT

echo "First boot on an empty data directory"
start
login
[ "$(stat -c %a "$DATA_DIR/demo-accounts.txt")" = 600 ] || { echo "demo-accounts.txt is not mode 600"; exit 1; }
# The accounts come after the line that says the server listens, as printed, and match the file.
admin_line=$(awk '/listens on/ { up = 1 } up && $1 == "admin" { print; exit }' "$log")
[ -n "$admin_line" ] && grep -qxF "$admin_line" "$DATA_DIR/demo-accounts.txt" \
  || { echo "The demo accounts were not printed after 'listens on':"; cat "$log"; exit 1; }
grep -q "kept in $DATA_DIR/demo-accounts.txt" "$log" || { echo "The output does not say where the accounts are kept:"; cat "$log"; exit 1; }

echo "Clean stop and restart through npm start keeps the data, without a build"
stop TERM
start
login
grep -q "Demo accounts: $DATA_DIR/demo-accounts.txt" "$log" || { echo "The restart does not name the accounts file:"; cat "$log"; exit 1; }
awk -v t="$ready_after" -v limit="$restart_limit" 'BEGIN { exit !(t <= limit) }' \
  || { echo "The restart took $ready_after s, more than $restart_limit s"; exit 1; }

echo "A killed server leaves PostgreSQL behind; the next boot copes"
stop KILL
start
login

stop TERM
echo "Smoke test passed"
