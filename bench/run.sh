#!/usr/bin/env bash
# The performance bench (`make bench`): every scenario against kefud and, in
# the same run, against a static nginx answering the same response bytes; a
# mixed-load scenario; the history scenarios at several sizes; and the targets
# of the performance issue with PASS/MISS.
#
#   make bench                                  # defaults below (Release build first)
#   SESSIONS=100000 AGENTS=100 RUNS=1 DURATION=3 GROWTH= bench/run.sh   # a quick try
#
# Knobs (environment):
#   SESSIONS=1000000   sessions of the main table's database
#   AGENTS=1000        generated agents in every database
#   RUNS=3             runs per scenario; the table shows medians
#   DURATION=10        seconds per wrk run (main table, mixed load)
#   CONNECTIONS=64     wrk -t2 -cCONNECTIONS for the main table
#   GROWTH="100000 1000000 10000000"   sizes of the growth table (GROWTH= skips it)
#   GROWTH_DURATION=5  seconds per growth measurement (wrk -t1 -c1)
#   GROWTH_RUNS=RUNS   growth measurements per scenario and size; medians
#   WARMUP=2           seconds of unmeasured load before each kefud scenario
#   DATA=bench/.data   seeded databases, nginx config, raw wrk outputs (DATA/raw/)
#   KEFUD=build/kefud  the binary under test
#   PORT=18410 NGINX_PORT=18411
#
# Databases are seeded once per size with
# `kefud demo --agents AGENTS --sessions N` into DATA/bench-agentsA-sessionsN.db
# and reused after. A size needs about 3 KB of free disk per session while
# seeding (10M: 30 GB); a size that does not fit is skipped with a message.
#
# wrk, kefud and nginx share the machine's cores: the figures are the
# machine's, and the nginx column says what the same machine does when
# answering the same bytes takes no work at all.
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-1000000}
AGENTS=${AGENTS:-1000}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
GROWTH=${GROWTH-100000 1000000 10000000}
GROWTH_DURATION=${GROWTH_DURATION:-5}
GROWTH_RUNS=${GROWTH_RUNS:-$RUNS}
WARMUP=${WARMUP:-2}
DATA=${DATA:-bench/.data}
KEFUD=${KEFUD:-build/kefud}
PORT=${PORT:-18410}
NGINX_PORT=${NGINX_PORT:-18411}

command_line="$(env | { grep -E '^(SESSIONS|AGENTS|RUNS|DURATION|CONNECTIONS|GROWTH|GROWTH_DURATION|GROWTH_RUNS|WARMUP|DATA|KEFUD|PORT|NGINX_PORT)=' || true; } |
  sed -E "s/^([A-Z_]+)=(.*)$/\1='\2'/" | sort | tr '\n' ' ')bench/run.sh"
[ -n "${MAKELEVEL:-}" ] && command_line="$command_line (from make bench)"

log() { printf 'bench: %s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------
# Under `make bench` the build has just run; alone, build first (Release).
if [ -z "${MAKELEVEL:-}" ] && [ "$KEFUD" = build/kefud ]; then make -s build; fi
[ -x "$KEFUD" ] || { log "no $KEFUD: run make build"; exit 1; }
apt_install() {
  log "installing $*"
  apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }
}
command -v wrk >/dev/null || apt_install wrk
command -v curl >/dev/null || apt_install curl
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx-light
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

mkdir -p "$DATA"
data=$(realpath "$DATA")
stamp=$(date +%Y%m%d-%H%M%S)
raw="$data/raw/$stamp"
mkdir -p "$raw"
log "raw wrk outputs and server logs: $raw"
# Every process of the run starts from one copy of the binary, taken now: a
# rebuild of build/kefud during the run must not mix two builds in one report.
mkdir -p "$data/bin"
kefud_bin="$data/bin/kefud"
cp "$KEFUD" "$kefud_bin.new" && mv "$kefud_bin.new" "$kefud_bin"
kefud_id="$(sha256sum "$kefud_bin" | cut -c1-12), built $(date -u -r "$KEFUD" '+%Y-%m-%d %H:%M UTC')"

