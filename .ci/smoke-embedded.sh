#!/usr/bin/env bash
# Smoke test of the two-command setup: `npm start` with no DATABASE_URL boots an embedded
# PostgreSQL with demo data; the demo admin signs in; a restart keeps the data; a server
# left behind by a killed process does not block the next boot.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="$(mktemp -d)" && chmod 755 "$scratch"   # PostgreSQL runs as user postgres and must reach it
export PORT="${SMOKE_PORT:-3917}" DATA_DIR="$scratch/data" LOG_LEVEL=warn
unset DATABASE_URL
log="$(mktemp)"
base="http://127.0.0.1:$PORT"

start() {
  node dist/src/main.js >>"$log" 2>&1 &
  server=$!
  local began=$SECONDS
  until curl -sf "$base/health/ready" >/dev/null; do
    if ! kill -0 "$server" 2>/dev/null; then echo "The server exited during boot:"; cat "$log"; exit 1; fi
    if (( SECONDS - began > 60 )); then echo "Not ready within 60 s:"; cat "$log"; exit 1; fi
    sleep 0.2
  done
  echo "ready after $(( SECONDS - began )) s"
}

login() {
  local email password
  email=$(awk '$1 == "admin" { print $2; exit }' "$log")
  password=$(awk '$1 == "admin" { print $3; exit }' "$log")
  [ -n "$password" ] || { echo "No demo admin password was printed:"; cat "$log"; exit 1; }
  curl -sf "$base/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | grep -q accessToken
  echo "demo admin $email signed in"
}

trap 'kill -9 $server 2>/dev/null || true; pkill -f "$DATA_DIR/postgres" 2>/dev/null || true' EXIT

echo "First boot on an empty data directory"
start
login

echo "Clean stop and restart keeps the data"
kill -TERM "$server"
wait "$server" || true
start
login

echo "A killed server leaves PostgreSQL behind; the next boot copes"
kill -9 "$server"
wait "$server" 2>/dev/null || true
start
login

kill -TERM "$server"
wait "$server" || true
echo "Smoke test passed"
