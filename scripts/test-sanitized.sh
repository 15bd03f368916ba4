#!/usr/bin/env bash
# make test's second half: the whole suite (unit and black-box, SQLite and
# PostgreSQL) again on a build with AddressSanitizer and
# UndefinedBehaviorSanitizer. kefud and the tests write any report to a file
# under REPORTS instead of stderr, where a child's report could go unseen;
# the run fails if one appears.
set -euo pipefail
build_dir=${1:-build-asan}
jobs=${JOBS:-$(nproc)}
reports="$PWD/$build_dir/sanitizer-reports"

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEFU_SANITIZE=ON >/dev/null
cmake --build "$build_dir" -j "$jobs"

rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="log_path=$reports/lsan"
status=0
(cd "$build_dir" && ctest --output-on-failure -j "$jobs") || status=$?

if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports in $reports:" >&2
  for f in "$reports"/*; do
    echo "==> $f" >&2
    head -n 60 "$f" >&2
  done
  exit 1
fi
exit "$status"