# --- processes ----------------------------------------------------------------
kefud_pid=""
nginx_pid=""
bg_pids=()
stop_kefud() {
  if [ -n "$kefud_pid" ]; then
    rss_fold "$kefud_pid"
    kill "$kefud_pid" 2>/dev/null || true
    wait "$kefud_pid" 2>/dev/null || true
    kefud_pid=""
  fi
}
cleanup() {
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_kefud
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- resident memory ---------------------------------------------------------
# The peak of each scenario is VmHWM after resetting it (clear_refs 5) at the
# scenario's start; every value read before a reset goes into the whole-bench
# peak, so no moment of any kefud process is missed.
rss_overall_kb=0
rss_reset_ok=1
rss_hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_fold() {
  local kb
  kb=$(rss_hwm "$1")
  [ -n "$kb" ] && [ "$kb" -gt "$rss_overall_kb" ] && rss_overall_kb=$kb
  return 0
}
rss_reset() {
  rss_fold "$1"
  if [ "$rss_reset_ok" = 1 ] && ! { echo 5 >"/proc/$1/clear_refs"; } 2>/dev/null; then
    rss_reset_ok=0
    log "cannot reset VmHWM (/proc/PID/clear_refs): per-scenario RSS is the process peak so far"
  fi
}
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f MB", kb / 1024 }'; }

# --- seeding -----------------------------------------------------------------
free_kb() { df -Pk "$data" | awk 'NR == 2 {print $4}'; }
db_for() { echo "$data/bench-agents$AGENTS-sessions$1.db"; }
# seed N -> 0 when DATA/bench-…-sessionsN.db exists (seeded now or before)
seed() {
  local n=$1 db tmp start need
  db=$(db_for "$n")
  [ -f "$db" ] && return 0
  need=$((n * 3))  # KB: ~1.4 KB a session, plus the WAL and index builds while seeding
  if [ "$(free_kb)" -lt "$need" ]; then
    seed_why="seeding needs about $((need / 1024 / 1024)) GB free in $DATA, $(($(free_kb) / 1024 / 1024)) GB are"
    log "SKIP $n sessions: $seed_why"
    return 1
  fi
  tmp="$db.seeding"
  rm -f "$tmp" "$tmp-wal" "$tmp-shm"
  log "seeding $AGENTS agents and $n sessions into $db"
  start=$SECONDS
  if ! "$kefud_bin" demo --db "$tmp" --agents "$AGENTS" --sessions "$n" >"$raw/seed-$n.log" 2>&1; then
    seed_why="seeding failed, see $raw/seed-$n.log"
    log "seeding $n failed:"; tail -5 "$raw/seed-$n.log" >&2; rm -f "$tmp" "$tmp-wal" "$tmp-shm"; return 1
  fi
  for suffix in -wal -shm; do [ -f "$tmp$suffix" ] && mv "$tmp$suffix" "$db$suffix"; done
  mv "$tmp" "$db"
  seed_notes+=("seeded $n sessions in $((SECONDS - start)) s ($(du -h "$db" | cut -f1))")
  log "seeded in $((SECONDS - start)) s"
}
seed_notes=()
seed_why=""

# --- kefud -------------------------------------------------------------------
base="http://127.0.0.1:$PORT"
credentials='{"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"}'
token_lua="$data/bench-token.lua"
cat >"$token_lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$credentials'
LUA
server_logs=()
# The scenarios drive one tenant with CONNECTIONS history queries at once (and
# 8 in the mixed load): a cap of heavy requests per tenant below that would
# answer API_429 instead of measuring the query, so the cap is lifted to it.
heavy_cap=$((CONNECTIONS > 8 ? CONNECTIONS : 8))
start_kefud() {  # start_kefud DB NAME
  local logf="$raw/kefud-$2.log"
  "$kefud_bin" serve --listen "127.0.0.1:$PORT" --db "$1" --log-level warn \
    --heavy-queries-per-tenant "$heavy_cap" 2>"$logf" &
  kefud_pid=$!
  server_logs+=("$logf")
  for _ in $(seq 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf "$base/healthz" >/dev/null || { log "kefud did not start on $1:"; tail -5 "$logf" >&2; exit 1; }
  token=$(curl -sf -X POST "$base/api/tenants/1/accessToken" -H 'Content-Type: application/json' -d "$credentials" |
    sed -n 's/.*"accessToken":"\([0-9a-f]*\)".*/\1/p')
  [ -n "$token" ] || { log "no access token"; exit 1; }
  agent=$(curl -sf "$base/api/tenants/1/agents?keyValue=agent0002" -H "Kefu-Token: $token" |
    grep -o '"userId":"[0-9a-f-]*"' | head -1 | cut -d'"' -f4 || true)
  [ -n "$agent" ] || { log "no agent0002"; exit 1; }
}

# --- scenarios -----------------------------------------------------------------
# slug|name|path and query (GET) or POST for the token
history='/api/tenants/1/serviceSessionHistorys'
week='stopDateFrom=2026-08-01T00:00:00.000Z&stopDateTo=2026-08-07T23:59:59.999Z'
all_filters='state=Terminal&originType=webim&techChannelId=1&transfered=false&fromAgentCallback=false&enquirySummary=5&queueIds=1,2&agentIds=@AGENT@&summaryIds=101,201&stopDateFrom=2026-06-01T00:00:00Z&stopDateTo=2026-09-30T23:59:59Z&sortField=createDatetime&sortOrder=asc'
scenarios=(
  "token|token issue|POST /api/tenants/1/accessToken"
  "agents-all|agent search, no keyValue (10 of all)|/api/tenants/1/agents?page=0&size=10"
  "agents-few|agent search, keyValue matching a few (agent001: 10)|/api/tenants/1/agents?page=0&size=10&keyValue=agent001"
  "agents-none|agent search, keyValue matching none|/api/tenants/1/agents?page=0&size=10&keyValue=zz-no-such-agent"
  "roles|roles|/api/tenants/1/roles"
  "h-week|history, a week of stopDateTime|$history?$week"
  "h-agent|history, one agent|$history?agentUserId=@AGENT@"
  "h-customer|history, customerName substring (lucy12)|$history?customerName=lucy12"
  "h-page100|history, page 100|$history?page=100&per_page=50"
  "h-all|history, all filters at once|$history?$all_filters"
)
field() { cut -d'|' -f"$1" <<<"$2"; }
url_of() {  # url_of SCENARIO -> kefud URL with this server's agent id
  local p
  p=$(field 3 "$1")
  p=${p#POST }
  echo "$base${p//@AGENT@/$agent}"
}

# --- wrk ----------------------------------------------------------------------
# measure RAWNAME wrk-args… -> "req/s p50(ms) p99(ms) non2xx errors"; raw output kept
to_ms='function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }'
problems_file="$raw/problems.txt"
: >"$problems_file"
measure() {
  local name=$1 out f
  shift
  f="$raw/$name.txt"
  { echo "\$ wrk $*"; wrk "$@" 2>&1; } >"$f" || true
  out=$(awk "$to_ms"'
    /^Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = ms($2)}
    /^ +99%/ {p99 = ms($2)}
    /Non-2xx or 3xx responses:/ {bad = $NF}
    /Socket errors:/ {err = $0; sub(/.*Socket errors: */, "", err); gsub(/ /, "", err)}
    END {printf "%s %s %s %s %s", (rps == "" ? 0 : rps), (p50 == "" ? "nan" : p50), (p99 == "" ? "nan" : p99), (bad == "" ? 0 : bad), (err == "" ? "-" : err)}' "$f")
  read -r _ _ _ bad err <<<"$out"
  if [ "$bad" != 0 ] || [ "$err" != - ]; then
    echo "$name: Non-2xx $bad, socket errors $err (see $name.txt)" >>"$problems_file"
  fi
  echo "$out"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
fmt_rps() { awk -v v="$1" 'BEGIN { if (v == "nan") print "—"; else printf "%.0f", v }'; }
fmt_ms() { awk -v v="$1" 'BEGIN { if (v == "nan") print "—"; else if (v < 10) printf "%.2f ms", v; else printf "%.1f ms", v }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "nan" && a >= b) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "nan" && a <= b) }'; }
verdict() { if "$@"; then echo PASS; else echo MISS; fi; }

# --- nginx reference -------------------------------------------------------------
ngx="$data/nginx"
start_nginx() {
  mkdir -p "$ngx/www" "$ngx/tmp"
  local user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  # The token location answers POST with the captured body (the static module
  # answers POST with 405); every other scenario is a static file.
  local token_body
  token_body=$(cat "$ngx/www/token.json")
  cat >"$ngx/nginx.conf" <<NGINX
# Written by bench/run.sh: the static reference, same bytes as kefud.
$user_line
worker_processes auto;
daemon off;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
  access_log off;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 300s;
  keepalive_requests 100000000;
  open_file_cache max=64 inactive=600s;
  open_file_cache_valid 600s;
  server_tokens off;
  etag off;
  types { }
  default_type "application/json;charset=UTF-8";
  server {
    listen 127.0.0.1:$NGINX_PORT reuseport backlog=4096;
    root $ngx/www;
    location = /token.json { return 200 '$token_body'; }
    location / { }
  }
}
NGINX
  "$NGINX" -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
  nginx_pid=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/roles.json" && break; sleep 0.1; done
  curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/roles.json" || { log "nginx did not start:"; tail -5 "$ngx/error.log" >&2; exit 1; }
}

# capture every scenario's body from kefud into nginx's root; each must be 200
capture_bodies() {
  local s slug url code
  rm -rf "$ngx/www" && mkdir -p "$ngx/www"
  for s in "${scenarios[@]}"; do
    slug=$(field 1 "$s")
    url=$(url_of "$s")
    if [ "$slug" = token ]; then
      code=$(curl -s -o "$ngx/www/token.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$credentials" "$url")
      grep -q "[\\\$']" "$ngx/www/token.json" && { log "token body has \$ or ': cannot inline it in nginx.conf"; exit 1; }
    else
      code=$(curl -s -o "$ngx/www/$slug.json" -w '%{http_code}' -H "Kefu-Token: $token" "$url")
    fi
    [ "$code" = 200 ] || { log "$slug answered HTTP $code: $(head -c 300 "$ngx/www/$slug.json")"; exit 1; }
  done
}
check_nginx_bodies() {
  local s slug
  for s in "${scenarios[@]}"; do
    slug=$(field 1 "$s")
    if [ "$slug" = token ]; then
      curl -sf -X POST -H 'Content-Type: application/json' -d "$credentials" "http://127.0.0.1:$NGINX_PORT/token.json" | cmp -s - "$ngx/www/token.json"
    else
      curl -sf "http://127.0.0.1:$NGINX_PORT/$slug.json" | cmp -s - "$ngx/www/$slug.json"
    fi || { log "nginx does not answer $slug with kefud's bytes"; exit 1; }
  done
}
total_of() { sed -n 's/.*"total_entries":\([0-9]*\).*/\1/p' "$1" | head -1; }

# =================================================================================
# Main table
# =================================================================================
t0=$SECONDS
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
date_start=$(date -u '+%Y-%m-%d %H:%M UTC')
git_state="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes in src/')"
main_db=$(db_for "$SESSIONS")
seed "$SESSIONS" || { log "cannot seed the main database"; exit 1; }
start_kefud "$main_db" "main-$SESSIONS"
rss_fold "$kefud_pid"
capture_bodies
start_nginx
check_nginx_bodies

declare -A rps_k rps_n p50_k p99_k rss_s
log "main table: ${#scenarios[@]} scenarios x $RUNS runs x (kefud, nginx) x ${DURATION}s"
for s in "${scenarios[@]}"; do
  slug=$(field 1 "$s")
  url=$(url_of "$s")
  nurl="http://127.0.0.1:$NGINX_PORT/$slug.json"
  if [ "$slug" = token ]; then args=(-s "$token_lua"); else args=(-H "Kefu-Token: $token"); fi
  if [ "$WARMUP" -gt 0 ]; then wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "${args[@]}" "$url" >"$raw/main-$slug-warmup.txt" 2>&1 || true; fi
  rss_reset "$kefud_pid"
  ks=() ns=() k50=() k99=()
  for run in $(seq "$RUNS"); do
    read -r r a b _ _ <<<"$(measure "main-$slug-kefud-$run" -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${args[@]}" "$url")"
    ks+=("$r"); k50+=("$a"); k99+=("$b")
    read -r r _ _ _ _ <<<"$(measure "main-$slug-nginx-$run" -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${args[@]}" "$nurl")"
    ns+=("$r")
  done
  rss_s[$slug]=$(rss_hwm "$kefud_pid")
  rps_k[$slug]=$(echo "${ks[*]}" | median)
  rps_n[$slug]=$(echo "${ns[*]}" | median)
  p50_k[$slug]=$(echo "${k50[*]}" | median)
  p99_k[$slug]=$(echo "${k99[*]}" | median)
  log "  $(field 2 "$s"): kefud ${rps_k[$slug]} req/s, nginx ${rps_n[$slug]} req/s"
done

# --- mixed load: agent search while 8 clients page through history ---------------
log "mixed load: agent search (1 connection) while 8 connections run page-100 history"
mix_p99=() mix_p50=() mix_rps=() mix_bg=()
search_url=$(url_of "${scenarios[2]}")
page_url=$(url_of "${scenarios[8]}")
rss_reset "$kefud_pid"
for run in $(seq "$RUNS"); do
  f="$raw/mixed-page100-background-$run.txt"
  echo "\$ wrk -t1 -c8 -d$((DURATION + 2))s --latency $page_url" >"$f"
  wrk -t1 -c8 -d"$((DURATION + 2))s" --latency -H "Kefu-Token: $token" "$page_url" >>"$f" 2>&1 &
  bg=$!
  bg_pids+=("$bg")
  sleep 1
  read -r r a b _ _ <<<"$(measure "mixed-agent-search-$run" -t1 -c1 -d"${DURATION}s" --latency -H "Kefu-Token: $token" "$search_url")"
  wait "$bg" || true
  bg_pids=()
  mix_rps+=("$r"); mix_p50+=("$a"); mix_p99+=("$b")
  mix_bg+=("$(awk '/^Requests\/sec/ {print $2}' "$f")")
  if grep -q 'Non-2xx\|Socket errors' "$f"; then
    echo "mixed-page100-background-$run: $(grep 'Non-2xx\|Socket errors' "$f" | tr -s ' ' | tr '\n' ' ')" >>"$problems_file"
  fi
done
mix_rss=$(rss_hwm "$kefud_pid")
m_p50=$(echo "${mix_p50[*]}" | median)
m_p99=$(echo "${mix_p99[*]}" | median)
m_rps=$(echo "${mix_rps[*]}" | median)
m_bg=$(echo "${mix_bg[*]}" | median)

# what each captured body holds, for the record
declare -A total_s
for s in "${scenarios[@]}"; do
  slug=$(field 1 "$s")
  f="$ngx/www/$slug.json"
  case $slug in
    token) total_s[$slug]="—" ;;
    roles) total_s[$slug]=$(grep -o '"role_id"' "$f" | wc -l || true) ;;
    agents-*) total_s[$slug]=$(sed -n 's/.*"totalElements":\([0-9]*\).*/\1/p' "$f" | head -1) ;;
    *) total_s[$slug]=$(total_of "$f") ;;
  esac
