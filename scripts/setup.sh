#!/usr/bin/env bash
# One-time machine setup on Debian: the system packages the tests and proofs use (Coccinelle's
# spatch, the kernel build dependencies, Chromium), then the npm dependencies and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v spatch >/dev/null 2>&1 || need+=(coccinelle)
# the HTML report's test loads it in headless Chromium
command -v chromium >/dev/null 2>&1 || need+=(chromium)
for p in flex bison bc libelf-dev libssl-dev; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
	echo "setup: installing ${need[*]}" >&2
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
npm run build
