#!/usr/bin/env bash
# Installs dnsmasq (Debian's dnsmasq-base: the binary only, no system service) for the membership tests'
# DNS fixture and prints its path. Idempotent. The tests start their own dnsmasq on a free loopback port;
# they call this script themselves when dnsmasq is missing and they run as root.
set -euo pipefail

for candidate in /usr/sbin/dnsmasq /usr/bin/dnsmasq; do
  if [[ -x "$candidate" ]]; then
    echo "$candidate"
    exit 0
  fi
done

if [[ "$(id -u)" != 0 ]]; then
  echo "dnsmasq is not installed and installing it needs root: apt-get install dnsmasq-base" >&2
  exit 1
fi

echo "installing dnsmasq-base" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dnsmasq-base >&2
echo /usr/sbin/dnsmasq
