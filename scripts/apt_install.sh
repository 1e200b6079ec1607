#!/usr/bin/env bash
# Install the Debian packages given that are missing: with apt-get when running as root;
# otherwise print their names and the one command that installs them, and fail.
#   scripts/apt_install.sh WHAT PACKAGE...   (WHAT names who needs them, for the message)
set -euo pipefail
what=${1:?usage: apt_install.sh WHAT PACKAGE...}
shift
missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
        || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$what: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "$what needs these Debian packages: ${missing[*]}" >&2
    echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
