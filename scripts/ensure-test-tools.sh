#!/usr/bin/env bash
# The tests check the hub's output with independent tools from Debian: xmllint (libxml2-utils) and
# Python's feedparser (python3-feedparser). Installs them with apt-get when missing and allowed.
set -euo pipefail
need=()
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
/usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1 || need+=(python3-feedparser)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian/Ubuntu packages: ${need[*]} (xmllint and /usr/bin/python3 with feedparser). Install them and run npm test again." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing test tools: ${need[*]}" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
