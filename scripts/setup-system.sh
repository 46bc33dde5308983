#!/usr/bin/env bash
# Debian packages the test suite uses as real peers, installed when missing:
#   python3-django  Django 3.2: signing interop (values signed by one verify in the other)
#   nginx           `nginx -t` checks the generated nginx configuration
# Run as root (CI and the development machines are); prints what it installs.
set -euo pipefail
packages=(python3-django nginx)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-system: all Debian packages present (${packages[*]})"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "setup-system: missing Debian packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d 101: let packages install without starting their services (nginx would bind :80).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}"
[[ $created_policy -eq 1 ]] && rm -f "$policy"
echo "setup-system: done"
