#!/usr/bin/env bash
# Runs every test of the solution. The README's test command; .ci/run calls it.
# Starts what the tests need (PostgreSQL; Chromium for the portal tests) when it is not already there.
# Test results (TRX) land in artifacts/test-results. Shared test data is read from ../shared/data
# when present; tests that need it skip with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")"

results="${BULWARK_TEST_RESULTS:-artifacts/test-results}"

# Tools from .config/dotnet-tools.json (dotnet-ef; the smtp4dev SMTP server the notification tests start).
dotnet tool restore >/dev/null

# Real services the integration tests use: PostgreSQL (started, or installed and started, by build/postgres.sh).
if [[ -z "${BULWARK_TEST_POSTGRES:-}" ]]; then
  BULWARK_TEST_POSTGRES="$(build/postgres.sh)"
  export BULWARK_TEST_POSTGRES
fi
# Debian's Chromium for the portal's browser tests (installed when missing); Playwright downloads no browser.
build/chromium.sh
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

rm -rf "$results"
mkdir -p "$results"

dotnet test Bulwark.slnx -c Release --logger "trx" --results-directory "$results" "$@"
