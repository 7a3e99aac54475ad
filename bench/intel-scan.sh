#!/usr/bin/env bash
# `bulwark scan` with and without a 1,000,000-indicator intel list, over the same generated log tree.
#
# The list (bench/Bulwark.LogGen intel: 40% IPv4, 5% /24–/32 networks, 25% domains, 10% URLs, 20% SHA-256, plus the
# planted ProxyLogon client) is loaded with --intel; every request line is then matched against it. Runs alternate
# (plain, intel) after one untimed warm-up each, warm page cache; the table shows medians. Two times per run: the
# whole process (/usr/bin/time, includes loading and indexing the list) and the scan itself (the closing line).
#
# Environment:
#   BENCH_TREE      tree folder (default /tmp/bulwark-intel-tree; reused when present)
#   BENCH_SIZE      tree size (default 500MB)
#   BENCH_COUNT     indicators (default 1000000)
#   BENCH_ARTIFACTS build output (default /tmp/bulwark-bench-artifacts)
#   BENCH_RUNS      timed runs per mode (default 5)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tree="${BENCH_TREE:-/tmp/bulwark-intel-tree}"
size="${BENCH_SIZE:-500MB}"
count="${BENCH_COUNT:-1000000}"
artifacts="${BENCH_ARTIFACTS:-/tmp/bulwark-bench-artifacts}"
runs="${BENCH_RUNS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log() { printf '%s\n' "$*" >&2; }

[[ -x /usr/bin/time ]] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

log "building Bulwark.Cli and Bulwark.LogGen (Release) into $artifacts"
dotnet build "$repo/src/Bulwark.Cli" -c Release --artifacts-path "$artifacts" -v quiet -nologo >&2
dotnet build "$repo/bench/Bulwark.LogGen" -c Release --artifacts-path "$artifacts" -v quiet -nologo >&2
gen() { dotnet "$artifacts/bin/Bulwark.LogGen/release/Bulwark.LogGen.dll" "$@"; }

if [[ ! -d "$tree/inetpub/logs" ]]; then
  log "generating a $size tree with planted attacks in $tree"
  gen --out "$tree" --size "$size" --plant
fi
gen intel --out "$work/intel.txt" --count "$count"

run() { # mode → appends "mode wall-s scan-s peak-KB findings"
  local mode="$1" args=()
  [[ "$mode" == intel ]] && args=(--intel "$work/intel.txt")
  /usr/bin/time -f '%e %M' -o "$work/time" \
    dotnet "$artifacts/bin/Bulwark.Cli/release/bulwark.dll" scan "$tree" --format jsonl --output /dev/null "${args[@]}" 2>"$work/err" || true
  local scan findings
  scan="$(tail -n 1 "$work/err" | grep -o '[0-9.]* s$' | cut -d' ' -f1)"
  findings="$(tail -n 1 "$work/err" | grep -o '[0-9]* findings' | cut -d' ' -f1)"
  # /usr/bin/time puts "Command exited with non-zero status 1" (findings reported) before the figures.
  local wall rss
  read -r wall rss < <(tail -n 1 "$work/time")
  echo "$mode $wall $scan $rss $findings" >>"$work/results"
}

run plain; run intel; : >"$work/results"   # warm-up
for ((i = 0; i < runs; i++)); do run plain; run intel; done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "| mode | whole process s (median) | scan s (median) | peak RSS MB | findings |"
echo "|---|---:|---:|---:|---:|"
for mode in plain intel; do
  wall=$(awk -v m=$mode '$1==m {print $2}' "$work/results" | median)
  scan=$(awk -v m=$mode '$1==m {print $3}' "$work/results" | median)
  rss=$(awk -v m=$mode '$1==m {print $4}' "$work/results" | sort -n | tail -1)
  found=$(awk -v m=$mode '$1==m {print $5}' "$work/results" | sort -u | paste -sd/)
  echo "| $mode | $wall | $scan | $((rss / 1024)) | $found |"
done
echo
echo "all runs (mode wall scan peakKB findings):"
cat "$work/results"