done
stop_kefud
kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""

# =================================================================================
# Growth table: history scenarios at one connection, per size
# =================================================================================
growth_sizes=()
growth_notes=()
declare -A g50 g99 gtotal
history_slugs=(h-week h-agent h-customer h-page100 h-all)
for n in $GROWTH; do
  if ! seed "$n"; then growth_notes+=("$n sessions: SKIPPED ($seed_why)"); continue; fi
  growth_sizes+=("$n")
  log "growth: $n sessions, wrk -t1 -c1 -d${GROWTH_DURATION}s per history scenario"
  start_kefud "$(db_for "$n")" "growth-$n"
  for s in "${scenarios[@]}"; do
    slug=$(field 1 "$s")
    [[ " ${history_slugs[*]} " == *" $slug "* ]] || continue
    url=$(url_of "$s")
    gtotal[$n|$slug]=$(curl -sf -H "Kefu-Token: $token" "$url" | sed -n 's/.*"total_entries":\([0-9]*\).*/\1/p' || true)
    if [ "$WARMUP" -gt 0 ]; then wrk -t1 -c1 -d"${WARMUP}s" -H "Kefu-Token: $token" "$url" >"$raw/growth-$n-$slug-warmup.txt" 2>&1 || true; fi
    k50=() k99=()
    for run in $(seq "$GROWTH_RUNS"); do
      read -r _ a b _ _ <<<"$(measure "growth-$n-$slug-$run" -t1 -c1 -d"${GROWTH_DURATION}s" --latency -H "Kefu-Token: $token" "$url")"
      k50+=("$a"); k99+=("$b")
    done
    g50[$n|$slug]=$(echo "${k50[*]}" | median)
    g99[$n|$slug]=$(echo "${k99[*]}" | median)
  done
  stop_kefud
