#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages kefu builds and tests with,
# and only those that are missing, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost-dev rapidjson-dev libsqlite3-dev libpq-dev libsodium-dev
  # HTTPS and WSS (kefud serve --tls-cert); openssl makes the tests' certificates.
  libssl-dev openssl
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3 curl
  # make test's fuzz pass: clang with libFuzzer and the sanitizer runtimes.
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
