#!/usr/bin/env bash
# History query latency at one connection over a seeded database, with the
# query plan of each scenario.
#
#   bench/history.sh                 # one million sessions (seeded once, then reused)
#   SESSIONS=100000 bench/history.sh
#
# Prints, per scenario: total_entries, p50 and p99 (wrk, one connection, one
# thread, DURATION seconds), then `kefud explain` for it. Seeds with
# `kefud demo --sessions N` into bench/.data/ the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-1000000}
DURATION=${DURATION:-5}
PORT=${PORT:-18190}
DATA=${DATA:-bench/.data}

make -s build
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk" >&2
  apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi

mkdir -p "$DATA"
db="$DATA/history-$SESSIONS.db"
if [ ! -f "$db" ]; then
  echo "bench: seeding $SESSIONS sessions into $db" >&2
  start=$SECONDS
  build/kefud demo --db "$db" --sessions "$SESSIONS"
  echo "bench: seeded in $((SECONDS - start)) s" >&2
fi

log="$DATA/serve.log"
build/kefud serve --db "$db" --listen "127.0.0.1:$PORT" --log-level warn 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

token=$(curl -sf -X POST "$base/api/tenants/1/accessToken" \
  -d '{"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"}' |
  sed 's/.*"accessToken":"\([0-9a-f]*\)".*/\1/')
agent=$(curl -sf "$base/api/tenants/1/agents?keyValue=agent0002" -H "Kefu-Token: $token" |
  sed 's/.*"userId":"\([0-9a-f-]*\)".*/\1/')

declare -a names queries
add() { names+=("$1"); queries+=("$2"); }
add "a week of stopDateTime" "stopDateFrom=2026-08-01T00:00:00.000Z&stopDateTo=2026-08-07T23:59:59.999Z"
add "one agent's sessions" "agentUserId=$agent"
add "customerName substring" "customerName=lucy12"
add "deep page (page 100)" "page=100&per_page=50"
add "all filters at once" "state=Terminal&originType=webim&techChannelId=1&transfered=false&fromAgentCallback=false&enquirySummary=5&queueIds=1,2&agentIds=$agent&summaryIds=101,201&stopDateFrom=2026-06-01T00:00:00Z&stopDateTo=2026-09-30T23:59:59Z&sortField=createDatetime&sortOrder=asc"

printf '\n%s sessions, one connection, %s s per scenario\n\n' "$SESSIONS" "$DURATION"
printf '%-26s %14s %10s %10s %10s\n' scenario total_entries p50 p99 req/s
for i in "${!names[@]}"; do
  url="$base/api/tenants/1/serviceSessionHistorys?${queries[$i]}"
  total=$(curl -sf "$url" -H "Kefu-Token: $token" | sed 's/.*"total_entries":\([0-9]*\).*/\1/')
  out=$(wrk -t1 -c1 -d"${DURATION}s" --latency -H "Kefu-Token: $token" "$url")
  p50=$(awk '/^ +50%/ {print $2}' <<<"$out")
  p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  printf '%-26s %14s %10s %10s %10s\n' "${names[$i]}" "$total" "$p50" "$p99" "$rps"
done

printf '\nQuery plans (kefud explain):\n'
for i in "${!names[@]}"; do
  printf '\n## %s\n' "${names[$i]}"
  build/kefud explain --db "$db" "${queries[$i]}"
done
