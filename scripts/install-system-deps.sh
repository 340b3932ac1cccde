#!/usr/bin/env bash
# Install the Debian packages redact needs, only those missing. Runs apt-get update first
# (once) when something must be installed. Needs root, as on the project's machines.
set -euo pipefail

# Packages the tool or its tests use at run time: Tesseract (and its English data) reads scanned
# pages; qpdf is the decryption tool the encrypted-PDF message points officers to; the test suite
# opens the review report in headless Chromium, as an officer's browser would.
PACKAGES=(tesseract-ocr tesseract-ocr-eng qpdf chromium)
# A Python without the venv module (Debian's python3 without python3-venv) cannot build .venv.
PY=$(command -v python3.11 || command -v python3 || true)
if [ -z "$PY" ]; then
  PACKAGES+=(python3 python3-venv python3-pip)
elif ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  PACKAGES+=(python3-venv)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "redact: these Debian packages are missing: ${missing[*]}" >&2
  echo "        install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
