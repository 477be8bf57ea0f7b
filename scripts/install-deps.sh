#!/usr/bin/env bash
# Install ecgopt's build, test and benchmark dependencies from Debian 12 packages.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PKGS=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libopenblas-dev liblapacke-dev libfftw3-dev libsqlite3-dev sqlite3
      libcurl4-openssl-dev libssl-dev libopenmpi-dev openmpi-bin libxgboost-dev libdnnl-dev flac
      python3 python3-numpy python3-scipy chromium
      python3-pytest python3-matplotlib python3-pip python3-setuptools python3-wheel)
if [ "${ECGOPT_PEERS:-0}" = "1" ]; then
  PKGS+=(python3-torch python3-sklearn python3-xgboost python3-pywt hyperfine libsoxr-dev libsamplerate0-dev)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
