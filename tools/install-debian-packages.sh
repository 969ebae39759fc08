#!/usr/bin/env bash
# Install the Debian packages listed in tools/debian-packages.txt that are not
# installed yet. Needs root (CI runs as root); otherwise it names what is
# missing and leaves the tests that need it to skip or fail with that message.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -v '^\s*#' "$here/debian-packages.txt" | tr -s ' \t' '\n' | sed '/^$/d')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' && continue
  command -v "$pkg" >/dev/null && continue  # provided by another package (npm by NodeSource's nodejs)
  missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-debian-packages: missing ${missing[*]}; run 'sudo apt-get install ${missing[*]}'" >&2
  exit 0
fi
echo "install-debian-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
