#!/usr/bin/env bash
# Certificates and transcripts embed a CJK font (core/pdf_fonts.py reads
# REGSAFE_CJK_FONT_PATH, default Debian fonts-noto-cjk's NotoSansCJK-Regular.ttc). Without
# it every PDF job fails, so `make dev` and `make test-backend` install it with apt-get
# when it is missing (as root, or through password-less sudo).
set -euo pipefail
default=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
font="${REGSAFE_CJK_FONT_PATH:-$default}"
[ -f "$font" ] && exit 0
if [ "$font" != "$default" ]; then
  echo "REGSAFE_CJK_FONT_PATH=$font does not exist: point it at a CJK font file (.ttc/.otf/.ttf)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "CJK font missing ($font) and no apt-get here: install Noto Sans CJK and set" >&2
  echo "REGSAFE_CJK_FONT_PATH to its file (certificate and transcript PDFs need it)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "CJK font missing ($font), needed for certificate and transcript PDFs." >&2
  echo "Install it with: sudo apt-get install -y fonts-noto-cjk" >&2
  exit 1
fi
echo "Installing fonts-noto-cjk (Debian package, for certificate and transcript PDFs)…" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >/dev/null
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null
[ -f "$font" ] || { echo "fonts-noto-cjk installed but $font is still missing" >&2; exit 1; }
