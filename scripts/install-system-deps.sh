#!/usr/bin/env bash
# Debian packages Copiloto needs. `run`: media processing (ffmpeg, OCR, PDF rasterizing, libmagic).
# `test`: also speech synthesis for audio fixtures and chromium for the browser tests.
# Installs only what is missing; needs root (or sudo).
set -euo pipefail
profile="${1:-run}"
packages=(ffmpeg tesseract-ocr tesseract-ocr-por poppler-utils libmagic1)
if [ "$profile" = "test" ]; then
  packages+=(espeak-ng sox chromium fonts-dejavu-core)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing Debian packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
