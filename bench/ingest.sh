#!/usr/bin/env bash
# Server load: sustained findings ingestion (POST /api/v1/findings) measured with wrk, and the
# upload-to-notice latency of the sample tree, on SQLite and on PostgreSQL, in one run.
#
# Environment:
#   BENCH_ARTIFACTS  build output (default /tmp/bulwark-bench-artifacts)
#   BENCH_DURATION   wrk duration (default 20s); BENCH_CONNECTIONS (default 8); BATCH findings per request (default 10)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
artifacts="${BENCH_ARTIFACTS:-/tmp/bulwark-bench-artifacts}"
duration="${BENCH_DURATION:-20s}"
connections="${BENCH_CONNECTIONS:-8}"
export BATCH="${BATCH:-10}"
token="bench-bootstrap-token-0123456789abcdef"
port=5099
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
dotnet build "$repo/src/Bulwark.Server" -c Release --artifacts-path "$artifacts" -v quiet -nologo >&2

py="$(command -v /usr/bin/python3 || command -v python3)"
json() { "$py" -c "import sys,json; print(json.load(sys.stdin)$1)"; }

start_server() {  # provider connection-string
  local data="$work/data-$1"
  mkdir -p "$data"
  Storage__DataDirectory="$data" Database__Provider="$1" Database__ConnectionString="$2" Operator__BootstrapToken="$token" \
    Incidents__AutoConfirm=true Logging__LogLevel__Default=Warning \
    dotnet "$artifacts/bin/Bulwark.Server/release/Bulwark.Server.dll" --urls "$base" >"$work/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "$base/health/ready" >/dev/null && return; sleep 0.2; done
  echo "server did not start: $(tail -5 "$work/server-$1.log")" >&2; exit 1
}

stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

member() {  # prints "orgId ingestKey adminKey"
  local org ingest admin
  org=$(curl -sf -X POST "$base/api/v1/organisations/applications" -H 'Content-Type: application/json' \
    -d '{"name":"Bench Party","sector":"PoliticalParty","country":"FR"}' | json "['id']")
  curl -sf -X POST "$base/api/v1/organisations/$org/admit" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' >/dev/null
  ingest=$(curl -sf -X POST "$base/api/v1/keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench ingest\",\"scope\":\"OrganisationIngest\",\"organisationId\":\"$org\"}" | json "['token']")
  admin=$(curl -sf -X POST "$base/api/v1/keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench admin\",\"scope\":\"OrganisationAdmin\",\"organisationId\":\"$org\"}" | json "['token']")
  echo "$org $ingest $admin"
}

upload_to_notice() {  # ingestKey adminKey: seconds from upload to the first notice
  (cd "$repo/samples" && rm -f "$work/samples.zip" && "$py" -c "import shutil; shutil.make_archive('$work/samples', 'zip', 'exchange-server')")
  local start end
  start=$(date +%s.%N)
  curl -sf -X POST "$base/api/v1/uploads?name=samples.zip" -H "Authorization: Bearer $1" -H 'Content-Type: application/zip' \
    --data-binary @"$work/samples.zip" >/dev/null
  for _ in $(seq 1 600); do
    if [[ "$(curl -sf "$base/api/v1/notices" -H "Authorization: Bearer $2" | json '.__len__()')" -gt 0 ]]; then
      end=$(date +%s.%N); echo "$end - $start" | bc; return
    fi
    sleep 0.02
  done
  echo "no notice"
}

run() {  # provider connection-string
  start_server "$1" "$2"
  read -r _ ingest admin < <(member)
  local latency
  latency=$(upload_to_notice "$ingest" "$admin")
  BULWARK_KEY="$ingest" wrk -t2 -c"$connections" -d"$duration" --latency -s "$repo/bench/ingest-findings.lua" "$base" >"$work/wrk-$1.txt"
  local rss
  rss=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$server_pid/status")
  printf '%-9s upload-to-notice %6.2f s   %s   server peak RSS %.0f MB\n' "$1" "$latency" "$(tail -n 1 "$work/wrk-$1.txt")" "$rss"
  stop_server
}

echo "wrk: 2 threads, $connections connections, $duration, $BATCH findings per request"
run Sqlite ""
pg="$("$repo/build/postgres.sh")"
db="bulwark_bench_$$"
psql "host=127.0.0.1 port=55432 user=bulwark dbname=postgres" -qc "CREATE DATABASE $db" >/dev/null
run Postgres "${pg/Database=postgres/Database=$db}"
psql "host=127.0.0.1 port=55432 user=bulwark dbname=postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
