#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the black-box tests.
#
#   pg_cluster.sh start  DIR [--durable]
#                              initdb + start on 127.0.0.1:<free port>; writes DIR/url.
#                              --durable: synchronous_commit=on, so that a commit is
#                              in the operating system's hands before it returns and
#                              survives `pause DIR immediate` (a crash of PostgreSQL)
#   pg_cluster.sh pause  DIR [fast|immediate]
#                              stop the server (pg_ctl stop -m MODE, default fast),
#                              keep the data (outage tests)
#   pg_cluster.sh resume DIR   start it again on the same port
#   pg_cluster.sh stop   DIR   stop the server and remove DIR and the data
#   pg_cluster.sh deps         install postgresql (and nginx for the scale-out test) if missing
#
# DIR is owned by the caller and holds only small state files:
#   url      postgresql://postgres@127.0.0.1:PORT  (append /DBNAME for a database)
#   port     the TCP port
#   data     the cluster directory (mktemp under /tmp, owned by postgres: initdb and
#            postgres refuse to run as root, and the postgres user may not be able
#            to reach DIR through its parents)
#   log      the server log
# Runs as root (or with sudo), like `make test`.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

die() { echo "pg_cluster: $*" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
    runuser -u postgres -- "$@"
  else
    sudo -u postgres -- "$@"
  fi
}

apt_install() {
  # apt-get update only when the package lists do not know the package yet, or
  # when they are too old to install from.
  local install=($sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
                 --no-install-recommends -o DPkg::Lock::Timeout=120 "$@")
  if ! apt-cache show "$1" >/dev/null 2>&1; then
    $sudo apt-get update -qq >&2
  fi
  "${install[@]}" >&2 || { $sudo apt-get update -qq >&2 && "${install[@]}" >&2; }
}

ensure_postgres() {
  [ -x "$PGBIN/initdb" ] && return 0
  echo "pg_cluster: installing postgresql" >&2
  apt_install postgresql
  [ -x "$PGBIN/initdb" ] || die "no $PGBIN/initdb after installing postgresql (not version 15?)"
}

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && return 0
  echo "pg_cluster: installing nginx-light" >&2
  apt_install nginx-light || apt_install nginx
}

free_port() {
  # Ask the kernel for a free port (bind to 0), as the tests do for kefud.
  python3 - <<'EOF' 2>/dev/null || shuf -i 20000-60000 -n 1
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
EOF
}

pg_start() {  # DIR PORT
  local dir=$1 port=$2 data sync=off
  data=$(cat "$dir/data")
  [ -f "$dir/durable" ] && sync=on
  # fsync, synchronous_commit and full_page_writes off: this cluster lives for
  # one test run and is deleted after it, so crash safety buys nothing and the
  # fsyncs would dominate the run time of hundreds of tiny test databases. A
  # real deployment keeps all three on (see deploy/README.md). fsync=off loses
  # data only when the operating system crashes; the outage test's cluster
  # (--durable) turns synchronous_commit on so that an acknowledged commit also
  # survives PostgreSQL being killed (pause immediate).
  as_postgres "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$data \
        -c fsync=off -c synchronous_commit=$sync -c full_page_writes=off \
        -c max_connections=300 -c shared_buffers=64MB" >/dev/null
  local i
  for i in $(seq 1 100); do
    "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" && return 0
    sleep 0.1
  done
  die "server on port $port not ready; log: $(tail -20 "$data/server.log")"
}

cmd=${1:-}
case "$cmd" in
  deps)
    ensure_postgres
    # Only the scale-out tests need nginx: without it they fail, the rest runs.
    ensure_nginx || echo "pg_cluster: could not install nginx; the ScaleOut tests will fail" >&2
    ;;
  start)
    dir=${2:?usage: pg_cluster.sh start DIR}
    ensure_postgres
    if [ -f "$dir/data" ]; then
      # A leftover from an interrupted run: remove it first.
      "$0" stop "$dir" || true
    fi
    mkdir -p "$dir"
    rm -f "$dir/durable"
    [ "${3:-}" = "--durable" ] && touch "$dir/durable"
    data=$(mktemp -d /tmp/kefu-pg.XXXXXX)
    $sudo chown postgres: "$data"
    $sudo chmod 700 "$data"
    echo "$data" > "$dir/data"
    as_postgres "$PGBIN/initdb" -D "$data/db" --auth=trust -U postgres -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || as_postgres "$PGBIN/initdb" -D "$data/db" --auth=trust -U postgres -E UTF8 \
           --locale=C >"$dir/initdb.log" 2>&1 \
      || die "initdb failed: $(tail -5 "$dir/initdb.log")"
    echo "$data/db" > "$dir/data"
    # A port may be taken between choosing and binding: try a few.
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if pg_start "$dir" "$port" 2>"$dir/start.err"; then
        echo "$port" > "$dir/port"
        echo "postgresql://postgres@127.0.0.1:$port" > "$dir/url"
        ln -sf "$data/db/server.log" "$dir/log"
        echo "pg_cluster: started on 127.0.0.1:$port, data $data/db" >&2
        exit 0
      fi
    done
    die "could not start: $(cat "$dir/start.err")"
    ;;
  pause)
    dir=${2:?usage: pg_cluster.sh pause DIR [fast|immediate]}
    mode=${3:-fast}
    case "$mode" in fast|immediate) ;; *) die "pause: mode is fast or immediate" ;; esac
    data=$(cat "$dir/data")
    as_postgres "$PGBIN/pg_ctl" -D "$data" -m "$mode" -w -t 60 stop >/dev/null
    ;;
  resume)
    dir=${2:?usage: pg_cluster.sh resume DIR}
    pg_start "$dir" "$(cat "$dir/port")"
    ;;
  stop)
    dir=${2:?usage: pg_cluster.sh stop DIR}
    [ -f "$dir/data" ] || { rm -rf "$dir"; exit 0; }
    data=$(cat "$dir/data")
    if [ -f "$data/postmaster.pid" ]; then
      as_postgres "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null \
        || as_postgres "$PGBIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null || true
    fi
    case "$data" in
      /tmp/kefu-pg.*/db) $sudo rm -rf "$(dirname "$data")" ;;
    esac
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_cluster.sh start DIR [--durable] | pause DIR [fast|immediate] | resume DIR | stop DIR | deps" >&2
    exit 2
    ;;
esac