done

# =================================================================================
# Report
# =================================================================================
grow_ratio() {  # grow_ratio SLUG -> p50 at 10M / p50 at 1M, or nan
  local a=${g50[10000000|$1]:-nan} b=${g50[1000000|$1]:-nan}
  awk -v a="$a" -v b="$b" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "nan"; else printf "%.2f", a / b }'
}
human() { awk -v n="$1" 'BEGIN { if (n >= 1000000 && n % 1000000 == 0) print n / 1000000 "M"; else if (n >= 1000 && n % 1000 == 0) print n / 1000 "k"; else print n }'; }
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "nan" || b == "nan") print "nan"; else printf "%.2f", a / b }'; }

report() {
  echo "# kefud bench"
  echo
  echo "- command: \`$command_line\`"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, Linux $(uname -r)"
  echo "- date: $date_start to $(date -u '+%H:%M UTC'); kefud from $KEFUD (sha256 $kefud_id; the tree was at $git_state when the run started), copied once and used for the whole run"
  echo "- load average (1, 5, 15 min): $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (anything else running on the machine shows here)"
  echo "- tools: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1 | sed 's/.*: //') (worker_processes auto, access_log off, sendfile)"
  echo "- load: wrk -t2 -c$CONNECTIONS -d${DURATION}s, $RUNS runs per scenario, medians; kefud and nginx alternate run by run; ${WARMUP}s warm-up on kefud first"
  echo "- data: $AGENTS generated agents; main table over $SESSIONS sessions ($(basename "$main_db"))"
  for n in "${seed_notes[@]}"; do echo "- $n"; done
  echo
  echo "## Scenarios over $SESSIONS sessions (wrk -t2 -c$CONNECTIONS)"
  echo
  echo "| scenario | results | kefud req/s | nginx req/s | ratio | p50 | p99 | kefud peak RSS | target | |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
  for s in "${scenarios[@]}"; do
    slug=$(field 1 "$s")
    ratio=$(ratio_of "${rps_k[$slug]}" "${rps_n[$slug]}")
    target="" result=""
    case $slug in
      token) target="≥ 10,000 tokens/s"; result=$(verdict ge "${rps_k[$slug]}" 10000) ;;
      agents-all|agents-few) target="≥ 0.5 × nginx"; result=$(verdict ge "$ratio" 0.5) ;;
      roles) target="≥ 0.7 × nginx"; result=$(verdict ge "$ratio" 0.7) ;;
      h-week) target="≥ 5,000 req/s (at 1M)"; result=$(verdict ge "${rps_k[$slug]}" 5000)
        [ "$SESSIONS" = 1000000 ] || result="$result (at $SESSIONS)" ;;
    esac
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(field 2 "$s")" "${total_s[$slug]}" \
      "$(fmt_rps "${rps_k[$slug]}")" "$(fmt_rps "${rps_n[$slug]}")" "$( [ "$ratio" = nan ] && echo — || echo "$ratio")" \
      "$(fmt_ms "${p50_k[$slug]}")" "$(fmt_ms "${p99_k[$slug]}")" "$(mb "${rss_s[$slug]}")" "$target" "$result"
  done
  echo
  echo "results: total_entries (history), totalElements (agents), roles on the list; each body is one page: up to 10 agents, up to 50 history sessions."
  echo "ratio: kefud req/s / nginx req/s; nginx serves kefud's captured response body as a static file (token: \`return 200\` with a captured body)."
  echo
  echo "## Agent search while 8 clients run page-100 history ($SESSIONS sessions)"
  echo
  echo "| load | agent search req/s | agent search p50 | agent search p99 | page-100 req/s (8 conns) | kefud peak RSS | target | |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  printf '| wrk -t1 -c1 agent search + wrk -t1 -c8 page 100 | %s | %s | %s | %s | %s | p99 ≤ 5 ms | %s |\n' \
    "$(fmt_rps "$m_rps")" "$(fmt_ms "$m_p50")" "$(fmt_ms "$m_p99")" "$(fmt_rps "$m_bg")" "$(mb "$mix_rss")" "$(verdict le "$m_p99" 5)"
  echo
  if [ "${#growth_sizes[@]}" -gt 0 ]; then
    echo "## Growth: history at one connection (wrk -t1 -c1 -d${GROWTH_DURATION}s, median of $GROWTH_RUNS), p50 / p99"
    echo
    head="| scenario |"; sep="|---|"
    for n in "${growth_sizes[@]}"; do head="$head $(human "$n") sessions |"; sep="$sep---:|"; done
    both=""
    [ -n "${g50[1000000|h-week]:-}" ] && [ -n "${g50[10000000|h-week]:-}" ] && both=1
    [ -n "$both" ] && { head="$head 10M/1M p50 |"; sep="$sep---:|"; }
    echo "$head"; echo "$sep"
    for s in "${scenarios[@]}"; do
      slug=$(field 1 "$s")
      [[ " ${history_slugs[*]} " == *" $slug "* ]] || continue
      row="| $(field 2 "$s") |"
      for n in "${growth_sizes[@]}"; do row="$row $(fmt_ms "${g50[$n|$slug]}") / $(fmt_ms "${g99[$n|$slug]}") |"; done
      if [ -n "$both" ]; then gr=$(grow_ratio "$slug"); row="$row ${gr}× |"; fi
      echo "$row"
    done
    echo
    echo "total_entries per size:"
    echo
    echo "| scenario |$(for n in "${growth_sizes[@]}"; do printf ' %s |' "$(human "$n")"; done)"
    echo "|---|$(for _ in "${growth_sizes[@]}"; do printf -- '---:|'; done)"
    for slug in "${history_slugs[@]}"; do
      for s in "${scenarios[@]}"; do [ "$(field 1 "$s")" = "$slug" ] && name=$(field 2 "$s"); done
      echo "| $name |$(for n in "${growth_sizes[@]}"; do printf ' %s |' "${gtotal[$n|$slug]:-?}"; done)"
    done
    echo
  fi
  for n in "${growth_notes[@]}"; do echo "- growth: $n"; done
  [ "${#growth_notes[@]}" -gt 0 ] && echo

  echo "## Targets"
  echo
  echo "| target | measured | |"
  echo "|---|---|---|"
  r=$(ratio_of "${rps_k[agents-few]}" "${rps_n[agents-few]}")
  r2=$(ratio_of "${rps_k[agents-all]}" "${rps_n[agents-all]}")
  echo "| agent search with 10 results ≥ 0.5 × nginx req/s (both searches answering 10) | ${r}× (keyValue matching a few), ${r2}× (no keyValue) | $(ge "$r" 0.5 && ge "$r2" 0.5 && echo PASS || echo MISS) |"
  r=$(ratio_of "${rps_k[roles]}" "${rps_n[roles]}")
  echo "| roles ≥ 0.7 × nginx req/s | ${r}× | $(verdict ge "$r" 0.7) |"
  v="$(fmt_rps "${rps_k[h-week]}") req/s at $SESSIONS sessions"
  if [ "$SESSIONS" = 1000000 ]; then res=$(verdict ge "${rps_k[h-week]}" 5000); else res="n/a (not 1M)"; fi
  echo "| history, a week of stopDateTime over 1M ≥ 5,000 req/s at $CONNECTIONS connections | $v | $res |"
  if [ -n "${g99[1000000|h-week]:-}" ]; then
    echo "| history, a week of stopDateTime over 1M p99 ≤ 10 ms at one connection | $(fmt_ms "${g99[1000000|h-week]}") | $(verdict le "${g99[1000000|h-week]}" 10) |"
  else
    echo "| history, a week of stopDateTime over 1M p99 ≤ 10 ms at one connection | not measured (1000000 not in GROWTH) | n/a |"
  fi
  if [ -n "${g50[10000000|h-week]:-}" ] && [ -n "${g50[1000000|h-week]:-}" ]; then
    worst=1 worst_slug="" all_ok=PASS
    for slug in "${history_slugs[@]}"; do
      gr=$(grow_ratio "$slug")
      le "$gr" 2 || all_ok=MISS
      awk -v a="$gr" -v b="$worst" 'BEGIN { exit !(a > b) }' && { worst=$gr; worst_slug=$slug; }
    done
    echo "| history p50 at 10M ≤ 2 × p50 at 1M (one connection) | worst ${worst}× ($worst_slug) | $all_ok |"
  else
    echo "| history p50 at 10M ≤ 2 × p50 at 1M (one connection) | not measured (needs 1000000 and 10000000 in GROWTH) | n/a |"
  fi
  echo "| token issue ≥ 10,000 tokens/s | $(fmt_rps "${rps_k[token]}") tokens/s | $(verdict ge "${rps_k[token]}" 10000) |"
  echo "| agent-search p99 ≤ 5 ms while 8 clients run page-100 history | $(fmt_ms "$m_p99") | $(verdict le "$m_p99" 5) |"
  echo "| kefud resident memory ≤ 100 MB during the whole bench | peak $(mb "$rss_overall_kb") (VmHWM, every kefud process) | $(verdict le "$rss_overall_kb" 102400) |"
  echo

  errors=0
  for f in "${server_logs[@]}"; do [ -s "$f" ] && errors=$((errors + $(wc -l <"$f"))); done
  echo "## Checks"
  echo
  if [ ! -s "$problems_file" ]; then echo "- wrk: no Non-2xx responses, no socket errors"; else
    sed 's/^/- wrk: /' "$problems_file"
  fi
  if [ "$errors" -eq 0 ]; then echo "- kefud logs (--log-level warn): empty"; else
    echo "- kefud logs (--log-level warn): $errors lines, first ones:"
    for f in "${server_logs[@]}"; do [ -s "$f" ] && sed 's/^/    /' "$f" | head -5; done
  fi
  [ -s "$ngx/error.log" ] && echo "- nginx error.log: $(wc -l <"$ngx/error.log") lines (last: $(tail -1 "$ngx/error.log"))"
  echo "- raw wrk outputs and server logs: $raw"
  echo "- bench time: $(((SECONDS - t0) / 60)) min $(((SECONDS - t0) % 60)) s"
  echo "- report also saved as $raw/report.md"
}
report | tee "$raw/report.md"
