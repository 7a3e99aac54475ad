#!/usr/bin/env bash
# Whole-process comparison of `bulwark scan` with ripgrep over the same 2 GB Exchange log tree.
#
# ripgrep searches the tree for the literals Bulwark uses as its pre-filter (`bulwark scan --list-prefilter`),
# which is the floor for "read every byte and look for these strings". Bulwark does that and also parses,
# detects and reports. Both run with a warm page cache: nothing is dropped from it, and each tool has one
# untimed run before the timed ones, so the timed runs read the tree from memory (it must fit in RAM).
# Three timed runs each, alternating rg and bulwark; the table shows the median.
#
# Environment:
#   BENCH_TREE      where the tree is generated (default /tmp/bulwark-bench-tree); reused when present
#   BENCH_SIZE      tree size for the generator (default 2GB)
#   BENCH_ARTIFACTS build output folder (default /tmp/bulwark-bench-artifacts)
#   BENCH_LITERALS  a file of literals (one per line) to use instead of `bulwark scan --list-prefilter`
#   BENCH_RUNS      timed runs per tool (default 3)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tree="${BENCH_TREE:-/tmp/bulwark-bench-tree}"
size="${BENCH_SIZE:-2GB}"
artifacts="${BENCH_ARTIFACTS:-/tmp/bulwark-bench-artifacts}"
runs="${BENCH_RUNS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log() { printf '%s\n' "$*" >&2; }

install_tools() {
  local missing=()
  command -v rg >/dev/null || missing+=(ripgrep)
  [[ -x /usr/bin/time ]] || missing+=(time)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

build() {
  log "building Bulwark.Cli and Bulwark.LogGen (Release) into $artifacts"
  dotnet build "$repo/src/Bulwark.Cli" -c Release --artifacts-path "$artifacts" -v quiet -nologo >&2
  dotnet build "$repo/bench/Bulwark.LogGen" -c Release --artifacts-path "$artifacts" -v quiet -nologo >&2
}

generate_tree() {
  if [[ -d "$tree/inetpub/logs" ]]; then
    log "reusing the tree in $tree"
    return
  fi
  log "generating a $size tree with planted attacks in $tree"
  dotnet "$artifacts/bin/Bulwark.LogGen/release/Bulwark.LogGen.dll" --out "$tree" --size "$size" --plant
}

bulwark() { dotnet "$artifacts/bin/Bulwark.Cli/release/bulwark.dll" "$@"; }

prefilter_literals() {
  if [[ -n "${BENCH_LITERALS:-}" ]]; then
    log "using literals from $BENCH_LITERALS"
    cp "$BENCH_LITERALS" "$work/literals"
  else
    bulwark scan --list-prefilter >"$work/literals"
  fi
  if [[ ! -s "$work/literals" ]]; then
    log "error: no pre-filter literals"
    exit 1
  fi
  log "pre-filter literals: $(paste -sd ' ' "$work/literals")"
}

# Runs one tool once; with a label, appends "label seconds peak-KB exit-code" to the results.
run_rg() {
  /usr/bin/time -f '%e %M' -o "$work/time" rg --count-matches -i -F -f "$work/literals" "$tree" >/dev/null && code=0 || code=$?
  record "${1:-}" rg "$code" 1  # rg exits 1 when nothing matched
}

run_bulwark() {
  /usr/bin/time -f '%e %M' -o "$work/time" \
    dotnet "$artifacts/bin/Bulwark.Cli/release/bulwark.dll" scan "$tree" --format jsonl --output /dev/null -q && code=0 || code=$?
  record "${1:-}" bulwark "$code" 1  # 1 = findings reported
}

record() {
  local label="$1" tool="$2" code="$3" tolerated="$4"
  if ((code != 0 && code != tolerated)); then
    log "note: $tool exited with code $code"
  fi
  if [[ -n "$label" ]]; then
    echo "$tool $(tail -n 1 "$work/time") $code" >>"$work/results"
  fi
}

median_of() {  # median of column $2 for tool $1
  awk -v t="$1" -v c="$2" '$1 == t { print $c }' "$work/results" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

report() {
  local bytes rg_s bw_s
  bytes="$(find "$tree" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }')"
  rg_s="$(median_of rg 2)"
  bw_s="$(median_of bulwark 2)"
  echo
  echo "tree: $tree, $(awk -v b="$bytes" 'BEGIN { printf "%.0f MB (%.0f bytes)", b / 1e6, b }'), $(find "$tree" -type f | wc -l) files; $runs timed runs each, warm page cache"
  printf '%-8s %10s %10s %14s %6s\n' tool 'median s' 'MB/s' 'peak RSS MB' exit
  for tool in rg bulwark; do
    local s kb code
    s="$(median_of "$tool" 2)"
    kb="$(median_of "$tool" 3)"
    code="$(awk -v t="$tool" '$1 == t { c = $4 } END { print c }' "$work/results")"
    awk -v t="$tool" -v s="$s" -v b="$bytes" -v kb="$kb" -v c="$code" \
      'BEGIN { printf "%-8s %10.2f %10.0f %14.1f %6s\n", t, s, (s > 0 ? b / 1e6 / s : 0), kb / 1024, c }'
  done
  awk -v r="$rg_s" -v w="$bw_s" 'BEGIN { printf "bulwark/rg throughput: %.2f\n", (w > 0 ? r / w : 0) }'
}

install_tools
build
generate_tree
prefilter_literals
: >"$work/results"
log "warm-up run of each tool (untimed)"
run_rg
run_bulwark
for ((i = 1; i <= runs; i++)); do
  log "timed run $i/$runs"
  run_rg timed
  run_bulwark timed
done
report
