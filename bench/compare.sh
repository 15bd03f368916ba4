#!/usr/bin/env bash
# The main scenarios on SQLite and on PostgreSQL, in one run, same load.
#
#   bench/compare.sh                   # 200,000 demo sessions in each store
#   SESSIONS=1000000 CONNECTIONS=64 DURATION=10 bench/compare.sh
#
# Seeds each store with `kefud demo --sessions N` (once; reused after), starts
# one kefud on it, and runs every scenario with `wrk -t2 -cCONNECTIONS`.
# PostgreSQL runs here with its default durability (fsync and synchronous
# commit on), as SQLite runs with synchronous=FULL: both acknowledge only
# durable writes.
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-200000}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
DATA=${DATA:-bench/.data}
PGBIN=/usr/lib/postgresql/15/bin

make -s build
tests/pg/pg_cluster.sh deps >/dev/null
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null

mkdir -p "$DATA"
data=$(realpath "$DATA")
pgdir="$data/pg-bench"
pgport=${PGPORT:-55491}
if [ ! -d "$pgdir/data" ]; then
  mkdir -p "$pgdir" && chown postgres "$pgdir"
  runuser -u postgres -- "$PGBIN/initdb" -D "$pgdir/data" --auth=trust -U postgres >/dev/null
fi
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pgport -c unix_socket_directories=$pgdir -c shared_buffers=256MB -c max_connections=200" \
  start >/dev/null
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pgdir/data" stop -m fast >/dev/null 2>&1 || true
}
trap cleanup EXIT

sqlite_db="$data/compare-$SESSIONS.db"
pg_db="postgresql://postgres@127.0.0.1:$pgport/kefu_$SESSIONS"
if [ ! -f "$sqlite_db" ]; then
  echo "bench: seeding SQLite with $SESSIONS sessions" >&2
  build/kefud demo --db "$sqlite_db" --sessions "$SESSIONS" 2>&1 | tail -1 >&2
fi
if ! psql -h 127.0.0.1 -p "$pgport" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'kefu_$SESSIONS'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "CREATE DATABASE kefu_$SESSIONS"
  echo "bench: seeding PostgreSQL with $SESSIONS sessions" >&2
  build/kefud demo --db "$pg_db" --sessions "$SESSIONS" 2>&1 | tail -1 >&2
fi

cat > "$data/token.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"}'
LUA

# run NAME URL [wrk args…] -> "req/s p50 p99"
measure() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
  printf '%s %s %s' "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '/^ +50%/ {print $2}' <<<"$out")" "$(awk '/^ +99%/ {print $2}' <<<"$out")"
  if grep -q 'Non-2xx' <<<"$out"; then printf ' (%s)' "$(grep 'Non-2xx' <<<"$out" | tr -s ' ')"; fi
}

declare -A result
scenarios=("token issue" "agent search, keyValue matching a few" "roles" \
           "history, a week of stopDateTime" "history, one agent" "history, page 100")
port=18300
for backend in sqlite postgresql; do
  db=$sqlite_db
  [ "$backend" = postgresql ] && db=$pg_db
  port=$((port + 1))
  # One tenant, CONNECTIONS history queries at once: lift the per-tenant cap to that.
  build/kefud serve --db "$db" --listen "127.0.0.1:$port" --log-level warn \
    --heavy-queries-per-tenant "$CONNECTIONS" 2>"$data/compare-$backend.log" &
  servers+=($!)
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  token=$(curl -sf -X POST "$base/api/tenants/1/accessToken" -d @<(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$data/token.lua") |
    sed 's/.*"accessToken":"\([0-9a-f]*\)".*/\1/')
  agent=$(curl -sf "$base/api/tenants/1/agents?keyValue=agent0002" -H "Kefu-Token: $token" |
    sed 's/.*"userId":"\([0-9a-f-]*\)".*/\1/')
  h=(-H "Kefu-Token: $token")
  history="$base/api/tenants/1/serviceSessionHistorys"
  result["$backend|token issue"]=$(measure -s "$data/token.lua" "$base/api/tenants/1/accessToken")
  result["$backend|agent search, keyValue matching a few"]=$(measure "${h[@]}" "$base/api/tenants/1/agents?page=0&size=10&keyValue=agent001")
  result["$backend|roles"]=$(measure "${h[@]}" "$base/api/tenants/1/roles")
  result["$backend|history, a week of stopDateTime"]=$(measure "${h[@]}" "$history?stopDateFrom=2026-08-01T00:00:00.000Z&stopDateTo=2026-08-07T23:59:59.999Z")
  result["$backend|history, one agent"]=$(measure "${h[@]}" "$history?agentUserId=$agent")
  result["$backend|history, page 100"]=$(measure "${h[@]}" "$history?page=100&per_page=50")
done

printf '\n%s sessions, wrk -t2 -c%s, %s s per scenario (req/s, p50, p99)\n\n' "$SESSIONS" "$CONNECTIONS" "$DURATION"
printf '| %-38s | %-32s | %-32s |\n' scenario SQLite PostgreSQL
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..40})" "$(printf -- '-%.0s' {1..34})" "$(printf -- '-%.0s' {1..34})"
for s in "${scenarios[@]}"; do
  printf '| %-38s | %-32s | %-32s |\n' "$s" "${result[sqlite|$s]}" "${result[postgresql|$s]}"
done
