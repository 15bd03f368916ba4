#!/usr/bin/env bash
# Runs the libFuzzer targets for a bounded time each (fuzz/README.md).
#
#   fuzz/run.sh [--merge] BUILD_DIR SECONDS_PER_TARGET [target...]
#
# For each target (all five when none is named): replays its seed corpus and
# fuzz/regressions/<target>/ once, then fuzzes a copy of the seeds in a
# scratch directory for SECONDS (0: replay only), so the repository's corpus
# is never written. Prints one summary line per target. A crash, leak,
# timeout or out-of-memory input is copied to BUILD_DIR/fuzz-artifacts/<target>/
# and its path printed; the exit status is then non-zero.
#
# --merge (or FUZZ_MERGE=1) afterwards adds to fuzz/corpus/<target>/ the
# FUZZ_MERGE_MAX (default 10) smallest inputs that reached code the seeds
# did not.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
merge="${FUZZ_MERGE:-0}"
args=()
for a in "$@"; do
  if [ "$a" = "--merge" ]; then merge=1; else args+=("$a"); fi
done
if [ ${#args[@]} -lt 2 ]; then
  echo "usage: fuzz/run.sh [--merge] BUILD_DIR SECONDS_PER_TARGET [target...]" >&2
  exit 2
fi
build="$(cd "${args[0]}" && pwd)" || exit 2
seconds="${args[1]}"
targets=("${args[@]:2}")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_http_request fuzz_query_string fuzz_json_body fuzz_iso8601 fuzz_import_body)

# Inputs big enough to cross the 8 KiB header limit for the HTTP target, and
# to hold a few dozen items for the import; libFuzzer's default elsewhere.
max_len_of() {
  case "$1" in
    fuzz_http_request) echo 12288 ;;
    fuzz_import_body) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}"

scratch_root="$(mktemp -d "${TMPDIR:-/tmp}/kefu-fuzz-run.XXXXXX")"
trap 'rm -rf "$scratch_root"' EXIT
logs="$build/fuzz-logs"
mkdir -p "$logs"

status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/$t"
  corpus="$here/corpus/$t"
  regressions="$here/regressions/$t"
  dict="$here/dict/$t.dict"
  log="$logs/$t.log"
  if [ ! -x "$bin" ]; then
    echo "$t: FAIL not built ($bin missing; cmake --build $build --target kefu_fuzzers)"
    status=1
    continue
  fi
  work="$scratch_root/$t"
  mkdir -p "$work/corpus" "$work/artifacts"
  [ -d "$corpus" ] && cp -r "$corpus/." "$work/corpus/"
  : >"$log"

  # 1. Replay the seeds (together), then each regression on its own so that
  #    every one still failing is named.
  mapfile -t seeds < <(find "$corpus" -type f ! -name '.*' 2>/dev/null | sort)
  if [ ${#seeds[@]} -gt 0 ] &&
     ! "$bin" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/" "${seeds[@]}" >>"$log" 2>&1; then
    failed="$(grep -o 'Running: .*' "$log" | tail -1 | cut -d' ' -f2-)"
    echo "$t: FAIL a seed crashes: ${failed:-?} (log: $log)"
    grep -E -A25 'ERROR:|runtime error|invariant broken' "$log" | grep -v '^ *#' | head -20 | sed 's/^/    /'
    status=1
    continue
  fi
  mapfile -t regs < <(find "$regressions" -type f ! -name '.*' ! -name 'README*' 2>/dev/null | sort)
  still=0
  for r in "${regs[@]}"; do
    rlog="$work/regression.log"
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/" "$r" >"$rlog" 2>&1; then
      cat "$rlog" >>"$log"
      what="$(grep -E -m1 -A1 'invariant broken|runtime error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$rlog" |
              head -2 | tr '\n' ' ' | cut -c1-240)"
      echo "$t: FAIL regression still crashes: ${r#"$here"/} -- $what"
      still=$((still + 1))
    fi
  done
  rm -f "$work"/artifacts/*
  if [ "$still" -gt 0 ]; then
    echo "$t: FAIL $still of ${#regs[@]} regressions still crash (log: $log); not fuzzed"
    status=1
    continue
  fi

  # 2. Fuzz a copy of the seeds.
  runs=0 eps=0 cov=0 ft=0 corp=0 rss=0 crash=""
  if [ "$seconds" -gt 0 ]; then
    "$bin" "$work/corpus" -max_total_time="$seconds" -dict="$dict" -timeout=10 -rss_limit_mb=2048 \
      -max_len="$(max_len_of "$t")" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
      >>"$log" 2>&1
    rc=$?
    final_stat() { grep -o "stat::$1: *[0-9]*" "$log" | tail -1 | awk '{print $2}'; }
    runs="$(final_stat number_of_executed_units)"
    eps="$(final_stat average_exec_per_sec)"
    rss="$(final_stat peak_rss_mb)"
    last="$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)"
    # After a crash there are no final stats: take the last status line's.
    [ -n "$runs" ] || runs="$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")"
    [ -n "$eps" ] || eps="$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<<"$last")"
    [ -n "$rss" ] || rss="$(sed -n 's/.*rss: \([0-9]*\)Mb.*/\1/p' <<<"$last")"
    cov="$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")"
    corp="$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")"
    found=("$work"/artifacts/*)
    if [ -e "${found[0]}" ]; then
      keep="$build/fuzz-artifacts/$t"
      mkdir -p "$keep"
      cp "${found[@]}" "$keep/"
      crash="$keep/$(basename "${found[0]}")"
    elif [ "$rc" -ne 0 ]; then
      crash="(libFuzzer exited $rc without an artifact; see $log)"
    fi
  fi

  # 3. Optionally keep a few new inputs as seeds.
  if [ "$merge" = "1" ] && [ -z "$crash" ] && [ "$seconds" -gt 0 ]; then
    merged="$work/merged"
    mkdir -p "$merged" "$corpus"
    cp -r "$corpus/." "$merged/"
    "$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len_of "$t")" \
      "$merged" "$work/corpus" >>"$log" 2>&1
    added=0
    while read -r _ f; do
      [ -e "$corpus/$(basename "$f")" ] && continue
      cp "$f" "$corpus/"
      added=$((added + 1))
      [ "$added" -ge "${FUZZ_MERGE_MAX:-10}" ] && break
    done < <(find "$merged" -type f -printf '%s %p\n' | sort -n)
    echo "$t: merged $added new inputs into fuzz/corpus/$t/"
  fi

  nreg=$(find "$regressions" -type f ! -name '.*' ! -name 'README*' 2>/dev/null | wc -l)
  summary="runs=${runs:-0} exec/s=${eps:-0} cov=${cov:-0} ft=${ft:-0} corpus=${corp:-0} rss=${rss:-0}MB regressions=$nreg"
  if [ -n "$crash" ]; then
    echo "$t: FAIL $summary crashes=1 crash: $crash (log: $log)"
    grep -E -A25 'ERROR:|runtime error|invariant broken' "$log" | head -40 | sed 's/^/    /'
    status=1
  else
    echo "$t: ok   $summary crashes=0"
  fi
done
exit $status
