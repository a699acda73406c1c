#!/usr/bin/env bash
# Load and fault figures for sending and the history, on the real `letterpress` binary:
#   SENDS concurrent outbox sends on one fresh data folder with `history --json` readers running,
#   SMTP concurrent sends through the real test server (tests/smtp/server.py),
#   KILLS sends killed with SIGKILL while they wait on a server that never answers.
# Prints what held; exits 1 if any send failed, any row is misfiled or the database is damaged.
# Usage: scripts/stress.sh [SENDS=200] [SMTP=50] [KILLS=100]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sends="${1:-200}" smtp="${2:-50}" kills="${3:-100}"
cargo build --quiet -p letterpress-cli
bin="${CARGO_TARGET_DIR:-$root/target}/debug/letterpress"
bash "$root/tests/smtp/ensure.sh"
work="$(mktemp -d)"
trap 'for f in "$work"/*.pid; do [ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; rm -rf "$work"' EXIT
project="$root/templates"
failed=0

count() { python3 - "$1" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=30)
ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
rows = dict(conn.execute("SELECT status, count(*) FROM sends GROUP BY status").fetchall())
print(ok, " ".join(f"{k}={v}" for k, v in sorted(rows.items())))
PY
}

# 1. Concurrent outbox sends with readers.
data="$work/outbox"
mkdir -p "$data"
( while [ ! -e "$work/stop" ]; do LETTERPRESS_DATA_DIR="$data" "$bin" history --json --limit 5 >/dev/null 2>&1 || echo reader-failed >>"$work/readers"; done ) &
reader=$!
start=$(date +%s.%N)
senders=()
for i in $(seq "$sends"); do
    ( LETTERPRESS_DATA_DIR="$data" "$bin" send password-reset --project "$project" --to "r$i@example.com" \
        >/dev/null 2>>"$work/outbox.err" || echo "$i" >>"$work/outbox.failed" ) &
    senders+=($!)
done
wait "${senders[@]}"
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
touch "$work/stop"; wait "$reader"
read -r integrity rows < <(count "$data/history.sqlite3")
bad=$(cat "$work/outbox.failed" 2>/dev/null | wc -l)
echo "outbox: $sends concurrent sends in ${elapsed}s: $bad failed; history $rows; integrity $integrity; readers failed: $(cat "$work/readers" 2>/dev/null | wc -l)"
[ "$bad" = 0 ] && [ "$rows" = "sent=$sends" ] && [ "$integrity" = ok ] || { failed=1; sort "$work/outbox.err" | uniq -c | head; }

# 2. Concurrent SMTP sends through the real test server.
start_server() {
    python3 "$root/tests/smtp/server.py" --dir "$work/$1" "${@:2}" >"$work/$1.out" &
    echo $! >"$work/$1.pid"
    for _ in $(seq 600); do grep -q READY "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
    sed -n 's/.*port=\([0-9]*\).*/\1/p' "$work/$1.out"
}
port=$(start_server smtp)
data="$work/smtp-data"
senders=()
for i in $(seq "$smtp"); do
    ( LETTERPRESS_DATA_DIR="$data" LETTERPRESS_SMTP_PASSWORD=letterpress-test-password "$bin" send password-reset \
        --project "$project" --to "s$i@example.com" --smtp-url "smtp://tester@127.0.0.1:$port?tls=required" \
        --smtp-ca "$work/smtp/ca.pem" >/dev/null 2>>"$work/smtp.err" || echo "$i" >>"$work/smtp.failed" ) &
    senders+=($!)
done
wait "${senders[@]}"
sleep 0.5
read -r integrity rows < <(count "$data/history.sqlite3")
received=$(ls "$work/smtp/mail" | grep -c '\.eml$' || true)
bad=$(cat "$work/smtp.failed" 2>/dev/null | wc -l)
echo "smtp: $smtp concurrent sends: $bad failed; server received $received; history $rows; integrity $integrity"
[ "$bad" = 0 ] && [ "$received" = "$smtp" ] && [ "$rows" = "sent=$smtp" ] || { failed=1; sort "$work/smtp.err" | uniq -c | head; }

# 3. SIGKILL of sends waiting on a silent server, some while they start up.
port=$(start_server silent --silent)
data="$work/kill-data"
for i in $(seq "$kills"); do
    LETTERPRESS_DATA_DIR="$data" "$bin" send password-reset --project "$project" --to "k$i@example.com" \
        --smtp-url "smtp://127.0.0.1:$port" --timeout 120 >/dev/null 2>&1 &
    pid=$!
    sleep "0.$(( (i * 37) % 30 ))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
done
LETTERPRESS_DATA_DIR="$data" "$bin" history --limit 1 >/dev/null
read -r integrity rows < <(count "$data/history.sqlite3")
echo "kill -9: $kills sends killed; history after the next open $rows; integrity $integrity"
[ "$integrity" = ok ] && [[ "$rows" != *pending* ]] && [[ "$rows" != *sent* ]] || failed=1
exit "$failed"
